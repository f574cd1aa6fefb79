// The read side of SqliteStore: history, open intents, service and host states, audit, the licence
// ledger, board reservations, integrity.
#include "faxover/orchestrator/store/SqliteStore.h"

#include "SqliteNameList.h"
#include "SqliteTime.h"

#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

#include <limits>

namespace faxover::orchestrator::store {
namespace {

using namespace Poco::Data::Keywords;
using Int64 = Poco::Int64;

// SQLite reads LIMIT -1 as "no limit".
Int64 sqlLimit(std::size_t limit) {
    return limit > static_cast<std::size_t>(std::numeric_limits<Int64>::max()) ? -1 : static_cast<Int64>(limit);
}

OutcomeStatus parseStatus(const std::string& text) {
    if (text == "succeeded") return OutcomeStatus::Succeeded;
    if (text == "abandoned") return OutcomeStatus::Abandoned;
    return OutcomeStatus::Failed;  // the CHECK constraint admits nothing else
}

// Intents matching `condition` (SQL over aliases i = intents, o = outcomes, one '?' bound to
// `argument`), in id order, with their parameters and outcomes.
std::vector<IntentEntry> readIntents(Poco::Data::Session& session, const std::string& condition, Int64 argument,
                                     Int64 limit) {
    std::vector<Int64> ids, createdAt, finishedAt;
    std::vector<std::string> services, actions, targets, sources, reasons, actors, statuses, messages;
    session << "SELECT i.id, i.service, i.action, i.target_host, i.source_host, i.reason, i.actor, i.created_at_ns,"
               " COALESCE(o.status, ''), COALESCE(o.message, ''), COALESCE(o.finished_at_ns, 0)"
               " FROM intents i LEFT JOIN outcomes o ON o.intent_id = i.id WHERE " +
                   condition + " ORDER BY i.id LIMIT ?",
        bind(argument), bind(limit), into(ids), into(services), into(actions), into(targets), into(sources),
        into(reasons), into(actors), into(createdAt), into(statuses), into(messages), into(finishedAt), now;

    std::vector<IntentEntry> entries(ids.size());
    for (std::size_t row = 0; row < ids.size(); ++row) {
        IntentEntry& entry = entries[row];
        entry.id = ids[row];
        entry.intent = Intent{services[row], actions[row], targets[row], sources[row], {}, reasons[row], actors[row],
                              fromNanos(createdAt[row])};
        if (!statuses[row].empty()) {
            entry.outcome = Outcome{parseStatus(statuses[row]), messages[row], fromNanos(finishedAt[row])};
        }
    }
    if (entries.empty()) return entries;

    // One query for all parameters of the rows read; ids are ascending, so a range covers them.
    std::vector<Int64> parameterIds;
    std::vector<std::string> keys, values;
    session << "SELECT intent_id, key, value FROM intent_parameters WHERE intent_id BETWEEN ? AND ?",
        bind(entries.front().id), bind(entries.back().id), into(parameterIds), into(keys), into(values), now;
    std::size_t cursor = 0;
    std::map<IntentId, std::size_t> rowOfId;
    for (const IntentEntry& entry : entries) rowOfId.emplace(entry.id, cursor++);
    for (std::size_t row = 0; row < parameterIds.size(); ++row) {
        auto found = rowOfId.find(parameterIds[row]);
        if (found != rowOfId.end()) entries[found->second].intent.parameters.emplace(keys[row], values[row]);
    }
    return entries;
}

}  // namespace

Result<std::vector<IntentEntry>> SqliteStore::openIntents() {
    try {
        return readIntents(*session_, "o.intent_id IS NULL AND i.id > ?", 0, -1);
    } catch (const Poco::Exception& e) {
        return storageError("reading open intents failed", e.displayText());
    }
}

Result<std::vector<IntentEntry>> SqliteStore::intentsAfter(IntentId afterId, std::size_t limit) {
    try {
        return readIntents(*session_, "i.id > ?", afterId, sqlLimit(limit));
    } catch (const Poco::Exception& e) {
        return storageError("reading intents failed", e.displayText());
    }
}

Result<std::vector<IntentEntry>> SqliteStore::intentsSince(TimePoint since, std::size_t limit) {
    try {
        return readIntents(*session_, "i.created_at_ns >= ?", toNanos(since), sqlLimit(limit));
    } catch (const Poco::Exception& e) {
        return storageError("reading intents failed", e.displayText());
    }
}

Result<std::map<std::string, ServiceRecord>> SqliteStore::serviceStates() {
    try {
        std::vector<std::string> services, states, hosts, reasons, targets, definitions, tried, failedOverFrom,
            maintenanceHosts, requested;
        std::vector<Int64> since, revisions, nextAttempts, faxNextSteps;
        std::vector<int> restarts, relocations, faxServiceRestarts, faxVmRestarts, faxRelocations, faxDown,
            faxExhausted, faxHeartbeatsLost;
        *session_ << "SELECT service, state, host, since_ns, revision, restarts, relocations, reason, target,"
                     " definition_xml, tried_hosts, failed_over_from, maintenance_host, next_attempt_ns,"
                     " requested_state, fax_service_restarts, fax_vm_restarts, fax_relocations, fax_next_step_ns,"
                     " fax_down, fax_exhausted, fax_heartbeats_lost FROM service_states ORDER BY service",
            into(services), into(states), into(hosts), into(since), into(revisions), into(restarts),
            into(relocations), into(reasons), into(targets), into(definitions), into(tried), into(failedOverFrom),
            into(maintenanceHosts), into(nextAttempts), into(requested), into(faxServiceRestarts),
            into(faxVmRestarts), into(faxRelocations), into(faxNextSteps), into(faxDown), into(faxExhausted),
            into(faxHeartbeatsLost), now;
        std::map<std::string, ServiceRecord> records;
        for (std::size_t row = 0; row < services.size(); ++row) {
            records.emplace(services[row],
                            ServiceRecord{states[row], hosts[row], fromNanos(since[row]), revisions[row], restarts[row],
                                          relocations[row], reasons[row], targets[row], definitions[row],
                                          splitLines(tried[row]), failedOverFrom[row], maintenanceHosts[row],
                                          fromNanos(nextAttempts[row]), requested[row],
                                          FaxEscalationRecord{faxServiceRestarts[row], faxVmRestarts[row],
                                                              faxRelocations[row], fromNanos(faxNextSteps[row]),
                                                              faxDown[row] != 0, faxExhausted[row] != 0,
                                                              faxHeartbeatsLost[row] != 0}});
        }
        return records;
    } catch (const Poco::Exception& e) {
        return storageError("reading service states failed", e.displayText());
    }
}

Result<std::map<std::string, HostRecord>> SqliteStore::hostStates() {
    try {
        std::vector<std::string> hosts, fences, reasons, planned, plannedStopped;
        std::vector<Int64> maintenance, since, revisions, plannedAt, silent;
        *session_ << "SELECT host, maintenance, fence, since_ns, reason, revision, planned, planned_at_ns,"
                     " planned_stopped, silent_since_planned FROM host_states ORDER BY host",
            into(hosts), into(maintenance), into(fences), into(since), into(reasons), into(revisions), into(planned),
            into(plannedAt), into(plannedStopped), into(silent), now;
        std::map<std::string, HostRecord> records;
        for (std::size_t row = 0; row < hosts.size(); ++row) {
            records.emplace(hosts[row], HostRecord{maintenance[row] != 0, fences[row], fromNanos(since[row]),
                                                   reasons[row], revisions[row], planned[row], fromNanos(plannedAt[row]),
                                                   splitLines(plannedStopped[row]), silent[row] != 0});
        }
        return records;
    } catch (const Poco::Exception& e) {
        return storageError("reading host states failed", e.displayText());
    }
}

Result<std::vector<AuditRecord>> SqliteStore::audit(TimePoint since, std::size_t limit) {
    try {
        std::vector<Int64> at;
        std::vector<std::string> actors, subjects, actions, reasons, details;
        Int64 sinceNanos = toNanos(since);
        Int64 rowLimit = sqlLimit(limit);
        *session_ << "SELECT at_ns, actor, subject, action, reason, details FROM audit"
                     " WHERE at_ns >= ? ORDER BY seq LIMIT ?",
            use(sinceNanos), use(rowLimit), into(at), into(actors), into(subjects), into(actions), into(reasons),
            into(details), now;
        std::vector<AuditRecord> records(at.size());
        for (std::size_t row = 0; row < at.size(); ++row) {
            records[row] = AuditRecord{fromNanos(at[row]), actors[row], subjects[row], actions[row], reasons[row],
                                       details[row]};
        }
        return records;
    } catch (const Poco::Exception& e) {
        return storageError("reading the audit log failed", e.displayText());
    }
}

Result<std::vector<SeatRecord>> SqliteStore::seats() {
    try {
        std::vector<std::string> licences, services, onBehalfOf, hosts;
        std::vector<Int64> since, applied;
        *session_ << "SELECT licence, service, on_behalf_of, host, since_ns, applied FROM seats ORDER BY granted_seq",
            into(licences), into(services), into(onBehalfOf), into(hosts), into(since), into(applied), now;
        std::vector<SeatRecord> seats(licences.size());
        for (std::size_t row = 0; row < licences.size(); ++row) {
            seats[row] = SeatRecord{licences[row], services[row], onBehalfOf[row], hosts[row], fromNanos(since[row]),
                                    applied[row] != 0};
        }
        return seats;
    } catch (const Poco::Exception& e) {
        return storageError("reading the licence ledger failed", e.displayText());
    }
}

Result<std::vector<LicenceAuditRecord>> SqliteStore::licenceAudit(TimePoint since, std::size_t limit) {
    try {
        std::vector<Int64> sequence, at;
        std::vector<std::string> events, licences, services, onBehalfOf, hosts, fromHosts, actors, reasons;
        Int64 sinceNanos = toNanos(since);
        Int64 rowLimit = sqlLimit(limit);
        *session_ << "SELECT seq, at_ns, event, licence, service, on_behalf_of, host, from_host, actor, reason"
                     " FROM licence_audit WHERE at_ns >= ? ORDER BY seq LIMIT ?",
            use(sinceNanos), use(rowLimit), into(sequence), into(at), into(events), into(licences), into(services),
            into(onBehalfOf), into(hosts), into(fromHosts), into(actors), into(reasons), now;
        std::vector<LicenceAuditRecord> records(sequence.size());
        for (std::size_t row = 0; row < sequence.size(); ++row) {
            records[row] = LicenceAuditRecord{sequence[row], fromNanos(at[row]), events[row], licences[row],
                                              services[row], onBehalfOf[row], hosts[row], fromHosts[row],
                                              actors[row], reasons[row]};
        }
        return records;
    } catch (const Poco::Exception& e) {
        return storageError("reading the licence audit log failed", e.displayText());
    }
}

Result<std::vector<BoardReservationRecord>> SqliteStore::boardReservations() {
    try {
        std::vector<std::string> hosts, addresses, services;
        std::vector<Int64> since, releasing;
        *session_ << "SELECT host, pci_address, service, since_ns, releasing FROM board_reservations"
                     " ORDER BY reserved_seq",
            into(hosts), into(addresses), into(services), into(since), into(releasing), now;
        std::vector<BoardReservationRecord> reservations(hosts.size());
        for (std::size_t row = 0; row < hosts.size(); ++row) {
            reservations[row] = BoardReservationRecord{hosts[row], addresses[row], services[row], fromNanos(since[row]),
                                                       releasing[row] != 0};
        }
        return reservations;
    } catch (const Poco::Exception& e) {
        return storageError("reading the board reservations failed", e.displayText());
    }
}

Result<std::string> SqliteStore::integrityCheck() {
    try {
        std::vector<std::string> lines;
        *session_ << "PRAGMA integrity_check", into(lines), now;
        std::string verdict;
        for (const std::string& line : lines) verdict += (verdict.empty() ? "" : "\n") + line;
        return verdict;
    } catch (const Poco::Exception& e) {
        return storageError("integrity check failed", e.displayText());
    }
}

}  // namespace faxover::orchestrator::store
