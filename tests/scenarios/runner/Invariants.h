#pragma once
// The licence and board invariants a scenario or a fuzzed sequence must keep (docs/invariants.md),
// checked against the simulator's ground truth (SimulatedHypervisor's ...ForTest accessors) and
// the store's ledger and board reservations, never against what the daemon believes. "Never two
// copies" is Scenario.cpp's.
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"
#include "faxover/orchestrator/ports/StoreRecords.h"
#include "faxover/policies/Policy.h"

#include <cstddef>
#include <set>
#include <string>
#include <tuple>
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

// The boards running VMs hold that the daemon has had a monitoring round to see: a round ran
// while the VM's host answered libvirt. Before that, a VM running when the scenario begins (or
// found on a host whose libvirtd was down) holds a board nobody could have reserved yet.
class BoardSightings {
public:
    // After a round with the daemon alive: remember the uses on reachable hosts, forget ended ones.
    void afterRound(const hv::sim::SimulatedHypervisor& hypervisor);
    bool seen(const hv::sim::PassedThroughDevice& use) const;
    void markAllSeen(const hv::sim::SimulatedHypervisor& hypervisor);  // for the self-test

private:
    std::set<std::tuple<std::string, std::string, std::string>> seen_;  // (host, pciAddress, domain)
};

// Invariant 4: a fax board belongs to at most one VM at a time. The simulator already refuses to
// start a second domain on a board in use; what is checked here is that the store's reservations
// (the daemon's side of the invariant) keep up with the boards really passed through:
// - every board a running domain holds (SimulatedHypervisor::passedThroughDevicesForTest), once
//   the daemon has seen it (`sightings`), is reserved for the service protecting that domain,
//   releasing or not. Domains no service protects are not the daemon's to reserve for;
// - no service holds more than one reservation that is not releasing.
// `settled` (faults healed, the daemon had time to act) adds the reservations against reality:
// - no reservation on a host whose libvirtd answers is still releasing (its board went back;
//   only a VM outside the policy holding it could stop that: board-held-by-unprotected-vm);
// - a held reservation's service, where it runs with a board, runs with that one.
InvariantCheck checkBoardInvariants(const hv::sim::SimulatedHypervisor& hypervisor, const policy::Policy& policy,
                                    const std::vector<orchestrator::store::BoardReservationRecord>& reservations,
                                    const BoardSightings& sightings, bool settled);

}  // namespace faxover::scenario
