#pragma once
// The validated policy: plain values, no YAML. loadPolicyText/loadPolicyFile (PolicyLoader.h) make
// one; docs/policy.md describes every field, its default and its allowed values. A value that is
// here has passed validation: names are unique, references resolve, ranges hold.
#include "faxover/policies/MonitoringProfile.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace faxover::policy {

using Milliseconds = std::chrono::milliseconds;

// ---- fencing --------------------------------------------------------------------------------

enum class FenceMethod {
    Agent,           // a fence-agents style program (fence_ipmilan, fence_faxlab, ...) powers the host off
    LibvirtDestroy,  // destroy the domain through the host's own libvirtd: only works while it answers
    Manual,          // an admin confirms the host is off
};
const char* toString(FenceMethod method);

// One way to fence a host. A host lists one or more, tried in order until one confirms "off".
struct FenceLevel {
    FenceMethod method = FenceMethod::Manual;
    std::string command{};                               // Agent: program name (found in PATH) or absolute path
    std::map<std::string, std::string> parameters{};     // Agent: options given on stdin (ip, username, plug, ...)
    std::string passwordFile{};                          // Agent: absolute path of a file holding the password
    Milliseconds timeout{60000};                         // Agent, LibvirtDestroy: give up on this level after this
    std::string instructions{};                          // Manual: shown to the admin who must confirm

    bool operator==(const FenceLevel&) const = default;
};

// An address that answers TCP while the orchestrator itself is on the network (a gateway, a
// switch, a host outside the cluster): with it, the orchestrator tells "they are down" from "I am
// cut off" when half or more of its hosts go silent at once (docs/engine.md, "Own connectivity").
struct Witness {
    std::string address{};
    std::uint16_t port = 22;

    bool operator==(const Witness&) const = default;
};

// Cluster-wide fencing defaults.
struct FencingSettings {
    Milliseconds timeout{60000};  // default timeout of a level that sets none
    int attempts = 2;             // tries of each level before the next one
    std::optional<Witness> witness{};  // unset: only a majority of the hosts confirms the orchestrator's connectivity

    bool operator==(const FencingSettings&) const = default;
};

// A program the orchestrator runs at a step of its work (Boost.Process): a licence's apply and
// revoke steps (docs/licensing.md), a service's telco hook after a board move (docs/boards.md).
// Never a shell command line.
struct CommandStep {
    std::string command{};                  // program name (found in PATH) or absolute path
    std::vector<std::string> arguments{};
    Milliseconds timeout{30000};

    bool operator==(const CommandStep&) const = default;
};

// ---- hosts ----------------------------------------------------------------------------------

// How much of a host Faxover may fill with protected services. An absent limit means "what the
// host reports" (vCPUs, memory) or "no limit" (services).
struct HostCapacity {
    std::optional<int> vcpus{};
    std::optional<std::uint64_t> memoryMiB{};
    std::optional<int> services{};

    bool operator==(const HostCapacity&) const = default;
};

// A fax board installed in a host (docs/boards.md), Proxmox-style mapping: Faxover only ever
// passes through, detaches or reattaches a device listed here whose vendor:device is its model's.
struct HostBoard {
    std::string pciAddress{};  // canonical DDDD:BB:SS.F, lower-case hex
    std::string model{};       // a BoardModel's name
    std::string trunkGroup{};  // the telephone lines the board is cabled to

    bool operator==(const HostBoard&) const = default;
};

struct HostPolicy {
    std::string name{};
    std::string uri{};               // libvirt URI, e.g. qemu+tcp://10.0.0.11/system
    std::string migrationAddress{};  // where peers send migration traffic; empty only for local URIs
    // Where the TCP liveness probe connects (the signal that does not depend on libvirtd): the
    // URI's host by default, 127.0.0.1 for a local URI. Any answer counts, a refusal included.
    std::string probeAddress{};
    std::uint16_t probePort = 22;
    std::string site = "default";
    HostCapacity capacity{};
    std::map<std::string, std::string> labels{};
    std::vector<FenceLevel> fence{};  // at least one level
    MonitoringProfile monitoring{};   // the cluster's profile with this host's overrides applied
    std::vector<HostBoard> boards{};  // in the policy's order; addresses unique per host

    bool operator==(const HostPolicy&) const = default;
};

// ---- services -------------------------------------------------------------------------------

