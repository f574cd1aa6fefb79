#pragma once
// What the orchestrator persists: the intent journal, per-service and per-host state, the audit log,
// the licence ledger and the fax board reservations.
// Plain values; every time is passed in by the caller, the store never reads a clock.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace faxover::orchestrator::store {

using TimePoint = std::chrono::system_clock::time_point;
using IntentId = std::int64_t;   // assigned by the store: 1, 2, 3, ... never reused
using Revision = std::int64_t;   // 0 = "no record stored yet"

// An action the orchestrator is about to take, written before it runs (invariant 3).
struct Intent {
    std::string service{};
    std::string action{};       // "fence", "start", "live-migrate", ...
    std::string targetHost{};
    std::string sourceHost{};
    std::map<std::string, std::string> parameters{};
    std::string reason{};       // why: the audit trail's answer to "why did it do that"
    std::string actor{};        // "daemon" or "admin:NAME"
    TimePoint createdAt{};
    bool operator==(const Intent&) const = default;
};

enum class OutcomeStatus { Succeeded, Failed, Abandoned };
const char* toString(OutcomeStatus status);

struct Outcome {
    OutcomeStatus status = OutcomeStatus::Failed;
    std::string message{};
    TimePoint finishedAt{};
    bool operator==(const Outcome&) const = default;
};

// An intent as read back: its id and, once recorded, its outcome.
struct IntentEntry {
    IntentId id = 0;
    Intent intent{};
    std::optional<Outcome> outcome{};
};

// How far the fax-health escalation of a service has got (schema version 7; docs/engine.md, "Fax
// health"): the steps tried since its fax service was last up, the instant before which the next
// may not start, and what was already reported. Kept so that a daemon restart neither starts the
// escalation over (restarting the fax service again and again) nor repeats its alerts.
struct FaxEscalationRecord {
    int serviceRestarts = 0;
    int vmRestarts = 0;
    int relocations = 0;
    TimePoint nextStep{};
    bool down = false;
    bool exhausted = false;
    bool heartbeatsLost = false;
    bool operator==(const FaxEscalationRecord&) const = default;
};

struct ServiceRecord {
    std::string state{};        // engine state name, e.g. "running", "recovering"
    std::string host{};
    TimePoint since{};
    Revision revision = 0;      // read-only for callers: the store assigns it
    // Added in schema version 2, after `revision` so that existing positional initialisers keep
    // their meaning. The engine's counters for the policy's max_restart and max_relocate: they must
    // survive a daemon restart, or a service that fails to start would be retried forever.
    int restarts = 0;
    int relocations = 0;
    std::string reason{};       // why the service is in `state`, for the admin
    // Where an action under way sends it: after a crash of the daemon that host, too, may run the
    // VM (invariant 2). And the domain's definition as last read from a host, to define it on
    // another host when the one that had it is dead.
    std::string target{};
    std::string definitionXml{};
    // Added in schema version 5 (issue 12): the hosts this recovery tried (a start failed or it
    // crashed there; tried last from now on), the host it ran on before a failover (failback
    // without preferences) and the host a maintenance drain took it off (it returns when that
    // maintenance ends), and the instant before which no restart or relocation starts (retry_delay).
    std::vector<std::string> triedHosts{};
    std::string failedOverFrom{};
    std::string maintenanceHost{};
    TimePoint nextAttempt{};
    // Schema version 6: what an admin wants of the VM, "started", "stopped" or "disabled"
    // (docs/engine.md, rule 2): a VM an admin stopped stays off across a daemon restart.
    std::string requested = "started";
    FaxEscalationRecord fax{};  // schema version 7
    bool operator==(const ServiceRecord&) const = default;
};

// What the orchestrator knows about a host beyond the policy: admin maintenance and whether it has
// been fenced. Persisted so that a restarted daemon neither forgets a confirmed fence (and fences
// the host again) nor brings services back onto a host an admin put in maintenance.
struct HostRecord {
    bool maintenance = false;
    std::string fence{};        // "" or "confirmed": the host was confirmed off (invariant 2)
    TimePoint since{};
    std::string reason{};
    Revision revision = 0;      // read-only for callers: the store assigns it
    // A planned shutdown or reboot its hook announced (docs/engine.md, "Planned host shutdown and
    // reboot"), kept until the host is back, so that a daemon restarted while a host reboots does
    // not fence it mid-boot: "" none, "shutdown" or "reboot"; when it was announced; the services
    // its hook reported stopped (sorted); whether the host has fallen silent since (its answering
    // again then ends the plan).
    std::string planned{};
    TimePoint plannedAt{};
    std::vector<std::string> plannedStopped{};
    bool silentSincePlanned = false;
    bool operator==(const HostRecord&) const = default;
};

