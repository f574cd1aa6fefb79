#pragma once
// Plain values that cross the hypervisor interface. No libvirt types appear here.
#include "faxover/hypervisor/Clock.h"
#include "faxover/hypervisor/PciAddress.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace faxover::hv {

// A hypervisor host as the layer needs to know it.
struct HostConfig {
    std::string name;              // unique, used in every call and event
    std::string uri;               // libvirt URI, e.g. qemu+tcp://198.18.0.11/system
    std::string migrationAddress;  // where peers send migration traffic, e.g. 198.18.0.11
};

// Whether the layer can talk to a host's libvirtd. Unreachable says nothing about the VMs on it.
enum class Reachability { Unknown, Reachable, Unreachable };
const char* toString(Reachability reachability);

struct HostStatus {
    Reachability reachability = Reachability::Unknown;
    TimePoint since{};   // when reachability last changed
    std::string reason;  // why it is what it is ("keepalive timeout", "connection refused", ...)
};

// libvirt's virDomainState, one to one.
enum class DomainState { NoState, Running, Blocked, Paused, Shutdown, Shutoff, Crashed, PMSuspended };
const char* toString(DomainState state);

struct DomainInfo {
    std::string name;
    std::string uuid;  // lower-case canonical form
    DomainState state = DomainState::NoState;
    int reason = 0;          // libvirt's state reason code
    std::string reasonText;  // e.g. "migrated", "crashed", "destroyed"
    bool persistent = false;
    std::uint64_t memoryKiB = 0;
    unsigned vcpus = 0;

    bool active() const {
        return state != DomainState::Shutoff && state != DomainState::NoState && state != DomainState::Crashed;
    }
};

// Every host's view of one domain, looked up by UUID. Hosts that could not be asked are listed
// separately: absence of a copy there is unknown, not proven.
struct DomainCopy {
    std::string host;
    DomainInfo info;
};
struct DomainCopies {
    std::vector<DomainCopy> copies;
    std::vector<std::string> unreachableHosts;
};

struct NodeInventory {
    std::string hostname;
    unsigned cpus = 0;
    std::uint64_t memoryKiB = 0;
    std::uint64_t freeMemoryKiB = 0;
    std::vector<std::string> runningDomains;  // names
};

struct PciDevice {
    std::string nodeDeviceName;  // libvirt's name, e.g. pci_0000_03_00_0
    PciAddress address;
    std::uint16_t vendorId = 0;
    std::uint16_t productId = 0;
    std::string vendorName;
    std::string productName;
    std::string driver;  // bound host driver ("vfio-pci" once detached), empty when unbound
};

// ---- lifecycle events -------------------------------------------------------------------------

// libvirt's virDomainEventType, one to one.
enum class DomainLifecycle { Defined, Undefined, Started, Suspended, Resumed, Stopped, Shutdown, PMSuspended, Crashed };
const char* toString(DomainLifecycle lifecycle);

struct DomainEvent {
    std::string host;
    std::string domainName;
    std::string uuid;
    DomainLifecycle lifecycle = DomainLifecycle::Defined;
    int detail = 0;          // libvirt's detail code for that lifecycle
    std::string detailText;  // e.g. "migrated", "failed", "destroyed"
};

struct HostEvent {
    std::string host;
    HostStatus status;
};

using HypervisorEvent = std::variant<DomainEvent, HostEvent>;

// ---- migration --------------------------------------------------------------------------------

struct MigrationOptions {
    std::optional<Duration> maxDowntime;              // QEMU's default is 300 ms
    std::optional<std::uint64_t> bandwidthMiBps;      // unset: unlimited
    bool autoConverge = false;                        // throttle the guest's vCPUs until it converges
    bool allowPostCopy = false;                       // enable post-copy ...
    std::optional<Duration> switchToPostCopyAfter;    // ... and switch to it if pre-copy runs this long
    Duration progressInterval{200};                   // how often progress is reported
};

struct MigrationProgress {
    Duration elapsed{0};
    std::uint64_t dataTotal = 0;      // bytes
    std::uint64_t dataProcessed = 0;  // bytes
    std::uint64_t dataRemaining = 0;  // bytes
    std::uint64_t memoryIteration = 0;
    bool postCopy = false;

    // 0..1, from processed over processed + remaining (total grows as pages are dirtied again)
    double fraction() const {
        const auto denominator = dataProcessed + dataRemaining;
        return denominator == 0 ? 0.0 : static_cast<double>(dataProcessed) / static_cast<double>(denominator);
    }
};

struct MigrationResult {
    Duration totalTime{0};            // measured by the layer around the whole call
    std::optional<Duration> downtime; // as QEMU measured it, when the destination reports it
    std::uint64_t dataTransferred = 0;
    bool postCopyUsed = false;
};

// Why a domain cannot be live-migrated; empty when it can.
struct MigrationBlocker {
    enum class Kind { NotRunning, Paused, PciHostdev, LocalDisk, Other };
    Kind kind = Kind::Other;
    std::string detail;  // names the device, disk or state, for logs and the admin
};

struct Migratability {
    std::vector<MigrationBlocker> blockers;
    bool possible() const { return blockers.empty(); }
    std::string explain() const;  // "" or "cannot live-migrate: PCI hostdev 0000:03:00.0; ..."
};

}  // namespace faxover::hv
