#include "SqliteSchema.h"

#include "faxover/orchestrator/store/SqliteStore.h"

#include <Poco/Data/Session.h>

#include <functional>
#include <string>
#include <vector>

namespace faxover::orchestrator::store::sqlite {
namespace {

using namespace Poco::Data::Keywords;

// Version 1: the intent journal, outcomes, per-service state and the audit log.
// Times are nanoseconds since the Unix epoch (exact round trip of system_clock on libstdc++).
void createVersion1(Poco::Data::Session& session) {
    session << "CREATE TABLE intents ("
               " id INTEGER PRIMARY KEY AUTOINCREMENT,"  // AUTOINCREMENT: ids are never reused
               " service TEXT NOT NULL, action TEXT NOT NULL,"
               " target_host TEXT NOT NULL, source_host TEXT NOT NULL,"
               " reason TEXT NOT NULL, actor TEXT NOT NULL, created_at_ns INTEGER NOT NULL)", now;
    session << "CREATE INDEX intents_by_created_at ON intents(created_at_ns)", now;
    session << "CREATE TABLE intent_parameters ("
               " intent_id INTEGER NOT NULL REFERENCES intents(id),"
               " key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (intent_id, key))", now;
    // One row per intent at most: the primary key makes "exactly once" a property of the file too.
    session << "CREATE TABLE outcomes ("
               " intent_id INTEGER PRIMARY KEY REFERENCES intents(id),"
               " status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'abandoned')),"
               " message TEXT NOT NULL, finished_at_ns INTEGER NOT NULL)", now;
    session << "CREATE TABLE service_states ("
               " service TEXT PRIMARY KEY, state TEXT NOT NULL, host TEXT NOT NULL,"
               " since_ns INTEGER NOT NULL, revision INTEGER NOT NULL CHECK (revision > 0))", now;
    session << "CREATE TABLE audit ("
               " seq INTEGER PRIMARY KEY AUTOINCREMENT, at_ns INTEGER NOT NULL,"
               " actor TEXT NOT NULL, subject TEXT NOT NULL, action TEXT NOT NULL,"
               " reason TEXT NOT NULL, details TEXT NOT NULL)", now;
    session << "CREATE INDEX audit_by_at ON audit(at_ns)", now;
    // Append-only is enforced by the file as well, not only by the absence of an API.
    session << "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
               " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END", now;
    session << "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
               " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END", now;
}

// Version 2: the engine's restart/relocation counters, a reason, the target of an action under way
// and the last known domain definition on each service state, and
// per-host state (maintenance, confirmed fence). Columns are added with defaults, so every row a
// version-1 file holds stays valid: no counter restarted, no reason recorded.
void upgradeToVersion2(Poco::Data::Session& session) {
    session << "ALTER TABLE service_states ADD COLUMN restarts INTEGER NOT NULL DEFAULT 0 CHECK (restarts >= 0)", now;
    session << "ALTER TABLE service_states ADD COLUMN relocations INTEGER NOT NULL DEFAULT 0"
               " CHECK (relocations >= 0)", now;
    session << "ALTER TABLE service_states ADD COLUMN reason TEXT NOT NULL DEFAULT ''", now;
    session << "ALTER TABLE service_states ADD COLUMN target TEXT NOT NULL DEFAULT ''", now;
    session << "ALTER TABLE service_states ADD COLUMN definition_xml TEXT NOT NULL DEFAULT ''", now;
    session << "CREATE TABLE host_states ("
               " host TEXT PRIMARY KEY, maintenance INTEGER NOT NULL CHECK (maintenance IN (0, 1)),"
               " fence TEXT NOT NULL CHECK (fence IN ('', 'confirmed')),"
               " since_ns INTEGER NOT NULL, reason TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision > 0))", now;
}

// Version 3: the licence ledger (one row per seat held) and its append-only audit log (issue #4).
void upgradeToVersion3(Poco::Data::Session& session) {
    session << "CREATE TABLE seats ("
               " licence TEXT NOT NULL, service TEXT NOT NULL, on_behalf_of TEXT NOT NULL,"
               " host TEXT NOT NULL, since_ns INTEGER NOT NULL, applied INTEGER NOT NULL CHECK (applied IN (0, 1)),"
               " granted_seq INTEGER NOT NULL,"  // grant order survives a transfer (INSERT OR REPLACE)
               " PRIMARY KEY (licence, service, on_behalf_of))", now;
    session << "CREATE TABLE licence_audit ("
               " seq INTEGER PRIMARY KEY AUTOINCREMENT, at_ns INTEGER NOT NULL,"
               " event TEXT NOT NULL CHECK (event IN ('grant', 'transfer', 'revoke', 'refuse', 'applied',"
               " 'apply-failed', 'revoke-run')),"
               " licence TEXT NOT NULL, service TEXT NOT NULL, on_behalf_of TEXT NOT NULL, host TEXT NOT NULL,"
               " from_host TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL)", now;
    session << "CREATE INDEX licence_audit_by_at ON licence_audit(at_ns)", now;
    session << "CREATE TRIGGER licence_audit_no_update BEFORE UPDATE ON licence_audit"
               " BEGIN SELECT RAISE(ABORT, 'the licence audit log is append-only'); END", now;
    session << "CREATE TRIGGER licence_audit_no_delete BEFORE DELETE ON licence_audit"
               " BEGIN SELECT RAISE(ABORT, 'the licence audit log is append-only'); END", now;
}

// Version 4: fax board reservations (issue #5). The primary key makes "one VM per board"
// (invariant 4) a property of the file; reserved_seq keeps reservation order across a replace.
void upgradeToVersion4(Poco::Data::Session& session) {
    session << "CREATE TABLE board_reservations ("
               " host TEXT NOT NULL, pci_address TEXT NOT NULL, service TEXT NOT NULL,"
               " since_ns INTEGER NOT NULL, releasing INTEGER NOT NULL CHECK (releasing IN (0, 1)),"
               " reserved_seq INTEGER NOT NULL,"
               " PRIMARY KEY (host, pci_address))", now;
}

// Version 5: what the engine remembers of a recovery beyond its counters (issue 12): the hosts it
// tried, one name a line in name order; where a failback or the end of a maintenance returns it;
// and when the next restart may start. Defaults are "nothing tried, nowhere to return, no wait", so
// a version-4 row means what it meant.
void upgradeToVersion5(Poco::Data::Session& session) {
    session << "ALTER TABLE service_states ADD COLUMN tried_hosts TEXT NOT NULL DEFAULT ''", now;
    session << "ALTER TABLE service_states ADD COLUMN failed_over_from TEXT NOT NULL DEFAULT ''", now;
    session << "ALTER TABLE service_states ADD COLUMN maintenance_host TEXT NOT NULL DEFAULT ''", now;
    session << "ALTER TABLE service_states ADD COLUMN next_attempt_ns INTEGER NOT NULL DEFAULT 0", now;
}

// Version 6: the requested state of each service's VM (issue 12: vm stop, disable). Existing rows
// are "started", which is what every service was before an admin could ask otherwise.
void upgradeToVersion6(Poco::Data::Session& session) {
    session << "ALTER TABLE service_states ADD COLUMN requested_state TEXT NOT NULL DEFAULT 'started'"
               " CHECK (requested_state IN ('started', 'stopped', 'disabled'))", now;
}

// Version 7: a host's announced planned shutdown or reboot (issue 12), so that a restarted daemon
// still never fences a host mid-boot. Defaults are "nothing announced", what every host was.
void upgradeToVersion7(Poco::Data::Session& session) {
    session << "ALTER TABLE host_states ADD COLUMN planned TEXT NOT NULL DEFAULT ''"
               " CHECK (planned IN ('', 'shutdown', 'reboot'))", now;
    session << "ALTER TABLE host_states ADD COLUMN planned_at_ns INTEGER NOT NULL DEFAULT 0", now;
    session << "ALTER TABLE host_states ADD COLUMN planned_stopped TEXT NOT NULL DEFAULT ''", now;
    session << "ALTER TABLE host_states ADD COLUMN silent_since_planned INTEGER NOT NULL DEFAULT 0"
               " CHECK (silent_since_planned IN (0, 1))", now;
}

// Version 8: how far each service's fax-health escalation has got (issue 15): its step counts, the
// instant before which the next step waits, and whether "down", "every step used" and "heartbeats
// lost" were reported. The defaults are "nothing tried, nothing reported", what every row meant before.
void upgradeToVersion8(Poco::Data::Session& session) {
    for (const char* count : {"fax_service_restarts", "fax_vm_restarts", "fax_relocations"})
        session << "ALTER TABLE service_states ADD COLUMN " + std::string(count) +
                       " INTEGER NOT NULL DEFAULT 0 CHECK (" + count + " >= 0)", now;
    session << "ALTER TABLE service_states ADD COLUMN fax_next_step_ns INTEGER NOT NULL DEFAULT 0", now;
    for (const char* flag : {"fax_down", "fax_exhausted", "fax_heartbeats_lost"})
        session << "ALTER TABLE service_states ADD COLUMN " + std::string(flag) +
                       " INTEGER NOT NULL DEFAULT 0 CHECK (" + flag + " IN (0, 1))", now;
}

// steps[v] migrates a file from version v to v + 1. Later issues append steps; never edit one.
// A new file is created at version 1 and then runs the same steps as an old one, so a fresh store
// and an upgraded store cannot differ.
const std::vector<std::function<void(Poco::Data::Session&)>>& migrationSteps() {
    static const std::vector<std::function<void(Poco::Data::Session&)>> steps{
        [](Poco::Data::Session&) {},  // 0 -> 1 happens in createVersion1 with the version table
        upgradeToVersion2,            // 1 -> 2
        upgradeToVersion3,            // 2 -> 3
        upgradeToVersion4,            // 3 -> 4
        upgradeToVersion5,            // 4 -> 5
        upgradeToVersion6,            // 5 -> 6
        upgradeToVersion7,            // 6 -> 7
        upgradeToVersion8,            // 7 -> 8
    };
    return steps;
}

int storedVersion(Poco::Data::Session& session, bool& foreign) {
    int hasVersionTable = 0;
    int tableCount = 0;
    session << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
        into(hasVersionTable), now;
    session << "SELECT count(*) FROM sqlite_master WHERE type = 'table'", into(tableCount), now;
    foreign = hasVersionTable == 0 && tableCount > 0;
    if (hasVersionTable == 0) return 0;
    int version = 0;
    session << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(version), now;
    return version;
}

}  // namespace

Result<void> migrate(Poco::Data::Session& session, const std::string& path) {
    static_assert(kSqliteSchemaVersion >= 1);
    session << "BEGIN IMMEDIATE", now;
    bool foreign = false;
    const int version = storedVersion(session, foreign);
    auto refuse = [&](ErrorKind kind, std::string message) -> Result<void> {
        session << "ROLLBACK", now;
        return Error{kind, std::move(message)};
    };
    if (foreign) {
        return refuse(ErrorKind::InvalidArgument,
                      "store " + path + ": an SQLite database that is not a Faxover store (no schema_version table)");
    }
    if (version > kSqliteSchemaVersion) {
        return refuse(ErrorKind::NotSupported,
                      "store " + path + ": schema version " + std::to_string(version) +
                          " is newer than this Faxover understands (" + std::to_string(kSqliteSchemaVersion) +
                          "); upgrade Faxover, do not downgrade a store");
    }
    if (version == 0) {
        session << "CREATE TABLE schema_version (version INTEGER NOT NULL)", now;
        session << "INSERT INTO schema_version (version) VALUES (0)", now;
        createVersion1(session);
    }
    for (int step = version; step < kSqliteSchemaVersion; ++step) {
        migrationSteps().at(static_cast<std::size_t>(step))(session);
    }
    if (version != kSqliteSchemaVersion) {
        int target = kSqliteSchemaVersion;
        session << "UPDATE schema_version SET version = ?", use(target), now;
    }
    session << "COMMIT", now;
    return hv::ok();
}

}  // namespace faxover::orchestrator::store::sqlite
