#include "BoardLines.h"

#include <algorithm>
#include <set>
#include <utility>

namespace faxover::scenario {

namespace {

std::string reservationText(const orchestrator::store::BoardReservationRecord* reservation) {
    if (reservation == nullptr) return "free";
    if (reservation->releasing) return "releasing (was " + reservation->service + ")";
    return "reserved by " + reservation->service;
}

}  // namespace

std::vector<std::string> boardLines(const hv::sim::SimulatedHypervisor& hypervisor,
                                    const std::vector<orchestrator::store::BoardReservationRecord>& reservations) {
    std::vector<std::string> lines;
    std::set<std::pair<std::string, std::string>> shown;  // (host, pciAddress)
    for (const auto& host : hypervisor.hosts()) {
        auto devices = hypervisor.pciDevicesForTest(host);
        std::sort(devices.begin(), devices.end(), [](const auto& a, const auto& b) { return a.address < b.address; });
        for (const auto& device : devices) {
            const std::string address = device.address.toString();
            const auto found = std::find_if(reservations.begin(), reservations.end(), [&](const auto& reservation) {
                return reservation.host == host && reservation.pciAddress == address;
            });
            lines.push_back("board " + host + " " + address + " driver " +
                            (device.driver.empty() ? std::string("(none)") : device.driver) + ", " +
                            reservationText(found == reservations.end() ? nullptr : &*found));
            shown.emplace(host, address);
        }
    }
    for (const auto& reservation : reservations)
        if (!shown.contains({reservation.host, reservation.pciAddress}))
            lines.push_back("board " + reservation.host + " " + reservation.pciAddress + " (no such board), " +
                            reservationText(&reservation));
    return lines;
}

}  // namespace faxover::scenario
