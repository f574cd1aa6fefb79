#include "read/Scalars.h"
#include "read/Sections.h"
#include "read/Syntax.h"

#include <algorithm>
#include <chrono>

namespace faxover::policy::read {

namespace {

constexpr int kMostRestarts = 100;
constexpr std::size_t kLongestDomainName = 255;
// A graceful shutdown before a cold move: under 5 s no guest finishes one, and over 30 min a
// planned move would hold up a maintenance drain for longer than any fax call lasts.
constexpr std::chrono::milliseconds kShortestShutdown{5000};
constexpr std::chrono::milliseconds kLongestShutdown{30 * 60 * 1000};
// A retry delay longer than this keeps a fax service down longer than a host failover would.
constexpr std::chrono::milliseconds kLongestRetryDelay{10 * 60 * 1000};

const std::vector<std::string> kServiceKeys{
    "name",          "domain",       "domain_xml",  "telephony",   "priority", "preferred_hosts",
    "preferred_sites", "anti_affinity", "required_labels", "recovery", "max_restart", "max_relocate", "failback",
    "retry_delay", "return_after_maintenance", "licence",       "role",         "stands_in_for", "standby_capacity", "trunk_group", "board_models",
    "telco_hook",    "shutdown_timeout", "fax_health", "guest_agent"};

constexpr std::string_view kDomainExpected =
    "the libvirt domain's name (at most 255 characters, no '/' or control characters) or its UUID";

// libvirt accepts almost any domain name; '/' is what it refuses (names become file names).
bool isDomainName(std::string_view text) {
    return text.size() <= kLongestDomainName && std::none_of(text.begin(), text.end(), [](char c) {
               return c == '/' || static_cast<unsigned char>(c) < ' ' || c == 0x7f;
           });
}

void readDomain(Reader& reader, const MappingReader& map, ServicePolicy& service) {
    auto field = map.require("domain", kDomainExpected);
    if (!field) return;
    auto text = readText(reader.diagnostics, *field, kDomainExpected);
    if (!text) return;
    if (auto uuid = parseUuid(*text)) {
        service.domain = DomainRef{DomainRef::Kind::Uuid, *uuid};
    } else if (isDomainName(*text)) {
        service.domain = DomainRef{DomainRef::Kind::Name, *text};
    } else {
        reader.diagnostics.report(field->mark(), field->path,
                                  "expected " + std::string(kDomainExpected) + "; found " + describe(field->node));
        return;
    }
    reader.symbols.define(SymbolKind::Domain, service.domain.value, field->path);
}

void readDomainXml(Reader& reader, const Field& field, ServicePolicy& service) {
    constexpr std::string_view kExpected =
        "from-host, or the absolute path of a domain XML file such as /etc/faxover/domains/fax1.xml";
    auto text = readText(reader.diagnostics, field, kExpected);
    if (!text) return;
    if (*text == "from-host") {
        service.domainXml = DomainXmlSource{DomainXmlSource::Kind::FromHost, {}};
    } else if (isAbsolutePath(*text)) {
        service.domainXml = DomainXmlSource{DomainXmlSource::Kind::File, *text};
    } else {
        reader.diagnostics.report(field.mark(), field.path,
                                  "expected " + std::string(kExpected) + "; found " + describe(field.node));
    }
}

// Names of things defined elsewhere; `selfName` (when not empty) may not be among them.
std::vector<std::string> readReferences(Reader& reader, const MappingReader& map, std::string_view key,
                                        SymbolKind kind, std::string_view expected, const std::string& selfName = {}) {
    auto field = map.find(key);
    if (!field) return {};
    std::vector<std::string> names;
    for (const auto& item : readNameList(reader.diagnostics, *field, expected)) {
        if (!selfName.empty() && item.name == selfName) {
            reader.diagnostics.reportAt(item.path, "expected other services' names; found the service's own name '" +
                                                       item.name + "'");
            continue;
        }
        reader.symbols.refer(kind, item.name, item.path);
        names.push_back(item.name);
    }
    return names;
}

void readPlacement(Reader& reader, const MappingReader& map, ServicePolicy& service) {
    service.preferredHosts = readReferences(reader, map, "preferred_hosts", SymbolKind::Host, "host names");
    service.preferredSites = readReferences(reader, map, "preferred_sites", SymbolKind::Site, "site names");
    service.antiAffinity =
        readReferences(reader, map, "anti_affinity", SymbolKind::Service, "service names", service.name);
    if (auto labels = map.find("required_labels")) service.requiredLabels = readLabels(reader, *labels);
}

void readRecovery(Reader& reader, const MappingReader& map, ServicePolicy& service) {
    Diagnostics& diagnostics = reader.diagnostics;
    if (auto recovery = map.find("recovery")) {
        if (auto value = readChoice(diagnostics, *recovery, {RecoveryMode::LiveMigrateIfPossible, RecoveryMode::RestartOnly})) {
            service.recovery = *value;
        }
    }
    if (auto restarts = map.find("max_restart")) {
        if (auto value = readInteger(diagnostics, *restarts, 0, kMostRestarts)) service.maxRestart = static_cast<int>(*value);
    }
    if (auto relocations = map.find("max_relocate")) {
        if (auto value = readInteger(diagnostics, *relocations, 0, kMostRestarts)) {
            service.maxRelocate = static_cast<int>(*value);
        }
    }
    if (auto failback = map.find("failback")) {
        if (auto value = readSwitch(diagnostics, *failback)) service.failback = *value;
    }
    if (auto delay = map.find("retry_delay")) {
        if (auto value = readDuration(diagnostics, *delay, std::chrono::milliseconds{0}, kLongestRetryDelay))
            service.retryDelay = *value;
    }
    if (auto back = map.find("return_after_maintenance")) {
        if (auto value = readSwitch(diagnostics, *back)) service.returnAfterMaintenance = *value;
    }
}

// Licensing (docs/licensing.md).
void readLicensing(Reader& reader, const MappingReader& map, ServicePolicy& service) {
    Diagnostics& diagnostics = reader.diagnostics;
    if (auto licence = map.find("licence")) {
        if (auto name = readName(diagnostics, *licence)) {
            service.licence = *name;
            reader.symbols.refer(SymbolKind::Licence, *name, licence->path);
        }
    }
    if (auto role = map.find("role")) {
        if (auto value = readChoice(diagnostics, *role, {ServiceRole::Active, ServiceRole::Standby})) service.role = *value;
    }
    const bool standby = service.role == ServiceRole::Standby;
    if (standby && !service.licence.empty())
        diagnostics.warnAt(childPath(map.field().path, "licence"),
                           "a standby holds no seat of its own (standing in, it takes its primary's seat): this "
                           "licence has no effect; remove it");
    if (auto primaries = map.find("stands_in_for")) {
        if (!standby) diagnostics.report(primaries->keyMark, primaries->path, "applies to role standby only");
        else service.standsInFor = readReferences(reader, map, "stands_in_for", SymbolKind::Service, "service names", service.name);
    }
    if (auto capacity = map.find("standby_capacity")) {
        if (!standby) diagnostics.report(capacity->keyMark, capacity->path, "applies to role standby only");
        else if (auto value = readInteger(diagnostics, *capacity, 1, kMostRestarts)) service.standbyCapacity = static_cast<int>(*value);
    }
}

// The keys of a service whose VM holds a fax board (docs/boards.md). An sr140 service has no
// board, so setting them there is a mistake about the service, not a harmless extra.
void readBoardTelephony(Reader& reader, const MappingReader& map, ServicePolicy& service) {
    Diagnostics& diagnostics = reader.diagnostics;
    for (std::string_view key : {"trunk_group", "board_models", "telco_hook"}) {
        auto field = map.find(key);
        if (field && service.telephony == TelephonyMode::Sr140) {
            diagnostics.report(field->keyMark, field->path,
                               "applies to board and auto telephony only; this service's telephony is sr140");
        }
    }
    if (service.telephony == TelephonyMode::Sr140) return;
    if (auto trunkGroup = map.find("trunk_group")) {
        if (auto name = readName(diagnostics, *trunkGroup)) {
            service.trunkGroup = *name;
            reader.symbols.refer(SymbolKind::TrunkGroup, *name, trunkGroup->path);
        }
    }
    service.boardModels = readReferences(reader, map, "board_models", SymbolKind::BoardModel, "board model names");
    if (auto hook = map.find("telco_hook")) service.telcoHook = readCommandStep(reader, *hook);
}

ServicePolicy readService(Reader& reader, const Field& field) {
    Diagnostics& diagnostics = reader.diagnostics;
    ServicePolicy service;
    MappingReader map(diagnostics, field, kServiceKeys);
    if (!map.isMapping()) return service;
    if (auto name = map.require("name", kNameGrammar)) {
        if (auto text = readName(diagnostics, *name)) {
            service.name = *text;
            reader.symbols.define(SymbolKind::Service, *text, name->path);
        }
    }
    readDomain(reader, map, service);
    if (auto domainXml = map.find("domain_xml")) readDomainXml(reader, *domainXml, service);
    if (auto telephony = map.find("telephony")) {
        if (auto value = readChoice(diagnostics, *telephony, {TelephonyMode::Sr140, TelephonyMode::Board, TelephonyMode::Auto})) {
            service.telephony = *value;
        }
    }
    if (auto priority = map.find("priority")) {
        if (auto value = readInteger(diagnostics, *priority, kMinPriority, kMaxPriority)) {
            service.priority = static_cast<int>(*value);
        }
    }
    readPlacement(reader, map, service);
    readRecovery(reader, map, service);
    readLicensing(reader, map, service);
    readBoardTelephony(reader, map, service);
    if (auto shutdown = map.find("shutdown_timeout")) {
        if (auto value = readDuration(diagnostics, *shutdown, kShortestShutdown, kLongestShutdown)) {
            service.shutdownTimeout = *value;
        }
    }
    if (auto faxHealth = map.find("fax_health")) service.faxHealth = readFaxHealth(reader, *faxHealth);
    if (auto agent = map.find("guest_agent")) service.guestAgent = readGuestAgent(reader, *agent);
    return service;
}

}  // namespace

std::vector<ServicePolicy> readServices(Reader& reader, const Field& field) {
    std::vector<ServicePolicy> services;
    for (const Field& item : listItems(reader.diagnostics, field, "services")) services.push_back(readService(reader, item));
    return services;
}

}  // namespace faxover::policy::read
