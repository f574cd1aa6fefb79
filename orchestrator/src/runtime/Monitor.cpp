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

template <class T>
bool isReady(const std::shared_future<T>& future) {
    return future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

bool hasBoards(const policy::Policy& policy) {
    return !policy.boardModels.empty() ||
           std::any_of(policy.hosts.begin(), policy.hosts.end(), [](const auto& host) { return !host.boards.empty(); });
}

}  // namespace

// What one host's libvirtd (and guest agents) said this round, read off the monitor's thread: the
// host's liveness and what it runs. Its domains' details are read after it, by the same task.
struct Monitor::Reading {
    hv::Reachability connection = hv::Reachability::Unknown;
    std::optional<std::vector<hv::DomainInfo>> domains{};
    std::optional<hv::NodeInventory> inventory{};
    std::optional<std::vector<engine::ObservedBoard>> boards{};
    OtherVms otherVms{};  // read with the boards
    std::vector<GuestReport> guests{};
};

// A host's reading in two parts, so that a slow details read never makes the host look silent.
struct Monitor::HostReading {
    std::shared_future<Reading> reading;                     // liveness, listing, capacity, boards
    std::shared_future<std::vector<DomainDetails>> details;  // set after `reading`; empty unless asked
};

Monitor::Monitor(hv::Hypervisor& hypervisor, ports::TcpProber& prober, Executor* readings,
                 ports::GuestHealthProbe* guests)
    : hypervisor_(hypervisor), prober_(prober), readings_(readings), guests_(guests) {}

Monitor::~Monitor() {
    // Readings still out use the hypervisor and this object; a hung host's call ends with its
    // keepalive, so this waits a few seconds at most.
    for (auto& [host, reading] : outstanding_) reading.wait();
    for (auto& [host, details] : detailsOut_) details.wait();
}

Monitor::HostReading Monitor::startReading(std::shared_ptr<const policy::Policy> policy, const std::string& host,
                                           bool readDetails) {
    std::map<std::string, DetailsRead> alreadyRead;  // service -> what its details were read from
    for (const auto& [key, read] : detailsRead_)
        if (key.second == host) alreadyRead.emplace(key.first, read);

    auto promise = std::make_shared<std::promise<Reading>>();
    auto detailsPromise = std::make_shared<std::promise<std::vector<DomainDetails>>>();
    HostReading started{promise->get_future().share(), detailsPromise->get_future().share()};
    // The task holds the policy it was started with: a reload may replace it meanwhile.
    const auto otherVms = otherVms_.find(host);
    auto read = [this, host, promise, detailsPromise, readDetails, policy = std::move(policy), alreadyRead,
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
        const auto listed = reading.domains.value_or(std::vector<hv::DomainInfo>{});
        for (const auto& domain : listed) {
            const auto* service = serviceOfDomain(*policy, domain.name, domain.uuid);
            if (service != nullptr && domain.active() && guests_ != nullptr)
                if (auto health = guests_->check(host, domain.uuid)) reading.guests.push_back({service->name, *health});
        }
        // The host has answered: said before its details are read. Reading a domain's details waits
        // for any job libvirt runs on it (a start, the incoming half of a migration) for as long as
        // that job runs; counted in the liveness reading, that wait made a healthy host silent
        // ("degraded (missed 0)") each time a guest started or migrated onto it.
        promise->set_value(std::move(reading));
        std::vector<DomainDetails> detailsRead;
        for (const auto& domain : readDetails ? listed : std::vector<hv::DomainInfo>{}) {
            const auto* service = serviceOfDomain(*policy, domain.name, domain.uuid);
            if (service == nullptr || !domain.active()) continue;
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
            detailsRead.push_back(std::move(details));
        }
        detailsPromise->set_value(std::move(detailsRead));
    };
    if (readings_ == nullptr) read();
    else readings_->submit(read);
    return started;
}

void Monitor::takeDetails(const std::string& host, const std::vector<DomainDetails>& read,
                          const std::optional<std::vector<hv::DomainInfo>>& listing, RoundObservation& round) {
    for (const auto& details : read) {
        // Read in an earlier round: only for a domain this round's listing still shows as it was.
        const bool current = listing && std::any_of(listing->begin(), listing->end(), [&](const hv::DomainInfo& domain) {
                                 return domain.uuid == details.uuid && domain.state == details.state;
                             });
        if (!current) continue;
        if (!details.xml.empty()) detailsRead_[{details.service, host}] = {details.uuid, details.state};
        round.details.push_back(details);
    }
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
    // Nor are details read again while an earlier read of them is still out.
    std::map<std::string, HostReading> readings;
    for (const auto& host : policy.hosts) {
        if (auto out = outstanding_.find(host.name); out != outstanding_.end()) {
            if (!isReady(out->second)) continue;
            outstanding_.erase(out);  // came back late: its answer is stale, ask again
        }
        const auto details = detailsOut_.find(host.name);
        readings.emplace(host.name, startReading(current, host.name, details == detailsOut_.end() || isReady(details->second)));
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
            reading != readings.end() && reading->second.reading.wait_until(deadline) == std::future_status::ready;
        if (!inTime) {
            // Silent this round: Reachability::Unknown is not an answer (HostHealth.h). Its details,
            // read after the listing by the same task, count as out too.
            if (reading != readings.end()) {
                outstanding_.emplace(name, reading->second.reading);
                detailsOut_.emplace(name, reading->second.details);
            }
            round.hosts.push_back(std::move(host));
            continue;
        }
        const Reading& read = reading->second.reading.get();
        // Connected but the listing failed: not an answer either.
        host.probe.libvirt = read.connection == hv::Reachability::Reachable && !read.domains
                                 ? hv::Reachability::Unknown
                                 : read.connection;
        host.domains = read.domains;
        host.inventory = read.inventory;
        host.boards = read.boards;
        if (read.boards) otherVms_[name] = read.otherVms;
        if (read.domains) forgetDetailsGoneFrom(name, *read.domains, policy);
        // This round's details when they came in time, else an earlier read's that came back since.
        if (const auto pending = detailsOut_.find(name); pending != detailsOut_.end() && isReady(pending->second)) {
            takeDetails(name, pending->second.get(), read.domains, round);
            detailsOut_.erase(pending);
        }
        if (reading->second.details.wait_until(deadline) == std::future_status::ready)
            takeDetails(name, reading->second.details.get(), read.domains, round);
        else
            detailsOut_.emplace(name, reading->second.details);
        round.guests.insert(round.guests.end(), read.guests.begin(), read.guests.end());
        round.hosts.push_back(std::move(host));
    }
    return round;
}

}  // namespace faxover::orchestrator::runtime
