// Fax boards (docs/boards.md): the models Faxover may pass through, the boards in each host, and
// whether every board-mode service has a board it could run with.
#include "read/Scalars.h"
#include "read/Sections.h"
#include "read/Syntax.h"

#include <algorithm>

namespace faxover::policy::read {

namespace {

constexpr std::string_view kPciIdExpected = "a 16-bit PCI ID in hex such as 0x12e4";

std::optional<std::uint16_t> readPciId(Reader& reader, const MappingReader& map, std::string_view key) {
    auto field = map.require(key, kPciIdExpected);
    if (!field) return std::nullopt;
    auto text = readText(reader.diagnostics, *field, kPciIdExpected);
    auto id = text ? parsePciId(*text) : std::nullopt;
    if (text && !id) {
        reader.diagnostics.report(field->mark(), field->path,
                                  "expected " + std::string(kPciIdExpected) + "; found " + describe(field->node));
    }
    return id;
}

BoardModel readBoardModel(Reader& reader, const Field& field) {
    BoardModel model;
    MappingReader map(reader.diagnostics, field, {"name", "vendor_id", "device_id"});
    if (!map.isMapping()) return model;
    if (auto name = map.require("name", kNameGrammar)) {
        if (auto text = readName(reader.diagnostics, *name)) {
            model.name = *text;
            reader.symbols.define(SymbolKind::BoardModel, *text, name->path);
        }
    }
    auto vendor = readPciId(reader, map, "vendor_id");
    auto device = readPciId(reader, map, "device_id");
    if (vendor && device) {
        model.vendorId = *vendor;
        model.deviceId = *device;
        reader.symbols.define(SymbolKind::PciId, formatPciId(*vendor) + ":" + formatPciId(*device),
                              childPath(field.path, "device_id"));
    }
    return model;
}

HostBoard readHostBoard(Reader& reader, const Field& field, std::vector<std::string>& addressesSeen) {
    Diagnostics& diagnostics = reader.diagnostics;
    HostBoard board;
    MappingReader map(diagnostics, field, {"pci_address", "model", "trunk_group"});
    if (!map.isMapping()) return board;
    constexpr std::string_view kAddressExpected = "a PCI address DDDD:BB:SS.F such as \"0000:03:00.0\"";
    if (auto address = map.require("pci_address", kAddressExpected)) {
        auto text = readText(diagnostics, *address, kAddressExpected);
        auto canonical = text ? parsePciAddress(*text) : std::nullopt;
        if (text && !canonical) {
            diagnostics.report(address->mark(), address->path,
                               "expected " + std::string(kAddressExpected) + "; found " + describe(address->node));
        } else if (canonical && std::find(addressesSeen.begin(), addressesSeen.end(), *canonical) != addressesSeen.end()) {
            diagnostics.report(address->mark(), address->path,
                               "duplicate board " + *canonical + " on this host; one PCI address holds one board");
        } else if (canonical) {
            board.pciAddress = *canonical;
            addressesSeen.push_back(*canonical);
        }
    }
    if (auto model = map.require("model", "the name of one of board_models")) {
        if (auto name = readName(diagnostics, *model)) {
            board.model = *name;
            reader.symbols.refer(SymbolKind::BoardModel, *name, model->path);
        }
    }
    if (auto trunkGroup = map.require("trunk_group", "the name of the lines the board is cabled to, such as pstn-main")) {
        if (auto name = readName(diagnostics, *trunkGroup)) {
            board.trunkGroup = *name;
            reader.symbols.define(SymbolKind::TrunkGroup, *name, trunkGroup->path);
        }
    }
    return board;
}

// ---- does every board-mode service have a board? ---------------------------------------------

bool isComplete(const HostBoard& board) {
    return !board.pciAddress.empty() && !board.model.empty() && !board.trunkGroup.empty();
}

bool fits(const ServicePolicy& service, const HostBoard& board) {
    const auto& models = service.boardModels;
    const bool modelFits = models.empty() || std::find(models.begin(), models.end(), board.model) != models.end();
    return modelFits && (service.trunkGroup.empty() || board.trunkGroup == service.trunkGroup);
}

// Names the service asks for that no part of the policy defines are reported as unknown names;
// judging its boards against them would only repeat that error in other words.
bool refersToUndefinedNames(const Policy& policy, const ServicePolicy& service) {
    const bool unknownModel = std::any_of(service.boardModels.begin(), service.boardModels.end(),
                                          [&](const std::string& model) { return policy.findBoardModel(model) == nullptr; });
    const bool unknownTrunkGroup =
        !service.trunkGroup.empty() && std::none_of(policy.hosts.begin(), policy.hosts.end(), [&](const HostPolicy& host) {
            return std::any_of(host.boards.begin(), host.boards.end(),
                               [&](const HostBoard& board) { return board.trunkGroup == service.trunkGroup; });
        });
    return unknownModel || unknownTrunkGroup;
}

std::string describeRequirement(const ServicePolicy& service) {
    std::string requirement = "a host with a board";
    if (!service.boardModels.empty()) requirement += " of model " + joinNames(service.boardModels);
    if (!service.trunkGroup.empty()) requirement += " on trunk group " + service.trunkGroup;
    return requirement;
}

// "hv1 0000:03:00.0 (trufax on pstn-a), hv2 ..." or a hint when there are none.
std::string describeBoards(const Policy& policy) {
    std::vector<std::string> boards;
    for (const HostPolicy& host : policy.hosts) {
        for (const HostBoard& board : host.boards) {
            boards.push_back(host.name + " " + board.pciAddress + " (" + board.model + " on " + board.trunkGroup + ")");
        }
    }
    if (boards.empty()) return "no host lists a board (list them under a host's boards)";
    return "the boards are " + joinNames(boards);
}

}  // namespace

std::vector<BoardModel> readBoardModels(Reader& reader, const Field& field) {
    std::vector<BoardModel> models;
    for (const Field& item : listItems(reader.diagnostics, field, "board models")) {
        models.push_back(readBoardModel(reader, item));
    }
    return models;
}

std::vector<HostBoard> readHostBoards(Reader& reader, const Field& field) {
    std::vector<HostBoard> boards;
    std::vector<std::string> addressesSeen;
    for (const Field& item : listItems(reader.diagnostics, field, "boards")) {
        boards.push_back(readHostBoard(reader, item, addressesSeen));
    }
    return boards;
}

void checkBoardServices(Diagnostics& diagnostics, const Policy& policy) {
    for (const HostPolicy& host : policy.hosts) {
        // A board that could not be read is reported already; without it the verdict is a guess.
        if (!std::all_of(host.boards.begin(), host.boards.end(), isComplete)) return;
    }
    for (std::size_t i = 0; i < policy.services.size(); ++i) {
        const ServicePolicy& service = policy.services[i];
        if (service.telephony != TelephonyMode::Board || refersToUndefinedNames(policy, service)) continue;
        const bool someBoardFits = std::any_of(policy.hosts.begin(), policy.hosts.end(), [&](const HostPolicy& host) {
            return std::any_of(host.boards.begin(), host.boards.end(),
                               [&](const HostBoard& board) { return fits(service, board); });
        });
        if (someBoardFits) continue;
        diagnostics.reportAt(childPath(itemPath("services", i), "telephony"),
                             "expected " + describeRequirement(service) + " for telephony board; " +
                                 describeBoards(policy));
    }
}

}  // namespace faxover::policy::read