enum class TelephonyMode {
    Sr140,  // fax over IP (T.38): the VM has no host device and can live-migrate
    Board,  // a fax board passed through (PCI hostdev): cold move and board reassignment only
    Auto,   // decided from the domain XML: a PCI hostdev that is a fax board means Board
};
const char* toString(TelephonyMode mode);

enum class RecoveryMode {
    LiveMigrateIfPossible,  // live-migrate when the source still runs the VM, otherwise fence and restart
    RestartOnly,            // always stop and start elsewhere, even when a live migration would work
};
const char* toString(RecoveryMode mode);

// active: the licensed instance that sends and receives; needs a seat of its licence to run.
// standby: an archive/backup copy (a DR site's) that must not send or receive; needs no seat until
// it is promoted to stand in for a primary, which takes that primary's seat (docs/licensing.md).
enum class ServiceRole { Active, Standby };
const char* toString(ServiceRole role);

// The libvirt domain a service protects, by name or by UUID (lower-case canonical form).
struct DomainRef {
    enum class Kind { Name, Uuid };
    Kind kind = Kind::Name;
    std::string value{};

    bool operator==(const DomainRef&) const = default;
};

// Where the orchestrator gets the domain XML it defines on a target host.
struct DomainXmlSource {
    enum class Kind {
        FromHost,  // the definition on the host that last ran it (the domain is defined there)
        File,      // a file on the orchestrator's machine
    };
    Kind kind = Kind::FromHost;
    std::string path{};  // File: absolute path

    bool operator==(const DomainXmlSource&) const = default;
};

inline constexpr int kMinPriority = 1;
inline constexpr int kMaxPriority = 100;

// One step of the fax-health escalation (docs/engine.md, "Fax health"): at most `max` attempts,
// `delay` after one before the next step or attempt may follow.
struct FaxHealthStep {
    int max = 0;
    Milliseconds delay{0};
    bool operator==(const FaxHealthStep&) const = default;
};

// What the engine does when the guest agent says the fax service is down (docs/policy.md,
// "fax_health"). It only matters for a service whose VM runs the Faxover guest agent: without
// heartbeats the engine has nothing to act on.
struct FaxHealthPolicy {
    bool act = true;    // off: the fax service's health is recorded and shown, never acted on
    int downAfter = 2;  // consecutive heartbeats saying "down" before the first step
    FaxHealthStep restartService{2, Milliseconds{30000}};  // restart the fax service through the agent
    FaxHealthStep restartVm{1, Milliseconds{60000}};       // restart the VM where it runs
    int relocate = 1;                                       // cold moves to another host
    int lostHeartbeatsAfter = 3;  // rounds without a heartbeat on a running VM: "heartbeats lost" (alert only)
    Milliseconds quiesceTimeout{120000};  // planned moves: how long running calls may finish first
    bool operator==(const FaxHealthPolicy&) const = default;
};

// How the orchestrator reads the Faxover guest agent in the service's VM (docs/guest-agent.md,
// docs/policy.md "guest_agent"). A service without one gets no guest health at all.
struct GuestAgentPolicy {
    std::string channel = "org.faxover.agent.0";  // the virtio-serial channel's target name
    Milliseconds heartbeatTimeout{15000};          // no heartbeat for this long: heartbeats lost
    // Lines the guest may send per second, after a burst of kGuestAgentBurstSeconds worth (at
    // least kGuestAgentMinBurst); beyond that they are dropped unparsed and counted.
    int maxLinesPerSecond = 20;

    bool operator==(const GuestAgentPolicy&) const = default;
};
inline constexpr int kGuestAgentMinBurst = 50;
inline constexpr double kGuestAgentBurstSeconds = 2.5;

