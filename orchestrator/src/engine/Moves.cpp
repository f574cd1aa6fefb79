// How a running service leaves its host: live when its policy, its definition and its telephony
// allow it, else cold (shut down, then started on the target, with a board there if it needs one).
#include "Moves.h"

namespace faxover::orchestrator::engine {

Moves::Moves(DecisionContext& context, BoardBook& boards) : context_(context), boards_(boards) {}

std::string Moves::liveMigrationBlocker(const policy::ServicePolicy& service) const {
    if (service.telephony == policy::TelephonyMode::Board)
        return "telephony board: a passed-through fax board cannot live-migrate";
    if (const Telephony& telephony = boards_.telephonyOf(service); telephony.board)
        return "telephony auto: fax board " + telephony.boardAddress + " (" + telephony.model->name +
               ") is passed through and cannot live-migrate";
    if (service.recovery == policy::RecoveryMode::RestartOnly) return "recovery restart-only";
    return context_.observed(service.name).liveMigrationBlocker;
}

void Moves::move(const policy::ServicePolicy& service, const std::string& from, const Placement& to,
                 const std::string& reason, const std::string& actor, Why why) {
    const bool planned = why == Why::Planned;
    const std::string blocker = planned ? liveMigrationBlocker(service) : "a restart elsewhere";
    const bool live = blocker.empty();
    context_.memoryOf(service.name).target = to.host;
    Action action{live ? ActionKind::LiveMigrate : ActionKind::ColdMove, service.name, to.host, from, reason, actor};
    action.planned = planned;
    std::string boards;
    if (!to.board.empty()) {
        action.board = to.board;
        action.fromBoard = boards_.telephonyOf(service).boardAddress;
        boards_.reserveBoard(service.name, to.host, to.board, reason + ": cold move from " + from);
        boards = ", board " + (action.fromBoard.empty() ? "?" : action.fromBoard) + " -> " + to.board;
    }
    context_.act(std::move(action));
    context_.setState(
        service.name, ServiceState::Migrating,
        reason + (live ? ": live migration " : ": cold move (" + blocker + ") ") + from + " -> " + to.host + boards);
}

}  // namespace faxover::orchestrator::engine
