#include "faxover/orchestrator/runtime/Monitor.h"

#include <algorithm>

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

Monitor::Monitor(hv::Hypervisor& hypervisor, ports::TcpProber& prober, ports::GuestHealthProbe* guests)
    : hypervisor_(hypervisor), prober_(prober), guests_(guests) {}

RoundObservation Monitor::collect(const policy::Policy& policy) {
    std::vector<ports::ProbeTarget> targets;
    hv::Duration timeout{0};
    for (const auto& host : policy.hosts) {
        targets.push_back({host.probeAddress, host.probePort});
        timeout = std::max(timeout, host.monitoring.timeout);
    }
    const std::vector<bool> answered = prober_.probe(targets, timeout);

    RoundObservation round;
    for (std::size_t i = 0; i < policy.hosts.size(); ++i) {
        const std::string& name = policy.hosts[i].name;
        HostRound host;
        host.host = name;
        host.probe.tcpAnswered = i < answered.size() && answered[i];
        auto status = hypervisor_.hostStatus(name);
        host.probe.libvirt = status ? status.value().reachability : hv::Reachability::Unknown;
        if (host.probe.libvirt == hv::Reachability::Reachable) {
            if (auto domains = hypervisor_.listDomains(name)) host.domains = std::move(domains.value());
            if (auto inventory = hypervisor_.nodeInventory(name)) host.inventory = std::move(inventory.value());
        }
        if (host.domains) {
            for (const auto& domain : *host.domains) {
                const auto* service = serviceOfDomain(policy, domain.name, domain.uuid);
                if (service == nullptr || !domain.active()) continue;
                if (guests_ != nullptr)
                    if (auto health = guests_->check(name, domain.uuid)) round.guests.push_back({service->name, *health});
                auto& readUuid = detailsRead_[{service->name, name}];
                if (readUuid == domain.uuid) continue;
                DomainDetails details{service->name, name};
                if (auto xml = hypervisor_.domainXml(name, domain.uuid)) details.xml = std::move(xml.value());
                if (auto migratable = hypervisor_.checkMigratable(name, domain.uuid))
                    details.liveMigrationBlocker = migratable.value().explain();
                if (!details.xml.empty()) readUuid = domain.uuid;
                round.details.push_back(std::move(details));
            }
        }
        round.hosts.push_back(std::move(host));
    }
    return round;
}

}  // namespace faxover::orchestrator::runtime
