#include "faxover/hypervisor/LibvirtHypervisor.h"

#include "faxover/hypervisor/DomainXml.h"
#include "libvirt/Domains.h"
#include "libvirt/EventLoop.h"
#include "libvirt/GuestChannel.h"
#include "libvirt/HostConnection.h"
#include "libvirt/LibvirtErrors.h"
#include "libvirt/Migration.h"

#include <libvirt/virterror.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <shared_mutex>
#include <thread>

namespace faxover::hv {

using libvirt::ConnectionRef;
using libvirt::DomainHandle;
using libvirt::HostConnection;
using libvirt::lastLibvirtError;

struct LibvirtHypervisor::Impl {
    ConnectionSettings settings;

    mutable std::shared_mutex hostsMutex;
    std::map<std::string, std::shared_ptr<HostConnection>> hosts;

    // Delivery holds this lock, so once setEventHandler({}) returns no delivery is in flight.
    std::mutex handlerMutex;
    EventHandler handler;

    void deliver(const HypervisorEvent& event) {
        std::lock_guard lock(handlerMutex);
        if (handler) handler(event);
    }

    Result<std::shared_ptr<HostConnection>> find(const std::string& host) const {
        std::shared_lock lock(hostsMutex);
        const auto it = hosts.find(host);
        if (it == hosts.end()) return Error{ErrorKind::InvalidArgument, "unknown host '" + host + "'", host};
        return it->second;
    }

    // Runs `call` with a live connection to `host`. A failure that means the connection is gone
    // wakes that host's supervisor so reachability is re-checked at once, not at the next keepalive.
    template <class Call>
    auto withConnection(const std::string& host, Call&& call) -> decltype(call(virConnectPtr{})) {
        BOOST_OUTCOME_TRY(connection, find(host));
        BOOST_OUTCOME_TRY(ref, connection->acquire());
        auto result = call(ref.get());
        if (!result && result.error().kind == ErrorKind::HostUnreachable) connection->reportSuspectedLoss();
        return result;
    }

