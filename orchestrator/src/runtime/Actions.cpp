// Carrying out starts, live migrations, cold moves, shutdowns and VM restarts on the Executor; fencing is in Fencing.cpp.
// The steps run on the executor's threads and never touch the state: what they report goes back to
// the decision loop as queued work.
#include "ActionSteps.h"
#include "RuntimeState.h"

namespace faxover::orchestrator::runtime {

void Runtime::State::dispatch(store::IntentId intent, const engine::Action& action) {
    if (action.kind == engine::ActionKind::Fence) return startFence(intent, action.host);
    ActionContext context;
    // A board's release may outlive its service in the policy: it needs no context.
    if (const policy::ServicePolicy* service = policy->findService(action.service)) {
        const ServiceEntry& entry = services[action.service];
        context = {service->domain.value, entry.definitionXml, service->domainXml, service->shutdownTimeout};
        if (!action.board.empty() && engine::movesVm(action.kind)) context.board = BoardSwap{action.fromBoard, action.board};
        // Only an agent that answered last round: a silent one would hold the move for the whole
        // quiesce_timeout and then not be quiesced anyway.
        context.guestAgent = entry.observation.guest && entry.observation.guest->agentAnswered;
        context.quiesceTimeout = service->faxHealth.quiesceTimeout;
    }
    inFlight.emplace(intent, action);
    workStarted();
    ports.executor.submit([this, intent, action, context] {
        if (skipsSteps()) return workEnded();
        // A planned move of a service with an agent: running calls may finish first (GuestAgentSteps.cpp).
        const bool quiesce = action.planned && context.guestAgent;
        if (quiesce) quiesceBefore(action, context);
        hv::Result<std::string> result = carryOut(action, context);
        if (quiesce) resumeAfter(action, context, static_cast<bool>(result));
        const bool succeeded = static_cast<bool>(result);
        workEnded([this, intent, action, succeeded, message = succeeded ? result.value() : result.error().message] {
            finish(intent, action, succeeded, message);
        });
    });
}

hv::Result<std::string> Runtime::State::carryOut(const engine::Action& action, const ActionContext& context) {
    switch (action.kind) {
    case engine::ActionKind::Start:
        return startOn(ports.hypervisor, action.host, context);
    case engine::ActionKind::LiveMigrate:
        return liveMigrate(ports.hypervisor, action.source, action.host, context,
                           [this, &action](const hv::MigrationProgress& progress) {
                               loop.post([this, service = action.service, fraction = progress.fraction()] {
                                   if (auto it = services.find(service); it != services.end()) it->second.progress = fraction;
                               });
                           });
    case engine::ActionKind::ColdMove:
        return coldMove(ports.hypervisor, action.source, action.host, context);
    case engine::ActionKind::ApplyLicence:
    case engine::ActionKind::RevokeLicence:
        return runLicenceStep(action);
    case engine::ActionKind::Shutdown:
        return shutDown(ports.hypervisor, action.host, context);
    case engine::ActionKind::RestartVm:
        return restartVm(ports.hypervisor, action.host, context);
    case engine::ActionKind::RestartFaxService:
        return restartFaxService(action, context);
    case engine::ActionKind::ReleaseBoard:
        return giveBoardBack(ports.hypervisor, action.host, action.board);
    case engine::ActionKind::RerouteTelco:
        return runTelcoHook(action);
    case engine::ActionKind::Fence:
        break;  // the fence executor's (Fencing.cpp)
    }
    return hv::Error{hv::ErrorKind::Internal, "not an action for the executor: " + action.describe()};
}

void Runtime::State::finish(store::IntentId intent, const engine::Action& action, bool succeeded,
                            std::string message) {
    inFlight.erase(intent);
    recordOutcome(intent, succeeded ? store::OutcomeStatus::Succeeded : store::OutcomeStatus::Failed, message);
    if (auto it = services.find(action.service); it != services.end()) {
        it->second.progress.reset();
        // The outcome is an observation too: until the next listing, the copies must not still
        // show the service where it was before (the engine would "find" it there again).
        if (succeeded && engine::movesVm(action.kind)) {
            auto& copies = it->second.observation.copies;
            std::erase_if(copies, [&](const auto& copy) { return copy.host == action.host || copy.host == action.source; });
            copies.push_back({action.host, hv::DomainState::Running});
            if (!action.board.empty()) noteBoardMoved(it->second, action);
            // Likewise the hosts' free memory, read before the VM moved.
            const std::uint64_t memory = it->second.observation.memoryMiB;
            if (auto& free = hosts.at(action.host).observation.freeMemoryMiB)
                *free = *free > memory ? *free - memory : 0;
            if (auto source = hosts.find(action.source); source != hosts.end() && source->second.observation.freeMemoryMiB)
                *source->second.observation.freeMemoryMiB += memory;
        }
        // The agent's last heartbeat came from before the VM moved, rebooted or its fax service
        // restarted: the next round's says what holds now (docs/engine.md, "Fax health").
        if (succeeded && (engine::movesVm(action.kind) || action.kind == engine::ActionKind::RestartVm ||
                          action.kind == engine::ActionKind::RestartFaxService)) {
            it->second.observation.guest.reset();
            it->second.observation.faxDownRounds = it->second.observation.heartbeatsMissedRounds = 0;
        }
        if (succeeded && action.kind == engine::ActionKind::Shutdown)
            for (auto& copy : it->second.observation.copies)
                if (copy.host == action.host) copy.state = hv::DomainState::Shutoff;
    }
    finished.push_back({action, succeeded, std::move(message)});
    reconcile();
}

}  // namespace faxover::orchestrator::runtime
