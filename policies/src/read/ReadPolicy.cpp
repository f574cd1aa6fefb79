#include "read/Scalars.h"
#include "read/Sections.h"

#include <algorithm>

namespace faxover::policy::read {

namespace {

const std::vector<std::string> kTopLevelKeys{"version",     "monitoring", "fencing",  "hosts",       "services",
                                             "maintenance", "licences",   "board_models", "events"};

void readVersion(Reader& reader, const MappingReader& map, Policy& policy) {
    const std::string expected = std::to_string(kPolicyFormatVersion) + ", the policy format version this Faxover reads";
    auto field = map.require("version", expected);
    if (!field) return;
    if (!field->node.IsScalar() || field->node.Scalar() != std::to_string(kPolicyFormatVersion)) {
        reader.diagnostics.report(field->mark(), field->path, "expected " + expected + "; found " + describe(field->node));
        return;
    }
    policy.version = kPolicyFormatVersion;
}

// A service whose required labels no host has can never run: valid, since the host it needs may be
// added later, but worth saying now.
void warnUnplaceableServices(Diagnostics& diagnostics, const Policy& policy) {
    for (std::size_t index = 0; index < policy.services.size(); ++index) {
        const ServicePolicy& service = policy.services[index];
        if (service.requiredLabels.empty()) continue;
        const bool someHost = std::any_of(policy.hosts.begin(), policy.hosts.end(), [&](const HostPolicy& host) {
            return std::all_of(service.requiredLabels.begin(), service.requiredLabels.end(), [&](const auto& label) {
                const auto found = host.labels.find(label.first);
                return found != host.labels.end() && found->second == label.second;
            });
        });
        if (someHost) continue;
        std::string wanted;
        for (const auto& [key, value] : service.requiredLabels) wanted += (wanted.empty() ? "" : ", ") + key + ": " + value;
        diagnostics.warnAt("services[" + std::to_string(index) + "].required_labels",
                           "no host has all of " + wanted + ", so " + service.name +
                               " can run nowhere until one has (a host's site is not a label)");
    }
}

// With two hosts, one silent host is half of them: the orchestrator cannot tell a dead host from its
// own cut link, so without a witness it never fences on its own (docs/engine.md, "Own connectivity").
void warnWithoutWitness(Diagnostics& diagnostics, const Policy& policy) {
    // One host has nowhere to fail over to; from three on, one silent host is a minority.
    if (policy.fencing.witness || policy.hosts.size() != 2) return;
    diagnostics.warnAt("hosts",
                       "with 2 hosts and no fencing.witness, one silent host is half of the cluster: "
                       "Faxover cannot tell it from its own link being cut, so it fences nothing and "
                       "restarts nothing elsewhere; it alerts 'orchestrator isolated' and waits for "
                       "'faxover fence confirm HOST'. Name a witness (the hosts' gateway) to fail over "
                       "on its own");
}

}  // namespace

Policy readPolicy(Reader& reader, const Field& root) {
    Policy policy;
    if (root.empty()) {
        reader.diagnostics.report(root.mark(), "",
                                  "the policy is empty; expected a mapping with keys " + joinNames(kTopLevelKeys));
        return policy;
    }
    MappingReader map(reader.diagnostics, root, kTopLevelKeys, {}, MappingReader::Extensions::Allowed);
    if (!map.isMapping()) return policy;
    readVersion(reader, map, policy);
    // Hosts inherit the cluster's monitoring profile and fencing defaults: read those first.
    if (auto monitoring = map.find("monitoring")) policy.monitoring = readMonitoring(reader, *monitoring, policy.monitoring);
    if (auto fencing = map.find("fencing")) policy.fencing = readFencingSettings(reader, *fencing);
    if (auto hosts = map.require("hosts", "a list of hosts")) {
        policy.hosts = readHosts(reader, *hosts, policy.monitoring, policy.fencing);
    }
    if (auto services = map.find("services")) policy.services = readServices(reader, *services);
    if (auto maintenance = map.find("maintenance")) policy.maintenance = readMaintenance(reader, *maintenance);
    if (auto licences = map.find("licences")) policy.licences = readLicences(reader, *licences);
    if (auto boardModels = map.find("board_models")) policy.boardModels = readBoardModels(reader, *boardModels);
    if (auto events = map.find("events")) policy.events = readEvents(reader, *events);
    reader.symbols.check(reader.diagnostics);
    checkStandbys(reader.diagnostics, policy);
    checkBoardServices(reader.diagnostics, policy);
    warnUnplaceableServices(reader.diagnostics, policy);
    warnWithoutWitness(reader.diagnostics, policy);
    return policy;
}

}  // namespace faxover::policy::read