struct ServicePolicy {
    std::string name{};
    DomainRef domain{};
    DomainXmlSource domainXml{};
    TelephonyMode telephony = TelephonyMode::Auto;
    int priority = 50;                        // kMinPriority..kMaxPriority; higher recovers first
    std::vector<std::string> preferredHosts{};  // host names, most preferred first
    std::vector<std::string> preferredSites{};  // site names, most preferred first
    std::vector<std::string> antiAffinity{};    // services never placed on the same host as this one
    std::map<std::string, std::string> requiredLabels{};  // only hosts with all these labels (key: value)
    RecoveryMode recovery = RecoveryMode::LiveMigrateIfPossible;
    int maxRestart = 1;   // restarts on the same host after a failed start before relocating
    int maxRelocate = 1;  // other hosts tried after that before giving up (state "error")
    bool failback = false;  // move back to a preferred host or site when it returns
    // Pause between two restarts or relocations of one recovery (docs/policy.md, restart budget).
    Milliseconds retryDelay{5000};
    bool returnAfterMaintenance = true;  // back to the host it left when that host's maintenance ends
    std::string licence{};  // a Licence's id, empty when none: an active service with one needs a seat
    ServiceRole role = ServiceRole::Active;
    std::vector<std::string> standsInFor{};  // standby: the primaries it may be promoted for
    int standbyCapacity = 1;  // standby: primaries it may stand in for at once (IPFX: one)
    // Board telephony (docs/boards.md). A board on another host must be on this trunk or DID group
    // ("" = any), and of one of these models (empty = the model of the board it holds or last held,
    // or any model when it never held one).
    std::string trunkGroup{};
    std::vector<std::string> boardModels{};
    std::optional<CommandStep> telcoHook{};  // run after each move of its board to another host
    Milliseconds shutdownTimeout{120000};    // graceful shutdown before a cold move destroys it
    FaxHealthPolicy faxHealth{};

    std::optional<GuestAgentPolicy> guestAgent{};  // none: no agent is read, no guest health

    bool operator==(const ServicePolicy&) const = default;
};

// ---- maintenance windows --------------------------------------------------------------------

enum class MaintenanceAction {
    Drain,              // move services off before the window starts; keep them off until it ends
    SuspendMonitoring,  // services stay; a host that goes silent is not failed over
};
const char* toString(MaintenanceAction action);

enum class Weekday { Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday };
const char* toString(Weekday day);  // "mon", "tue", ...

// Every listed day from start to end (same day, end > start; 24:00 ends at midnight), at a fixed
// offset from UTC.
struct WeeklyWindow {
    std::vector<Weekday> days{};
    std::chrono::minutes start{0};  // since midnight
    std::chrono::minutes end{0};    // since midnight, up to 24:00
    std::chrono::minutes utcOffset{0};

    bool operator==(const WeeklyWindow&) const = default;
};

// Once, between two instants (end > start).
struct AbsoluteWindow {
    std::chrono::sys_seconds start{};
    std::chrono::sys_seconds end{};

    bool operator==(const AbsoluteWindow&) const = default;
};

struct MaintenanceWindow {
    std::string name{};
    bool allHosts = false;
    std::vector<std::string> hosts{};  // empty when allHosts
    MaintenanceAction action = MaintenanceAction::Drain;
    std::variant<WeeklyWindow, AbsoluteWindow> schedule{};

    bool operator==(const MaintenanceWindow&) const = default;
};

// ---- licences and board models --------------------------------------------------------------

struct Licence {
    std::string id{};
    std::string product{};
    std::string keyFile{};  // absolute path; the key itself never appears in the policy
    int seats = 1;          // active instances that may run at once
    std::optional<CommandStep> apply{};   // run when an instance becomes active on a host
    std::optional<CommandStep> revoke{};  // run when an instance gives its seat back

    bool operator==(const Licence&) const = default;
};

struct BoardModel {
    std::string name{};
    std::uint16_t vendorId = 0;  // PCI vendor ID, e.g. 0x12e4 Brooktrout, 0x12c7 Dialogic
    std::uint16_t deviceId = 0;

    bool operator==(const BoardModel&) const = default;
};

// ---- the whole policy -----------------------------------------------------------------------

// ---- events ---------------------------------------------------------------------------------

// Where the daemon's events go besides nothing (docs/daemon.md, "Events"; docs/policy.md, "events").
struct EventSettings {
    std::string stateLog{};                     // an absolute path; "" for the daemon's standard output
    std::optional<CommandStep> alertCommand{};  // run once per alert, the event in its environment

    bool operator==(const EventSettings&) const = default;
};

inline constexpr int kPolicyFormatVersion = 1;

struct Policy {
    int version = kPolicyFormatVersion;
    MonitoringProfile monitoring{};  // cluster-wide; each host holds its own resolved copy
    FencingSettings fencing{};
    std::vector<HostPolicy> hosts{};
    std::vector<ServicePolicy> services{};
    std::vector<MaintenanceWindow> maintenance{};
    std::vector<Licence> licences{};
    std::vector<BoardModel> boardModels{};
    EventSettings events{};

    const Licence* findLicence(std::string_view id) const;
    const BoardModel* findBoardModel(std::string_view name) const;
    const HostPolicy* findHost(std::string_view name) const;
    const ServicePolicy* findService(std::string_view name) const;
    bool operator==(const Policy&) const = default;
};

}  // namespace faxover::policy
