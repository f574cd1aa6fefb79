// What a finished action means for its service: where it runs now, its state, its seat and its
// board. Fences report through HostObservation::fence instead (the runtime's fence executor).
#include "Outcomes.h"

#include <string>

namespace faxover::orchestrator::engine {

Outcomes::Outcomes(DecisionContext& context, SeatBook& seats, BoardBook& boards)
    : context_(context), seats_(seats), boards_(boards) {}

void Outcomes::apply(const FinishedAction& finished) {
    const Action& action = finished.action;
    if (action.kind == ActionKind::ReleaseBoard || action.kind == ActionKind::RerouteTelco)
        return boards_.finishAction(finished);  // beside the service: its memory is not the action's
    ServiceMemory& memory = context_.memoryOf(action.service);
    memory.target.clear();
    const std::string failure = finished.message.empty() ? "" : ": " + finished.message;
    switch (action.kind) {
    case ActionKind::Fence:
        return;  // the runtime's fence executor reports through HostObservation::fence
    case ActionKind::ReleaseBoard:
    case ActionKind::RerouteTelco:
        return;  // finished above
    case ActionKind::ApplyLicence:
    case ActionKind::RevokeLicence:
        return seats_.finishStep(finished);
    case ActionKind::Start:
        if (finished.succeeded && !action.board.empty()) boards_.rerouteTelco(action, memory.host);
        memory.host = action.host;
        memory.lastStartFailed = !finished.succeeded;
        if (finished.succeeded) seats_.startedOn(action.service, action.host, "started on " + action.host);
        else
            context_.setState(action.service, ServiceState::Failure, "start on " + action.host + " failed" + failure,
                              true);
        return;
    case ActionKind::Shutdown:
        // Off as asked; the rules confirm it (and give its seat back) in this decision, the runtime
        // having marked the copy off. A failed shutdown leaves it running: the rules try again
        // after the service's retry_delay.
        if (finished.succeeded) {
            context_.setState(action.service,
                              memory.requested == RequestedState::Disabled ? ServiceState::Disabled
                                                                           : ServiceState::VmStopped,
                              finished.message);
            return;
        }
        memory.nextAttempt = context_.now() + context_.servicePolicy(action.service)->retryDelay;
        context_.setState(action.service, ServiceState::ShuttingDown,
                          "shutdown on " + action.host + " failed" + failure, true);
        return;
    case ActionKind::RestartFaxService: {
        // Whether it worked, the next heartbeats tell: up ends the escalation, down goes on with it.
        Event event = Event::aboutService(action.service, "fax service restart on " + action.host +
                                                              (finished.succeeded ? " done: " : " failed: ") +
                                                              (finished.message.empty() ? "no detail" : finished.message))
                          .with("fax", "restart-service");
        if (!finished.succeeded) event.severity = Severity::Warning;
        context_.log(std::move(event));
        return;
    }
    case ActionKind::RestartVm:
        if (finished.succeeded) return seats_.startedOn(action.service, action.host, finished.message);
        // Its VM may be off now: the next evaluation sees where it runs, and recovery takes over.
        memory.lastStartFailed = true;
        context_.setState(action.service, ServiceState::Failure, "VM restart on " + action.host + " failed" + failure,
                          true);
        return;
    case ActionKind::LiveMigrate:
    case ActionKind::ColdMove: {
        const bool live = action.kind == ActionKind::LiveMigrate;
        if (finished.succeeded) {
            if (!action.board.empty()) boards_.rerouteTelco(action, action.source);
            memory.host = action.host;
            memory.migrationFailures = 0;
            // A live migration keeps the guest (and the licence applied in it); a cold move boots it anew.
            const std::string how = std::string(live ? "live-migrated" : "moved cold") + " from " + action.source;
            seats_.moveSeats(action.service, action.host, !live, how);
            seats_.startedOn(action.service, action.host, how);
            return;
        }
        memory.host = action.source;
        if (live) ++memory.migrationFailures;
        // Where it runs now is for the next evaluation to see: a failed live migration leaves it on
        // the source; a failed cold move may have stopped it there.
        context_.setState(
            action.service, live ? ServiceState::Ok : ServiceState::Failure,
            std::string(live ? "live migration" : "cold move") + " to " + action.host + " failed" + failure, true);
        return;
    }
    }
}

}  // namespace faxover::orchestrator::engine
