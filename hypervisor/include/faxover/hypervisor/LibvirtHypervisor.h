#pragma once
// The Hypervisor port over libvirt's C API. One supervised connection per host (keepalive, close
// callback, reconnect with backoff); lifecycle events through libvirt's default event loop, run on
// a thread of its own. Include this only where real hosts are driven: the daemon and the CLI.
#include "faxover/hypervisor/Hypervisor.h"

#include <memory>
#include <string>
#include <vector>

namespace faxover::hv {

struct ConnectionSettings {
    // libvirt closes a connection after about interval * (count + 1) seconds without an answer.
    int keepAliveIntervalSeconds = 1;
    unsigned keepAliveCount = 2;
    Duration reconnectMin{250};   // first retry after a loss, doubled on each failure ...
    Duration reconnectMax{4000};  // ... up to this
    Duration tcpProbeTimeout{1000};  // bounded TCP connect before virConnectOpen, which has no timeout
    // Removing a host (or destroying the layer) waits this long for its supervisor; one stuck in
    // libvirt (a wedged host) is then abandoned and finishes on its own.
    Duration abandonSupervisorAfter{1000};
    // Disks under these paths are on storage every host sees (NFS, cluster FS); others are local.
    std::vector<std::string> sharedStoragePrefixes;
};

class LibvirtHypervisor final : public Hypervisor {
public:
    explicit LibvirtHypervisor(ConnectionSettings settings = {});
    ~LibvirtHypervisor() override;
    LibvirtHypervisor(const LibvirtHypervisor&) = delete;
    LibvirtHypervisor& operator=(const LibvirtHypervisor&) = delete;

    // Blocks until every host has been tried at least once (reachable or not), or `timeout`.
    // Returns true when all hosts are reachable. For CLIs and tests; the daemon just reacts to events.
    bool waitUntilReachable(Duration timeout);

    Result<void> addHost(const HostConfig& host) override;
    Result<void> removeHost(const std::string& host) override;
    std::vector<std::string> hosts() const override;
    Result<HostStatus> hostStatus(const std::string& host) const override;
    void setEventHandler(EventHandler handler) override;
    Result<NodeInventory> nodeInventory(const std::string& host) override;
    Result<std::vector<PciDevice>> pciDevices(const std::string& host) override;
    Result<void> detachPciDevice(const std::string& host, const std::string& nodeDeviceName) override;
    Result<void> reattachPciDevice(const std::string& host, const std::string& nodeDeviceName) override;
    Result<DomainInfo> defineDomain(const std::string& host, const std::string& xml) override;
    Result<void> startDomain(const std::string& host, const std::string& domain) override;
    Result<void> shutdownDomain(const std::string& host, const std::string& domain, Duration timeout) override;
    Result<void> destroyDomain(const std::string& host, const std::string& domain) override;
    Result<void> undefineDomain(const std::string& host, const std::string& domain) override;
    Result<DomainInfo> domainInfo(const std::string& host, const std::string& domain) override;
    Result<std::vector<DomainInfo>> listDomains(const std::string& host) override;
    Result<std::string> domainXml(const std::string& host, const std::string& domain) override;
    DomainCopies findDomainCopies(const std::string& uuid) override;
    Result<Migratability> checkMigratable(const std::string& host, const std::string& domain) override;
    Result<MigrationResult> migrateLive(const std::string& source, const std::string& destination,
                                        const std::string& domain, const MigrationOptions& options,
                                        const ProgressCallback& progress) override;
    Result<void> abortMigration(const std::string& source, const std::string& domain) override;
    Result<std::unique_ptr<Channel>> openChannel(const std::string& host, const std::string& domain,
                                                 const std::string& name, ChannelHandler handler) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace faxover::hv
