#pragma once
// An in-memory hypervisor behind the same interface as LibvirtHypervisor, for the orchestrator's
// scenario tests. Deterministic: no threads, no sleeps, no real clock. Time moves only through the
// ManualClock it is given (migrations advance it by their simulated duration). Events are delivered
// synchronously, from inside the call or knob that caused them, in a fixed order.
#include "faxover/hypervisor/Clock.h"
#include "faxover/hypervisor/Hypervisor.h"

#include <cstdint>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace faxover::hv::sim {

struct SimHostSpec {
    HostConfig config;
    unsigned cpus = 8;
    std::uint64_t memoryKiB = 32ull * 1024 * 1024;
    std::vector<PciDevice> pciDevices;  // e.g. fake Brooktrout boards (vendor 0x12e4)
};

// A PCI device a running domain holds (its hostdev's source), as the simulation knows it.
struct PassedThroughDevice {
    std::string host;
    std::string pciAddress;  // canonical DDDD:BB:SS.F
    std::string domain;      // the domain's name
    std::string domainUuid;  // canonical, lower case
    bool operator==(const PassedThroughDevice&) const = default;
};

class SimulatedHypervisor final : public Hypervisor {
public:
    explicit SimulatedHypervisor(ManualClock& clock);
    ~SimulatedHypervisor() override;

    // Adds a powered-on, reachable host with this hardware (addHost() uses default hardware).
    // InvalidArgument for a nameless or duplicate host or a PCI device listed twice.
    Result<void> addSimHost(const SimHostSpec& spec);

    // ---- fault knobs
    // A typo must fail the scenario: an unknown host is InvalidArgument, an unknown domain
    // NoSuchDomain, both naming it. A fault already in place (powering off a dead host, crashing a
    // shut off domain) changes nothing and succeeds.
    Result<void> powerOff(const std::string& host);    // unreachable; every domain on it dies silently
    Result<void> powerOn(const std::string& host);     // reachable again; persistent domains shut off
    Result<void> cutNetwork(const std::string& host);  // unreachable; domains keep running, unseen
    Result<void> healNetwork(const std::string& host);
    // The orchestrator's own link: down, every host is unreachable from here while the hosts, their
    // domains and the network between them carry on.
    void setOrchestratorLink(bool up);
    Result<void> crashLibvirtd(const std::string& host);  // unreachable; domains keep running
    Result<void> restartLibvirtd(const std::string& host);
    Result<void> crashDomain(const std::string& host, const std::string& domain);  // emits Crashed/Stopped
    Result<void> failNextStarts(const std::string& host, unsigned count,
                                const std::string& message = "simulated start failure");
    void failNextMigrations(unsigned count, const std::string& message = "simulated migration failure");
    void setMigrationDuration(Duration duration);  // simulated time per live migration (default 2 s)
    // Graceful shutdown times out. `domain` (name or UUID) must exist on some host, except to clear
    // a flag set earlier.
    Result<void> setGuestIgnoresShutdown(const std::string& domain, bool ignores);
    // Disks under these paths count as shared storage for checkMigratable and migrateLive, as
    // ConnectionSettings::sharedStoragePrefixes does for LibvirtHypervisor. None by default.
    void setSharedStoragePrefixes(std::vector<std::string> prefixes);

    // ---- the guest's end of virtio-serial channels (openChannel is the host's end)
    // The guest writes `bytes` into its channel `name`: the open host end's handler gets them
    // before this returns. OperationInvalid when the domain does not run on a reachable host or no
    // host end is open (a real guest's write would then be lost, as here).
    Result<void> writeFromGuest(const std::string& domain, const std::string& name, std::string_view bytes);
    // What host ends wrote into the domain's channel `name` since the last call, oldest first.
    std::string takeWrittenToGuest(const std::string& domain, const std::string& name);
    // Host ends open now, for tests that a closed channel is really closed.
    std::size_t openChannelsForTest() const;

    // Ground truth for checkers: the hosts where `domain` (name or UUID) really runs, reachable or
    // not, in name order. No real hypervisor can answer this; scenario invariants need it.
    std::vector<std::string> hostsRunningForTest(const std::string& domain) const;
    // Ground truth for the board invariant: every PCI hostdev of every running domain, reachable
    // or not, in host name, then domain name, then hostdev order. A board that two domains held
    // at once would show up twice here, which startDomain never allows.
    std::vector<PassedThroughDevice> passedThroughDevicesForTest() const;
    // Ground truth for a host's PCI devices and the drivers bound to them now, reachable or not
    // (pciDevices() needs a reachable host), in node device name order; empty for an unknown host.
    std::vector<PciDevice> pciDevicesForTest(const std::string& host) const;

    // ---- the Hypervisor interface
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
    // Any channel name is accepted: the simulation does not read <channel> from the domain XML.
    // The channel ends (onClosed) when its domain stops, leaves the host or the host becomes
    // unreachable, seen at the end of the call or knob that caused it.
    Result<std::unique_ptr<Channel>> openChannel(const std::string& host, const std::string& domain,
                                                 const std::string& name, ChannelHandler handler) override;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace faxover::hv::sim
