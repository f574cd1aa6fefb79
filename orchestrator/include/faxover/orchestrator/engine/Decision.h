#pragma once
// The engine's inputs and outputs: plain values. The runtime builds an EngineInput from what the
// monitors saw, what it persisted and what is under way, calls decide() and carries out the
// actions; the log lines it gets back are the fixed-format record of every state change.
#include "faxover/hypervisor/Types.h"
#include "faxover/orchestrator/engine/AdminCommand.h"
#include "faxover/orchestrator/engine/Boards.h"
#include "faxover/orchestrator/engine/Event.h"
#include "faxover/orchestrator/engine/GuestHealth.h"
#include "faxover/orchestrator/engine/HostHealth.h"
#include "faxover/orchestrator/engine/Ledger.h"
#include "faxover/orchestrator/engine/ServiceState.h"
#include "faxover/policies/Policy.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace faxover::orchestrator::engine {

using WallTime = std::chrono::system_clock::time_point;

// How far fencing of a host has got; the runtime's fence executor owns it.
enum class FenceStatus {
    None,           // not fenced, not being fenced
    InProgress,     // a fence level is running or will be retried after backoff
    AwaitingAdmin,  // every automatic level failed or the host's method is manual: `fence confirm`
    Confirmed,      // the host is off (agent status OFF, or an admin confirmed it)
};
const char* toString(FenceStatus status);  // "", "pending", "awaiting-admin", "confirmed"
std::optional<FenceStatus> fenceStatusNamed(std::string_view name);

// What a host's own hook announced: it goes down on purpose (docs/engine.md, "Planned host
// shutdown"). The runtime keeps it from the announcement until the host is back.
enum class PlannedKind { Shutdown, Reboot };
const char* toString(PlannedKind kind);  // "shutdown", "reboot"
std::optional<PlannedKind> plannedKindNamed(std::string_view name);

struct PlannedShutdown {
    PlannedKind kind = PlannedKind::Shutdown;
    WallTime announced{};
    // The services whose domain the host's qemu hook reported ended (QEMU gone) since the
    // announcement, sorted: the host's own evidence that they run nowhere there.
    std::vector<std::string> stoppedServices{};
    bool operator==(const PlannedShutdown&) const = default;
};

struct HostObservation {
    std::string name{};
    HostHealthState health = HostHealthState::Unknown;
    int roundsInState = 0;  // consecutive probe rounds in `health`
    int missedRounds = 0;   // consecutive rounds, up to the last one, in which neither signal answered
    hv::Reachability libvirt = hv::Reachability::Unknown;
    bool maintenance = false;  // an admin or a maintenance window drains it
    bool monitoringSuspended = false;  // a maintenance window says: do not fail it over
    FenceStatus fence = FenceStatus::None;
    std::optional<std::uint64_t> freeMemoryMiB{};  // from the host's inventory; unset: not read yet
    std::optional<int> cpus{};
    // Its PCI devices that may be fax boards (Boards.h); unset: not inventoried since the daemon started.
    std::optional<std::vector<ObservedBoard>> boards{};
    std::optional<PlannedShutdown> planned{};  // set from its announcement until it is back
};

// One copy of a service's domain as a reachable host reports it.
struct DomainCopy {
    std::string host{};
    hv::DomainState state = hv::DomainState::NoState;
    bool active() const {
        return state != hv::DomainState::Shutoff && state != hv::DomainState::NoState &&
               state != hv::DomainState::Crashed;
    }
};

struct ServiceObservation {
    std::vector<DomainCopy> copies{};  // only from hosts whose libvirtd answered
    std::uint64_t memoryMiB = 0;       // last known size of the domain (0: not seen yet)
    int vcpus = 0;
    // Why the running copy cannot live-migrate ("" when it can or it is not known yet).
    std::string liveMigrationBlocker{};
    // What the guest agent said in the last round (engine/GuestHealth.h); unset without one.
    std::optional<GuestHealth> guest{};
    // Consecutive rounds, up to the last one, whose heartbeat said the fax service is down, and
    // rounds in which the agent sent none while the VM ran (the runtime counts them; docs/engine.md, "Fax health").
    int faxDownRounds = 0;
    int heartbeatsMissedRounds = 0;
    // The PCI hostdev sources in the domain's definition (canonical addresses): which is a fax
    // board tells its telephony mode under `auto` and the board it holds (docs/boards.md).
    std::vector<std::string> pciHostdevs{};
};

// How far the fax-health escalation of a running service has got (docs/engine.md, "Fax health"):
// the steps tried since its fax service was last up, and what was already reported. Persisted
// (store::FaxEscalationRecord), so a daemon restart neither starts it over nor repeats its alerts.
struct FaxEscalation {
    int serviceRestarts = 0;  // restarts of the fax service through the agent
    int vmRestarts = 0;       // restarts of the VM where it runs
    int relocations = 0;      // cold moves to another host
    WallTime nextStep{};      // no step before this instant: the last step's delay
    bool down = false;        // "fax service down" was reported (an alert, once)
    bool exhausted = false;   // every step was used and it is still down (reported once)
    bool heartbeatsLost = false;  // "heartbeats lost" was reported
    bool operator==(const FaxEscalation&) const = default;
    bool any() const { return down || heartbeatsLost || serviceRestarts + vmRestarts + relocations > 0; }
};

