#pragma once
// Names defined in one part of a policy and used in another. Section readers record definitions
// and references with the path where each was written; checkSymbols then reports duplicates and
// dangling references in one pass, after everything has been read, so the order of sections in
// the file does not matter.
#include "read/Diagnostics.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace faxover::policy::read {

enum class SymbolKind {
    Host,         // unique
    HostUri,      // unique: two entries for one libvirt host would fight over its domains
    MigrationAddress,  // unique: a migration sent to one host's address would land on the other
    Site,         // defined by each host that names it
    Service,      // unique
    Domain,       // unique: one domain protected by two services would be started twice
    Maintenance,  // unique
    Licence,      // unique
    BoardModel,   // unique
    PciId,        // unique: two models with one vendor:device pair cannot be told apart
    TrunkGroup,   // defined by each board that names it
};

class Symbols {
public:
    void define(SymbolKind kind, std::string name, std::string path);
    void refer(SymbolKind kind, std::string name, std::string path);
    bool defined(SymbolKind kind, const std::string& name) const;

    // Reports a second definition of a unique name and every reference to an undefined name.
    void check(Diagnostics& diagnostics) const;

private:
    struct Entry {
        SymbolKind kind = SymbolKind::Host;
        std::string name{};
        std::string path{};
    };
    std::vector<std::string> namesOf(SymbolKind kind) const;
    void checkDuplicates(Diagnostics& diagnostics) const;
    void checkReferences(Diagnostics& diagnostics) const;

    std::vector<Entry> definitions_;
    std::vector<Entry> references_;
    // The first definition of each (kind, name), so that checks stay linear in the policy's size:
    // a policy of 80,000 services took 23 s with a scan per definition.
    std::map<std::pair<SymbolKind, std::string>, std::size_t> firstDefinition_;
};

}  // namespace faxover::policy::read
