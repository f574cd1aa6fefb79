#pragma once
// The licence invariants a scenario or a fuzzed sequence must keep (DESIGN.md, "Invariants" 1),
// checked against the simulator's ground truth (SimulatedHypervisor::hostsRunningForTest) and the
// store's ledger, never against what the daemon believes. "Never two copies" is Scenario.cpp's.
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"
#include "faxover/orchestrator/store/Records.h"
#include "faxover/policies/Policy.h"

#include <cstddef>
#include <string>
#include <vector>

namespace faxover::scenario {

struct InvariantOptions {
    // Seats in use per licence ≤ its seats. Off for runs against a runtime without the ledger
    // (issue #4), where nothing limits running copies to the seats yet.
    bool seatsInUse = true;
    // Ledger equal to reality: only meaningful once faults are healed and the daemon had time to
    // act (the `settled` command), and only with the ledger runtime.
    bool ledgerMatchesReality = true;
};

struct InvariantCheck {
    std::vector<std::string> violations;  // each starts with "INVARIANT VIOLATED: "
    std::size_t checks = 0;               // individual conditions evaluated, for the fuzzer's count
};

// `settled`: also check that the ledger equals reality (when the options allow it).
InvariantCheck checkLicenceInvariants(const hv::sim::SimulatedHypervisor& hypervisor, const policy::Policy& policy,
                                      const std::vector<orchestrator::store::SeatRecord>& ledger, bool settled,
                                      const InvariantOptions& options);

}  // namespace faxover::scenario
