// The simulated hypervisor's model helpers: lookups, the event queue, reachability, and the parts
// of a domain's lifecycle shared by interface calls, fault knobs and migration.
#include "SimState.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace faxover::hv::sim::detail {

Definition::Definition(DomainXml parsed)
    : xml(std::move(parsed)),
      text(xml.toString()),
      hostdevs(xml.pciHostdevs()),
      memoryKiB(xml.memoryKiB()),
      vcpus(xml.vcpus()) {}

DomainInfo Domain::info() const {
    DomainInfo info;
    info.name = name;
    info.uuid = uuid;
    info.state = state();
    info.reason = reason.value;
    info.reasonText = reason.text;
    info.persistent = persistent();
    info.memoryKiB = current().memoryKiB;
    info.vcpus = current().vcpus;
    return info;
}

std::string canonicalUuid(const std::string& text) {
    std::string hex;
    for (const char c : text) {
        // libvirt's virUUIDParse skips the dashes and the whitespace around the digits.
        if (c == '-' || std::isspace(static_cast<unsigned char>(c)) != 0) continue;
        if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return {};
        hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (hex.size() != 32) return {};
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
           hex.substr(20);
}

SimState::SimState(ManualClock& simClock) : clock(simClock) {}

// ---- lookups

Host* SimState::hostOrNull(const std::string& name) {
    const auto found = hosts.find(name);
    return found == hosts.end() ? nullptr : &found->second;
}

Result<Host*> SimState::knownHost(const std::string& name) {
    if (Host* host = hostOrNull(name)) return host;
    return Error{ErrorKind::InvalidArgument, "unknown host '" + name + "'", name};
}

Result<Host*> SimState::reachableHost(const std::string& name) {
    auto host = knownHost(name);
    if (host && !host.value()->reachable()) {
        return Error{ErrorKind::HostUnreachable, "host '" + name + "' is unreachable: " + host.value()->status.reason,
                     name};
    }
    return host;
}

Result<SimState::HostDomain> SimState::reachableDomain(const std::string& host, const std::string& domain) {
    BOOST_OUTCOME_TRY(target, reachableHost(host));
    BOOST_OUTCOME_TRY(found, findDomain(*target, domain));
    return HostDomain{target, found};
}

Result<Domain*> findDomain(Host& host, const std::string& nameOrUuid) {
    if (const auto byName = host.domains.find(nameOrUuid); byName != host.domains.end()) return &byName->second;
    const std::string uuid = canonicalUuid(nameOrUuid);
    for (auto& [name, domain] : host.domains) {
        if (!uuid.empty() && domain.uuid == uuid) return &domain;
    }
    return Error{ErrorKind::NoSuchDomain, "no domain '" + nameOrUuid + "' on host '" + host.config.name + "'",
                 host.config.name};
}

// ---- events
//
// A call queues its events and delivers them with flush() once its state change is complete, so
// a handler always sees a consistent model. A handler that calls back in gets its own call's
// events delivered after it returns, by the outer flush, in the order they happened: delivery
// never nests and the order is the same on every run.

void SimState::emitDomain(const Host& host, const Domain& domain, DomainLifecycle lifecycle, Code detail) {
    // Nobody is connected to an unreachable host's libvirtd: what happens there is seen later, by
    // asking, never as an event.
    if (!host.reachable()) return;
    pending_.emplace_back(
        DomainEvent{host.config.name, domain.name, domain.uuid, lifecycle, detail.value, detail.text});
}

void SimState::refreshReachability(Host& host, const std::string& reason) {
    const Reachability now = host.reachable() ? Reachability::Reachable : Reachability::Unreachable;
    // A second fault on an unreachable host changes nothing anyone can observe.
    if (now == host.status.reachability) return;
    host.status = HostStatus{now, clock.now(), reason};
    pending_.emplace_back(HostEvent{host.config.name, host.status});
}

void SimState::flush() {
    closeEndedChannels();
    if (delivering_) return;
    delivering_ = true;
    struct Reset {
        bool& flag;
        ~Reset() { flag = false; }
    } reset{delivering_};  // a throwing handler (a failed test assertion) must not wedge delivery
    while (!pending_.empty()) {
        const HypervisorEvent event = std::move(pending_.front());
        pending_.pop_front();
        const EventHandler current = handler;  // the handler may replace or clear itself
        if (current) current(event);
    }
}

// ---- domain lifecycle

void SimState::stopDomain(Host& host, Domain& domain, StopCause cause) {
    if (!domain.active()) return;
    const DefinitionPtr stopped = std::move(domain.live);
    domain.live.reset();
    domain.reason = cause.reason;
    // libvirt gives managed devices back to their host driver when the domain stops.
    for (const PciHostdev& hostdev : stopped->hostdevs) {
        Device* device = deviceAt(host, hostdev.source);
        if (hostdev.managed && device != nullptr) device->device.driver = device->hostDriver;
    }
    emitDomain(host, domain, DomainLifecycle::Stopped, cause.eventDetail);
    if (!domain.persistent()) {
        const std::string name = domain.name;  // a transient domain ends with its last run
        host.domains.erase(name);
    }
}

Result<void> checkStartResources(const Host& host, const Domain& domain) {
    const std::string& where = host.config.name;
    const Definition& definition = *domain.config;
    // QEMU cannot allocate the guest's RAM: libvirt reports the start as failed.
    BOOST_OUTCOME_TRYV(checkFreeMemory(host, definition, "cannot start domain '" + domain.name + "'"));
    for (const PciHostdev& hostdev : definition.hostdevs) {
        const std::string address = hostdev.source.toString();
        const Device* device = deviceAt(host, hostdev.source);
        if (device == nullptr) {
            return Error{ErrorKind::OperationFailed,
                         "cannot start domain '" + domain.name + "': PCI device " + address + " not found on host '" +
                             where + "'",
                         where};
        }
        if (const Domain* user = deviceUser(host, hostdev.source); user != nullptr && user != &domain) {
            return Error{ErrorKind::OperationInvalid,
                         "PCI device " + address + " is in use by domain '" + user->name + "'", where};
        }
        if (!hostdev.managed && device->device.driver != "vfio-pci") {
            return Error{ErrorKind::OperationFailed,
                         "cannot start domain '" + domain.name + "': PCI device " + address +
                             " is not bound to vfio-pci and its hostdev is not managed",
                         where};
        }
    }
    return ok();
}

void markRunning(Host& host, Domain& domain, DefinitionPtr definition, Code why) {
    for (const PciHostdev& hostdev : definition->hostdevs) {
        Device* device = deviceAt(host, hostdev.source);
        if (!hostdev.managed || device == nullptr || device->device.driver == "vfio-pci") continue;
        device->hostDriver = device->device.driver;
        device->device.driver = "vfio-pci";
    }
    domain.live = std::move(definition);
    domain.reason = why;
}

const Domain* deviceUser(const Host& host, const PciAddress& address) {
    for (const auto& [name, domain] : host.domains) {
        if (!domain.active()) continue;
        for (const PciHostdev& hostdev : domain.live->hostdevs) {
            if (hostdev.source == address) return &domain;
        }
    }
    return nullptr;
}

const Device* deviceAt(const Host& host, const PciAddress& address) {
    for (const auto& [name, device] : host.devices) {
        if (device.device.address == address) return &device;
    }
    return nullptr;
}

Device* deviceAt(Host& host, const PciAddress& address) {
    return const_cast<Device*>(deviceAt(static_cast<const Host&>(host), address));
}

std::uint64_t freeMemoryKiB(const Host& host) {
    std::uint64_t used = 0;
    for (const auto& [name, domain] : host.domains) {
        if (domain.active()) used += domain.live->memoryKiB;
    }
    return used >= host.memoryKiB ? 0 : host.memoryKiB - used;
}

Result<void> checkFreeMemory(const Host& host, const Definition& domain, const std::string& what) {
    const std::uint64_t free = freeMemoryKiB(host);
    if (domain.memoryKiB <= free) return ok();
    // Rounded so that the message never reads as if the memory were there: need up, free down.
    const std::uint64_t needMiB = domain.memoryKiB / 1024 + (domain.memoryKiB % 1024 != 0 ? 1 : 0);
    return Error{ErrorKind::OperationFailed,
                 what + ": not enough free memory on host '" + host.config.name + "': needs " +
                     std::to_string(needMiB) + " MiB, " + std::to_string(free / 1024) + " MiB free",
                 host.config.name};
}

bool SimState::guestIgnoresShutdown(const Domain& domain) const {
    return guestsIgnoringShutdown.count(domain.name) > 0 || guestsIgnoringShutdown.count(domain.uuid) > 0;
}

std::string SimState::shutdownKey(const std::string& domain) {
    for (auto& [name, host] : hosts) {
        auto found = findDomain(host, domain);
        if (found) return found.value()->name == domain ? domain : found.value()->uuid;
    }
    return {};
}

std::string SimState::nextUuid() {
    // Version-4 shaped and counted, so that runs repeat exactly.
    char text[40];
    std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012llx",
                  static_cast<unsigned long long>(++generatedUuids));
    return text;
}

}  // namespace faxover::hv::sim::detail
