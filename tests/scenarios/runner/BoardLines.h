#pragma once
// The log's board lines (`end:` and `status:`): every simulated fax board with the driver bound
// to it now (the simulator's ground truth) and its reservation in the store, so a log.expect shows
// who holds which board and whether a released board really went back to its host driver.
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"
#include "faxover/orchestrator/ports/StoreRecords.h"

#include <string>
#include <vector>

namespace faxover::scenario {

// "board h1 0000:03:00.0 driver brooktrout, reserved by fax-a" (or "free", or "releasing (was
// fax-a)"), in host then address order; then any reservation of a board the simulator does not
// have, as "board h9 0000:05:00.0 (no such board), reserved by fax-a".
std::vector<std::string> boardLines(const hv::sim::SimulatedHypervisor& hypervisor,
                                    const std::vector<orchestrator::store::BoardReservationRecord>& reservations);

}  // namespace faxover::scenario
