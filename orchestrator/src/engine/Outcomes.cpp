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
