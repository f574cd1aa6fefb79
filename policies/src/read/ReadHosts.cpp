#include "read/Scalars.h"
#include "read/Sections.h"
#include "read/Syntax.h"


namespace faxover::policy::read {

namespace {

constexpr int kMostVcpus = 4096;
constexpr std::uint64_t kMostMemoryMiB = 1024ULL * 1024 * 1024;  // 1 PiB
constexpr int kMostServicesPerHost = 1000;

const std::vector<std::string> kHostKeys{"name",   "uri",   "migration_address", "site",   "capacity",
                                         "labels", "fence", "monitoring",        "boards", "probe"};

constexpr std::int64_t kHighestPort = 65535;
constexpr std::string_view kLocalProbeAddress = "127.0.0.1";
constexpr std::string_view kProbeAddressExpected = "a host name or IP address, with no scheme or port";

constexpr std::string_view kUriExpected =
    "a libvirt URI DRIVER[+TRANSPORT]://[HOST]/PATH such as qemu+tcp://10.0.0.11/system or qemu:///system";

HostCapacity readCapacity(Reader& reader, const Field& field) {
    Diagnostics& diagnostics = reader.diagnostics;
    HostCapacity capacity;
    MappingReader map(diagnostics, field, {"vcpus", "memory", "services"});
    if (auto vcpus = map.find("vcpus")) {
        if (auto value = readInteger(diagnostics, *vcpus, 1, kMostVcpus)) capacity.vcpus = static_cast<int>(*value);
    }
    if (auto memory = map.find("memory")) {
        const std::string expected = "a memory size from 1MiB to 1024TiB: a whole number and MiB, GiB or TiB, such as 64GiB";
        auto text = readText(diagnostics, *memory, expected);
        auto value = text ? parseMemorySize(*text) : std::nullopt;
        if (value && *value >= 1 && *value <= kMostMemoryMiB) {
            capacity.memoryMiB = *value;
        } else if (text) {
            diagnostics.report(memory->mark(), memory->path, "expected " + expected + "; found " + describe(memory->node));
        }
    }
    if (auto services = map.find("services")) {
        if (auto value = readInteger(diagnostics, *services, 1, kMostServicesPerHost)) {
            capacity.services = static_cast<int>(*value);
        }
    }
    return capacity;
}

void readUri(Reader& reader, const MappingReader& map, HostPolicy& host, std::optional<LibvirtUri>& uri) {
    auto field = map.require("uri", kUriExpected);
    if (!field) return;
    auto text = readText(reader.diagnostics, *field, kUriExpected);
    if (!text) return;
    auto reading = parseLibvirtUri(*text);
    if (!reading.uri) {
        reader.diagnostics.report(field->mark(), field->path,
                                  "expected " + std::string(kUriExpected) + "; found " + describe(field->node) +
                                      (reading.problem.empty() ? "" : ": " + reading.problem));
        return;
    }
    uri = std::move(reading.uri);
    host.uri = *text;
    reader.symbols.define(SymbolKind::HostUri, uri->identity, field->path);
}

void readMigrationAddress(Reader& reader, const MappingReader& map, HostPolicy& host,
                          const std::optional<LibvirtUri>& uri) {
    constexpr std::string_view kExpected =
        "the address peers send migration traffic to: a host name or IP address, with no scheme or port";
    auto field = map.find("migration_address");
    if (!field) {
        if (uri && uri->remote()) {
            reader.diagnostics.report(map.field().mark(), childPath(map.field().path, "migration_address"),
                                      "missing required key (the uri names a remote host); expected " +
                                          std::string(kExpected));
        }
        return;
    }
    auto text = readNetworkAddress(reader.diagnostics, *field, kExpected);
    if (!text) return;
    host.migrationAddress = *text;
    reader.symbols.define(SymbolKind::MigrationAddress, lowered(*text), field->path);
}

// The probe's address defaults to the host the URI names: the same machine libvirtd runs on, but
// reached without libvirtd. A remote URI whose host part is no address has nothing to default to.
// `probe` is the host's probe mapping or, when there is none, the host's own mapping.
void defaultProbeAddress(Reader& reader, const Field& probe, const std::string& probePath, HostPolicy& host,
                         const std::optional<LibvirtUri>& uri) {
    if (!uri) return;  // the uri's own error is reported already
    if (!uri->remote()) {
        host.probeAddress = std::string(kLocalProbeAddress);
        return;
    }
    const std::string uriHost = uri->host();
    if (isNetworkAddress(uriHost)) {
        host.probeAddress = uriHost;
        return;
    }
    reader.diagnostics.report(probe.mark(), childPath(probePath, "address"),
                              "missing required key (the uri names no host to probe: " + quoteForMessage(uriHost) +
                                  "); expected " + std::string(kProbeAddressExpected));
}

void readProbe(Reader& reader, const MappingReader& hostMap, HostPolicy& host, const std::optional<LibvirtUri>& uri) {
    const std::string probePath = childPath(hostMap.field().path, "probe");
    auto field = hostMap.find("probe");
    if (!field) {
        defaultProbeAddress(reader, hostMap.field(), probePath, host, uri);
        return;
    }
    MappingReader map(reader.diagnostics, *field, {"address", "port"});
    if (auto address = map.find("address")) {
        if (auto text = readNetworkAddress(reader.diagnostics, *address, kProbeAddressExpected)) {
            host.probeAddress = *text;
        }
    } else if (map.isMapping()) {
        defaultProbeAddress(reader, *field, probePath, host, uri);
    }
    if (auto port = map.find("port")) {
        if (auto value = readInteger(reader.diagnostics, *port, 1, kHighestPort)) {
            host.probePort = static_cast<std::uint16_t>(*value);
        }
    }
}

HostPolicy readHost(Reader& reader, const Field& field, const MonitoringProfile& monitoring,
                    const FencingSettings& fencing) {
    HostPolicy host;
    host.monitoring = monitoring;
    MappingReader map(reader.diagnostics, field, kHostKeys);
    if (!map.isMapping()) return host;
    if (auto name = map.require("name", kNameGrammar)) {
        if (auto text = readName(reader.diagnostics, *name)) {
            host.name = *text;
            reader.symbols.define(SymbolKind::Host, *text, name->path);
        }
    }
    std::optional<LibvirtUri> uri;
    readUri(reader, map, host, uri);
    readMigrationAddress(reader, map, host, uri);
    std::string sitePath = field.path;
    if (auto site = map.find("site")) {
        sitePath = site->path;
        if (auto text = readName(reader.diagnostics, *site)) host.site = *text;
    }
    reader.symbols.define(SymbolKind::Site, host.site, sitePath);
    if (auto capacity = map.find("capacity")) host.capacity = readCapacity(reader, *capacity);
    if (auto labels = map.find("labels")) host.labels = readLabels(reader, *labels);
    if (auto fence = map.require("fence", "a fence level (method: agent, libvirt-destroy or manual) or a list of them")) {
        host.fence = readFence(reader, *fence, fencing);
    }
    if (auto ownMonitoring = map.find("monitoring")) host.monitoring = readMonitoring(reader, *ownMonitoring, monitoring);
    if (auto boards = map.find("boards")) host.boards = readHostBoards(reader, *boards);
    readProbe(reader, map, host, uri);
    return host;
}

}  // namespace

namespace {
constexpr std::size_t kLongestLabelValue = 253;

bool isLabelKey(std::string_view key) {
    // Names plus '/', for prefixed keys such as example.com/rack.
    std::string withoutSlashes(key);
    for (char& c : withoutSlashes) {
        if (c == '/') c = '-';
    }
    return !key.empty() && key.front() != '/' && isName(withoutSlashes);
}

}  // namespace

std::map<std::string, std::string> readLabels(Reader& reader, const Field& field) {
    std::map<std::string, std::string> labels;
    for (auto& [key, value] : openMappingEntries(reader.diagnostics, field, "labels (key: value)")) {
        if (!isLabelKey(key)) {
            reader.diagnostics.report(value.keyMark, value.path,
                                      "expected a label key of letters, digits, '.', '_', '-' or '/'; found " +
                                          quoteForMessage(key));
            continue;
        }
        auto text = readText(reader.diagnostics, value, "a label value (text of at most 253 characters)");
        if (!text) continue;
        if (text->size() > kLongestLabelValue) {
            reader.diagnostics.report(value.mark(), value.path, "expected at most 253 characters; found " +
                                                                    std::to_string(text->size()));
            continue;
        }
        labels[key] = *text;
    }
    return labels;
}


std::vector<HostPolicy> readHosts(Reader& reader, const Field& field, const MonitoringProfile& monitoring,
                                  const FencingSettings& fencing) {
    std::vector<HostPolicy> hosts;
    for (const Field& item : listItems(reader.diagnostics, field, "hosts")) {
        hosts.push_back(readHost(reader, item, monitoring, fencing));
    }
    if (hosts.empty() && (field.empty() || field.node.IsSequence())) {
        reader.diagnostics.report(field.mark(), field.path, "expected at least one host; found none");
    }
    return hosts;
}

}  // namespace faxover::policy::read
