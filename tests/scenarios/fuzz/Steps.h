#pragma once
// The commands of one random sequence, chosen one at a time from what the simulated cluster looks
// like now (a crash hits a VM that runs, a heal follows a cut, an admin confirms only a fence of a
// host that really is off), then a settle phase, then `settled` and a last stretch in which the
// ledger must equal reality. What "settled" means is in tests/scenarios/README.md ("The fault fuzzer").
#include "RandomCluster.h"
#include "Scenario.h"

#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace faxover::fuzz {

struct StepOptions {
    bool demote = false;  // `admin demote` (the ledger runtime's verb, issue #4)
    bool telcoHooks = false;  // `telco-hook-fails N`: the cluster has board services (issue #5)
};

class StepGenerator {
public:
    StepGenerator(std::mt19937_64& random, const ClusterModel& cluster, StepOptions options);
    // The next command line, or nullopt at the end of the sequence.
    std::optional<std::string> next(const scenario::ReplayView& view);
    const std::vector<std::string>& commands() const { return commands_; }

private:
    std::string randomStep(const scenario::ReplayView& view);
    // A host going down on purpose: its hook announces it, often shuts its VMs down and reports
    // each, then it powers off (its return is a later power-on). The rest goes to queue_.
    std::string plannedDown(const std::string& host, const std::vector<std::pair<std::string, std::string>>& running);
    std::string adminStep(const scenario::ReplayView& view);
    void settle(const scenario::ReplayView& view);  // queues one pass of repairs
    void track(const scenario::ReplayView& view);

    std::mt19937_64& random_;
    const ClusterModel& cluster_;
    StepOptions options_;
    int randomSteps_;
    std::vector<std::string> commands_;
    std::vector<std::string> queue_;  // settle commands decided together, given one by one
    std::set<std::string> libvirtdDown_;
    // Every service's VM runs a simulated guest agent (installed by the first commands); these
    // fax services are down, these agents silent, until the sequence or the settle phase says otherwise.
    bool agentsInstalled_ = false;
    std::set<std::string> faxDown_;
    std::set<std::string> silentAgents_;
    bool killArmed_ = false;
    bool daemonWasUp_ = true;
    int settleRounds_ = 0;
    enum class Phase { Random, Settle, Final, Done } phase_ = Phase::Random;
};

}  // namespace faxover::fuzz
