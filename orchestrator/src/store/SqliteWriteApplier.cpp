#include "SqliteWriteApplier.h"

#include "SqliteNameList.h"
#include "SqliteTime.h"
#include "faxover/orchestrator/engine/Decision.h"

#include <Poco/Data/Session.h>

namespace faxover::orchestrator::store::sqlite {
namespace {

using namespace Poco::Data::Keywords;
using Int64 = Poco::Int64;

// Where a compare-and-set record lives: service_states keyed by service, host_states by host.
struct StateTable {
    const char* table;
    const char* keyColumn;
    const char* noun;  // for messages: "service", "host"
};
constexpr StateTable kServiceStates{"service_states", "service", "service"};
constexpr StateTable kHostStates{"host_states", "host", "host"};

// The revision the next write of `key` gets, if the stored one is `expected` (0 = absent). The
// caller's BEGIN IMMEDIATE holds the write lock, so the comparison cannot go stale before the write.
Result<Int64> nextRevision(Poco::Data::Session& session, const StateTable& where, const std::string& key,
                           Revision expected) {
    if (key.empty()) {
        return Error{ErrorKind::InvalidArgument,
                     std::string("a ") + where.noun + " state needs a " + where.noun + " name"};
    }
    Int64 stored = 0;
    session << "SELECT COALESCE((SELECT revision FROM " + std::string(where.table) + " WHERE " + where.keyColumn +
                   " = ?), 0)",
        bind(key), into(stored), now;
    if (stored != expected) {
        return Error{ErrorKind::OperationInvalid, std::string(where.noun) + " " + key +
                                                      ": revision conflict: expected revision " +
                                                      std::to_string(expected) + ", the store holds " +
                                                      std::to_string(stored) + "; re-read and retry"};
    }
    return stored + 1;
}

}  // namespace

Result<void> WriteApplier::operator()(const AppendIntent& write) {
    const Intent& intent = write.intent;
    if (intent.service.empty() || intent.action.empty() || intent.actor.empty()) {
        return Error{ErrorKind::InvalidArgument, "an intent needs a service, an action and an actor"};
    }
    session_ << "INSERT INTO intents (service, action, target_host, source_host, reason, actor, created_at_ns)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
        bind(intent.service), bind(intent.action), bind(intent.targetHost), bind(intent.sourceHost),
        bind(intent.reason), bind(intent.actor), bind(toNanos(intent.createdAt)), now;
    Int64 id = 0;
    session_ << "SELECT last_insert_rowid()", into(id), now;
    for (const auto& [key, value] : intent.parameters) {
        session_ << "INSERT INTO intent_parameters (intent_id, key, value) VALUES (?, ?, ?)", bind(id), bind(key),
            bind(value), now;
    }
    result_.intentIds.push_back(id);
    return hv::ok();
}

Result<void> WriteApplier::operator()(const RecordOutcome& write) {
    Int64 intentCount = 0;
    session_ << "SELECT count(*) FROM intents WHERE id = ?", bind(Int64{write.id}), into(intentCount), now;
    if (intentCount == 0) {
        return Error{ErrorKind::InvalidArgument, "no intent with id " + std::to_string(write.id)};
    }
    std::string existing;
    session_ << "SELECT COALESCE((SELECT status FROM outcomes WHERE intent_id = ?), '')", bind(Int64{write.id}),
        into(existing), now;
    if (!existing.empty()) {
        return Error{ErrorKind::OperationInvalid, "intent " + std::to_string(write.id) +
                                                      " already has an outcome (" + existing +
                                                      "); an outcome is recorded exactly once"};
    }
    session_ << "INSERT INTO outcomes (intent_id, status, message, finished_at_ns) VALUES (?, ?, ?, ?)",
        bind(Int64{write.id}), bind(std::string(toString(write.outcome.status))), bind(write.outcome.message),
        bind(toNanos(write.outcome.finishedAt)), now;
    return hv::ok();
}

Result<void> WriteApplier::operator()(const PutServiceState& write) {
    const FaxEscalationRecord& fax = write.record.fax;
    if (write.record.restarts < 0 || write.record.relocations < 0 || fax.serviceRestarts < 0 || fax.vmRestarts < 0 ||
        fax.relocations < 0) {
        return Error{ErrorKind::InvalidArgument, "service " + write.service + ": restart and relocation counts "
                                                                              "cannot be negative"};
    }
    if (!engine::requestedStateNamed(write.record.requested)) {
        return Error{ErrorKind::InvalidArgument, "service " + write.service +
                                                     ": requested state must be \"started\", \"stopped\" or "
                                                     "\"disabled\"; got \"" + write.record.requested + "\""};
    }
    BOOST_OUTCOME_TRY(next, nextRevision(session_, kServiceStates, write.service, write.expectedRevision));
    const ServiceRecord& record = write.record;
    session_ << "INSERT OR REPLACE INTO service_states"
                " (service, state, host, since_ns, revision, restarts, relocations, reason, target, definition_xml,"
                " tried_hosts, failed_over_from, maintenance_host, next_attempt_ns, requested_state,"
                " fax_service_restarts, fax_vm_restarts, fax_relocations, fax_next_step_ns, fax_down, fax_exhausted,"
                " fax_heartbeats_lost)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        bind(write.service), bind(record.state), bind(record.host), bind(toNanos(record.since)), bind(next),
        bind(record.restarts), bind(record.relocations), bind(record.reason), bind(record.target),
        bind(record.definitionXml), bind(joinedLines(record.triedHosts)), bind(record.failedOverFrom),
        bind(record.maintenanceHost), bind(toNanos(record.nextAttempt)), bind(record.requested),
        bind(fax.serviceRestarts), bind(fax.vmRestarts), bind(fax.relocations), bind(toNanos(fax.nextStep)),
        bind(Int64{fax.down ? 1 : 0}), bind(Int64{fax.exhausted ? 1 : 0}), bind(Int64{fax.heartbeatsLost ? 1 : 0}),
        now;
    result_.revisions.push_back(next);
    return hv::ok();
}

Result<void> WriteApplier::operator()(const PutHostState& write) {
    const HostRecord& record = write.record;
    const auto fence = engine::fenceStatusNamed(record.fence);
    if (fence != engine::FenceStatus::None && fence != engine::FenceStatus::Confirmed) {
        return Error{ErrorKind::InvalidArgument,
                     "host " + write.host + ": fence must be empty or \"confirmed\"; got \"" + record.fence + "\""};
    }
    BOOST_OUTCOME_TRY(next, nextRevision(session_, kHostStates, write.host, write.expectedRevision));
    if (!record.planned.empty() && !engine::plannedKindNamed(record.planned)) {
        return Error{ErrorKind::InvalidArgument,
                     "host " + write.host + ": planned must be empty, \"shutdown\" or \"reboot\"; got \"" +
                         record.planned + "\""};
    }
    session_ << "INSERT OR REPLACE INTO host_states (host, maintenance, fence, since_ns, reason, revision,"
                " planned, planned_at_ns, planned_stopped, silent_since_planned)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        bind(write.host), bind(Int64{record.maintenance ? 1 : 0}), bind(record.fence), bind(toNanos(record.since)),
        bind(record.reason), bind(next), bind(record.planned), bind(toNanos(record.plannedAt)),
        bind(joinedLines(record.plannedStopped)), bind(Int64{record.silentSincePlanned ? 1 : 0}), now;
    result_.hostRevisions.push_back(next);
    return hv::ok();
}

Result<void> WriteApplier::operator()(const AppendAudit& write) {
    const AuditRecord& record = write.record;
    session_ << "INSERT INTO audit (at_ns, actor, subject, action, reason, details) VALUES (?, ?, ?, ?, ?, ?)",
        bind(toNanos(record.at)), bind(record.actor), bind(record.subject), bind(record.action), bind(record.reason),
        bind(record.details), now;
    return hv::ok();
}

Result<void> WriteApplier::operator()(const PutSeat& write) {
    const SeatRecord& seat = write.seat;
    if (seat.licence.empty() || seat.service.empty() || seat.host.empty()) {
        return Error{ErrorKind::InvalidArgument, "a seat needs a licence, a service and a host"};
    }
    // A seat keeps its place in grant order when it moves: reuse its sequence if it exists.
    Int64 order = 0;
    session_ << "SELECT COALESCE((SELECT granted_seq FROM seats WHERE licence = ? AND service = ? AND on_behalf_of = ?),"
                " (SELECT COALESCE(MAX(granted_seq), 0) + 1 FROM seats))",
        bind(seat.licence), bind(seat.service), bind(seat.onBehalfOf), into(order), now;
    session_ << "INSERT OR REPLACE INTO seats (licence, service, on_behalf_of, host, since_ns, applied, granted_seq)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
        bind(seat.licence), bind(seat.service), bind(seat.onBehalfOf), bind(seat.host), bind(toNanos(seat.since)),
        bind(Int64{seat.applied ? 1 : 0}), bind(order), now;
    return hv::ok();
}

Result<void> WriteApplier::operator()(const RemoveSeat& write) {
    Int64 held = 0;
    session_ << "SELECT count(*) FROM seats WHERE licence = ? AND service = ? AND on_behalf_of = ?",
        bind(write.licence), bind(write.service), bind(write.onBehalfOf), into(held), now;
    if (held == 0) {
        return Error{ErrorKind::InvalidArgument, "licence " + write.licence + ": " + write.service +
                                                     (write.onBehalfOf.empty() ? "" : " (for " + write.onBehalfOf + ")") +
                                                     " holds no seat to give back"};
    }
    session_ << "DELETE FROM seats WHERE licence = ? AND service = ? AND on_behalf_of = ?", bind(write.licence),
        bind(write.service), bind(write.onBehalfOf), now;
    return hv::ok();
}

Result<void> WriteApplier::operator()(const AppendLicenceAudit& write) {
    const LicenceAuditRecord& record = write.record;
    if (record.event.empty() || record.actor.empty()) {
        return Error{ErrorKind::InvalidArgument, "a licence audit line needs an event and an actor"};
    }
    session_ << "INSERT INTO licence_audit (at_ns, event, licence, service, on_behalf_of, host, from_host, actor, reason)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        bind(toNanos(record.at)), bind(record.event), bind(record.licence), bind(record.service),
        bind(record.onBehalfOf), bind(record.host), bind(record.fromHost), bind(record.actor), bind(record.reason),
        now;
    return hv::ok();
}

Result<void> WriteApplier::operator()(const PutBoardReservation& write) {
    const BoardReservationRecord& reservation = write.reservation;
    if (reservation.host.empty() || reservation.pciAddress.empty() || reservation.service.empty()) {
        return Error{ErrorKind::InvalidArgument, "a board reservation needs a host, a PCI address and a service"};
    }
    // A replaced reservation keeps its place in reservation order: reuse its sequence if it exists.
    Int64 order = 0;
    session_ << "SELECT COALESCE((SELECT reserved_seq FROM board_reservations WHERE host = ? AND pci_address = ?),"
                " (SELECT COALESCE(MAX(reserved_seq), 0) + 1 FROM board_reservations))",
        bind(reservation.host), bind(reservation.pciAddress), into(order), now;
    session_ << "INSERT OR REPLACE INTO board_reservations (host, pci_address, service, since_ns, releasing, reserved_seq)"
                " VALUES (?, ?, ?, ?, ?, ?)",
        bind(reservation.host), bind(reservation.pciAddress), bind(reservation.service),
        bind(toNanos(reservation.since)), bind(Int64{reservation.releasing ? 1 : 0}), bind(order), now;
    return hv::ok();
}

Result<void> WriteApplier::operator()(const RemoveBoardReservation& write) {
    Int64 reserved = 0;
    session_ << "SELECT count(*) FROM board_reservations WHERE host = ? AND pci_address = ?", bind(write.host),
        bind(write.pciAddress), into(reserved), now;
    if (reserved == 0) {
        return Error{ErrorKind::InvalidArgument,
                     "board " + write.pciAddress + " on " + write.host + " is not reserved: nothing to release"};
    }
    session_ << "DELETE FROM board_reservations WHERE host = ? AND pci_address = ?", bind(write.host),
        bind(write.pciAddress), now;
    return hv::ok();
}

}  // namespace faxover::orchestrator::store::sqlite
