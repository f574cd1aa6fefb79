#pragma once
// The orchestrator's durable memory (invariants 3 and 5, docs/invariants.md). An interface so that the
// embedded SQLite store and a later cluster store (etcd) are interchangeable; see docs/store.md.
// No exception crosses it: every call returns a Result.
// It lives in ports/ with every other port; its namespace stays `store` (with its records,
// ports/StoreRecords.h) because every caller already names these types `store::...`.
//
// Error kinds callers branch on:
//   OperationInvalid  a revision conflict (compare-and-set lost) or a second outcome for an intent
//   InvalidArgument   an unknown intent id, a malformed record
//   NotSupported      the store was written by a newer Faxover (schema version too new)
//   OperationFailed   the storage itself failed: unreadable or corrupt file, disk error
#include "faxover/hypervisor/Result.h"
#include "faxover/orchestrator/ports/StoreRecords.h"

#include <cstddef>
#include <string>
#include <vector>

namespace faxover::orchestrator::store {

template <class T>
using Result = hv::Result<T>;
using hv::Error;
using hv::ErrorKind;

class Store {
public:
    virtual ~Store() = default;

    // All-or-nothing: on any error (a revision conflict included) nothing of the batch is stored.
    virtual Result<BatchResult> commit(const Batch& batch) = 0;

    // Intents journal. Single writes are one-item batches.
    virtual Result<IntentId> appendIntent(const Intent& intent) = 0;
    virtual Result<void> recordOutcome(IntentId id, const Outcome& outcome) = 0;
    // Intents without an outcome, in id order: what a restarted daemon must resume or abandon.
    virtual Result<std::vector<IntentEntry>> openIntents() = 0;
    // History: intents with id > afterId (resp. createdAt >= since), in id order, at most limit.
    virtual Result<std::vector<IntentEntry>> intentsAfter(IntentId afterId, std::size_t limit) = 0;
    virtual Result<std::vector<IntentEntry>> intentsSince(TimePoint since, std::size_t limit) = 0;

    // Per-service state with optimistic concurrency; returns the new revision.
    virtual Result<Revision> putServiceState(const std::string& service, const ServiceRecord& record,
                                             Revision expectedRevision) = 0;
    virtual Result<std::map<std::string, ServiceRecord>> serviceStates() = 0;

    // Per-host state (maintenance, confirmed fence), compare-and-set exactly like service state.
    virtual Result<Revision> putHostState(const std::string& host, const HostRecord& record,
                                          Revision expectedRevision) = 0;
    virtual Result<std::map<std::string, HostRecord>> hostStates() = 0;

    // The licence ledger: every seat held, in grant order (PutSeat and RemoveSeat in a Batch change it).
    virtual Result<std::vector<SeatRecord>> seats() = 0;
    // The licence audit log from `since`, oldest first, at most `limit` lines.
    virtual Result<std::vector<LicenceAuditRecord>> licenceAudit(TimePoint since, std::size_t limit) = 0;

    // Fax board reservations (invariant 4: one VM per board), in reservation order: the order in
    // which boards were first reserved (PutBoardReservation and RemoveBoardReservation in a Batch
    // change them). Board events are audited in the general audit log.
    virtual Result<std::vector<BoardReservationRecord>> boardReservations() = 0;

    // Audit log: append-only, there is deliberately no update or delete.
    virtual Result<void> appendAudit(const AuditRecord& record) = 0;
    virtual Result<std::vector<AuditRecord>> audit(TimePoint since, std::size_t limit) = 0;
};

}  // namespace faxover::orchestrator::store
