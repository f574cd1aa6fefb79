// A store written by an older Faxover (schema 1 to 6) opens in place: data kept, new columns and
// tables usable.
#include "store_test_support.h"

#include <catch2/catch.hpp>

#include <Poco/Data/Session.h>

using namespace store_test;
using namespace faxover::orchestrator::store;
using Poco::Data::Keywords::now;

namespace {

// The version-1 schema as Faxover 0.1 created it (SqliteSchema.cpp, createVersion1), with data.
void writeVersion1Store(const std::string& path) {
    openOrFail(path + ".connector").reset();  // registers Poco's SQLite connector
    Poco::Data::Session raw("SQLite", path);
    raw << "CREATE TABLE schema_version (version INTEGER NOT NULL)", now;
    raw << "INSERT INTO schema_version (version) VALUES (1)", now;
    raw << "CREATE TABLE intents (id INTEGER PRIMARY KEY AUTOINCREMENT, service TEXT NOT NULL,"
           " action TEXT NOT NULL, target_host TEXT NOT NULL, source_host TEXT NOT NULL, reason TEXT NOT NULL,"
           " actor TEXT NOT NULL, created_at_ns INTEGER NOT NULL)", now;
    raw << "CREATE INDEX intents_by_created_at ON intents(created_at_ns)", now;
    raw << "CREATE TABLE intent_parameters (intent_id INTEGER NOT NULL REFERENCES intents(id),"
           " key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (intent_id, key))", now;
    raw << "CREATE TABLE outcomes (intent_id INTEGER PRIMARY KEY REFERENCES intents(id),"
           " status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'abandoned')),"
           " message TEXT NOT NULL, finished_at_ns INTEGER NOT NULL)", now;
    raw << "CREATE TABLE service_states (service TEXT PRIMARY KEY, state TEXT NOT NULL, host TEXT NOT NULL,"
           " since_ns INTEGER NOT NULL, revision INTEGER NOT NULL CHECK (revision > 0))", now;
    raw << "CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at_ns INTEGER NOT NULL,"
           " actor TEXT NOT NULL, subject TEXT NOT NULL, action TEXT NOT NULL,"
           " reason TEXT NOT NULL, details TEXT NOT NULL)", now;
    raw << "CREATE INDEX audit_by_at ON audit(at_ns)", now;
    raw << "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
           " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END", now;
    raw << "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
           " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END", now;

    raw << "INSERT INTO intents (service, action, target_host, source_host, reason, actor, created_at_ns)"
           " VALUES ('fax1', 'start', 'hv2', 'hv1', 'hv1 lost', 'daemon', 1790000001000000000)", now;
    raw << "INSERT INTO service_states (service, state, host, since_ns, revision)"
           " VALUES ('fax1', 'recovering', 'hv2', 1790000001000000000, 3)", now;
}

// Moves the store at `path` up to `version` as that version's upgrade did: the `schema` statements
// and the new version number; then `data`, a row that the upgrades after it must keep.
void upgradeAs(const std::string& path, int version, const std::vector<std::string>& schema, const std::string& data) {
    Poco::Data::Session raw("SQLite", path);
    for (const auto& statement : schema) raw << statement, now;
    raw << "UPDATE schema_version SET version = " + std::to_string(version), now;
    raw << data, now;
}

// Version 2 as Faxover created it (upgradeToVersion2), on top of version 1, with a host state.
void writeVersion2Store(const std::string& path) {
    writeVersion1Store(path);
    upgradeAs(path, 2,
              {"ALTER TABLE service_states ADD COLUMN restarts INTEGER NOT NULL DEFAULT 0 CHECK (restarts >= 0)",
               "ALTER TABLE service_states ADD COLUMN relocations INTEGER NOT NULL DEFAULT 0 CHECK (relocations >= 0)",
               "ALTER TABLE service_states ADD COLUMN reason TEXT NOT NULL DEFAULT ''",
               "ALTER TABLE service_states ADD COLUMN target TEXT NOT NULL DEFAULT ''",
               "ALTER TABLE service_states ADD COLUMN definition_xml TEXT NOT NULL DEFAULT ''",
               "CREATE TABLE host_states (host TEXT PRIMARY KEY,"
               " maintenance INTEGER NOT NULL CHECK (maintenance IN (0, 1)),"
               " fence TEXT NOT NULL CHECK (fence IN ('', 'confirmed')),"
               " since_ns INTEGER NOT NULL, reason TEXT NOT NULL, revision INTEGER NOT NULL CHECK (revision > 0))"},
              "INSERT INTO host_states (host, maintenance, fence, since_ns, reason, revision)"
              " VALUES ('hv3', 1, '', 1790000001000000000, 'disk swap', 2)");
}

// Version 3 as Faxover created it (upgradeToVersion3, issue #4), on top of version 2, with a seat.
void writeVersion3Store(const std::string& path) {
    writeVersion2Store(path);
    upgradeAs(path, 3,
              {"CREATE TABLE seats (licence TEXT NOT NULL, service TEXT NOT NULL, on_behalf_of TEXT NOT NULL,"
               " host TEXT NOT NULL, since_ns INTEGER NOT NULL, applied INTEGER NOT NULL CHECK (applied IN (0, 1)),"
               " granted_seq INTEGER NOT NULL, PRIMARY KEY (licence, service, on_behalf_of))",
               "CREATE TABLE licence_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at_ns INTEGER NOT NULL,"
               " event TEXT NOT NULL CHECK (event IN ('grant', 'transfer', 'revoke', 'refuse', 'applied',"
               " 'apply-failed', 'revoke-run')),"
               " licence TEXT NOT NULL, service TEXT NOT NULL, on_behalf_of TEXT NOT NULL, host TEXT NOT NULL,"
               " from_host TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL)",
               "CREATE INDEX licence_audit_by_at ON licence_audit(at_ns)",
               "CREATE TRIGGER licence_audit_no_update BEFORE UPDATE ON licence_audit"
               " BEGIN SELECT RAISE(ABORT, 'the licence audit log is append-only'); END",
               "CREATE TRIGGER licence_audit_no_delete BEFORE DELETE ON licence_audit"
               " BEGIN SELECT RAISE(ABORT, 'the licence audit log is append-only'); END"},
              "INSERT INTO seats (licence, service, on_behalf_of, host, since_ns, applied, granted_seq)"
              " VALUES ('lic', 'fax1', '', 'hv2', 1790000001000000000, 1, 1)");
}

// Version 4 as Faxover created it (upgradeToVersion4, issue #5), on top of version 3, with a board.
void writeVersion4Store(const std::string& path) {
    writeVersion3Store(path);
    upgradeAs(path, 4,
              {"CREATE TABLE board_reservations (host TEXT NOT NULL, pci_address TEXT NOT NULL, service TEXT NOT NULL,"
               " since_ns INTEGER NOT NULL, releasing INTEGER NOT NULL CHECK (releasing IN (0, 1)),"
               " reserved_seq INTEGER NOT NULL, PRIMARY KEY (host, pci_address))"},
              "INSERT INTO board_reservations (host, pci_address, service, since_ns, releasing, reserved_seq)"
              " VALUES ('hv2', '0000:03:00.0', 'fax1', 1790000001000000000, 0, 1)");
}

// Version 5 as Faxover created it (upgradeToVersion5, issue 12), on top of version 4, with a
// recovery's memory.
void writeVersion5Store(const std::string& path) {
    writeVersion4Store(path);
    Poco::Data::Session raw("SQLite", path);
    raw << "ALTER TABLE service_states ADD COLUMN tried_hosts TEXT NOT NULL DEFAULT ''", now;
    raw << "ALTER TABLE service_states ADD COLUMN failed_over_from TEXT NOT NULL DEFAULT ''", now;
    raw << "ALTER TABLE service_states ADD COLUMN maintenance_host TEXT NOT NULL DEFAULT ''", now;
    raw << "ALTER TABLE service_states ADD COLUMN next_attempt_ns INTEGER NOT NULL DEFAULT 0", now;
    raw << "UPDATE schema_version SET version = 5", now;
    raw << "UPDATE service_states SET failed_over_from = 'hv1' WHERE service = 'fax1'", now;
}

// Version 6 as Faxover created it (upgradeToVersion6, issue 12), on top of version 5, with a VM an
// admin stopped.
void writeVersion6Store(const std::string& path) {
    writeVersion5Store(path);
    upgradeAs(path, 6,
              {"ALTER TABLE service_states ADD COLUMN requested_state TEXT NOT NULL DEFAULT 'started'"
               " CHECK (requested_state IN ('started', 'stopped', 'disabled'))"},
              "UPDATE service_states SET requested_state = 'stopped' WHERE service = 'fax1'");
}

// Version 7 as Faxover created it (upgradeToVersion7, issue 12: a host's planned shutdown), on top
// of version 6, with a host rebooting.
void writeVersion7Store(const std::string& path) {
    writeVersion6Store(path);
    upgradeAs(path, 7,
              {"ALTER TABLE host_states ADD COLUMN planned TEXT NOT NULL DEFAULT ''"
               " CHECK (planned IN ('', 'shutdown', 'reboot'))",
               "ALTER TABLE host_states ADD COLUMN planned_at_ns INTEGER NOT NULL DEFAULT 0",
               "ALTER TABLE host_states ADD COLUMN planned_stopped TEXT NOT NULL DEFAULT ''",
               "ALTER TABLE host_states ADD COLUMN silent_since_planned INTEGER NOT NULL DEFAULT 0"
               " CHECK (silent_since_planned IN (0, 1))"},
              "UPDATE host_states SET planned = 'reboot', planned_at_ns = 1790000001000000000,"
              " planned_stopped = 'fax1', silent_since_planned = 1 WHERE host = 'hv3'");
}

void writeStoreAtVersion(const std::string& path, int version) {
    if (version == 1) writeVersion1Store(path);
    if (version == 2) writeVersion2Store(path);
    if (version == 3) writeVersion3Store(path);
    if (version == 4) writeVersion4Store(path);
    if (version == 5) writeVersion5Store(path);
    if (version == 6) writeVersion6Store(path);
    if (version == 7) writeVersion7Store(path);
}

int schemaVersion(const std::string& path) {
    Poco::Data::Session raw("SQLite", path);
    int version = 0;
    raw << "SELECT version FROM schema_version", Poco::Data::Keywords::into(version), now;
    return version;
}

}  // namespace

