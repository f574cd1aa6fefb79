// Shrinking a failing sequence (delta debugging, simplified): cut what follows the failing
// command, drop ever smaller chunks of commands, then halve `run` durations, keeping each change
// under which the replay still breaks an invariant. A dropped command can make a later one
// invalid (a crash of a VM that is no longer there): that replay is a scenario error, not a
// broken invariant, so the change is not kept.
#include "Sequence.h"

#include <string>

namespace faxover::fuzz {

namespace {

constexpr int kReplayBudget = 400;  // each replay takes milliseconds; this bounds a bad case

// The command (1-based) at which the first broken invariant was seen; 0 if none.
std::size_t failingCommand(const scenario::ScenarioResult& result) {
    for (const auto& violation : result.violations) {
        if (violation.find("INVARIANT VIOLATED") == std::string::npos) continue;
        const auto at = violation.find("/commands:");
        if (at != std::string::npos) return std::stoul(violation.substr(at + 10));
    }
    return 0;
}

}  // namespace

SequenceFiles minimize(SequenceFiles files, const Workspace& workspace, const FuzzOptions& options) {
    int budget = kReplayBudget;
    // Replays `commands`; when they still break an invariant, keeps them, cut after the failure.
    auto keepIfFails = [&](std::vector<std::string> commands) {
        if (budget-- <= 0) return false;
        SequenceFiles candidate = files;
        candidate.commands = std::move(commands);
        const auto result = replayFiles(candidate, workspace, options);
        if (!brokeInvariant(result)) return false;
        if (const auto last = failingCommand(result); last > 0 && last < candidate.commands.size())
            candidate.commands.resize(last);
        files = std::move(candidate);
        return true;
    };
    if (!keepIfFails(files.commands)) return files;  // does not fail from its files: leave it whole
    for (std::size_t chunk = files.commands.size() / 2; chunk >= 1; chunk /= 2) {
        for (std::size_t start = 0; start + chunk <= files.commands.size();) {
            auto fewer = files.commands;
            fewer.erase(fewer.begin() + static_cast<long>(start), fewer.begin() + static_cast<long>(start + chunk));
            if (!keepIfFails(fewer)) start += chunk;
        }
    }
    for (std::size_t i = 0; i < files.commands.size(); ++i) {
        while (i < files.commands.size() && files.commands[i].starts_with("run ")) {
            const double seconds = std::stod(files.commands[i].substr(4));
            if (seconds < 1) break;
            auto shorter = files.commands;
            shorter[i] = "run " + std::to_string(static_cast<int>(seconds) / 2);
            if (shorter[i] == "run 0" || !keepIfFails(shorter)) break;
        }
    }
    return files;
}

}  // namespace faxover::fuzz
