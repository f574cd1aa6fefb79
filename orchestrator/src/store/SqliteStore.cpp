#include "faxover/orchestrator/store/SqliteStore.h"

#include "SqliteSchema.h"
#include "SqliteWriteApplier.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace faxover::orchestrator::store {
namespace {

using namespace Poco::Data::Keywords;
using Int64 = Poco::Int64;

void execute(Poco::Data::Session& session, const std::string& sql) { session << sql, now; }

// Rolls back unless committed: an error or exception half-way through a batch leaves nothing.
class Transaction {
public:
    explicit Transaction(Poco::Data::Session& session) : session_(session) {
        // IMMEDIATE takes the write lock up front, so the reads a CAS makes cannot go stale.
        execute(session_, "BEGIN IMMEDIATE");
    }
    ~Transaction() {
        if (committed_) return;
        try {
            execute(session_, "ROLLBACK");
        } catch (...) {
            // The connection is unusable; SQLite rolls the journal back on the next open.
        }
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        execute(session_, "COMMIT");
        committed_ = true;
    }

private:
    Poco::Data::Session& session_;
    bool committed_ = false;
};

constexpr std::size_t kOpenTimeoutSeconds = 5;

void registerSqliteOnce() {
    static std::once_flag registered;
    std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

// Why the daemon could not write the store at `path` (the file, or the directory that must take
// its write-ahead log), or nothing when it can.
std::optional<std::string> unwritableReason(const std::string& path, const std::filesystem::path& directory) {
    const std::string folder = directory.empty() ? "." : directory.string();
    if (std::filesystem::exists(path) && ::access(path.c_str(), W_OK) != 0)
        return "it is not writable (" + std::string(std::strerror(errno)) + ")";
    if (::access(folder.c_str(), W_OK) != 0)
        return "its directory " + folder + " is not writable (" + std::strerror(errno) +
               "); the write-ahead log goes there";
    return std::nullopt;
}

}  // namespace

SqliteStore::SqliteStore(std::string path, std::unique_ptr<Poco::Data::Session> session)
    : path_(std::move(path)), session_(std::move(session)) {}

SqliteStore::~SqliteStore() = default;

Error SqliteStore::storageError(const std::string& what, const std::string& detail) const {
    return Error{ErrorKind::OperationFailed, "store " + path_ + ": " + what + ": " + detail};
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
    const auto failed = [&](const std::string& detail) {
        return Error{ErrorKind::OperationFailed, "store " + path + ": cannot open: " + detail};
    };
    try {
        registerSqliteOnce();
        // Poco retries a failing open until its login timeout (60 s by default): a missing
        // directory would stall the daemon's start for a minute before saying anything.
        const auto directory = std::filesystem::path(path).parent_path();
        if (!directory.empty() && !std::filesystem::is_directory(directory)) {
            return failed("directory " + directory.string() + " does not exist");
        }
        // Fail at once on what would fail later: Poco's open would retry a directory for its whole
        // timeout, and a store the daemon cannot write withholds every action it decides.
        if (std::filesystem::is_directory(path)) return failed("it is a directory, not a store file");
        if (auto unwritable = unwritableReason(path, directory)) return failed(*unwritable);
        // The store keeps domain definitions with their secrets (docs/hypervisor.md): a new one is
        // created readable by its owner only. SQLite gives its WAL and shared-memory files the
        // database file's mode.
        if (!std::filesystem::exists(path)) {
            if (const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
            else if (errno != EEXIST) return failed(std::string("cannot create: ") + std::strerror(errno));
        }
        auto session = std::make_unique<Poco::Data::Session>("SQLite", path, kOpenTimeoutSeconds);
        // The first statement reads the header: a garbage file fails here, as an exception.
        std::string journalMode;
        *session << "PRAGMA journal_mode=WAL", into(journalMode), now;
        if (journalMode != "wal") return failed("WAL journal mode refused (got '" + journalMode + "')");
        // FULL: the WAL is fsynced at every commit, so an acknowledged intent survives power loss.
        execute(*session, "PRAGMA synchronous=FULL");
        execute(*session, "PRAGMA foreign_keys=ON");
        execute(*session, "PRAGMA busy_timeout=5000");
        // A file whose pages are damaged opens and answers until the daemon reads the wrong page:
        // check it now, while refusing to start is still harmless (docs/store.md has the cost).
        std::vector<std::string> damage;
        try {
            *session << "PRAGMA quick_check", into(damage), now;
        } catch (const Poco::Exception& e) {
            damage = {e.message()};  // SQLite gives up on a page it cannot even walk
        }
        if (damage.size() != 1 || damage.front() != "ok") {
            const std::string first = damage.empty() ? "no verdict" : damage.front();
            const std::string more = damage.size() > 1 ? " (and " + std::to_string(damage.size() - 1) + " more)" : "";
            return failed("the integrity check found damage: " + first + more + "; restore it from a backup (docs/store.md)");
        }
        auto migrated = sqlite::migrate(*session, path);
        if (!migrated) return migrated.error();
        return std::unique_ptr<SqliteStore>(new SqliteStore(path, std::move(session)));
    } catch (const Poco::Exception& e) {
        return failed(e.displayText());
    } catch (const std::exception& e) {
        return failed(e.what());
    }
}

Result<BatchResult> SqliteStore::commit(const Batch& batch) {
    try {
        BatchResult result;
        Transaction transaction(*session_);
        sqlite::WriteApplier applier(*session_, result);
        for (const Write& write : batch.writes) {
            auto applied = std::visit(applier, write);
            if (!applied) return applied.error();  // the transaction rolls back
        }
        transaction.commit();
        return result;
    } catch (const Poco::Exception& e) {
        return storageError("write failed", e.displayText());
    } catch (const std::exception& e) {
        return storageError("write failed", e.what());
    }
}

Result<IntentId> SqliteStore::appendIntent(const Intent& intent) {
    auto result = commit(Batch{}.add(AppendIntent{intent}));
    if (!result) return result.error();
    return result.value().intentIds.at(0);
}

Result<void> SqliteStore::recordOutcome(IntentId id, const Outcome& outcome) {
    BOOST_OUTCOME_TRY(commit(Batch{}.add(RecordOutcome{id, outcome})));
    return hv::ok();
}

Result<Revision> SqliteStore::putServiceState(const std::string& service, const ServiceRecord& record,
                                              Revision expectedRevision) {
    auto result = commit(Batch{}.add(PutServiceState{service, record, expectedRevision}));
    if (!result) return result.error();
    return result.value().revisions.at(0);
}

Result<Revision> SqliteStore::putHostState(const std::string& host, const HostRecord& record,
                                           Revision expectedRevision) {
    auto result = commit(Batch{}.add(PutHostState{host, record, expectedRevision}));
    if (!result) return result.error();
    return result.value().hostRevisions.at(0);
}

Result<void> SqliteStore::appendAudit(const AuditRecord& record) {
    BOOST_OUTCOME_TRY(commit(Batch{}.add(AppendAudit{record})));
    return hv::ok();
}

}  // namespace faxover::orchestrator::store
