#pragma once
// One fuzzed sequence as a scenario directory's files, generated against a live replay, replayed
// again from its files, shrunk, and written where scenario_runner can replay it.
#include "Scenario.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace faxover::fuzz {

struct FuzzOptions {
    // Off before the ledger runtime lands (issue #4): no seat limits are enforced yet, so neither
    // the seat nor the ledger invariants are checked, and no licence has fewer seats than users.
    bool ledgerCheck = true;
    bool promotion = false;   // standbys with stands_in_for, and `admin demote`
    bool boards = false;      // fax boards and board-mode services, and `telco-hook-fails`
};

struct SequenceFiles {
    std::string readme;  // one line
    std::string policy;
    std::string cluster;
    std::vector<std::string> commands;
};

struct SequenceRun {
    SequenceFiles files;
    scenario::ScenarioResult result;
};

// The scratch directory: a `domains` link to the templates beside one sequence directory, and
// the store, on tmpfs when there is one (the store fsyncs every commit).
class Workspace {
public:
    Workspace();
    ~Workspace();
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;
    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path sequence() const { return root_ / "sequence"; }

private:
    std::filesystem::path root_;
};

SequenceRun runRandomSequence(std::uint64_t seed, const std::string& label, const Workspace& workspace,
                              const FuzzOptions& options);
// Replays the files as scenario_runner would (the commands file, no generator).
scenario::ScenarioResult replayFiles(const SequenceFiles& files, const Workspace& workspace, const FuzzOptions& options);
// The violations that are invariants broken (not scenario errors such as a malformed command).
bool brokeInvariant(const scenario::ScenarioResult& result);
// Drops commands and shortens runs while the replay still breaks an invariant.
SequenceFiles minimize(SequenceFiles files, const Workspace& workspace, const FuzzOptions& options);
void writeScenario(const SequenceFiles& files, const std::filesystem::path& directory);
std::string commandsText(const std::vector<std::string>& commands);

}  // namespace faxover::fuzz
