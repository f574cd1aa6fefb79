#include "Invariants.h"

#include <algorithm>
#include <map>

namespace faxover::scenario {

namespace {

constexpr const char* kViolated = "INVARIANT VIOLATED: ";

std::string joined(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& word : words) text += " " + word;
    return text;
}

bool licensedActive(const policy::ServicePolicy& service) {
    return service.role == policy::ServiceRole::Active && !service.licence.empty();
}

// The service whose policy names `domain` (by name or by UUID), or null.
const policy::ServicePolicy* serviceProtecting(const policy::Policy& policy, const hv::sim::PassedThroughDevice& held) {
    for (const auto& service : policy.services) {
        const auto& ref = service.domain;
        if (ref.kind == policy::DomainRef::Kind::Name ? ref.value == held.domain : ref.value == held.domainUuid)
            return &service;
    }
    return nullptr;
}

template <typename Violated>
void checkSettledBoards(const hv::sim::SimulatedHypervisor& hypervisor, const policy::Policy& policy,
                        const std::vector<orchestrator::store::BoardReservationRecord>& reservations,
                        const Violated& violated, std::size_t& checks) {
    const auto used = hypervisor.passedThroughDevicesForTest();
    for (const auto& reservation : reservations) {
        const std::string board = "board " + reservation.pciAddress + " on " + reservation.host;
        ++checks;
        if (reservation.releasing) {
            const auto status = hypervisor.hostStatus(reservation.host);
            if (status && status.value().reachability == hv::Reachability::Reachable)
                violated("settled, " + board + " is still releasing from " + reservation.service +
                         " though its host answers");
            continue;
        }
        for (const auto& use : used) {
            const policy::ServicePolicy* service = serviceProtecting(policy, use);
            if (service == nullptr || service->name != reservation.service) continue;
            ++checks;
            if (use.host != reservation.host || use.pciAddress != reservation.pciAddress)
                violated("settled, " + board + " is reserved for " + reservation.service + " but it runs with board " +
                         use.pciAddress + " on " + use.host);
        }
    }
}

}  // namespace

InvariantCheck checkLicenceInvariants(const hv::sim::SimulatedHypervisor& hypervisor, const policy::Policy& policy,
                                      const std::vector<orchestrator::store::SeatRecord>& ledger, bool settled,
                                      const InvariantOptions& options) {
    InvariantCheck result;
    auto violated = [&](const std::string& what) { result.violations.push_back(kViolated + what); };
    std::map<std::string, std::vector<std::string>> runsOn;  // service -> hosts really running it
    for (const auto& service : policy.services) runsOn[service.name] = hypervisor.hostsRunningForTest(service.domain.value);
    for (const auto& licence : policy.licences) {
        // A seat is in use by a running active service of the licence, or by a running standby
        // for each seat it holds on a primary's behalf (a promoted standby may hold several).
        int inUse = 0, held = 0;
        std::vector<std::string> users;
        for (const auto& service : policy.services)
            if (licensedActive(service) && service.licence == licence.id && !runsOn[service.name].empty()) {
                ++inUse;
                users.push_back(service.name);
            }
        for (const auto& seat : ledger) {
            if (seat.licence != licence.id) continue;
            ++held;
            const auto* service = policy.findService(seat.service);
            if (service && service->role == policy::ServiceRole::Standby && !runsOn[service->name].empty()) {
                ++inUse;
                users.push_back(seat.service + "(for " + seat.onBehalfOf + ")");
            }
        }
        result.checks += 2;
        if (held > licence.seats)
            violated("the ledger lists " + std::to_string(held) + " holders of " + licence.id + ", which has " +
                     std::to_string(licence.seats) + " seats");
        if (options.seatsInUse && inUse > licence.seats)
            violated(std::to_string(inUse) + " running copies use " + licence.id + " (" +
                     std::to_string(licence.seats) + " seats):" + joined(users));
    }
    if (!settled || !options.ledgerMatchesReality) return result;
    for (const auto& seat : ledger) {  // every holder runs where the ledger says
        ++result.checks;
        const auto it = runsOn.find(seat.service);
        if (it == runsOn.end() || std::find(it->second.begin(), it->second.end(), seat.host) == it->second.end())
            violated("settled, the ledger has " + seat.service + " holding " + seat.licence + " on " + seat.host +
                     " but it runs on" + (it == runsOn.end() || it->second.empty() ? " no host" : joined(it->second)));
    }
    for (const auto& service : policy.services) {  // every running active licensed service holds a seat there
        if (!licensedActive(service) || runsOn[service.name].empty()) continue;
        ++result.checks;
        const std::string& host = runsOn[service.name].front();
        const bool holds = std::any_of(ledger.begin(), ledger.end(), [&](const auto& seat) {
            return seat.licence == service.licence && seat.service == service.name && seat.host == host;
        });
        if (!holds) violated("settled, " + service.name + " runs on " + host + " without a seat of " + service.licence);
    }
    return result;
}

