#pragma once
// Applies the writes of a Batch to the SQLite file, one at a time, inside the caller's
// transaction (SqliteStore::commit owns BEGIN IMMEDIATE / COMMIT / ROLLBACK). Private to the store.
#include "faxover/orchestrator/ports/Store.h"

namespace Poco::Data { class Session; }

namespace faxover::orchestrator::store::sqlite {

// A visitor for the Write variant: std::visit(applier, write). Returns an error for a write that
// must abort the batch (bad argument, lost compare-and-set); throws Poco::Exception on a storage
// failure, which the caller maps to OperationFailed.
class WriteApplier {
public:
    WriteApplier(Poco::Data::Session& session, BatchResult& result) : session_(session), result_(result) {}

    Result<void> operator()(const AppendIntent& write);
    Result<void> operator()(const RecordOutcome& write);
    Result<void> operator()(const PutServiceState& write);
    Result<void> operator()(const PutHostState& write);
    Result<void> operator()(const AppendAudit& write);
    Result<void> operator()(const PutSeat& write);
    Result<void> operator()(const RemoveSeat& write);
    Result<void> operator()(const AppendLicenceAudit& write);
    Result<void> operator()(const PutBoardReservation& write);
    Result<void> operator()(const RemoveBoardReservation& write);

private:
    Poco::Data::Session& session_;
    BatchResult& result_;
};

}  // namespace faxover::orchestrator::store::sqlite
