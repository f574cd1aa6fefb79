#pragma once
// One scenario directory replayed: the simulated cluster (cluster.yaml), the real policy loader
// (policy.yaml), the real runtime, engine, monitor and SQLite store, and the command list
// (commands). Produces the log that log.expect holds, and checks the invariants after every step
// independently of that log, so rewriting log.expect can never bless a violation.
#include "Invariants.h"
#include "SimPorts.h"

#include "faxover/orchestrator/runtime/Runtime.h"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace faxover::scenario {

struct ScenarioResult {
    std::string log;                      // what log.expect should hold
    std::vector<std::string> violations;  // invariant violations and scenario errors (file:line)
    std::size_t steps = 0;                // commands and monitoring rounds checked
    std::size_t checks = 0;               // invariant conditions evaluated
};

// What a program driving the replay itself (tests/scenarios/fuzz) sees between commands.
struct ReplayView {
    const hv::sim::SimulatedHypervisor& hypervisor;
    const policy::Policy& policy;
    const HostFaults& faults;
    orchestrator::runtime::Runtime* daemon;  // null while the daemon is dead
};

struct ReplayHooks {
    // The next command line, instead of the commands file; nullopt ends the replay.
    std::function<std::optional<std::string>(const ReplayView&)> nextCommand{};
    InvariantOptions invariants{};
    std::filesystem::path storeDirectory{};  // where the SQLite file goes; the temp directory if empty
};

ScenarioResult runScenario(const std::string& directory, const ReplayHooks& hooks = {});

}  // namespace faxover::scenario