void BoardSightings::afterRound(const hv::sim::SimulatedHypervisor& hypervisor) {
    decltype(seen_) stillInUse;
    for (const auto& use : hypervisor.passedThroughDevicesForTest()) {
        const auto key = std::make_tuple(use.host, use.pciAddress, use.domain);
        const auto status = hypervisor.hostStatus(use.host);
        if (seen_.contains(key) || (status && status.value().reachability == hv::Reachability::Reachable))
            stillInUse.insert(key);
    }
    seen_ = std::move(stillInUse);
}

bool BoardSightings::seen(const hv::sim::PassedThroughDevice& use) const {
    return seen_.contains(std::make_tuple(use.host, use.pciAddress, use.domain));
}

void BoardSightings::markAllSeen(const hv::sim::SimulatedHypervisor& hypervisor) {
    for (const auto& use : hypervisor.passedThroughDevicesForTest()) seen_.emplace(use.host, use.pciAddress, use.domain);
}

InvariantCheck checkBoardInvariants(const hv::sim::SimulatedHypervisor& hypervisor, const policy::Policy& policy,
                                    const std::vector<orchestrator::store::BoardReservationRecord>& reservations,
                                    const BoardSightings& sightings, bool settled) {
    InvariantCheck result;
    auto violated = [&](const std::string& what) { result.violations.push_back(kViolated + what); };
    for (const auto& held : hypervisor.passedThroughDevicesForTest()) {
        const policy::ServicePolicy* service = serviceProtecting(policy, held);
        if (service == nullptr || !sightings.seen(held)) continue;
        ++result.checks;
        const auto reservation = std::find_if(reservations.begin(), reservations.end(), [&](const auto& entry) {
            return entry.host == held.host && entry.pciAddress == held.pciAddress;
        });
        const std::string board = "board " + held.pciAddress + " on " + held.host + " is used by " + service->name +
                                  " (domain " + held.domain + ")";
        if (reservation == reservations.end())
            violated(board + " but not reserved for it");
        else if (reservation->service != service->name)
            violated(board + " but reserved for " + reservation->service +
                     (reservation->releasing ? " (releasing)" : ""));
    }
    std::map<std::string, std::vector<std::string>> heldBoards;  // service -> "host pciAddress", not releasing
    for (const auto& reservation : reservations)
        if (!reservation.releasing) heldBoards[reservation.service].push_back(reservation.host + " " + reservation.pciAddress);
    for (const auto& [service, boards] : heldBoards) {
        ++result.checks;
        if (boards.size() > 1) {
            std::string listed;
            for (const auto& board : boards) listed += (listed.empty() ? " " : ", ") + board;
            violated(service + " holds " + std::to_string(boards.size()) + " board reservations that are not releasing:" +
                     listed);
        }
    }
    if (settled) checkSettledBoards(hypervisor, policy, reservations, violated, result.checks);
    return result;
}

}  // namespace faxover::scenario