TEST_CASE("store: a version-1 file is upgraded in place to the current version", "[store]") {
    static_assert(kSqliteSchemaVersion == 8, "add an upgrade test for the new version");
    TempDir dir;
    const std::string path = dir.file("v1.db");
    writeVersion1Store(path);
    REQUIRE(schemaVersion(path) == 1);

    auto db = openOrFail(path);
    CHECK(schemaVersion(path) == 8);
    // Old rows read back with the new fields at their defaults.
    CHECK(db->serviceStates().value().at("fax1") == ServiceRecord{"recovering", "hv2", at(1), 3, 0, 0, ""});
    REQUIRE(db->openIntents().value().size() == 1);
    CHECK(db->hostStates().value().empty());

    // The new columns and table take writes, and the old CAS revision carries on.
    CHECK(db->putServiceState("fax1", ServiceRecord{"running", "hv2", at(2), 0, 1, 0, "restarted"}, 3).value() == 4);
    CHECK(db->putHostState("hv1", HostRecord{false, "confirmed", at(2), "off", 0}, 0).value() == 1);
    CHECK(db->appendIntent(sampleIntent("fax2")).value() == 2);
    // Version 3: an empty ledger that takes seats.
    CHECK(db->seats().value().empty());
    REQUIRE(db->commit(Batch{}.add(PutSeat{{"lic", "fax1", "", "hv2", at(2), true}})));
    CHECK(db->seats().value().size() == 1);
    // Version 4: no board reserved yet, and reservations are taken.
    CHECK(db->boardReservations().value().empty());
    REQUIRE(db->commit(Batch{}.add(PutBoardReservation{{"hv2", "0000:03:00.0", "fax1", at(2), false}})));
    CHECK(db->boardReservations().value().size() == 1);
    // Version 5: a recovery's memory round-trips (tried hosts, where it returns, when it may retry).
    ServiceRecord recovering{"failure", "hv2", at(3), 0, 0, 1, "relocating"};
    recovering.triedHosts = {"hv1", "hv2"};
    recovering.failedOverFrom = "hv1";
    recovering.maintenanceHost = "hv3";
    recovering.nextAttempt = at(4);
    CHECK(db->putServiceState("fax1", recovering, 4).value() == 5);
    recovering.revision = 5;
    CHECK(db->serviceStates().value().at("fax1") == recovering);
    // Version 6: the requested state, "started" for every old row; only its three names are taken.
    CHECK(recovering.requested == "started");
    recovering.state = "vm-stopped";
    recovering.requested = "stopped";
    CHECK(db->putServiceState("fax1", recovering, 5).value() == 6);
    CHECK(db->serviceStates().value().at("fax1").requested == "stopped");
    recovering.requested = "paused";
    const auto refused = db->putServiceState("fax1", recovering, 6);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == faxover::hv::ErrorKind::InvalidArgument);
    CHECK_THAT(refused.error().message, Catch::Contains("\"paused\""));
    // Version 7: a host's announced planned shutdown, none for every old row; only the two kinds.
    HostRecord host{false, "", at(3), "", 0};
    CHECK(host.planned.empty());
    CHECK_FALSE(host.silentSincePlanned);
    host.planned = "reboot";
    host.plannedAt = at(3);
    host.plannedStopped = {"fax1", "fax2"};
    host.silentSincePlanned = true;
    const auto hostRevision = db->putHostState("hv3", host, host.revision);
    REQUIRE(hostRevision);
    host.revision = hostRevision.value();
    CHECK(db->hostStates().value().at("hv3") == host);
    host.planned = "halt";
    const auto badPlan = db->putHostState("hv3", host, host.revision);
    REQUIRE_FALSE(badPlan);
    CHECK_THAT(badPlan.error().message, Catch::Contains("\"halt\""));
    // Version 8: the fax-health escalation, nothing tried for every old row; it round-trips, and a
    // negative count is refused like the recovery's.
    recovering.requested = "stopped";
    CHECK(recovering.fax == FaxEscalationRecord{});
    recovering.fax = {2, 1, 0, at(5), true, false, true};
    CHECK(db->putServiceState("fax1", recovering, 6).value() == 7);
    recovering.revision = 7;
    CHECK(db->serviceStates().value().at("fax1") == recovering);
    recovering.fax.vmRestarts = -1;
    const auto negative = db->putServiceState("fax1", recovering, 7);
    REQUIRE_FALSE(negative);
    CHECK(negative.error().kind == faxover::hv::ErrorKind::InvalidArgument);
    CHECK(db->integrityCheck().value() == "ok");
    db.reset();

    // Reopening an upgraded file changes nothing more.
    auto again = openOrFail(path);
    CHECK(schemaVersion(path) == 8);
    CHECK(again->serviceStates().value().at("fax1").triedHosts == std::vector<std::string>{"hv1", "hv2"});
    CHECK(again->serviceStates().value().at("fax1").requested == "stopped");
    CHECK(again->serviceStates().value().at("fax1").fax == FaxEscalationRecord{2, 1, 0, at(5), true, false, true});
    CHECK(again->boardReservations().value().size() == 1);
    CHECK(again->hostStates().value().at("hv3").plannedStopped == std::vector<std::string>{"fax1", "fax2"});
}

