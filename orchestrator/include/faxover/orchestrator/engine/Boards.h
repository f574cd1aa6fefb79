#pragma once
// Fax boards passed through by PCI (issue #5, docs/boards.md; invariant 4: a board belongs to at
// most one VM at a time). The store keeps the reservations; the engine reads them as input and
// returns them changed, with the board moves, reattaches and telco hooks as actions.
#include <chrono>
#include <cstdint>
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
    bool operator==(const ObservedBoard&) const = default;
};

}  // namespace faxover::orchestrator::engine