    template <class Call>
    auto withDomain(const std::string& host, const std::string& domain, Call&& call)
        -> decltype(call(virConnectPtr{}, virDomainPtr{})) {
        return withConnection(host, [&](virConnectPtr connection) -> decltype(call(connection, virDomainPtr{})) {
            BOOST_OUTCOME_TRY(handle, libvirt::lookupDomain(connection, host, domain));
            return call(connection, handle.get());
        });
    }
};

LibvirtHypervisor::LibvirtHypervisor(ConnectionSettings settings) : impl_(std::make_unique<Impl>()) {
    libvirt::ensureEventLoopRunning();
    impl_->settings = std::move(settings);
}

LibvirtHypervisor::~LibvirtHypervisor() {
    setEventHandler({});
    std::unique_lock lock(impl_->hostsMutex);
    impl_->hosts.clear();
}

bool LibvirtHypervisor::waitUntilReachable(Duration timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        bool allTried = true;
        bool allReachable = true;
        {
            std::shared_lock lock(impl_->hostsMutex);
            for (const auto& [name, connection] : impl_->hosts) {
                allTried = allTried && connection->triedOnce();
                allReachable = allReachable && connection->status().reachability == Reachability::Reachable;
            }
        }
        if (allReachable || (allTried && std::chrono::steady_clock::now() >= deadline)) return allReachable;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

Result<void> LibvirtHypervisor::addHost(const HostConfig& host) {
    if (host.name.empty() || host.uri.empty()) {
        return Error{ErrorKind::InvalidArgument, "a host needs a name and a libvirt URI", host.name};
    }
    std::unique_lock lock(impl_->hostsMutex);
    if (impl_->hosts.contains(host.name)) {
        return Error{ErrorKind::InvalidArgument, "host '" + host.name + "' is already known", host.name};
    }
    Impl* impl = impl_.get();
    libvirt::HostListener listener{
        [impl](const HostEvent& event) { impl->deliver(event); },
        [impl](const DomainEvent& event) { impl->deliver(event); },
    };
    impl_->hosts.emplace(host.name, std::make_shared<HostConnection>(host, impl_->settings, std::move(listener)));
    return ok();
}

Result<void> LibvirtHypervisor::removeHost(const std::string& host) {
    std::shared_ptr<HostConnection> removed;
    {
        std::unique_lock lock(impl_->hostsMutex);
        const auto it = impl_->hosts.find(host);
        if (it == impl_->hosts.end()) return Error{ErrorKind::InvalidArgument, "unknown host '" + host + "'", host};
        removed = std::move(it->second);
        impl_->hosts.erase(it);
    }
    return ok();  // `removed` closes the connection here, outside the lock
}

std::vector<std::string> LibvirtHypervisor::hosts() const {
    std::shared_lock lock(impl_->hostsMutex);
    std::vector<std::string> names;
    for (const auto& [name, connection] : impl_->hosts) names.push_back(name);
    return names;
}

Result<HostStatus> LibvirtHypervisor::hostStatus(const std::string& host) const {
    BOOST_OUTCOME_TRY(connection, impl_->find(host));
    return connection->status();
}

void LibvirtHypervisor::setEventHandler(EventHandler handler) {
    std::lock_guard lock(impl_->handlerMutex);
    impl_->handler = std::move(handler);
}

Result<NodeInventory> LibvirtHypervisor::nodeInventory(const std::string& host) {
    return impl_->withConnection(host, [&](virConnectPtr connection) -> Result<NodeInventory> {
        NodeInventory inventory;
        virNodeInfo node{};
        if (virNodeGetInfo(connection, &node) < 0) return lastLibvirtError(host, "read node info");
        inventory.cpus = node.cpus;
        inventory.memoryKiB = node.memory;
        const unsigned long long freeBytes = virNodeGetFreeMemory(connection);
        if (freeBytes == 0) return lastLibvirtError(host, "read free memory");
        inventory.freeMemoryKiB = freeBytes / 1024;
        inventory.hostname = libvirt::takeString(virConnectGetHostname(connection));
        virDomainPtr* domains = nullptr;
        const int count = virConnectListAllDomains(connection, &domains, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
        if (count < 0) return lastLibvirtError(host, "list running domains");
        for (int i = 0; i < count; ++i) {
            DomainHandle owned(domains[i]);
            inventory.runningDomains.emplace_back(virDomainGetName(owned.get()));
        }
        std::free(domains);
        std::sort(inventory.runningDomains.begin(), inventory.runningDomains.end());
        return inventory;
    });
}

Result<std::vector<PciDevice>> LibvirtHypervisor::pciDevices(const std::string& host) {
    return impl_->withConnection(host, [&](virConnectPtr connection) -> Result<std::vector<PciDevice>> {
        virNodeDevicePtr* devices = nullptr;
        const int count =
            virConnectListAllNodeDevices(connection, &devices, VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV);
        if (count < 0) return lastLibvirtError(host, "list PCI devices");
        std::vector<libvirt::NodeDeviceHandle> owned;
        for (int i = 0; i < count; ++i) owned.emplace_back(devices[i]);
        std::free(devices);
        std::vector<PciDevice> result;
        for (const auto& device : owned) {
            const std::string xml = libvirt::takeString(virNodeDeviceGetXMLDesc(device.get(), 0));
            if (xml.empty()) return lastLibvirtError(host, std::string("read node device ") + virNodeDeviceGetName(device.get()));
            BOOST_OUTCOME_TRY(parsed, parsePciNodeDevice(xml));
            result.push_back(std::move(parsed));
        }
        std::sort(result.begin(), result.end(),
                  [](const PciDevice& a, const PciDevice& b) { return a.address < b.address; });
        return result;
    });
}

namespace {

Result<libvirt::NodeDeviceHandle> lookupNodeDevice(virConnectPtr connection, const std::string& host,
                                                   const std::string& name) {
    virNodeDevicePtr device = virNodeDeviceLookupByName(connection, name.c_str());
    if (device == nullptr) return lastLibvirtError(host, "look up node device " + name);
    return libvirt::NodeDeviceHandle(device);
}

}  // namespace

Result<void> LibvirtHypervisor::detachPciDevice(const std::string& host, const std::string& nodeDeviceName) {
    return impl_->withConnection(host, [&](virConnectPtr connection) -> Result<void> {
        BOOST_OUTCOME_TRY(device, lookupNodeDevice(connection, host, nodeDeviceName));
        if (virNodeDeviceDetachFlags(device.get(), "vfio", 0) < 0) {
            return lastLibvirtError(host, "detach " + nodeDeviceName + " to vfio-pci");
        }
        return ok();
    });
}

Result<void> LibvirtHypervisor::reattachPciDevice(const std::string& host, const std::string& nodeDeviceName) {
    return impl_->withConnection(host, [&](virConnectPtr connection) -> Result<void> {
        BOOST_OUTCOME_TRY(device, lookupNodeDevice(connection, host, nodeDeviceName));
        if (virNodeDeviceReAttach(device.get()) < 0) {
            return lastLibvirtError(host, "reattach " + nodeDeviceName + " to its host driver");
        }
        return ok();
    });
}

Result<DomainInfo> LibvirtHypervisor::defineDomain(const std::string& host, const std::string& xml) {
    return impl_->withConnection(host, [&](virConnectPtr connection) -> Result<DomainInfo> {
        virDomainPtr defined = virDomainDefineXML(connection, xml.c_str());
        if (defined == nullptr) return lastLibvirtError(host, "define domain");
        DomainHandle owned(defined);
        return libvirt::describeDomain(owned.get(), host);
    });
}

Result<void> LibvirtHypervisor::startDomain(const std::string& host, const std::string& domain) {
    return impl_->withDomain(host, domain, [&](virConnectPtr, virDomainPtr handle) -> Result<void> {
        if (virDomainCreate(handle) < 0) return lastLibvirtError(host, "start domain " + domain);
        return ok();
    });
}

Result<void> LibvirtHypervisor::shutdownDomain(const std::string& host, const std::string& domain, Duration timeout) {
    return impl_->withDomain(host, domain, [&](virConnectPtr, virDomainPtr handle) -> Result<void> {
        if (virDomainShutdown(handle) < 0) return lastLibvirtError(host, "shut down domain " + domain);
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            int state = 0;
            if (virDomainGetState(handle, &state, nullptr, 0) < 0) {
                return lastLibvirtError(host, "read state of " + domain);
            }
            if (state == VIR_DOMAIN_SHUTOFF) return ok();
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        // The guest ignored the request (no ACPI handling, hung): it must not keep running.
        if (virDomainDestroy(handle) < 0) return lastLibvirtError(host, "destroy domain " + domain + " after shutdown timeout");
        return ok();
    });
}

Result<void> LibvirtHypervisor::destroyDomain(const std::string& host, const std::string& domain) {
    return impl_->withDomain(host, domain, [&](virConnectPtr, virDomainPtr handle) -> Result<void> {
        if (virDomainDestroy(handle) < 0) return lastLibvirtError(host, "destroy domain " + domain);
        return ok();
    });
}

Result<void> LibvirtHypervisor::undefineDomain(const std::string& host, const std::string& domain) {
    return impl_->withDomain(host, domain, [&](virConnectPtr, virDomainPtr handle) -> Result<void> {
        const unsigned int flags = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA;
        if (virDomainUndefineFlags(handle, flags) < 0) return lastLibvirtError(host, "undefine domain " + domain);
        return ok();
    });
}

Result<DomainInfo> LibvirtHypervisor::domainInfo(const std::string& host, const std::string& domain) {
    return impl_->withDomain(host, domain, [&](virConnectPtr, virDomainPtr handle) -> Result<DomainInfo> {
        return libvirt::describeDomain(handle, host);
    });
}

Result<std::vector<DomainInfo>> LibvirtHypervisor::listDomains(const std::string& host) {
    return impl_->withConnection(host, [&](virConnectPtr connection) -> Result<std::vector<DomainInfo>> {
        virDomainPtr* domains = nullptr;
        const int count = virConnectListAllDomains(connection, &domains, 0);
        if (count < 0) return lastLibvirtError(host, "list domains");
        std::vector<DomainHandle> owned;
        for (int i = 0; i < count; ++i) owned.emplace_back(domains[i]);
        std::free(domains);
        std::vector<DomainInfo> result;
        for (const auto& domain : owned) {
            auto info = libvirt::describeDomain(domain.get(), host);
            // A domain undefined between the listing and this read is simply gone.
            if (!info && info.error().kind == ErrorKind::NoSuchDomain) continue;
            if (!info) return info.error();
            result.push_back(std::move(info).value());
        }
        std::sort(result.begin(), result.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
        return result;
    });
}

Result<std::string> LibvirtHypervisor::domainXml(const std::string& host, const std::string& domain) {
    return impl_->withDomain(host, domain, [&](virConnectPtr, virDomainPtr handle) -> Result<std::string> {
        // SECURE needs the read-write connection Faxover holds anyway; without it libvirt drops
        // passwords, and a definition copied elsewhere would lose them.
        char* xml = virDomainGetXMLDesc(handle, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
        if (xml == nullptr) return lastLibvirtError(host, "read XML of domain " + domain);
        return libvirt::takeString(xml);
    });
}

DomainCopies LibvirtHypervisor::findDomainCopies(const std::string& uuid) {
    DomainCopies found;
    for (const auto& host : hosts()) {
        auto info = domainInfo(host, uuid);
        if (info) {
            found.copies.push_back(DomainCopy{host, std::move(info).value()});
        } else if (info.error().kind != ErrorKind::NoSuchDomain) {
            // Anything but a definite "no such domain" leaves this host's answer unknown.
            found.unreachableHosts.push_back(host);
        }
    }
    return found;
}

Result<Migratability> LibvirtHypervisor::checkMigratable(const std::string& host, const std::string& domain) {
    BOOST_OUTCOME_TRY(info, domainInfo(host, domain));
    BOOST_OUTCOME_TRY(xml, domainXml(host, domain));
    BOOST_OUTCOME_TRY(parsed, DomainXml::parse(xml));
    return assessMigratability(parsed, info.state, impl_->settings.sharedStoragePrefixes);
}

Result<MigrationResult> LibvirtHypervisor::migrateLive(const std::string& source, const std::string& destination,
                                                       const std::string& domain, const MigrationOptions& options,
                                                       const ProgressCallback& progress) {
    if (source == destination) {
        return Error{ErrorKind::OperationInvalid, "cannot migrate " + domain + " to the host it runs on", source};
    }
    BOOST_OUTCOME_TRY(migratability, checkMigratable(source, domain));
    if (!migratability.possible()) {
        return Error{ErrorKind::MigrationRefused, domain + " on " + source + ": " + migratability.explain(), source};
    }
    BOOST_OUTCOME_TRY(destinationConnection, impl_->find(destination));
    BOOST_OUTCOME_TRY(destinationRef, destinationConnection->acquire());
    return impl_->withDomain(source, domain, [&](virConnectPtr sourceRef, virDomainPtr handle) -> Result<MigrationResult> {
        BOOST_OUTCOME_TRY(sourceConnection, impl_->find(source));
        const libvirt::MigrationEndpoints endpoints{sourceRef, destinationRef.get(), sourceConnection->config(),
                                                    destinationConnection->config()};
        return libvirt::migrateLive(endpoints, handle, options, progress);
    });
}

Result<void> LibvirtHypervisor::abortMigration(const std::string& source, const std::string& domain) {
    return impl_->withDomain(source, domain, [&](virConnectPtr, virDomainPtr handle) -> Result<void> {
        if (virDomainAbortJob(handle) < 0) return lastLibvirtError(source, "abort migration of " + domain);
        return ok();
    });
}

Result<std::unique_ptr<Channel>> LibvirtHypervisor::openChannel(const std::string& host, const std::string& domain,
                                                                const std::string& name, ChannelHandler handler) {
    return impl_->withDomain(host, domain,
                             [&](virConnectPtr connection, virDomainPtr handle) -> Result<std::unique_ptr<Channel>> {
                                 return libvirt::openGuestChannel(connection, handle, host, name, std::move(handler));
                             });
}

}  // namespace faxover::hv
