#pragma once
// Before a migration or a maintenance: the dry run of the command (AdminApi::plan) and, when it
// moves a board-mode VM cold, the expected outage and the admin's confirmation.
#include "faxover/orchestrator/AdminCli.h"

#include <chrono>
#include <string>
#include <vector>

namespace faxover::orchestrator {

// "fax-a: cold move lab1 -> lab2, board 0000:03:00.0 -> 0000:04:00.0: the fax service will be
// down for about 38 s (last cold move took 38 s)".
std::string coldMoveLine(const api::PlannedMove& move);

// "about 38 s", "about 2 min 5 s", "under a second".
std::string aboutDuration(std::chrono::milliseconds duration);

// One coldMoveLine per cold move in the daemon's dry run of `command`; none from a daemon too
// old to plan. An error when the daemon refuses the plan or cannot be reached.
Result<std::vector<std::string>> coldMoveNotice(const engine::AdminCommand& command, api::AdminApi& api);

// kAdminOk when the command may be sent: the plan has no cold move, the daemon cannot plan (an
// older one: as before this check existed), or the admin said yes. Otherwise the exit code.
int confirmColdMoves(const engine::AdminCommand& command, api::AdminApi& api, CliConsole& console);

}  // namespace faxover::orchestrator
