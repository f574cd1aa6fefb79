#pragma once
// The port through which everything above this layer drives hypervisors. Two implementations:
// LibvirtHypervisor (real hosts) and SimulatedHypervisor (in memory, deterministic, fault knobs).
//
// Conventions:
//  - `host` is HostConfig::name; an unknown name is an InvalidArgument error.
//  - `domain` is a domain name or UUID.
//  - Every call returns Result; no exception crosses this interface.
//  - Calls are thread-safe. Events arrive on the implementation's own thread (libvirt) or
//    synchronously from the knob that caused them (simulation); handlers must be quick.
#include "faxover/hypervisor/Channel.h"
#include "faxover/hypervisor/Result.h"
#include "faxover/hypervisor/Types.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace faxover::hv {

using EventHandler = std::function<void(const HypervisorEvent&)>;
using ProgressCallback = std::function<void(const MigrationProgress&)>;

class Hypervisor {
public:
    virtual ~Hypervisor() = default;

    // ---- hosts
    virtual Result<void> addHost(const HostConfig& host) = 0;
    virtual Result<void> removeHost(const std::string& host) = 0;
    virtual std::vector<std::string> hosts() const = 0;
    virtual Result<HostStatus> hostStatus(const std::string& host) const = 0;
    // Replaces the event handler; pass {} to stop delivery.
    virtual void setEventHandler(EventHandler handler) = 0;

    // ---- inventory
    virtual Result<NodeInventory> nodeInventory(const std::string& host) = 0;
    virtual Result<std::vector<PciDevice>> pciDevices(const std::string& host) = 0;
    // Unbinds the device from its host driver and binds it to vfio-pci for passthrough.
    virtual Result<void> detachPciDevice(const std::string& host, const std::string& nodeDeviceName) = 0;
    // Gives the device back to its host driver.
    virtual Result<void> reattachPciDevice(const std::string& host, const std::string& nodeDeviceName) = 0;

    // ---- domains
    virtual Result<DomainInfo> defineDomain(const std::string& host, const std::string& xml) = 0;
    virtual Result<void> startDomain(const std::string& host, const std::string& domain) = 0;
    // Asks the guest to shut down; destroys it if it is still running after `timeout`.
    virtual Result<void> shutdownDomain(const std::string& host, const std::string& domain, Duration timeout) = 0;
    virtual Result<void> destroyDomain(const std::string& host, const std::string& domain) = 0;
    virtual Result<void> undefineDomain(const std::string& host, const std::string& domain) = 0;
    virtual Result<DomainInfo> domainInfo(const std::string& host, const std::string& domain) = 0;
    virtual Result<std::vector<DomainInfo>> listDomains(const std::string& host) = 0;
    // The domain's persistent definition, secrets (e.g. a VNC password) included: what its next
    // start runs and what a cold move defines on another host. Not the running XML, whose
    // runtime-only parts (ids, aliases, dynamic labels) belong to this host's QEMU.
    virtual Result<std::string> domainXml(const std::string& host, const std::string& domain) = 0;
    // Asks every host for the domain with this UUID; never fails as a whole.
    virtual DomainCopies findDomainCopies(const std::string& uuid) = 0;

    // ---- migration
    virtual Result<Migratability> checkMigratable(const std::string& host, const std::string& domain) = 0;
    // Live migration, persistent on the destination, undefined on the source. Blocks until done;
    // `progress` is called every options.progressInterval from the calling thread.
    virtual Result<MigrationResult> migrateLive(const std::string& source, const std::string& destination,
                                                const std::string& domain, const MigrationOptions& options,
                                                const ProgressCallback& progress) = 0;
    // Aborts a migration of `domain` running from `source`; migrateLive then returns Aborted.
    virtual Result<void> abortMigration(const std::string& source, const std::string& domain) = 0;

    // ---- guest channels (Channel.h)
    // Opens the host end of the running domain's virtio-serial channel whose target is `name`
    // (<channel type='unix'><target type='virtio' name='org.faxover.agent.0'/></channel>), taking it
    // over from any other client. NoSuchDomain; OperationInvalid when the domain does not run or
    // has no such channel; NotSupported by an implementation without channels (this default, so
    // that test doubles need not care).
    virtual Result<std::unique_ptr<Channel>> openChannel(const std::string& host, const std::string& domain,
                                                         const std::string& name, ChannelHandler handler) {
        (void)domain, (void)name, (void)handler;
        return Error{ErrorKind::NotSupported, "guest channels are not supported here", host};
    }
};

}  // namespace faxover::hv