TEST_CASE("store: version-2 to 7 files are upgraded in place to version 8", "[store]") {
    const int oldVersion = GENERATE(2, 3, 4, 5, 6, 7);
    CAPTURE(oldVersion);
    TempDir dir;
    const std::string path = dir.file("old.db");
    writeStoreAtVersion(path, oldVersion);
    REQUIRE(schemaVersion(path) == oldVersion);

    auto db = openOrFail(path);
    CHECK(schemaVersion(path) == 8);
    // Everything the old file held reads back unchanged.
    ServiceRecord old{"recovering", "hv2", at(1), 3, 0, 0, ""};
    if (oldVersion >= 5) old.failedOverFrom = "hv1";
    if (oldVersion >= 6) old.requested = "stopped";
    // Requested "started" before version 6, as every service was; no fax-health escalation.
    CHECK(db->serviceStates().value().at("fax1") == old);
    HostRecord oldHost{true, "", at(1), "disk swap", 2};
    if (oldVersion >= 7) oldHost = HostRecord{true, "", at(1), "disk swap", 2, "reboot", at(1), {"fax1"}, true};
    CHECK(db->hostStates().value().at("hv3") == oldHost);  // nothing announced before version 7
    CHECK(db->seats().value().size() == (oldVersion >= 3 ? 1U : 0U));
    CHECK(db->boardReservations().value().size() == (oldVersion >= 4 ? 1U : 0U));

    REQUIRE(db->commit(Batch{}
                           .add(PutBoardReservation{{"hv2", "0000:03:00.0", "fax1", at(2), false}})
                           .add(AppendAudit{{at(2), "daemon", "fax1", "board-reserve", "cold move", "hv2 0000:03:00.0"}})));
    CHECK(db->boardReservations().value() ==
          std::vector<BoardReservationRecord>{{"hv2", "0000:03:00.0", "fax1", at(2), false}});
    CHECK(db->integrityCheck().value() == "ok");
    db.reset();
    CHECK(openOrFail(path)->boardReservations().value().size() == 1);
    CHECK(schemaVersion(path) == 8);
}

