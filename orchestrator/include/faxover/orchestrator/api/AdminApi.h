#pragma once
// What the daemon offers admins and scripts: the cluster's status and the admin commands. The
// local API server (Poco HTTP) exposes exactly this; the CLI is its client; the runtime
// implements it. Plain values, no HTTP or JSON here (api/Json.h maps them to the wire).
#include "faxover/orchestrator/Error.h"
#include "faxover/orchestrator/engine/AdminCommand.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faxover::orchestrator::api {

using WallTime = std::chrono::system_clock::time_point;

// One check of the guest agent's last heartbeat ("hylafax.faxq", ok, "pid 15089").
struct FaxCheckView {
    std::string name{};
    bool ok = false;
    std::string detail{};
    bool operator==(const FaxCheckView&) const = default;
};

struct FaxQueuesView {
    std::int64_t outbound = 0;  // jobs waiting to be sent
    std::int64_t inbound = 0;   // received faxes not yet collected
    std::int64_t active = 0;    // calls in progress
    bool operator==(const FaxQueuesView&) const = default;
};

// The fax service's health as the guest agent reports it, and how far the fax-health escalation
// got (docs/engine.md, "Fax health"). Only for a service with a `guest_agent`.
struct FaxView {
    std::string agent{};    // answering, heartbeats-lost (answered before, silent now), none (never since start)
    std::string service{};  // up, down, unknown (the agent is silent)
    std::string detail{};   // the agent's words: the first failing check, or "healthy"
    std::vector<FaxCheckView> checks{};  // from the last heartbeat that arrived
    FaxQueuesView queues{};
    bool quiesced = false;
    std::string product{};       // "hylafax 6.0.7"
    std::string agentVersion{};
    std::string licence{};       // licensed, unlicensed, unknown
    std::optional<WallTime> lastHeartbeat{};  // unset: none arrived since the daemon started
    // The escalation since the fax service was last up: steps taken, and no next step before nextStep.
    int serviceRestarts = 0;
    int vmRestarts = 0;
    int relocations = 0;
    std::optional<WallTime> nextStep{};  // unset: no step taken
    bool exhausted = false;              // every step used, still down: an admin must look
    bool operator==(const FaxView&) const = default;
};

struct ServiceView {
    std::string name{};
    std::string state{};       // ok, suspect, failure, migrating, recovering, fenced, suspended, stopped, error, ...
    std::string host{};        // where it runs (or last ran); empty when never placed
    std::string telephony{};   // sr140, board, auto
    WallTime since{};          // when `state` was entered
    std::string reason{};      // why it is in that state, one line
    std::string targetHost{};  // during migrating/recovering: where it goes
    std::optional<double> progress{};  // during a live migration: 0..1
    // The host it goes back to when that host's maintenance ends (return_after_maintenance), "" when none.
    std::string returnsTo{};
    // What an admin wants of its VM: started, stopped (vm stop) or disabled (docs/cli.md, "Requested state").
    std::string requested{};
    std::optional<FaxView> fax{};  // unset (null in JSON) for a service without a guest agent
    bool operator==(const ServiceView&) const = default;
};

struct HostView {
    std::string name{};
    std::string health{};      // unknown, ok, degraded, suspect, failed (HostHealthState)
    std::string libvirt{};     // unknown, reachable, unreachable
    bool maintenance = false;  // an admin (or a window) drains it
    std::string fence{};       // "", pending, confirmed, awaiting-admin, retrying
    WallTime since{};          // when `health` was entered
    std::string reason{};
    std::string planned{};     // "planned reboot (freeze)" from its hook's announcement until it is back; "" none
    bool operator==(const HostView&) const = default;
};

struct ClusterStatus {
    std::vector<ServiceView> services{};  // in policy order
    std::vector<HostView> hosts{};        // in policy order
    std::string policyFile{};
    bool operator==(const ClusterStatus&) const = default;
};

// InvalidArgument when the verb's service or host is missing, or one is given that it does not
// take. The server checks this before the AdminApi sees the command.
Result<void> checkArguments(const engine::AdminCommand& command);

struct CommandReply {
    std::string message{};  // what was accepted, e.g. "fax-a: live migration lab1 -> lab2 planned"
    bool operator==(const CommandReply&) const = default;
};

// ---- licences (issue #4): the ledger as auditors and the libvirt hook see it

struct LicenceHolderView {
    std::string service{};
    std::string onBehalfOf{};  // a promoted standby holds this primary's seat; "" when its own
    std::string host{};
    WallTime since{};
    bool applied = false;      // the licence's apply step succeeded there
    bool operator==(const LicenceHolderView&) const = default;
};

struct LicenceView {
    std::string id{};
    std::string product{};
    int seats = 0;
    std::vector<LicenceHolderView> holders{};  // at most `seats`, in grant order
    bool operator==(const LicenceView&) const = default;
};

// One line of the licence audit log (append-only in the store).
struct LicenceAuditEntry {
    std::int64_t sequence = 0;  // 1, 2, 3, ... in the order things happened
    WallTime at{};
    std::string event{};        // grant, transfer, revoke, refuse, applied, apply-failed, revoke-run
    std::string licence{};
    std::string service{};
    std::string onBehalfOf{};
    std::string host{};
    std::string fromHost{};
    std::string actor{};        // "daemon", "admin:NAME", "libvirt-hook:HOST"
    std::string reason{};
    bool operator==(const LicenceAuditEntry&) const = default;
};

