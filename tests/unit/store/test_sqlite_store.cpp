#include "store_test_support.h"

#include <catch2/catch.hpp>

#include <Poco/Data/Session.h>

#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace store_test;
using namespace faxover::orchestrator::store;
using faxover::hv::ErrorKind;

TEST_CASE("store: appended intents get increasing ids and read back whole", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    auto first = db->appendIntent(sampleIntent("fax1", 1));
    auto second = db->appendIntent(sampleIntent("fax2", 2));
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first.value() == 1);
    CHECK(second.value() == 2);

    auto history = db->intentsAfter(0, 10);
    REQUIRE(history);
    REQUIRE(history.value().size() == 2);
    CHECK(history.value()[0].intent == sampleIntent("fax1", 1));
    CHECK(history.value()[1].intent == sampleIntent("fax2", 2));
    CHECK_FALSE(history.value()[0].outcome.has_value());
}

TEST_CASE("store: open intents are those without an outcome, in id order", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    for (int i = 0; i < 4; ++i) REQUIRE(db->appendIntent(sampleIntent("fax" + std::to_string(i), i)));
    const Outcome done{OutcomeStatus::Succeeded, "migrated in 2.1 s", at(10, 5)};
    REQUIRE(db->recordOutcome(2, done));
    REQUIRE(db->recordOutcome(3, Outcome{OutcomeStatus::Abandoned, "restarted", at(11)}));

    auto open = db->openIntents();
    REQUIRE(open);
    REQUIRE(open.value().size() == 2);
    CHECK(open.value()[0].id == 1);
    CHECK(open.value()[1].id == 4);

    auto history = db->intentsAfter(1, 1);
    REQUIRE(history);
    REQUIRE(history.value().size() == 1);
    CHECK(history.value()[0].id == 2);
    REQUIRE(history.value()[0].outcome.has_value());
    CHECK(*history.value()[0].outcome == done);
}

TEST_CASE("store: intents since a time honour the time and the limit", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    for (int i = 0; i < 5; ++i) REQUIRE(db->appendIntent(sampleIntent("fax", i * 10)));
    auto since = db->intentsSince(at(20, 123), 2);
    REQUIRE(since);
    REQUIRE(since.value().size() == 2);
    CHECK(since.value()[0].id == 3);
    CHECK(since.value()[1].id == 4);
    auto none = db->intentsSince(at(1000), 10);
    REQUIRE(none);
    CHECK(none.value().empty());
}

TEST_CASE("store: a second outcome for an intent is refused", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    REQUIRE(db->appendIntent(sampleIntent("fax1")));
    REQUIRE(db->recordOutcome(1, Outcome{OutcomeStatus::Failed, "timeout", at(5)}));
    auto again = db->recordOutcome(1, Outcome{OutcomeStatus::Succeeded, "late", at(6)});
    REQUIRE_FALSE(again);
    CHECK(again.error().kind == ErrorKind::OperationInvalid);
    CHECK_THAT(again.error().message, Catch::Contains("already has an outcome"));
    auto history = db->intentsAfter(0, 10);
    REQUIRE(history);
    CHECK(history.value()[0].outcome->status == OutcomeStatus::Failed);
}

TEST_CASE("store: an outcome for an unknown intent id is refused", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    auto unknown = db->recordOutcome(42, Outcome{OutcomeStatus::Succeeded, "", at(1)});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(unknown.error().message, Catch::Contains("42"));
}

TEST_CASE("store: an intent without service, action or actor is refused", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    Intent intent = sampleIntent("fax1");
    intent.actor.clear();
    auto refused = db->appendIntent(intent);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == ErrorKind::InvalidArgument);
}

TEST_CASE("store: service state is compare-and-set on the revision", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    ServiceRecord running{"running", "hv1", at(1), 0};
    auto created = db->putServiceState("fax1", running, 0);
    REQUIRE(created);
    CHECK(created.value() == 1);

    auto stale = db->putServiceState("fax1", ServiceRecord{"recovering", "hv2", at(2), 0}, 0);
    REQUIRE_FALSE(stale);
    CHECK(stale.error().kind == ErrorKind::OperationInvalid);
    CHECK_THAT(stale.error().message, Catch::Contains("revision conflict"));

    auto updated = db->putServiceState("fax1", ServiceRecord{"recovering", "hv2", at(2), 0}, 1);
    REQUIRE(updated);
    CHECK(updated.value() == 2);

    auto states = db->serviceStates();
    REQUIRE(states);
    REQUIRE(states.value().size() == 1);
    CHECK(states.value().at("fax1") == ServiceRecord{"recovering", "hv2", at(2), 2});
}

TEST_CASE("store: the audit log appends and reads back from a time", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    REQUIRE(db->appendAudit(AuditRecord{at(1), "daemon", "fax1", "fence", "hv1 unreachable 30 s", "ipmi"}));
    REQUIRE(db->appendAudit(AuditRecord{at(2), "admin:ana", "hv1", "maintenance", "kernel update", ""}));
    auto all = db->audit(at(0), 100);
    REQUIRE(all);
    REQUIRE(all.value().size() == 2);
    CHECK(all.value()[1] == AuditRecord{at(2), "admin:ana", "hv1", "maintenance", "kernel update", ""});
    auto later = db->audit(at(2), 100);
    REQUIRE(later);
    CHECK(later.value().size() == 1);
}

