#include "faxover/orchestrator/runtime/Monitor.h"

#include "faxover/hypervisor/DomainXml.h"

#include <algorithm>
#include <memory>

namespace faxover::orchestrator::runtime {

const policy::ServicePolicy* serviceOfDomain(const policy::Policy& policy, const std::string& name,
                                             const std::string& uuid) {
    for (const auto& service : policy.services) {
        const auto& ref = service.domain;
        if ((ref.kind == policy::DomainRef::Kind::Name && ref.value == name) ||
            (ref.kind == policy::DomainRef::Kind::Uuid && ref.value == uuid))
            return &service;
    }
    return nullptr;
}

namespace {

// The host's PCI devices that may be fax boards: of a configured model, or where the policy maps one.
std::vector<engine::ObservedBoard> possibleBoards(const policy::Policy& policy, const std::string& host,
                                                  const std::vector<hv::PciDevice>& devices) {
    const policy::HostPolicy* mapped = policy.findHost(host);
    std::vector<engine::ObservedBoard> boards;
    for (const auto& device : devices) {
        const std::string address = device.address.toString();
        const bool ofModel = std::any_of(policy.boardModels.begin(), policy.boardModels.end(), [&](const auto& model) {
            return model.vendorId == device.vendorId && model.deviceId == device.productId;
        });
        const bool atMapping = mapped != nullptr && std::any_of(mapped->boards.begin(), mapped->boards.end(),
                                                                [&](const auto& board) { return board.pciAddress == address; });
        if (ofModel || atMapping) boards.push_back({address, device.vendorId, device.productId, device.driver});
    }
    return boards;
}

// The running domains of `host` that no service protects, with their PCI hostdevs, on a host where
// the policy maps boards (elsewhere none could be taken from Faxover). A domain's definition is
// read once while it runs (`known`: the last round's); a board hot-plugged into it only for this
// run (not in its persistent definition) is not seen.
Monitor::OtherVms readOtherVms(hv::Hypervisor& hypervisor, const policy::Policy& policy, const std::string& host,
                               const std::vector<hv::DomainInfo>& domains, const Monitor::OtherVms& known) {
    Monitor::OtherVms found;
    const policy::HostPolicy* mapped = policy.findHost(host);
    if (mapped == nullptr || mapped->boards.empty()) return found;
    for (const auto& domain : domains) {
        if (!domain.active() || serviceOfDomain(policy, domain.name, domain.uuid) != nullptr) continue;
        if (auto seen = known.find(domain.uuid); seen != known.end()) {
            found.insert(*seen);
            continue;
        }
        auto xml = hypervisor.domainXml(host, domain.uuid);
        if (!xml) continue;  // gone meanwhile, or unreadable: asked again next round
        auto definition = hv::DomainXml::parse(xml.value());
        if (!definition) continue;
        Monitor::OtherVm vm{domain.name, {}};
        for (const auto& hostdev : definition.value().pciHostdevs()) vm.pciHostdevs.push_back(hostdev.source.toString());
        found.emplace(domain.uuid, std::move(vm));
    }
    return found;
}

void markOtherVms(std::vector<engine::ObservedBoard>& boards, const Monitor::OtherVms& vms) {
    for (auto& board : boards)
        for (const auto& [uuid, vm] : vms)
            if (std::find(vm.pciHostdevs.begin(), vm.pciHostdevs.end(), board.pciAddress) != vm.pciHostdevs.end())
                board.otherVm = vm.name;
}

bool hasBoards(const policy::Policy& policy) {
    return !policy.boardModels.empty() ||
           std::any_of(policy.hosts.begin(), policy.hosts.end(), [](const auto& host) { return !host.boards.empty(); });
}

}  // namespace

// Everything one host's libvirtd (and guest agents) said this round, read off the monitor's thread.
struct Monitor::Reading {
    hv::Reachability connection = hv::Reachability::Unknown;
    std::optional<std::vector<hv::DomainInfo>> domains{};
    std::optional<hv::NodeInventory> inventory{};
    std::optional<std::vector<engine::ObservedBoard>> boards{};
    OtherVms otherVms{};  // read with the boards
    std::vector<DomainDetails> details{};
    std::vector<GuestReport> guests{};
};

Monitor::Monitor(hv::Hypervisor& hypervisor, ports::TcpProber& prober, Executor* readings,
                 ports::GuestHealthProbe* guests)
    : hypervisor_(hypervisor), prober_(prober), readings_(readings), guests_(guests) {}

Monitor::~Monitor() {
    // Readings still out use the hypervisor and this object; a hung host's call ends with its
    // keepalive, so this waits a few seconds at most.
    for (auto& [host, reading] : outstanding_) reading.wait();
}

std::shared_future<Monitor::Reading> Monitor::startReading(std::shared_ptr<const policy::Policy> policy,
                                                           const std::string& host) {
    std::map<std::string, DetailsRead> alreadyRead;  // service -> what its details were read from
    for (const auto& [key, read] : detailsRead_)
        if (key.second == host) alreadyRead.emplace(key.first, read);

    auto promise = std::make_shared<std::promise<Reading>>();
    std::shared_future<Reading> future = promise->get_future().share();
    // The task holds the policy it was started with: a reload may replace it meanwhile.
    const auto otherVms = otherVms_.find(host);
    auto read = [this, host, promise, policy = std::move(policy), alreadyRead,
                 knownOtherVms = otherVms == otherVms_.end() ? OtherVms{} : otherVms->second] {
        Reading reading;
        auto status = hypervisor_.hostStatus(host);
        reading.connection = status ? status.value().reachability : hv::Reachability::Unknown;
        if (reading.connection == hv::Reachability::Reachable) {
            if (auto domains = hypervisor_.listDomains(host)) reading.domains = std::move(domains.value());
            if (auto inventory = hypervisor_.nodeInventory(host)) reading.inventory = std::move(inventory.value());
            if (hasBoards(*policy))
                if (auto devices = hypervisor_.pciDevices(host)) {
                    reading.boards = possibleBoards(*policy, host, devices.value());
                    if (reading.domains)
                        reading.otherVms = readOtherVms(hypervisor_, *policy, host, *reading.domains, knownOtherVms);
                    markOtherVms(*reading.boards, reading.otherVms);
                }
        }
        for (const auto& domain : reading.domains.value_or(std::vector<hv::DomainInfo>{})) {
            const auto* service = serviceOfDomain(*policy, domain.name, domain.uuid);
            if (service == nullptr || !domain.active()) continue;
            if (guests_ != nullptr)
                if (auto health = guests_->check(host, domain.uuid)) reading.guests.push_back({service->name, *health});
            if (auto it = alreadyRead.find(service->name);
                it != alreadyRead.end() && it->second == DetailsRead{domain.uuid, domain.state})
                continue;
            DomainDetails details{service->name, host};
            if (auto xml = hypervisor_.domainXml(host, domain.uuid)) details.xml = std::move(xml.value());
            if (auto migratable = hypervisor_.checkMigratable(host, domain.uuid)) {
                // Only what the definition decides is kept. The domain's state is observed on every
                // round and by events, and these details are kept until the monitor sees the state
                // change: a state blocker ("domain is paused", as a live migration's destination is
                // until the switch-over) was stale from the moment the domain ran, and a drain asked
                // for in that window moved the VM cold (found by the lab's re-migration test). libvirt
                // live-migrates a paused domain too; one that is not running is not a copy to move.
                std::erase_if(migratable.value().blockers, [](const hv::MigrationBlocker& blocker) {
                    return blocker.kind == hv::MigrationBlocker::Kind::Paused ||
                           blocker.kind == hv::MigrationBlocker::Kind::NotRunning;
                });
                details.liveMigrationBlocker = migratable.value().explain();
            }
            details.uuid = domain.uuid;
            details.state = domain.state;
            reading.details.push_back(std::move(details));
        }
        promise->set_value(std::move(reading));
    };
    if (readings_ == nullptr) read();
    else readings_->submit(read);
    return future;
}

void Monitor::forgetDetailsGoneFrom(const std::string& host, const std::vector<hv::DomainInfo>& listing,
                                    const policy::Policy& policy) {
    std::erase_if(detailsRead_, [&](const auto& entry) {
        if (entry.first.second != host) return false;
        return std::none_of(listing.begin(), listing.end(), [&](const hv::DomainInfo& domain) {
            const auto* service = serviceOfDomain(policy, domain.name, domain.uuid);
            return domain.active() && service != nullptr && service->name == entry.first.first;
        });
    });
}

RoundObservation Monitor::collect(const std::shared_ptr<const policy::Policy>& current) {
    const policy::Policy& policy = *current;
    std::vector<ports::ProbeTarget> targets;
    hv::Duration timeout{0};
    for (const auto& host : policy.hosts) {
        targets.push_back({host.probeAddress, host.probePort});
        timeout = std::max(timeout, host.monitoring.timeout);
    }
    // The witness rides in the same probe, after the hosts: an answer says the orchestrator is on
    // the network (engine/OwnConnectivity.h).
    if (const auto& witness = policy.fencing.witness) targets.push_back({witness->address, witness->port});
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    // One reading per host, unless the previous one is still out: a hung host gets no second call.
    std::map<std::string, std::shared_future<Reading>> readings;
    for (const auto& host : policy.hosts) {
        if (auto out = outstanding_.find(host.name); out != outstanding_.end()) {
            if (out->second.wait_for(std::chrono::seconds(0)) != std::future_status::ready) continue;
            outstanding_.erase(out);  // came back late: its answer is stale, ask again
        }
        readings.emplace(host.name, startReading(current, host.name));
    }
    const std::vector<bool> answered = prober_.probe(targets, timeout);

    RoundObservation round;
    round.witnessAnswered =
        policy.fencing.witness && answered.size() > policy.hosts.size() && answered[policy.hosts.size()];
    for (std::size_t i = 0; i < policy.hosts.size(); ++i) {
        const std::string& name = policy.hosts[i].name;
        HostRound host;
        host.host = name;
        host.probe.tcpAnswered = i < answered.size() && answered[i];
        auto reading = readings.find(name);
        const bool inTime =
            reading != readings.end() && reading->second.wait_until(deadline) == std::future_status::ready;
        if (!inTime) {
            // Silent this round: Reachability::Unknown is not an answer (HostHealth.h).
            if (reading != readings.end()) outstanding_.emplace(name, reading->second);
            round.hosts.push_back(std::move(host));
            continue;
        }
        const Reading& read = reading->second.get();
        // Connected but the listing failed: not an answer either.
        host.probe.libvirt = read.connection == hv::Reachability::Reachable && !read.domains
                                 ? hv::Reachability::Unknown
                                 : read.connection;
        host.domains = read.domains;
        host.inventory = read.inventory;
        host.boards = read.boards;
        if (read.boards) otherVms_[name] = read.otherVms;
        if (read.domains) forgetDetailsGoneFrom(name, *read.domains, policy);
        for (const auto& details : read.details) {
            if (!details.xml.empty()) detailsRead_[{details.service, name}] = {details.uuid, details.state};
            round.details.push_back(details);
        }
        round.guests.insert(round.guests.end(), read.guests.begin(), read.guests.end());
        round.hosts.push_back(std::move(host));
    }
    return round;
}

}  // namespace faxover::orchestrator::runtime
