#pragma once
// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so an intent whose
// append returned survives a crash of the process or the machine. See docs/store.md.
#include "faxover/orchestrator/ports/Store.h"

#include <memory>
#include <string>

namespace Poco::Data { class Session; }

namespace faxover::orchestrator::store {

// The schema version this build writes; open() migrates older files and refuses newer ones.
inline constexpr int kSqliteSchemaVersion = 8;

class SqliteStore final : public Store {
public:
    // Creates the file if absent. A corrupt, foreign or too-new file is an error naming the path.
    static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    Result<BatchResult> commit(const Batch& batch) override;
    Result<IntentId> appendIntent(const Intent& intent) override;
    Result<void> recordOutcome(IntentId id, const Outcome& outcome) override;
    Result<std::vector<IntentEntry>> openIntents() override;
    Result<std::vector<IntentEntry>> intentsAfter(IntentId afterId, std::size_t limit) override;
    Result<std::vector<IntentEntry>> intentsSince(TimePoint since, std::size_t limit) override;
    Result<Revision> putServiceState(const std::string& service, const ServiceRecord& record,
                                     Revision expectedRevision) override;
    Result<std::map<std::string, ServiceRecord>> serviceStates() override;
    Result<Revision> putHostState(const std::string& host, const HostRecord& record,
                                  Revision expectedRevision) override;
    Result<std::map<std::string, HostRecord>> hostStates() override;
    Result<std::vector<SeatRecord>> seats() override;
    Result<std::vector<LicenceAuditRecord>> licenceAudit(TimePoint since, std::size_t limit) override;
    Result<std::vector<BoardReservationRecord>> boardReservations() override;
    Result<void> appendAudit(const AuditRecord& record) override;
    Result<std::vector<AuditRecord>> audit(TimePoint since, std::size_t limit) override;

    // PRAGMA integrity_check's verdict: "ok" for a sound file. For tests and `faxover doctor`.
    Result<std::string> integrityCheck();

private:
    SqliteStore(std::string path, std::unique_ptr<Poco::Data::Session> session);
    Error storageError(const std::string& what, const std::string& detail) const;

    std::string path_;
    std::unique_ptr<Poco::Data::Session> session_;
};

}  // namespace faxover::orchestrator::store