TEST_CASE("store: a batch writes intent, state and audit together", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    Batch batch;
    batch.add(AppendIntent{sampleIntent("fax1")})
        .add(PutServiceState{"fax1", ServiceRecord{"recovering", "hv2", at(1), 0}, 0})
        .add(AppendAudit{AuditRecord{at(1), "daemon", "fax1", "recover", "hv1 lost", ""}});
    auto committed = db->commit(batch);
    REQUIRE(committed);
    CHECK(committed.value().intentIds == std::vector<IntentId>{1});
    CHECK(committed.value().revisions == std::vector<Revision>{1});
    CHECK(db->openIntents().value().size() == 1);
    CHECK(db->serviceStates().value().at("fax1").state == "recovering");
    CHECK(db->audit(at(0), 10).value().size() == 1);
}

TEST_CASE("store: a revision conflict aborts the whole batch", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    REQUIRE(db->putServiceState("fax1", ServiceRecord{"running", "hv1", at(0), 0}, 0));
    Batch batch;
    batch.add(AppendIntent{sampleIntent("fax1")})
        .add(AppendAudit{AuditRecord{at(1), "daemon", "fax1", "recover", "hv1 lost", ""}})
        .add(PutServiceState{"fax1", ServiceRecord{"recovering", "hv2", at(1), 0}, 7});
    auto committed = db->commit(batch);
    REQUIRE_FALSE(committed);
    CHECK(committed.error().kind == ErrorKind::OperationInvalid);
    CHECK(db->intentsAfter(0, 10).value().empty());
    CHECK(db->audit(at(0), 10).value().empty());
    CHECK(db->serviceStates().value().at("fax1") == ServiceRecord{"running", "hv1", at(0), 1});
    // The id the aborted intent would have taken is not burnt: ids stay contiguous.
    CHECK(db->appendIntent(sampleIntent("fax1")).value() == 1);
}

TEST_CASE("store: everything survives closing and reopening the file", "[store]") {
    TempDir dir;
    const std::string path = dir.file("s.db");
    {
        auto db = openOrFail(path);
        REQUIRE(db->appendIntent(sampleIntent("fax1", 1)));
        REQUIRE(db->appendIntent(sampleIntent("fax2", 2)));
        REQUIRE(db->recordOutcome(1, Outcome{OutcomeStatus::Succeeded, "ok", at(3)}));
        REQUIRE(db->putServiceState("fax1", ServiceRecord{"running", "hv2", at(3), 0}, 0));
        REQUIRE(db->appendAudit(AuditRecord{at(3), "daemon", "fax1", "start", "placed", ""}));
    }
    auto db = openOrFail(path);
    auto open = db->openIntents();
    REQUIRE(open);
    REQUIRE(open.value().size() == 1);
    CHECK(open.value()[0].intent == sampleIntent("fax2", 2));
    CHECK(db->serviceStates().value().at("fax1").revision == 1);
    CHECK(db->audit(at(0), 10).value().size() == 1);
    CHECK(db->appendIntent(sampleIntent("fax3")).value() == 3);
    CHECK(db->integrityCheck().value() == "ok");
}

TEST_CASE("store: a file with garbage bytes is an error naming the path", "[store]") {
    TempDir dir;
    const std::string path = dir.file("garbage.db");
    {
        std::ofstream out(path, std::ios::binary);
        for (int i = 0; i < 4096; ++i) out.put(static_cast<char>((i * 7919 + 13) & 0xff));
    }
    auto opened = SqliteStore::open(path);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().kind == ErrorKind::OperationFailed);
    CHECK_THAT(opened.error().message, Catch::Contains(path));
}

TEST_CASE("store: a path in a missing directory is an error naming the path", "[store]") {
    TempDir dir;
    const std::string path = dir.file("no/such/dir/s.db");
    auto opened = SqliteStore::open(path);
    REQUIRE_FALSE(opened);
    CHECK_THAT(opened.error().message, Catch::Contains(path));
}

TEST_CASE("store: a schema version newer than this build is refused", "[store]") {
    TempDir dir;
    const std::string path = dir.file("s.db");
    openOrFail(path).reset();  // creates the file at today's version and registers the connector
    {
        // Play a future Faxover that migrated the file further.
        Poco::Data::Session raw("SQLite", path);
        raw << "UPDATE schema_version SET version = 99", Poco::Data::Keywords::now;
    }
    auto opened = SqliteStore::open(path);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().kind == ErrorKind::NotSupported);
    CHECK_THAT(opened.error().message, Catch::Contains("99") && Catch::Contains(path));
}

