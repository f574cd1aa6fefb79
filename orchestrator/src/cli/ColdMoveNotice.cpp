#include "cli/ColdMoveNotice.h"

#include "cli/CliErrors.h"
#include "cli/Confirmation.h"
#include "faxover/orchestrator/engine/Decision.h"

#include <ostream>
#include <vector>

namespace faxover::orchestrator {

namespace {

std::vector<api::PlannedMove> coldMovesOf(const std::vector<api::PlannedMove>& moves) {
    std::vector<api::PlannedMove> cold;
    for (const auto& move : moves) {
        if (engine::actionKindNamed(move.how) == engine::ActionKind::ColdMove) cold.push_back(move);
    }
    return cold;
}

std::string boardPart(const api::PlannedMove& move) {
    if (move.fromBoard.empty() && move.toBoard.empty()) return {};
    const auto named = [](const std::string& address) { return address.empty() ? std::string("none") : address; };
    return ", board " + named(move.fromBoard) + " -> " + named(move.toBoard);
}

std::string question(const engine::AdminCommand& command) {
    if (command.verb == engine::Verb::MaintenanceEnable) return "Put " + command.host + " in maintenance? [y/N] ";
    if (command.verb == engine::Verb::Failback) return "Fail back " + command.service + "? [y/N] ";
    return "Migrate " + command.service + "? [y/N] ";
}

std::string commandWords(const engine::AdminCommand& command) {
    if (command.verb == engine::Verb::MaintenanceEnable) return "maintenance enable " + command.host;
    return std::string(engine::toString(command.verb)) + " " + command.service;
}

}  // namespace

std::string aboutDuration(std::chrono::milliseconds duration) {
    const long long seconds = (duration.count() + 500) / 1000;
    if (seconds < 1) return "under a second";
    if (seconds < 120) return "about " + std::to_string(seconds) + " s";
    const long long minutes = seconds / 60;
    const long long rest = seconds % 60;
    return "about " + std::to_string(minutes) + " min" + (rest == 0 ? "" : " " + std::to_string(rest) + " s");
}

std::string coldMoveLine(const api::PlannedMove& move) {
    const std::string to = move.to.empty() ? "a host the daemon picks" : move.to;
    std::string line = move.service + ": cold move " + (move.from.empty() ? "-" : move.from) + " -> " + to +
                       boardPart(move) + ": the fax service will be down ";
    line += move.expectedOutage ? "for " + aboutDuration(*move.expectedOutage) : "for an unknown time";
    if (!move.outageBasis.empty()) line += " (" + move.outageBasis + ")";
    return line;
}

Result<std::vector<std::string>> coldMoveNotice(const engine::AdminCommand& command, api::AdminApi& api) {
    auto moves = api.plan(command);
    // A daemon older than this CLI cannot plan: go on as the CLI did before it asked.
    if (!moves && moves.error().kind == ErrorKind::NotSupported) return std::vector<std::string>{};
    if (!moves) return moves.error();
    std::vector<std::string> lines;
    for (const auto& move : coldMovesOf(moves.value())) lines.push_back(coldMoveLine(move));
    return lines;
}

int confirmColdMoves(const engine::AdminCommand& command, api::AdminApi& api, CliConsole& console) {
    auto notice = coldMoveNotice(command, api);
    if (!notice) return reportError(notice.error(), console.err);
    if (notice.value().empty()) return kAdminOk;
    // Without a terminal the lines explain the refusal, so they go where the refusal goes.
    std::ostream& shown = console.inputIsTerminal ? console.out : console.err;
    for (const auto& line : notice.value()) shown << line << '\n';
    if (!console.inputIsTerminal) {
        console.err << "faxover: " << commandWords(command)
                    << " needs a confirmation and there is no terminal to ask on: pass --yes\n";
        return kAdminUsage;
    }
    console.out << question(command) << std::flush;
    if (saysYes(console.in)) return kAdminOk;
    console.err << "faxover: not confirmed, nothing done\n";
    return kAdminRefused;
}

}  // namespace faxover::orchestrator