TEST_CASE("store: a new file and an upgraded file have the same schema", "[store]") {
    const int oldVersion = GENERATE(1, 2, 3, 4, 5, 6, 7);
    CAPTURE(oldVersion);
    TempDir dir;
    const std::string upgraded = dir.file("old.db");
    const std::string fresh = dir.file("new.db");
    writeStoreAtVersion(upgraded, oldVersion);
    openOrFail(upgraded).reset();
    openOrFail(fresh).reset();
    // Every object by name, and every column with its type, NOT NULL, default and key. (The SQL
    // text itself differs in whitespace between the test's DDL and the store's.)
    auto schemaOf = [](const std::string& path) {
        Poco::Data::Session raw("SQLite", path);
        std::vector<std::string> objects, columns;
        raw << "SELECT type || ' ' || name FROM sqlite_master ORDER BY name", Poco::Data::Keywords::into(objects), now;
        raw << "SELECT m.name || '.' || p.name || ' ' || p.type || ' ' || p.\"notnull\" || ' ' ||"
               " COALESCE(p.dflt_value, '-') || ' ' || p.pk"
               " FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid",
            Poco::Data::Keywords::into(columns), now;
        objects.insert(objects.end(), columns.begin(), columns.end());
        return objects;
    };
    CHECK(schemaOf(upgraded) == schemaOf(fresh));
}