struct AuditRecord {
    TimePoint at{};
    std::string actor{};
    std::string subject{};      // what it concerns: a service, a host, the policy
    std::string action{};
    std::string reason{};
    std::string details{};
    bool operator==(const AuditRecord&) const = default;
};

// One seat of a licence and its holder (schema version 3; docs/licensing.md). Keyed by
// (licence, service, onBehalfOf): a promoted standby holds one seat per primary it stands in for.
struct SeatRecord {
    std::string licence{};
    std::string service{};
    std::string onBehalfOf{};
    std::string host{};
    TimePoint since{};
    bool applied = false;
    bool operator==(const SeatRecord&) const = default;
};

// One line of the licence audit log: append-only, like the general audit log.
struct LicenceAuditRecord {
    std::int64_t sequence = 0;  // assigned by the store
    TimePoint at{};
    std::string event{};        // grant, transfer, revoke, refuse, applied, apply-failed, revoke-run
    std::string licence{};
    std::string service{};
    std::string onBehalfOf{};
    std::string host{};
    std::string fromHost{};
    std::string actor{};
    std::string reason{};
    bool operator==(const LicenceAuditRecord&) const = default;
};

// A PCI fax board (a Brooktrout card passed through to a VM) reserved for one service (schema
// version 4; invariant 4: one VM per board). Keyed by (host, pciAddress). `releasing`: the service
// is leaving the board (a cold move under way) and the board is not free until the row is removed.
struct BoardReservationRecord {
    std::string host{};
    std::string pciAddress{};
    std::string service{};
    TimePoint since{};
    bool releasing = false;
    bool operator==(const BoardReservationRecord&) const = default;
};

// The writes a Batch may hold.
struct AppendIntent { Intent intent{}; };
struct RecordOutcome { IntentId id = 0; Outcome outcome{}; };
// Compare-and-set: applies only if the stored revision equals expectedRevision (0 = absent).
struct PutServiceState { std::string service{}; ServiceRecord record{}; Revision expectedRevision = 0; };
struct AppendAudit { AuditRecord record{}; };
// Compare-and-set like PutServiceState, on the host's own revision.
struct PutHostState { std::string host{}; HostRecord record{}; Revision expectedRevision = 0; };

// Creates or replaces the seat with the same (licence, service, onBehalfOf).
struct PutSeat { SeatRecord seat{}; };
// Removes that seat; removing a seat that is not held is an InvalidArgument error.
struct RemoveSeat { std::string licence{}; std::string service{}; std::string onBehalfOf{}; };
struct AppendLicenceAudit { LicenceAuditRecord record{}; };

// Creates the reservation, or replaces the one with the same (host, pciAddress), which keeps its
// place in reservation order.
struct PutBoardReservation { BoardReservationRecord reservation{}; };
// Removes that reservation; removing one that does not exist is an InvalidArgument error.
struct RemoveBoardReservation { std::string host{}; std::string pciAddress{}; };

using Write = std::variant<AppendIntent, RecordOutcome, PutServiceState, AppendAudit, PutHostState, PutSeat,
                           RemoveSeat, AppendLicenceAudit, PutBoardReservation, RemoveBoardReservation>;

// Writes applied all-or-nothing in one transaction, in order.
struct Batch {
    std::vector<Write> writes{};
    Batch& add(Write write) { writes.push_back(std::move(write)); return *this; }
};

// What a committed batch assigned, in the order of its writes of each kind.
struct BatchResult {
    std::vector<IntentId> intentIds{};
    std::vector<Revision> revisions{};      // of the PutServiceState writes
    std::vector<Revision> hostRevisions{};  // of the PutHostState writes
};

}  // namespace faxover::orchestrator::store
