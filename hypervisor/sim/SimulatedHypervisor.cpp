// SimulatedHypervisor: hosts, fault knobs, inventory, PCI devices and the domain lifecycle.
// Live migration is in SimMigration.cpp, the shared model in SimState.h.
//
// Every public call does its work first and delivers the events it caused last (State::flush),
// so an event handler that calls back in sees the finished state. Fault knobs check their host and
// domain like any call, but act whether or not the host is reachable: they are the world, not a
// client of libvirtd.
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"

#include "SimState.h"

#include <algorithm>
#include <utility>

namespace faxover::hv::sim {

using detail::Code;
using detail::Definition;
using detail::Domain;
using detail::Host;
namespace reason = detail::reason;
namespace event = detail::event;

namespace {

constexpr const char* kVfio = "vfio-pci";

Error onHost(Error error, const std::string& host) {
    if (error.host.empty()) error.host = host;
    return error;
}

Result<Host> makeHost(const SimHostSpec& spec) {
    if (spec.config.name.empty()) return Error{ErrorKind::InvalidArgument, "a host needs a name"};
    Host host;
    host.config = spec.config;
    host.cpus = spec.cpus;
    host.memoryKiB = spec.memoryKiB;
    for (const PciDevice& device : spec.pciDevices) {
        detail::Device added{device, device.driver, device.driver == kVfio ? std::string() : device.driver};
        if (added.device.nodeDeviceName.empty()) added.device.nodeDeviceName = device.address.nodeDeviceName();
        if (!host.devices.emplace(added.device.nodeDeviceName, added).second) {
            return Error{ErrorKind::InvalidArgument,
                         "host '" + spec.config.name + "' lists PCI device " + added.device.nodeDeviceName + " twice",
                         spec.config.name};
        }
    }
    return host;
}

Result<void> addHostTo(detail::SimState& state, const SimHostSpec& spec) {
    const std::string& name = spec.config.name;
    if (state.hosts.count(name) > 0) {
        return Error{ErrorKind::InvalidArgument, "host '" + name + "' already exists", name};
    }
    auto host = makeHost(spec);
    if (!host) return host.error();
    Host& added = state.hosts.emplace(name, std::move(host).value()).first->second;
    state.refreshReachability(added, "connected");
    return ok();
}

// Name and canonical UUID of a new definition, generating the UUID when the XML has none.
Result<std::pair<std::string, std::string>> identify(detail::SimState& state, DomainXml& xml, const std::string& host) {
    const std::string name = xml.name();
    if (name.empty()) return Error{ErrorKind::InvalidArgument, "domain XML has no <name>", host};
    const std::string given = xml.uuid();
    const std::string uuid = given.empty() ? state.nextUuid() : detail::canonicalUuid(given);
    if (uuid.empty()) {
        return Error{ErrorKind::InvalidArgument, "domain '" + name + "' has a malformed uuid '" + given + "'", host};
    }
    if (uuid != given) xml.setUuid(uuid);
    return std::make_pair(name, uuid);
}

// libvirt refuses a definition that shares only its name or only its UUID with a known domain,
// with VIR_ERR_OPERATION_FAILED ("operation failed: domain 'x' already exists with uuid ...").
Result<void> checkIdentityConflicts(const Host& host, const std::string& name, const std::string& uuid) {
    for (const auto& [existingName, domain] : host.domains) {
        if (existingName == name && domain.uuid != uuid) {
            return Error{ErrorKind::OperationFailed, "domain '" + name + "' already exists with uuid " + domain.uuid,
                         host.config.name};
        }
        if (existingName != name && domain.uuid == uuid) {
            return Error{ErrorKind::OperationFailed,
                         "domain '" + existingName + "' is already defined with uuid " + uuid, host.config.name};
        }
    }
    return ok();
}

Result<detail::Device*> findDevice(Host& host, const std::string& nodeDeviceName) {
    const auto found = host.devices.find(nodeDeviceName);
    if (found == host.devices.end()) {
        return Error{ErrorKind::NoSuchDevice,
                     "no node device '" + nodeDeviceName + "' on host '" + host.config.name + "'", host.config.name};
    }
    return &found->second;
}

// A host fault knob: InvalidArgument for an unknown host, else `change`, then the events it caused.
template <class Change>
Result<void> onKnownHost(detail::SimState& state, const std::string& name, Change change) {
    const std::lock_guard lock(state.mutex);
    auto host = state.knownHost(name);
    if (!host) return host.error();
    change(*host.value());
    state.flush();
    return ok();
}

Error notRunning(const Domain& domain, const Host& host) {
    return Error{ErrorKind::OperationInvalid,
                 "domain '" + domain.name + "' is not running on host '" + host.config.name + "'", host.config.name};
}

}  // namespace

SimulatedHypervisor::SimulatedHypervisor(ManualClock& clock) : state_(std::make_unique<State>(clock)) {}

SimulatedHypervisor::~SimulatedHypervisor() = default;

// ---- hosts

Result<void> SimulatedHypervisor::addSimHost(const SimHostSpec& spec) {
    const std::lock_guard lock(state_->mutex);
    auto added = addHostTo(*state_, spec);
    state_->flush();
    return added;
}

Result<void> SimulatedHypervisor::addHost(const HostConfig& host) {
    const std::lock_guard lock(state_->mutex);
    SimHostSpec spec;
    spec.config = host;
    auto added = addHostTo(*state_, spec);
    state_->flush();
    return added;
}

Result<void> SimulatedHypervisor::removeHost(const std::string& host) {
    const std::lock_guard lock(state_->mutex);
    if (auto known = state_->knownHost(host); !known) return known.error();
    state_->hosts.erase(host);
    return ok();
}

std::vector<std::string> SimulatedHypervisor::hosts() const {
    const std::lock_guard lock(state_->mutex);
    std::vector<std::string> names;
    for (const auto& [name, host] : state_->hosts) names.push_back(name);
    return names;
}

Result<HostStatus> SimulatedHypervisor::hostStatus(const std::string& host) const {
    const std::lock_guard lock(state_->mutex);
    const auto found = state_->hosts.find(host);
    if (found == state_->hosts.end()) return Error{ErrorKind::InvalidArgument, "unknown host '" + host + "'", host};
    return found->second.status;
}

void SimulatedHypervisor::setEventHandler(EventHandler handler) {
    const std::lock_guard lock(state_->mutex);
    state_->handler = std::move(handler);
}

// ---- fault knobs

Result<void> SimulatedHypervisor::powerOff(const std::string& host) {
    return onKnownHost(*state_, host, [this](Host& target) {
        if (!target.poweredOn) return;
        target.poweredOn = false;
        target.libvirtdUp = false;
        state_->refreshReachability(target, "powered off");
        // Every guest dies with the host, unseen: persistent ones are found shut off after boot,
        // transient ones are gone.
        std::vector<std::string> running;
        for (const auto& [name, domain] : target.domains) {
            if (domain.active()) running.push_back(name);
        }
        for (const std::string& name : running) {
            state_->stopDomain(target, target.domains.at(name), {reason::kUnknown, event::kDestroyed});
        }
        for (auto& [name, device] : target.devices) {
            device.device.driver = device.bootDriver;
            device.hostDriver = device.bootDriver == kVfio ? std::string() : device.bootDriver;
        }
    });
}

Result<void> SimulatedHypervisor::powerOn(const std::string& host) {
    return onKnownHost(*state_, host, [this](Host& target) {
        if (target.poweredOn) return;
        target.poweredOn = true;
        target.libvirtdUp = true;  // a boot starts libvirtd; a cut network stays cut
        state_->refreshReachability(target, "powered on");
    });
}

Result<void> SimulatedHypervisor::cutNetwork(const std::string& host) {
    return onKnownHost(*state_, host, [this](Host& target) {
        target.networkUp = false;
        state_->refreshReachability(target, "network cut");
    });
}

Result<void> SimulatedHypervisor::healNetwork(const std::string& host) {
    return onKnownHost(*state_, host, [this](Host& target) {
        target.networkUp = true;
        state_->refreshReachability(target, "network healed");
    });
}

void SimulatedHypervisor::setOrchestratorLink(bool up) {
    std::lock_guard lock(state_->mutex);
    for (auto& [name, target] : state_->hosts) {
        target.orchestratorLinkUp = up;
        state_->refreshReachability(target, up ? "orchestrator link up" : "orchestrator link down");
    }
    state_->flush();
}

Result<void> SimulatedHypervisor::crashLibvirtd(const std::string& host) {
    return onKnownHost(*state_, host, [this](Host& target) {
        if (!target.poweredOn) return;
        target.libvirtdUp = false;
        state_->refreshReachability(target, "libvirtd down");
    });
}

Result<void> SimulatedHypervisor::restartLibvirtd(const std::string& host) {
    return onKnownHost(*state_, host, [this](Host& target) {
        if (!target.poweredOn) return;  // nothing to restart on a dead host
        target.libvirtdUp = true;
        state_->refreshReachability(target, "libvirtd restarted");
    });
}

Result<void> SimulatedHypervisor::crashDomain(const std::string& host, const std::string& domain) {
    const std::lock_guard lock(state_->mutex);
    auto target = state_->knownHost(host);
    if (!target) return target.error();
    auto found = detail::findDomain(*target.value(), domain);
    if (!found) return found.error();
    if (!found.value()->active()) return ok();  // nothing runs to crash (every domain of a dead host)
    // The guest panics; with libvirt's default on_crash=destroy it is then shut off, reason
    // crashed. On an unreachable host it dies all the same, and is found shut off later.
    state_->emitDomain(*target.value(), *found.value(), DomainLifecycle::Crashed, event::kPanicked);
    state_->stopDomain(*target.value(), *found.value(), {reason::kCrashed, event::kCrashed});
    state_->flush();
    return ok();
}

Result<void> SimulatedHypervisor::failNextStarts(const std::string& host, unsigned count, const std::string& message) {
    return onKnownHost(*state_, host, [&](Host& target) {
        target.startFailures = count;
        target.startFailureMessage = message;
    });
}

void SimulatedHypervisor::failNextMigrations(unsigned count, const std::string& message) {
    const std::lock_guard lock(state_->mutex);
    state_->migrationFailures = count;
    state_->migrationFailureMessage = message;
}

void SimulatedHypervisor::setMigrationDuration(Duration duration) {
    const std::lock_guard lock(state_->mutex);
    state_->migrationDuration = std::max(duration, Duration::zero());
}

Result<void> SimulatedHypervisor::setGuestIgnoresShutdown(const std::string& domain, bool ignores) {
    const std::lock_guard lock(state_->mutex);
    std::set<std::string>& flagged = state_->guestsIgnoringShutdown;
    // A flag set earlier can be cleared even once its domain is gone from every host.
    if (!ignores && flagged.erase(domain) + flagged.erase(detail::canonicalUuid(domain)) > 0) return ok();
    const std::string key = state_->shutdownKey(domain);
    if (key.empty()) return Error{ErrorKind::NoSuchDomain, "no domain '" + domain + "' on any host"};
    if (ignores) {
        flagged.insert(key);
    } else {
        flagged.erase(key);
    }
    return ok();
}

void SimulatedHypervisor::setSharedStoragePrefixes(std::vector<std::string> prefixes) {
    const std::lock_guard lock(state_->mutex);
    state_->sharedStoragePrefixes = std::move(prefixes);
}

// ---- inventory and PCI devices

Result<NodeInventory> SimulatedHypervisor::nodeInventory(const std::string& host) {
    const std::lock_guard lock(state_->mutex);
    auto target = state_->reachableHost(host);
    if (!target) return target.error();
    const Host& found = *target.value();
    NodeInventory inventory;
    inventory.hostname = found.config.name;
    inventory.cpus = found.cpus;
    inventory.memoryKiB = found.memoryKiB;
    inventory.freeMemoryKiB = detail::freeMemoryKiB(found);
    for (const auto& [name, domain] : found.domains) {
        if (domain.active()) inventory.runningDomains.push_back(name);  // map order: sorted
    }
    return inventory;
}

Result<std::vector<PciDevice>> SimulatedHypervisor::pciDevices(const std::string& host) {
    const std::lock_guard lock(state_->mutex);
    auto target = state_->reachableHost(host);
    if (!target) return target.error();
    std::vector<PciDevice> devices;
    for (const auto& [name, device] : target.value()->devices) devices.push_back(device.device);
    return devices;
}

Result<void> SimulatedHypervisor::detachPciDevice(const std::string& host, const std::string& nodeDeviceName) {
    const std::lock_guard lock(state_->mutex);
    auto target = state_->reachableHost(host);
    if (!target) return target.error();
    auto device = findDevice(*target.value(), nodeDeviceName);
    if (!device) return device.error();
    PciDevice& pci = device.value()->device;
    // Already on vfio-pci: libvirt's virNodeDeviceDetachFlags succeeds without doing anything.
    if (pci.driver == kVfio) return ok();
    device.value()->hostDriver = pci.driver;
    pci.driver = kVfio;
    return ok();
}

Result<void> SimulatedHypervisor::reattachPciDevice(const std::string& host, const std::string& nodeDeviceName) {
    const std::lock_guard lock(state_->mutex);
    auto target = state_->reachableHost(host);
    if (!target) return target.error();
    auto device = findDevice(*target.value(), nodeDeviceName);
    if (!device) return device.error();
    detail::Device& found = *device.value();
    if (const Domain* user = detail::deviceUser(*target.value(), found.device.address)) {
        return Error{
            ErrorKind::OperationInvalid,
            "PCI device " + found.device.address.toString() + " is still in use by domain '" + user->name + "'", host};
    }
    // Not on vfio-pci: already with its host driver, and libvirt does nothing either.
    if (found.device.driver == kVfio) found.device.driver = found.hostDriver;
    return ok();
}

// ---- domains

Result<DomainInfo> SimulatedHypervisor::defineDomain(const std::string& host, const std::string& xml) {
    const std::lock_guard lock(state_->mutex);
    auto target = state_->reachableHost(host);
    if (!target) return target.error();
    Host& found = *target.value();
    auto parsed = DomainXml::parse(xml);
    if (!parsed) return onHost(parsed.error(), host);
    DomainXml definition = std::move(parsed).value();
    auto identity = identify(*state_, definition, host);
    if (!identity) return identity.error();
    const auto [name, uuid] = identity.value();
    if (auto conflict = checkIdentityConflicts(found, name, uuid); !conflict) return conflict.error();

    auto shared = std::make_shared<const Definition>(std::move(definition));
    auto existing = found.domains.find(name);
    Code detail = event::kAdded;
    if (existing == found.domains.end()) {
        Domain added;
        added.name = name;
        added.uuid = uuid;
        added.config = std::move(shared);
        existing = found.domains.emplace(name, std::move(added)).first;
    } else {
        // A running domain keeps its live definition; the new one applies from its next start.
        if (existing->second.persistent()) detail = event::kUpdated;
        existing->second.config = std::move(shared);
    }
    state_->emitDomain(found, existing->second, DomainLifecycle::Defined, detail);
    DomainInfo info = existing->second.info();
    state_->flush();
    return info;
}

Result<void> SimulatedHypervisor::startDomain(const std::string& host, const std::string& domain) {
    const std::lock_guard lock(state_->mutex);
    BOOST_OUTCOME_TRY(target, state_->reachableDomain(host, domain));
    Host& found = *target.host;
    Domain& starting = *target.domain;
    if (starting.active()) {
        return Error{ErrorKind::OperationInvalid, "domain '" + starting.name + "' is already running", host};
    }
    if (auto resources = detail::checkStartResources(found, starting); !resources) return resources.error();
    if (found.startFailures > 0) {
        // QEMU gave up during start: libvirt leaves the domain shut off, reason failed, no event.
        --found.startFailures;
        starting.reason = reason::kFailed;
        return Error{ErrorKind::OperationFailed,
                     "cannot start domain '" + starting.name + "': " + found.startFailureMessage, host};
    }
    detail::markRunning(found, starting, starting.config, reason::kBooted);
    state_->emitDomain(found, starting, DomainLifecycle::Started, event::kBooted);
    state_->flush();
    return ok();
}

Result<void> SimulatedHypervisor::shutdownDomain(const std::string& host, const std::string& domain, Duration timeout) {
    const std::lock_guard lock(state_->mutex);
    BOOST_OUTCOME_TRY(target, state_->reachableDomain(host, domain));
    Host& found = *target.host;
    Domain& stopping = *target.domain;
    if (!stopping.active()) return notRunning(stopping, found);
    if (state_->guestIgnoresShutdown(stopping)) {
        // The guest never answers: wait the whole timeout, then pull the plug.
        state_->clock.advance(std::max(timeout, Duration::zero()));
        state_->stopDomain(found, stopping, {reason::kDestroyed, event::kDestroyed});
    } else {
        state_->emitDomain(found, stopping, DomainLifecycle::Shutdown, event::kFinished);
        state_->stopDomain(found, stopping, {reason::kShutdown, event::kShutdown});
    }
    state_->flush();
    return ok();
}

Result<void> SimulatedHypervisor::destroyDomain(const std::string& host, const std::string& domain) {
    const std::lock_guard lock(state_->mutex);
    BOOST_OUTCOME_TRY(target, state_->reachableDomain(host, domain));
    if (!target.domain->active()) return notRunning(*target.domain, *target.host);
    state_->stopDomain(*target.host, *target.domain, {reason::kDestroyed, event::kDestroyed});
    state_->flush();
    return ok();
}

Result<void> SimulatedHypervisor::undefineDomain(const std::string& host, const std::string& domain) {
    const std::lock_guard lock(state_->mutex);
    BOOST_OUTCOME_TRY(target, state_->reachableDomain(host, domain));
    Host& found = *target.host;
    Domain& undefining = *target.domain;
    if (!undefining.persistent()) {
        return Error{ErrorKind::OperationInvalid, "cannot undefine transient domain '" + undefining.name + "'", host};
    }
    // An active domain runs on as a transient one and vanishes when it stops, as in libvirt.
    undefining.config.reset();
    state_->emitDomain(found, undefining, DomainLifecycle::Undefined, event::kRemoved);
    if (!undefining.active()) {
        const std::string name = undefining.name;
        found.domains.erase(name);
    }
    state_->flush();
    return ok();
}

Result<DomainInfo> SimulatedHypervisor::domainInfo(const std::string& host, const std::string& domain) {
    const std::lock_guard lock(state_->mutex);
    BOOST_OUTCOME_TRY(target, state_->reachableDomain(host, domain));
    return target.domain->info();
}

Result<std::vector<DomainInfo>> SimulatedHypervisor::listDomains(const std::string& host) {
    const std::lock_guard lock(state_->mutex);
    auto target = state_->reachableHost(host);
    if (!target) return target.error();
    std::vector<DomainInfo> domains;
    for (const auto& [name, domain] : target.value()->domains) domains.push_back(domain.info());
    return domains;
}

Result<std::string> SimulatedHypervisor::domainXml(const std::string& host, const std::string& domain) {
    const std::lock_guard lock(state_->mutex);
    BOOST_OUTCOME_TRY(target, state_->reachableDomain(host, domain));
    return target.domain->current().text;
}

DomainCopies SimulatedHypervisor::findDomainCopies(const std::string& uuid) {
    const std::lock_guard lock(state_->mutex);
    const std::string wanted = detail::canonicalUuid(uuid);
    DomainCopies copies;
    for (const auto& [name, host] : state_->hosts) {
        if (!host.reachable()) {
            copies.unreachableHosts.push_back(name);  // absence there is unknown, not proven
            continue;
        }
        for (const auto& [domainName, domain] : host.domains) {
            if (!wanted.empty() && domain.uuid == wanted) copies.copies.push_back({name, domain.info()});
        }
    }
    return copies;
}

std::vector<std::string> SimulatedHypervisor::hostsRunningForTest(const std::string& domain) const {
    const std::lock_guard lock(state_->mutex);
    const std::string uuid = detail::canonicalUuid(domain);
    std::vector<std::string> running;
    for (const auto& [name, host] : state_->hosts)
        for (const auto& [domainName, copy] : host.domains)
            if (copy.active() && (domainName == domain || (!uuid.empty() && copy.uuid == uuid))) running.push_back(name);
    return running;
}

std::vector<PassedThroughDevice> SimulatedHypervisor::passedThroughDevicesForTest() const {
    const std::lock_guard lock(state_->mutex);
    std::vector<PassedThroughDevice> held;
    for (const auto& [hostName, host] : state_->hosts)
        for (const auto& [domainName, domain] : host.domains)
            if (domain.active())
                for (const PciHostdev& hostdev : domain.live->hostdevs)
                    held.push_back({hostName, hostdev.source.toString(), domainName, domain.uuid});
    return held;
}

std::vector<PciDevice> SimulatedHypervisor::pciDevicesForTest(const std::string& host) const {
    const std::lock_guard lock(state_->mutex);
    std::vector<PciDevice> devices;
    if (const auto found = state_->hosts.find(host); found != state_->hosts.end())
        for (const auto& [name, device] : found->second.devices) devices.push_back(device.device);
    return devices;
}

}  // namespace faxover::hv::sim