// What the engine remembers about a service between decisions; persisted by the runtime.
struct ServiceMemory {
    ServiceState state = ServiceState::Unknown;
    std::string host{};    // where it runs, or last ran or was last started
    std::string target{};  // where an action under way (or interrupted by a crash) sends it
    WallTime since{};      // when `state` was entered
    std::string reason{};
    int restarts = 0;      // starts in place since the service was last stable
    int relocations = 0;   // starts on another host after a crash since it was last stable
    // Hosts this recovery tried (a start there failed, or it crashed there), in name order:
    // placement takes every untried host first (persisted; cleared with the counters).
    std::vector<std::string> triedHosts{};
    // The host it ran on before a failover moved it: `failback: on` without preferences returns
    // it there (persisted).
    std::string failedOverFrom{};
    // The host a maintenance drain moved it off: it goes back there when that maintenance ends
    // (`return_after_maintenance`, persisted).
    std::string maintenanceHost{};
    // No restart or relocation before this instant: the policy's retry_delay after the last start
    // this recovery tried (persisted).
    WallTime nextAttempt{};
    // Its last start failed (the next restart retries a start, it does not follow a crash); not persisted.
    bool lastStartFailed = false;
    int migrationFailures = 0;  // live migrations that failed in a row (not persisted)
    std::string telephonyAlert{};  // the telephony disagreement last alerted on, "" when none (not persisted)
    RequestedState requested = RequestedState::Started;  // an admin's vm stop, disable, vm start, enable
    FaxEscalation fax{};
    bool operator==(const ServiceMemory&) const = default;
    // A new recovery: no restart, relocation or tried host counts any more.
    void forgetRecovery() {
        restarts = relocations = 0;
        triedHosts.clear();
        nextAttempt = {};
    }
};

enum class ActionKind {
    Fence,        // fence `host` (levels from the policy)
    Start,        // define if needed and start `service` on `host`
    LiveMigrate,  // live-migrate `service` from `source` to `host`
    ColdMove,     // shut `service` down on `source` (then destroy), start it on `host`
    ApplyLicence,   // run the licence's apply step for `service` (for `onBehalfOf`) running on `host`
    RevokeLicence,  // run the licence's revoke step; the seat is given back when it has run
    ReleaseBoard,   // give `board` on `host` back to its host driver; the reservation ends when it has
    RerouteTelco,   // run `service`'s telco hook: its board moved from `source` to `host`
    Shutdown,       // shut `service` down on `host`: graceful, destroyed after its shutdown timeout
    RestartFaxService,  // ask `service`'s guest agent on `host` to restart the fax service
    RestartVm,          // shut `service`'s VM down on `host` (destroyed after its shutdown timeout) and start it there again
};
// "fence", "start", "live-migrate", "cold-move", "apply-licence", "revoke-licence", "release-board",
// "reroute-telco", "shutdown", "restart-fax-service", "restart-vm"
const char* toString(ActionKind kind);
std::optional<ActionKind> actionKindNamed(std::string_view name);
// Whether the action starts or moves a VM (and so takes room on its target host).
inline bool movesVm(ActionKind kind) {
    return kind == ActionKind::Start || kind == ActionKind::LiveMigrate || kind == ActionKind::ColdMove;
}
// Whether the service waits for the action before anything else is decided for it. A board's
// release and a telco hook run beside the service: it may crash or move meanwhile.
inline bool occupiesService(ActionKind kind) {
    return kind != ActionKind::Fence && kind != ActionKind::ReleaseBoard && kind != ActionKind::RerouteTelco;
}

struct Action {
    ActionKind kind = ActionKind::Start;
    std::string service{};  // Fence: the first service that needed it (the fence is the host's)
    std::string host{};     // the fenced host, or where the service goes
    std::string source{};   // LiveMigrate, ColdMove
    std::string reason{};
    std::string actor = "daemon";
    std::string onBehalfOf{};  // ApplyLicence, RevokeLicence: the seat a standby holds for this primary
    // Board moves (Start, ColdMove): the board on `host` the domain gets, and the one its definition
    // names now, rewritten to `board` before it is defined there. ReleaseBoard: the board released.
    // RerouteTelco: the new and the old board.
    std::string board{};
    std::string fromBoard{};
    // A planned move of a running, healthy service (LiveMigrate, ColdMove: drain, failback, admin
    // migrate): the runtime quiesces its fax service before and resumes it after. Recovery is not planned.
    bool planned = false;
    std::string describe() const;  // "live-migrate fax-a lab1 -> lab2"
    bool operator==(const Action&) const = default;
};

struct FinishedAction {
    Action action{};
    bool succeeded = false;
    std::string message{};
};

struct EngineInput {
    const policy::Policy* policy = nullptr;
    WallTime now{};
    std::map<std::string, HostObservation> hosts{};        // every host of the policy
    std::map<std::string, ServiceObservation> services{};  // every service of the policy
    std::map<std::string, ServiceMemory> memory{};         // absent: never seen
    std::vector<Action> inFlight{};                        // started, not finished
    std::vector<FinishedAction> finished{};                // finished since the last decision
    std::vector<AdminCommand> commands{};             // service commands to apply now
    Ledger ledger{};                                       // every seat held now (the store's)
    BoardLedger boards{};                                  // every board reserved now (the store's)
    bool witnessAnswered = false;  // the policy's fencing.witness answered the last round (OwnConnectivity.h)
};

struct CommandVerdict {
    bool accepted = false;
    std::string message{};
};

struct Decision {
    std::map<std::string, ServiceMemory> memory{};  // the services whose memory changed (or is new)
    std::vector<Action> actions{};                  // to start now, in this order
    std::vector<Event> log{};                       // what changed, for the event sinks
    std::vector<CommandVerdict> verdicts{};         // one per input command, same order
    std::vector<LedgerChange> ledger{};             // in order; committed with the intents
    Ledger seats{};                                 // the whole ledger after the changes
    BoardLedger boards{};                           // every board reservation after this decision
};

}  // namespace faxover::orchestrator::engine