TEST_CASE("store: an SQLite file that is not a Faxover store is refused", "[store]") {
    TempDir dir;
    const std::string path = dir.file("other.db");
    openOrFail(dir.file("registers-connector.db")).reset();
    {
        Poco::Data::Session raw("SQLite", path);
        raw << "CREATE TABLE invoices (id INTEGER)", Poco::Data::Keywords::now;
    }
    auto opened = SqliteStore::open(path);
    REQUIRE_FALSE(opened);
    CHECK_THAT(opened.error().message, Catch::Contains("not a Faxover store"));
}

TEST_CASE("store: the audit table refuses updates and deletes even through raw SQL", "[store]") {
    TempDir dir;
    const std::string path = dir.file("s.db");
    {
        auto db = openOrFail(path);
        REQUIRE(db->appendAudit(AuditRecord{at(1), "daemon", "fax1", "fence", "lost", ""}));
    }
    Poco::Data::Session raw("SQLite", path);
    CHECK_THROWS(raw << "DELETE FROM audit", Poco::Data::Keywords::now);
    CHECK_THROWS(raw << "UPDATE audit SET reason = 'x'", Poco::Data::Keywords::now);
}

TEST_CASE("store: a new store and its WAL are readable by their owner only", "[store]") {
    // It keeps domain definitions with their secrets (a VNC password, docs/hypervisor.md).
    TempDir dir;
    const std::string path = dir.file("s.db");
    const auto previous = ::umask(0022);
    auto db = openOrFail(path);
    ::umask(previous);
    REQUIRE(db->appendIntent(sampleIntent("fax1")));
    namespace fs = std::filesystem;
    const auto others = fs::perms::group_all | fs::perms::others_all;
    CHECK((fs::status(path).permissions() & others) == fs::perms::none);
    CHECK((fs::status(path).permissions() & fs::perms::owner_read) != fs::perms::none);
    REQUIRE(fs::exists(path + "-wal"));
    CHECK((fs::status(path + "-wal").permissions() & others) == fs::perms::none);
}

TEST_CASE("store: a file with damaged pages is refused at open by the integrity check", "[store]") {
    TempDir dir;
    const std::string path = dir.file("damaged.db");
    {
        auto db = SqliteStore::open(path).value();
        for (int i = 0; i < 400; ++i) REQUIRE(db->appendIntent(sampleIntent("fax" + std::to_string(i))));
    }
    // Checkpointed into the main file by the close; scribble over its last page (intents written
    // last), leaving the schema intact, as a bad disk block would: it opened fine before.
    const auto size = std::filesystem::file_size(path);
    REQUIRE(size > 4 * 4096);
    {
        std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>(size - 4096));
        for (int i = 0; i < 4096; ++i) file.put(static_cast<char>((i * 131 + 7) & 0xff));
    }
    auto opened = SqliteStore::open(path);
    REQUIRE_FALSE(opened);
    CHECK_THAT(opened.error().message, Catch::StartsWith("store " + path + ": cannot open: the integrity check "
                                                                            "found damage: ") &&
                                           Catch::EndsWith("; restore it from a backup (docs/store.md)"));
}

TEST_CASE("store: a directory as the store path fails at once", "[store]") {
    TempDir dir;
    const std::string path = dir.file("store-dir");
    std::filesystem::create_directories(path);
    const auto started = std::chrono::steady_clock::now();
    auto opened = SqliteStore::open(path);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().message == "store " + path + ": cannot open: it is a directory, not a store file");
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));  // Poco retried for 5 s
}

namespace {

// Sets or clears the immutable attribute (chattr +i), which stops even root from writing.
bool setImmutable(const std::string& path, bool immutable) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    int flags = 0;
    bool done = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    flags = immutable ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
    done = done && ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    ::close(fd);
    return done;
}

}  // namespace

TEST_CASE("store: a store the daemon cannot write is refused at open, not after the first decision", "[store]") {
    // Permission bits do not stop root, which the daemon runs as: an immutable file and a read-only
    // mount do. Both need root, as the CI run is: fail loudly rather than skip.
    REQUIRE(::geteuid() == 0);
    TempDir dir;
    const std::string mountPoint = dir.file("ro");
    std::filesystem::create_directories(mountPoint);
    REQUIRE(::mount("faxover-test", mountPoint.c_str(), "tmpfs", 0, "size=4m") == 0);
    struct Unmount {
        std::string path;
        ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
    } unmount{mountPoint};
    const std::string path = mountPoint + "/faxover.db";
    REQUIRE(SqliteStore::open(path));  // created while writable

    SECTION("an immutable file: SQLite would open it read-only and every later write would fail") {
        REQUIRE(setImmutable(path, true));
        auto opened = SqliteStore::open(path);
        REQUIRE(setImmutable(path, false));
        REQUIRE_FALSE(opened);
        CHECK(opened.error().kind == ErrorKind::OperationFailed);
        CHECK(opened.error().message == "store " + path + ": cannot open: it is not writable (Operation not permitted)");
    }
    SECTION("a read-only file system") {
        REQUIRE(::mount(nullptr, mountPoint.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) == 0);
        auto opened = SqliteStore::open(path);
        REQUIRE_FALSE(opened);
        CHECK(opened.error().message == "store " + path + ": cannot open: it is not writable (Read-only file system)");
    }
}
