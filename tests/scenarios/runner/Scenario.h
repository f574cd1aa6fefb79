#pragma once
// One scenario directory replayed: the simulated cluster (cluster.yaml), the real policy loader
// (policy.yaml), the real runtime, engine, monitor and SQLite store, and the command list
// (commands). Produces the log that log.expect holds, and checks the invariants after every step
// independently of that log, so rewriting log.expect can never bless a violation.
#include <string>
#include <vector>

namespace faxover::scenario {

struct ScenarioResult {
    std::string log;                      // what log.expect should hold
    std::vector<std::string> violations;  // invariant violations and scenario errors (file:line)
};

ScenarioResult runScenario(const std::string& directory);

}  // namespace faxover::scenario
