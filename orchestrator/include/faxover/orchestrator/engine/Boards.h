#pragma once
// Fax boards passed through by PCI (issue #5, docs/boards.md; docs/invariants.md §4: a board belongs to at
// most one VM at a time). The store keeps the reservations; the engine reads them as input and
// returns them changed, with the board moves, reattaches and telco hooks as actions.
#include "faxover/policies/Policy.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace faxover::orchestrator::engine {

using WallTime = std::chrono::system_clock::time_point;

// A board reserved for a service on a host. One reservation per (host, pciAddress).
struct BoardReservation {
    std::string host{};
    std::string pciAddress{};  // canonical DDDD:BB:SS.F
    std::string service{};
    WallTime since{};
    // The service has left this board (moved to another, or left the policy): it is given back to
    // its host driver as soon as the host answers, and only then free.
    bool releasing = false;
    // Its last release failed (at `since`): retried after a pause. Not persisted: a restarted daemon
    // tries at once.
    bool releaseFailed = false;
    bool operator==(const BoardReservation&) const = default;
};

using BoardLedger = std::vector<BoardReservation>;  // in reservation order

// A PCI device the runtime found on a host that may be a fax board: its vendor:device is a
// configured model's, or the policy maps a board at its address.
struct ObservedBoard {
    std::string pciAddress{};
    std::uint16_t vendorId = 0;
    std::uint16_t deviceId = 0;
    std::string driver{};          // "vfio-pci" when detached for passthrough, else the host driver
    // The running domain that passes it through although no service protects it (an admin's own
    // VM): the board is not free, whatever the reservations say.
    std::string otherVm{};
    bool operator==(const ObservedBoard&) const = default;
};

// One board of a host: the policy's mapping matched against what the host reports.
struct HostBoardStatus {
    enum class Condition {
        Usable,          // mapped, and the device at its address is of the mapped model
        NotInventoried,  // mapped; the host's devices have not been read (yet)
        Missing,         // mapped; no device at that address
        WrongDevice,     // mapped; the device there has another vendor:device than the model's
        Unmapped,        // a device of a configured model that the policy does not map: never used
    };
    std::string pciAddress{};
    const policy::HostBoard* mapping = nullptr;  // nullptr when Unmapped
    const policy::BoardModel* model = nullptr;   // the mapped model, or the one the device matches
    std::optional<ObservedBoard> seen{};
    Condition condition = Condition::NotInventoried;
    std::string explain() const;  // "" when usable; "missing from the host's PCI devices", ...
};
const char* toString(HostBoardStatus::Condition condition);  // usable, not-inventoried, missing, wrong-device, unmapped

// The host's mapped boards in the policy's order, then its unmapped ones in address order.
std::vector<HostBoardStatus> matchBoards(const policy::Policy& policy, const policy::HostPolicy& host,
                                         const std::optional<std::vector<ObservedBoard>>& seen);

// What a service's telephony is, from the policy, the domain's definition on `host` and the guest.
struct Telephony {
    bool board = false;            // board mode: never live-migrated, needs a free board to start elsewhere
    std::string boardAddress{};    // the board the definition passes through, "" when none is recognised
    const policy::BoardModel* model = nullptr;  // that board's model, when known
    std::string disagreement{};    // the policy, the definition and the guest do not agree: an alert
};
// `pciHostdevs`: the definition's PCI hostdev sources on `host` (nullptr: not known where). A
// hostdev is the fax board when the policy maps a board at that address on `host`, or the device
// there (`hostBoards`) is of a configured model. The
// definition decides (it is what libvirt runs); a guest report that contradicts it, or a policy
// `sr140` whose definition passes a board through, is a disagreement.
Telephony detectTelephony(const policy::Policy& policy, const policy::ServicePolicy& service,
                          const policy::HostPolicy* host,
                          const std::vector<std::string>& pciHostdevs,
                          const std::optional<std::vector<ObservedBoard>>& hostBoards, const std::string& guestSays);

}  // namespace faxover::orchestrator::engine
