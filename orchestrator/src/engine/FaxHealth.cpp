// The fax-health escalation (docs/engine.md, "Fax health"). Every pause is measured from the
// decision's input time: the engine has no clock.
#include "FaxHealth.h"

#include <algorithm>

namespace faxover::orchestrator::engine {

namespace {

std::string plural(int count, const std::string& what) {
    return std::to_string(count) + " " + what + (count == 1 ? "" : "s");
}

std::string attempt(int done, int max) { return std::to_string(done) + " of " + std::to_string(max); }

// "after 2 service restarts and 1 VM restart": what the escalation tried, for the log.
std::string tried(const FaxEscalation& fax) {
    std::string text;
    auto add = [&](int count, const std::string& what) {
        if (count > 0) text += (text.empty() ? "" : ", ") + plural(count, what);
    };
    add(fax.serviceRestarts, "service restart");
    add(fax.vmRestarts, "VM restart");
    add(fax.relocations, "relocation");
    return text.empty() ? "" : " (after " + text + ")";
}

// What the alert command gets besides the message (FAXOVER_EVENT_FIELD_*, docs/daemon.md): the
// first failing check and the queues, so a script can say which part of the fax server died and
// how many faxes wait on it without parsing the message.
Event withGuestFields(Event event, const GuestHealth& guest) {
    const auto failing = std::find_if(guest.checks.begin(), guest.checks.end(), [](const GuestCheck& check) { return !check.ok; });
    if (failing != guest.checks.end()) {
        event.fields.emplace_back("check", failing->name);
        event.fields.emplace_back("check_detail", failing->detail);
    }
    event.fields.emplace_back("outbound", std::to_string(guest.queues.outbound));
    event.fields.emplace_back("inbound", std::to_string(guest.queues.inbound));
    event.fields.emplace_back("active", std::to_string(guest.queues.active));
    return event;
}

}  // namespace

FaxHealth::FaxHealth(DecisionContext& context, ClusterPlacement& placement, Moves& moves)
    : context_(context), placement_(placement), moves_(moves) {}

bool FaxHealth::evaluate(const policy::ServicePolicy& service, const std::string& host) {
    const ServiceObservation& observed = context_.observed(service.name);
    // No agent data: nothing to act on, exactly as without fax health.
    if (!observed.guest) return false;
    const GuestHealth& guest = *observed.guest;
    noteHeartbeats(service, host, guest.agentAnswered);
    // A silent agent says nothing about the fax service: the escalation neither goes on nor ends.
    if (!guest.agentAnswered) return false;
    const FaxEscalation& seen = context_.current(service.name).fax;
    if (guest.faxServiceUp) {
        if (seen.down || seen.serviceRestarts + seen.vmRestarts + seen.relocations > 0) {
            context_.log(withGuestFields(
                Event::aboutService(service.name, "fax service up on " + host + tried(seen)).with("fax", "up"), guest));
            FaxEscalation& fax = context_.memoryOf(service.name).fax;
            const bool heartbeatsLost = fax.heartbeatsLost;  // the agent's own state, not the escalation's
            fax = {};
            fax.heartbeatsLost = heartbeatsLost;
        }
        return false;
    }
    const policy::FaxHealthPolicy& rules = service.faxHealth;
    if (observed.faxDownRounds < rules.downAfter) return false;
    if (!seen.down) {
        context_.memoryOf(service.name).fax.down = true;
        context_.log(withGuestFields(Event::aboutService(service.name, "fax service down on " + host + " for " +
                                                                           plural(observed.faxDownRounds, "heartbeat") + ": " +
                                                                           (guest.detail.empty() ? "no detail" : guest.detail) +
                                                                           (rules.act ? "" : "; fax_health act off: not acted on"))
                                         .with("fax", "down")
                                         .alert(),
                                     guest));
    }
    if (!rules.act) return false;
    return escalate(service, host);
}

bool FaxHealth::escalate(const policy::ServicePolicy& service, const std::string& host) {
    const policy::FaxHealthPolicy& rules = service.faxHealth;
    const FaxEscalation& seen = context_.current(service.name).fax;
    if (context_.now() < seen.nextStep) return false;  // the last step's delay
    if (seen.serviceRestarts < rules.restartService.max) {
        FaxEscalation& fax = context_.memoryOf(service.name).fax;
        ++fax.serviceRestarts;
        fax.nextStep = context_.now() + rules.restartService.delay;
        const std::string count = attempt(fax.serviceRestarts, rules.restartService.max);
        context_.act(Action{ActionKind::RestartFaxService, service.name, host, "", "fax service restart " + count});
        context_.log(Event::aboutService(service.name, "fax service down: restart of the fax service " + count +
                                                           " on " + host + " through its agent")
                         .with("fax", "restart-service")
                         .warning());
        return true;
    }
    if (seen.vmRestarts < rules.restartVm.max) {
        const std::string why = "fax service down" + tried(seen);
        ServiceMemory& memory = context_.memoryOf(service.name);
        ++memory.fax.vmRestarts;
        memory.fax.nextStep = context_.now() + rules.restartVm.delay;
        memory.target = host;
        const std::string count = attempt(memory.fax.vmRestarts, rules.restartVm.max);
        context_.act(Action{ActionKind::RestartVm, service.name, host, "", "VM restart " + count});
        context_.setState(service.name, ServiceState::Recovering, why + ": VM restart " + count + " on " + host);
        return true;
    }
    if (seen.relocations < rules.relocate) return relocate(service, host, attempt(seen.relocations + 1, rules.relocate));
    if (!seen.exhausted) {
        context_.memoryOf(service.name).fax.exhausted = true;
        context_.log(withGuestFields(Event::aboutService(service.name, "fax service still down on " + host + tried(seen) +
                                                                           ": every fax_health step is used; an admin must look")
                                         .with("fax", "down")
                                         .alert(),
                                     *context_.observed(service.name).guest));
    }
    return false;
}

bool FaxHealth::relocate(const policy::ServicePolicy& service, const std::string& host, const std::string& count) {
    std::string none;
    const Placement target = placement_.pickTarget(service, host, none);
    const std::string why = "fax service down" + tried(context_.current(service.name).fax) + ": relocation " + count;
    if (target.host.empty()) {
        // Tried again each round while it stays down: a host may come back or free up.
        context_.setState(service.name, ServiceState::Ok, why + " impossible: " + none, true);
        return false;
    }
    ServiceMemory& memory = context_.memoryOf(service.name);
    ++memory.fax.relocations;
    moves_.move(service, host, target, why + " away from " + host, "daemon", Moves::Why::Relocation);
    return true;
}

void FaxHealth::noteHeartbeats(const policy::ServicePolicy& service, const std::string& host, bool answered) {
    const bool reported = context_.current(service.name).fax.heartbeatsLost;
    if (answered) {
        if (!reported) return;
        context_.memoryOf(service.name).fax.heartbeatsLost = false;
        context_.log(Event::aboutService(service.name, "heartbeats back from the guest agent on " + host)
                         .with("fax", "heartbeats-back"));
        return;
    }
    const int missed = context_.observed(service.name).heartbeatsMissedRounds;
    if (reported || missed < service.faxHealth.lostHeartbeatsAfter) return;
    context_.memoryOf(service.name).fax.heartbeatsLost = true;
    // Not a dead fax service: the agent, its channel or the guest's kernel may be what stopped,
    // and a restart on that evidence could cut calls that are going through.
    context_.log(Event::aboutService(service.name, "heartbeats lost: no heartbeat from the guest agent on " + host +
                                                       " for " + plural(missed, "round") +
                                                       " while the VM runs; the fax service's health is unknown, "
                                                       "nothing is restarted")
                     .with("fax", "heartbeats-lost")
                     .with("missed_rounds", std::to_string(missed))
                     .alert());
}

}  // namespace faxover::orchestrator::engine
