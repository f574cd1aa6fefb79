// Which fax boards a host has (the policy's mapping against the host's PCI devices) and what a
// service's telephony is. Pure functions; docs/boards.md states the rules.
#include "faxover/orchestrator/engine/Boards.h"

#include <algorithm>
#include <cstdio>

namespace faxover::orchestrator::engine {

namespace {

std::string pciId(std::uint16_t vendor, std::uint16_t device) {
    char text[16];
    std::snprintf(text, sizeof text, "%04x:%04x", vendor, device);
    return text;
}

bool isModel(const ObservedBoard& device, const policy::BoardModel& model) {
    return device.vendorId == model.vendorId && device.deviceId == model.deviceId;
}

const policy::BoardModel* modelOf(const policy::Policy& policy, const ObservedBoard& device) {
    auto found = std::find_if(policy.boardModels.begin(), policy.boardModels.end(),
                              [&](const policy::BoardModel& model) { return isModel(device, model); });
    return found == policy.boardModels.end() ? nullptr : &*found;
}

const ObservedBoard* deviceAt(const std::optional<std::vector<ObservedBoard>>& seen, const std::string& address) {
    if (!seen) return nullptr;
    auto found = std::find_if(seen->begin(), seen->end(), [&](const ObservedBoard& d) { return d.pciAddress == address; });
    return found == seen->end() ? nullptr : &*found;
}

}  // namespace

const char* toString(HostBoardStatus::Condition condition) {
    switch (condition) {
    case HostBoardStatus::Condition::Usable: return "usable";
    case HostBoardStatus::Condition::NotInventoried: return "not-inventoried";
    case HostBoardStatus::Condition::Missing: return "missing";
    case HostBoardStatus::Condition::WrongDevice: return "wrong-device";
    case HostBoardStatus::Condition::Unmapped: return "unmapped";
    }
    return "?";
}

std::string HostBoardStatus::explain() const {
    switch (condition) {
    case Condition::Usable: return "";
    case Condition::NotInventoried: return "its host's PCI devices have not been read";
    case Condition::Missing: return "missing from its host's PCI devices";
    case Condition::WrongDevice:
        return "the device there is " + pciId(seen->vendorId, seen->deviceId) + ", not " +
               (model == nullptr ? "a configured model" : model->name + " (" + pciId(model->vendorId, model->deviceId) + ")");
    case Condition::Unmapped: return "a " + model->name + " board the policy does not map to a trunk group: not used";
    }
    return "";
}

std::vector<HostBoardStatus> matchBoards(const policy::Policy& policy, const policy::HostPolicy& host,
                                         const std::optional<std::vector<ObservedBoard>>& seen) {
    std::vector<HostBoardStatus> boards;
    for (const auto& mapping : host.boards) {
        HostBoardStatus status{mapping.pciAddress, &mapping, policy.findBoardModel(mapping.model), std::nullopt,
                               HostBoardStatus::Condition::NotInventoried};
        if (seen) {
            const ObservedBoard* device = deviceAt(seen, mapping.pciAddress);
            if (device != nullptr) status.seen = *device;
            if (device == nullptr) status.condition = HostBoardStatus::Condition::Missing;
            else if (status.model == nullptr || !isModel(*device, *status.model))
                status.condition = HostBoardStatus::Condition::WrongDevice;
            else status.condition = HostBoardStatus::Condition::Usable;
        }
        boards.push_back(std::move(status));
    }
    if (!seen) return boards;
    std::vector<ObservedBoard> unmapped;
    for (const auto& device : *seen) {
        const bool mapped = std::any_of(host.boards.begin(), host.boards.end(),
                                        [&](const policy::HostBoard& board) { return board.pciAddress == device.pciAddress; });
        if (!mapped && modelOf(policy, device) != nullptr) unmapped.push_back(device);
    }
    std::sort(unmapped.begin(), unmapped.end(),
              [](const ObservedBoard& a, const ObservedBoard& b) { return a.pciAddress < b.pciAddress; });
    for (const auto& device : unmapped)
        boards.push_back({device.pciAddress, nullptr, modelOf(policy, device), device, HostBoardStatus::Condition::Unmapped});
    return boards;
}

Telephony detectTelephony(const policy::Policy& policy, const policy::ServicePolicy& service,
                          const policy::HostPolicy* host, const std::vector<std::string>& pciHostdevs,
                          const std::optional<std::vector<ObservedBoard>>& hostBoards, const std::string& guestSays) {
    Telephony telephony;
    for (const auto& address : pciHostdevs) {
        const policy::BoardModel* model = nullptr;
        if (host != nullptr)
            for (const auto& board : host->boards)
                if (board.pciAddress == address) model = policy.findBoardModel(board.model);
        if (model == nullptr)
            if (const ObservedBoard* device = deviceAt(hostBoards, address)) model = modelOf(policy, *device);
        if (model != nullptr) {
            telephony.boardAddress = address;
            telephony.model = model;
            break;
        }
    }
    const bool definitionHasBoard = !telephony.boardAddress.empty();
    // Spelt out only for a disagreement: this runs for every service in every decision.
    const auto passesThrough = [&] {
        return definitionHasBoard
                   ? "its definition passes fax board " + telephony.boardAddress + " (" + telephony.model->name + ") through"
                   : std::string("its definition passes no fax board through");
    };
    switch (service.telephony) {
    case policy::TelephonyMode::Board:
        telephony.board = true;
        break;
    case policy::TelephonyMode::Sr140:
        if (definitionHasBoard) telephony.disagreement = "the policy says telephony sr140 but " + passesThrough();
        break;
    case policy::TelephonyMode::Auto:
        telephony.board = definitionHasBoard;
        break;
    }
    // The guest's word is checked, never followed: the definition is what libvirt runs.
    if (telephony.disagreement.empty() && !guestSays.empty() && guestSays != (definitionHasBoard ? "board" : "sr140"))
        telephony.disagreement = "the guest agent reports telephony " + guestSays + " but " + passesThrough();
    return telephony;
}

}  // namespace faxover::orchestrator::engine
