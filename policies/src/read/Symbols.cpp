#include "read/Symbols.h"

#include "read/Fields.h"
#include "read/Suggest.h"

#include <algorithm>

namespace faxover::policy::read {

namespace {

struct KindText {
    const char* noun = "";          // "host"
    const char* whereDefined = "";  // how to define one, for "none defined" messages
    bool unique = true;
};

KindText textOf(SymbolKind kind) {
    switch (kind) {
        case SymbolKind::Host: return {"host", "under hosts", true};
        case SymbolKind::HostUri: return {"libvirt URI", "under hosts", true};
        case SymbolKind::MigrationAddress: return {"migration address", "under hosts", true};
        case SymbolKind::Site: return {"site", "as a host's site", false};
        case SymbolKind::Service: return {"service", "under services", true};
        case SymbolKind::Domain: return {"domain", "as a service's domain", true};
        case SymbolKind::Maintenance: return {"maintenance window", "under maintenance", true};
        case SymbolKind::Licence: return {"licence", "under licences", true};
        case SymbolKind::BoardModel: return {"board model", "under board_models", true};
        case SymbolKind::PciId: return {"vendor_id:device_id pair", "under board_models", true};
        case SymbolKind::TrunkGroup: return {"trunk group", "as a trunk_group of a host's boards", false};
    }
    return {"name", "", true};
}

}  // namespace

void Symbols::define(SymbolKind kind, std::string name, std::string path) {
    firstDefinition_.try_emplace({kind, name}, definitions_.size());
    definitions_.push_back(Entry{kind, std::move(name), std::move(path)});
}

void Symbols::refer(SymbolKind kind, std::string name, std::string path) {
    references_.push_back(Entry{kind, std::move(name), std::move(path)});
}

bool Symbols::defined(SymbolKind kind, const std::string& name) const {
    return firstDefinition_.contains({kind, name});
}

std::vector<std::string> Symbols::namesOf(SymbolKind kind) const {
    std::vector<std::string> names;
    for (std::size_t index = 0; index < definitions_.size(); ++index) {
        const Entry& entry = definitions_[index];
        if (entry.kind == kind && firstDefinition_.at({kind, entry.name}) == index) names.push_back(entry.name);
    }
    return names;
}

void Symbols::check(Diagnostics& diagnostics) const {
    checkDuplicates(diagnostics);
    checkReferences(diagnostics);
}

void Symbols::checkDuplicates(Diagnostics& diagnostics) const {
    for (std::size_t index = 0; index < definitions_.size(); ++index) {
        const Entry* entry = &definitions_[index];
        if (!textOf(entry->kind).unique) continue;
        const std::size_t firstIndex = firstDefinition_.at({entry->kind, entry->name});
        if (firstIndex == index) continue;
        const Entry* first = &definitions_[firstIndex];
        auto firstPosition = diagnostics.whereWritten(first->path);
        diagnostics.reportAt(entry->path, std::string("duplicate ") + textOf(entry->kind).noun + " '" + entry->name +
                                              "'; already used by " + first->path +
                                              (firstPosition ? " at line " + std::to_string(firstPosition->line) : ""));
    }
}

void Symbols::checkReferences(Diagnostics& diagnostics) const {
    for (const Entry& reference : references_) {
        if (defined(reference.kind, reference.name)) continue;
        const KindText text = textOf(reference.kind);
        const std::vector<std::string> known = namesOf(reference.kind);
        std::string message = std::string("unknown ") + text.noun + " '" + reference.name + "'; ";
        if (known.empty()) {
            message += std::string("none is defined (define one ") + text.whereDefined + ")";
        } else {
            message += "expected one of " + joinNames(known);
            if (auto suggestion = closestMatch(reference.name, known)) message += " (did you mean '" + *suggestion + "'?)";
        }
        diagnostics.reportAt(reference.path, std::move(message));
    }
}

}  // namespace faxover::policy::read
