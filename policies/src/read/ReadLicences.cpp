// Licences and the standbys that take a primary's seat (docs/licensing.md, docs/policy.md).
#include "read/Scalars.h"
#include "read/Sections.h"
#include "read/Syntax.h"

namespace faxover::policy::read {

namespace {

constexpr int kMostSeats = 1000;

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

}  // namespace

std::vector<Licence> readLicences(Reader& reader, const Field& field) {
    std::vector<Licence> licences;
    for (const Field& item : listItems(reader.diagnostics, field, "licences")) licences.push_back(readLicence(reader, item));
    return licences;
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
