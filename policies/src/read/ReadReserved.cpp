// Licences (issue #4, docs/licensing.md) and fax boards (issue #5, reserved: read and checked now
// so that a policy written today stays valid).
#include "read/Scalars.h"
#include "read/Sections.h"
#include "read/Syntax.h"

#include <algorithm>
#include <chrono>

namespace faxover::policy::read {

namespace {

constexpr int kMostSeats = 1000;
constexpr std::chrono::milliseconds kShortestStepTimeout{1000};
constexpr std::chrono::milliseconds kLongestStepTimeout{600000};
constexpr std::string_view kPciIdExpected = "a 16-bit PCI ID in hex such as 0x12e4";

CommandStep readCommandStep(Reader& reader, const Field& field) {
    Diagnostics& diagnostics = reader.diagnostics;
    CommandStep step;
    MappingReader map(diagnostics, field, {"command", "arguments", "timeout"});
    if (!map.isMapping()) return step;
    constexpr std::string_view kExpected =
        "a program name or an absolute path, without arguments (those go under arguments)";
    if (auto command = map.require("command", kExpected)) {
        auto text = readText(diagnostics, *command, kExpected);
        if (text && isCommand(*text)) step.command = *text;
        else if (text) diagnostics.report(command->mark(), command->path,
                                          "expected " + std::string(kExpected) + "; found " + describe(command->node));
    }
    if (auto arguments = map.find("arguments")) {
        for (const Field& item : listItems(diagnostics, *arguments, "arguments"))
            if (auto text = readText(diagnostics, item, "an argument")) step.arguments.push_back(*text);
    }
    if (auto timeout = map.find("timeout")) {
        if (auto value = readDuration(diagnostics, *timeout, kShortestStepTimeout, kLongestStepTimeout)) step.timeout = *value;
    }
    return step;
}

Licence readLicence(Reader& reader, const Field& field) {
    Diagnostics& diagnostics = reader.diagnostics;
    Licence licence;
    MappingReader map(diagnostics, field, {"id", "product", "key_file", "seats", "apply", "revoke"});
    if (!map.isMapping()) return licence;
    if (auto id = map.require("id", kNameGrammar)) {
        if (auto text = readName(diagnostics, *id)) {
            licence.id = *text;
            reader.symbols.define(SymbolKind::Licence, *text, id->path);
        }
    }
    if (auto product = map.require("product", "the licensed product's name, such as hylafax-enterprise")) {
        licence.product = readText(diagnostics, *product, "the licensed product's name").value_or("");
    }
    if (auto keyFile = map.require("key_file", "the absolute path of the licence key file")) {
        licence.keyFile = readAbsolutePath(diagnostics, *keyFile, "/etc/faxover/licences/fax1.key").value_or("");
    }
    if (auto seats = map.find("seats")) {
        if (auto value = readInteger(diagnostics, *seats, 1, kMostSeats)) licence.seats = static_cast<int>(*value);
    }
    if (auto apply = map.find("apply")) licence.apply = readCommandStep(reader, *apply);
    if (auto revoke = map.find("revoke")) licence.revoke = readCommandStep(reader, *revoke);
    return licence;
}

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

}  // namespace

std::vector<Licence> readLicences(Reader& reader, const Field& field) {
    std::vector<Licence> licences;
    for (const Field& item : listItems(reader.diagnostics, field, "licences")) licences.push_back(readLicence(reader, item));
    return licences;
}

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

void checkStandbys(Diagnostics& diagnostics, const Policy& policy) {
    for (std::size_t i = 0; i < policy.services.size(); ++i) {
        const ServicePolicy& standby = policy.services[i];
        for (std::size_t j = 0; j < standby.standsInFor.size(); ++j) {
            const ServicePolicy* primary = policy.findService(standby.standsInFor[j]);
            if (primary == nullptr) continue;  // reported as an unknown service
            const std::string where = childPath(itemPath("services", i), "stands_in_for") + "[" + std::to_string(j) + "]";
            if (primary->role != ServiceRole::Active) {
                diagnostics.reportAt(where, "expected an active service; '" + primary->name + "' is a standby too");
            } else if (primary->licence.empty()) {
                diagnostics.reportAt(where, "expected a service with a licence: a standby takes its primary's seat "
                                            "when promoted, and '" + primary->name + "' has no licence");
            }
        }
    }
}

}  // namespace faxover::policy::read