// The libvirt qemu hook on a host asks, at "prepare begin", whether it may start a domain.
struct StartQuery {
    std::string host{};  // the asking host's name in the policy
    std::string uuid{};  // the domain's UUID (from the XML libvirt hands the hook)
    std::string name{};  // the domain's name
    std::string asker{}; // set by the server: "libvirt-hook:HOST@PEER-ADDRESS"
    bool operator==(const StartQuery&) const = default;
};

struct StartPermission {
    bool allowed = false;
    std::string reason{};  // one line the hook prints; libvirt shows it to whoever started the domain
    // Every protected domain (names and known UUIDs): the hook caches it to fail closed for these,
    // and only these, when the orchestrator cannot be reached.
    std::vector<std::string> protectedDomains{};
    bool operator==(const StartPermission&) const = default;
};

// A host's libvirt hook tells the orchestrator it goes down on purpose, that a domain's QEMU ended
// meanwhile, or that it is back (docs/hook.md, "Planned shutdown"; docs/engine.md, "Planned host shutdown").
enum class HostEventKind { Shutdown, Reboot, Back };
const char* toString(HostEventKind kind);  // "shutdown", "reboot", "back"
std::optional<HostEventKind> hostEventKindNamed(std::string_view name);

struct HostEvent {
    std::string host{};    // the reporting host's name in the policy
    HostEventKind kind = HostEventKind::Shutdown;
    std::string domain{};  // Shutdown, Reboot: a domain whose QEMU process ended; "" for the host alone
    std::string asker{};   // set by the server: "libvirt-hook:HOST@PEER-ADDRESS"
    // Set by the server: the peer's address ("" from an in-process caller, "local" over the unix
    // socket). Over TCP it must be one of the host's own addresses in the policy.
    std::string peer{};
    bool operator==(const HostEvent&) const = default;
};

struct HostEventReply {
    std::string message{};  // what the orchestrator made of it, one line for the hook's log
    bool operator==(const HostEventReply&) const = default;
};

// ---- fax boards (issue #5): PCI fax boards passed through to board-mode VMs

// One board of a host, as the policy names it and the host's PCI inventory shows it.
struct BoardView {
    std::string host{};
    std::string pciAddress{};   // "0000:03:00.0"
    std::string model{};        // "" when no policy entry maps it
    std::uint16_t vendorId = 0; // as inventoried; 0 when not inventoried
    std::uint16_t deviceId = 0;
    std::string trunkGroup{};
    std::string driver{};       // the host's driver or "vfio-pci"; "" when not inventoried
    std::string holder{};       // the service that holds it, or the VM no service protects (other-vm); "" when none
    // free | reserved | in-use | releasing | other-vm | missing | wrong-device | unmapped | not-inventoried
    std::string state{};
    std::string detail{};       // why a board is not usable, one line; "" when it is
    bool operator==(const BoardView&) const = default;
};

// One service's part in what an admin command would do now (a dry run: AdminApi::plan).
struct PlannedMove {
    std::string service{};
    std::string how{};          // live-migrate | cold-move | start | stays
    std::string from{};         // host
    std::string to{};           // host; "" when it stays
    std::string fromBoard{};    // PCI address of the board it leaves (cold move of a board-mode VM)
    std::string toBoard{};      // the free board it gets on `to`
    std::string reason{};
    // How long the fax service is expected to be down; unset when nothing measured it yet.
    std::optional<std::chrono::milliseconds> expectedOutage{};
    // Where the estimate comes from: "last cold move took 38 s", or
    // "no cold move measured yet; shutdown waits up to 2 min".
    std::string outageBasis{};
    bool operator==(const PlannedMove&) const = default;
};

// Errors (Error kinds) and what the CLI makes of them:
//   InvalidArgument   unknown service or host, missing argument      -> exit 1
//   OperationInvalid  the command does not fit the current state     -> exit 1
//   HostUnreachable   (CLI only) no daemon at the API address        -> exit 3
class AdminApi {
public:
    virtual ~AdminApi() = default;
    virtual Result<ClusterStatus> status() = 0;
    // Accepts or refuses at once; the work itself goes on in the daemon (watch it with status()).
    virtual Result<CommandReply> execute(const engine::AdminCommand& command) = 0;
    // Every licence of the policy and who holds its seats now.
    virtual Result<std::vector<LicenceView>> licences() = 0;
    // The licence audit log from `since` (everything when unset), oldest first.
    virtual Result<std::vector<LicenceAuditEntry>> licenceAudit(std::optional<WallTime> since) = 0;
    // The libvirt hook's question; a refusal is written to the licence audit log.
    virtual Result<StartPermission> mayStart(const StartQuery& query) = 0;
    // Every fax board the policy or the hosts' inventories know, with its holder and state. Not
    // pure, like plan(): an implementor without boards answers NotSupported (HTTP 501).
    virtual Result<std::vector<BoardView>> boards();
    // What `command` would do now, without doing it: one PlannedMove per service it concerns.
    // The CLI asks for it before a migration or a maintenance that may move a VM cold.
    virtual Result<std::vector<PlannedMove>> plan(const engine::AdminCommand& command);
    // A host's hook reporting a planned shutdown or reboot, a domain ended meanwhile, or its return.
    // Not pure: an implementor without it answers NotSupported.
    virtual Result<HostEventReply> hostEvent(const HostEvent& event);
};

}  // namespace faxover::orchestrator::api
