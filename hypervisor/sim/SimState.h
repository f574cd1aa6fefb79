#pragma once
// The simulated hypervisor's model: hosts, domains, PCI devices, the event queue and the helpers
// every call shares. Private to hypervisor/sim/; SimulatedHypervisor.cpp holds the interface calls,
// SimMigration.cpp the migration. Nothing here throws or asserts: bad input becomes an Error.
#include "faxover/hypervisor/Clock.h"
#include "faxover/hypervisor/DomainXml.h"
#include "faxover/hypervisor/Hypervisor.h"
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace faxover::hv::sim::detail {

// libvirt's state reasons and event details, by the numbers libvirt uses (virDomainRunningReason,
// virDomainShutoffReason, virDomainEvent*DetailType), so that logs read like the real thing.
struct Code {
    int value;
    const char* text;
};
namespace reason {
inline constexpr Code kUnknown{0, "unknown"};
inline constexpr Code kBooted{1, "booted"};  // running
inline constexpr Code kRunningMigrated{2, "migrated"};
inline constexpr Code kShutdown{1, "shutdown"};  // shut off
inline constexpr Code kDestroyed{2, "destroyed"};
inline constexpr Code kCrashed{3, "crashed"};
inline constexpr Code kFailed{6, "failed"};
}  // namespace reason
namespace event {
inline constexpr Code kAdded{0, "added"};  // defined
inline constexpr Code kUpdated{1, "updated"};
inline constexpr Code kRemoved{0, "removed"};  // undefined
inline constexpr Code kBooted{0, "booted"};    // started
inline constexpr Code kStartedMigrated{1, "migrated"};
inline constexpr Code kShutdown{0, "shutdown"};  // stopped
inline constexpr Code kDestroyed{1, "destroyed"};
inline constexpr Code kCrashed{2, "crashed"};
inline constexpr Code kStoppedMigrated{3, "migrated"};
inline constexpr Code kFinished{0, "finished"};  // shutdown
inline constexpr Code kPanicked{0, "panicked"};  // crashed
}  // namespace event

// How a running domain stopped: its shut-off reason and the Stopped event's detail.
struct StopCause {
    Code reason;
    Code eventDetail;
};

// One parsed definition, immutable and shared between a domain's live and persistent slots.
struct Definition {
    explicit Definition(DomainXml parsed);

    DomainXml xml;
    std::string text;  // xml.toString(), what domainXml() returns
    std::vector<PciHostdev> hostdevs;
    std::uint64_t memoryKiB = 0;  // 0 when the XML has no <memory>: it then takes no host memory
    unsigned vcpus = 1;
};
using DefinitionPtr = std::shared_ptr<const Definition>;

struct Domain {
    std::string name;
    std::string uuid;
    DefinitionPtr config;            // persistent definition; null for a transient domain
    DefinitionPtr live;              // what runs; null while shut off
    Code reason = reason::kUnknown;  // of the current state

    // The simulation has no paused or suspended guests: a domain runs or is shut off.
    bool active() const { return live != nullptr; }
    DomainState state() const { return active() ? DomainState::Running : DomainState::Shutoff; }
    bool persistent() const { return config != nullptr; }
    const Definition& current() const { return active() ? *live : *config; }
    DomainInfo info() const;
};

struct Device {
    PciDevice device;        // device.driver is the driver bound now
    std::string bootDriver;  // what the host binds at boot
    std::string hostDriver;  // what reattach gives it back to ("" when unknown)
};

struct MigrationJob {
    bool abortRequested = false;
    bool postCopy = false;  // libvirt refuses to abort a migration once it is in post-copy
};

struct Host {
    HostConfig config;
    unsigned cpus = 0;
    std::uint64_t memoryKiB = 0;
    std::map<std::string, Device> devices;  // by node device name
    std::map<std::string, Domain> domains;  // by name

    bool poweredOn = true;
    bool networkUp = true;
    bool libvirtdUp = true;
    bool orchestratorLinkUp = true;  // false: the orchestrator's own link is down, the host itself is fine
    HostStatus status;

    unsigned startFailures = 0;
    std::string startFailureMessage;

    bool reachable() const { return poweredOn && networkUp && libvirtdUp && orchestratorLinkUp; }
};

inline constexpr std::uint64_t kDefaultMigrationData = 128ull * 1024 * 1024;  // bytes, memory unknown

// "0A1B..." with or without dashes -> canonical lower-case 8-4-4-4-12; "" when malformed.
std::string canonicalUuid(const std::string& text);

// ---- a host's resources
Device* deviceAt(Host& host, const PciAddress& address);
const Device* deviceAt(const Host& host, const PciAddress& address);
// The active domain whose live definition holds the device at `address`, or null.
const Domain* deviceUser(const Host& host, const PciAddress& address);
std::uint64_t freeMemoryKiB(const Host& host);
// OperationFailed unless `host` has `domain`'s memory free, worded "not enough free memory on host
// 'b': needs 20480 MiB, 12288 MiB free" after `what` ("cannot start domain 'x'").
Result<void> checkFreeMemory(const Host& host, const Definition& domain, const std::string& what);
// Memory and PCI devices for starting `domain`'s persistent definition; changes nothing.
Result<void> checkStartResources(const Host& host, const Domain& domain);
// Binds the definition's managed devices to vfio-pci and marks the domain running for `why`.
void markRunning(Host& host, Domain& domain, DefinitionPtr definition, Code why);
Result<Domain*> findDomain(Host& host, const std::string& nameOrUuid);  // NoSuchDomain

// The host end of one simulated channel: open while its domain runs the same live definition on a
// reachable host.
struct SimChannel {
    std::string host;
    std::string uuid;
    std::string name;
    const Definition* run = nullptr;  // the live definition it was opened on: a restart is another run
    ChannelHandler handler;
    std::string writtenToGuest;
    bool open = true;
};

class SimState {
public:
    explicit SimState(ManualClock& clock);

    // Hypervisor promises thread-safe calls. Recursive, because event handlers and progress
    // callbacks run inside a call, on its thread, and may call back in.
    std::recursive_mutex mutex;
    ManualClock& clock;
    std::map<std::string, Host> hosts;  // by name: every iteration is in name order
    EventHandler handler;

    unsigned migrationFailures = 0;
    std::string migrationFailureMessage;
    Duration migrationDuration{2000};
    std::set<std::string> guestsIgnoringShutdown;  // domain names or canonical UUIDs
    std::vector<std::string> sharedStoragePrefixes;
    std::uint64_t generatedUuids = 0;
    std::map<std::pair<std::string, std::string>, MigrationJob> migrations;  // by (source host, uuid)
    std::vector<std::shared_ptr<SimChannel>> channels;  // open host ends (SimChannels.cpp)

    Host* hostOrNull(const std::string& name);
    Result<Host*> knownHost(const std::string& name);      // InvalidArgument when unknown
    Result<Host*> reachableHost(const std::string& name);  // ... and HostUnreachable
    // A domain on a reachable host: the preamble of every per-domain call.
    struct HostDomain {
        Host* host = nullptr;
        Domain* domain = nullptr;
    };
    Result<HostDomain> reachableDomain(const std::string& host, const std::string& domain);  // ... and NoSuchDomain

    // ---- events: queued while a call runs, delivered by flush() at its end (see SimState.cpp)
    void emitDomain(const Host& host, const Domain& domain, DomainLifecycle lifecycle, Code detail);
    // Records a reachability change, if there is one, with `reason` and queues its HostEvent.
    void refreshReachability(Host& host, const std::string& reason);
    void flush();
    // Ends every open channel whose domain no longer runs that definition on a reachable host.
    void closeEndedChannels();

    // Stops an active domain: shut off with `cause`, its managed devices given back, a transient
    // domain removed (`domain` dangles then). Emits Stopped if anyone can see it.
    void stopDomain(Host& host, Domain& domain, StopCause cause);
    bool guestIgnoresShutdown(const Domain& domain) const;
    // What guestsIgnoringShutdown knows `domain` (a name or UUID) by, on whichever host has it
    // (reachable or not): its name, or its canonical UUID; "" when no host has it.
    std::string shutdownKey(const std::string& domain);
    std::string nextUuid();

private:
    std::deque<HypervisorEvent> pending_;
    bool delivering_ = false;
};

}  // namespace faxover::hv::sim::detail

namespace faxover::hv::sim {

struct SimulatedHypervisor::State : detail::SimState {
    using SimState::SimState;
};

}  // namespace faxover::hv::sim
