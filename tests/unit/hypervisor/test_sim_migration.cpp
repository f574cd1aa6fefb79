// SimulatedHypervisor live migration: success, refusals, injected failures, aborts, and faults
// injected from inside the progress callback.
#include "test_sim_support.h"

using namespace faxover::hv;
using namespace faxover::hv::sim;
using namespace faxover::hv::sim::test;
using Strings = std::vector<std::string>;

namespace {

constexpr std::uint64_t kFaxMemoryBytes = 128ull * 1024 * 1024;  // domainXml()'s guest
constexpr const char* kOtherUuid = "11111111-2222-4333-8444-555555555555";

// A guest whose only disk is a writable qcow2 file at `path`.
std::string guestWithDisk(const std::string& path) {
    return domainXml("fax1", kFaxUuid,
                     "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + path +
                         "'/><target dev='vda' bus='virtio'/></disk>");
}

struct Recorded {
    std::vector<MigrationProgress> steps;
    ProgressCallback callback() {
        return [this](const MigrationProgress& progress) { steps.push_back(progress); };
    }
};

}  // namespace

TEST_CASE("sim: a live migration reports rising progress, takes its simulated time and ends on the destination",
          "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.takeLog();
    Recorded recorded;
    MigrationOptions options;
    options.progressInterval = Duration(300);
    auto migrated = f.sim.migrateLive("a", "b", "fax1", options, recorded.callback());
    SIM_REQUIRE_OK(migrated);

    // 2 s by default, reported every 300 ms: 7 steps, the last one short.
    CHECK(f.elapsedMs() == 2000);
    CHECK(migrated.value().totalTime == Duration(2000));
    CHECK(migrated.value().downtime == Duration(50));
    CHECK(migrated.value().dataTransferred == kFaxMemoryBytes);
    CHECK_FALSE(migrated.value().postCopyUsed);
    REQUIRE(recorded.steps.size() == 7);
    for (std::size_t i = 1; i < recorded.steps.size(); ++i) {
        CHECK(recorded.steps[i].elapsed > recorded.steps[i - 1].elapsed);
        CHECK(recorded.steps[i].dataProcessed > recorded.steps[i - 1].dataProcessed);
        CHECK(recorded.steps[i].fraction() > recorded.steps[i - 1].fraction());
    }
    CHECK(recorded.steps.front().elapsed == Duration(300));
    CHECK(recorded.steps.front().dataTotal == kFaxMemoryBytes);
    CHECK(recorded.steps.back().elapsed == Duration(2000));
    CHECK(recorded.steps.back().fraction() == 1.0);
    CHECK(recorded.steps.back().dataRemaining == 0);

    CHECK(f.takeLog() == Strings{"2000 b: domain fax1 started (migrated)", "2000 a: domain fax1 stopped (migrated)",
                                 "2000 a: domain fax1 undefined (removed)"});
    const DomainInfo there = f.info("b", "fax1");
    CHECK(there.state == DomainState::Running);
    CHECK(there.reasonText == "migrated");
    CHECK(there.persistent);
    CHECK(there.uuid == kFaxUuid);
    SIM_REQUIRE_ERROR(f.sim.domainInfo("a", "fax1"), ErrorKind::NoSuchDomain);
    CHECK(f.sim.nodeInventory("b").value().runningDomains == Strings{"fax1"});
    CHECK(f.sim.nodeInventory("a").value().runningDomains.empty());

    // It stays persistent on the destination: stopping it keeps the definition.
    SIM_REQUIRE_OK(f.sim.destroyDomain("b", "fax1"));
    CHECK(f.info("b", "fax1").state == DomainState::Shutoff);
}

TEST_CASE("sim: migration replaces the destination's shut off standby definition", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    SIM_REQUIRE_OK(f.sim.defineDomain("b", domainXml("fax1")));
    f.takeLog();
    SIM_REQUIRE_OK(f.sim.migrateLive("a", "b", kFaxUuid, {}, {}));
    CHECK(f.info("b", "fax1").state == DomainState::Running);
    const DomainCopies copies = f.sim.findDomainCopies(kFaxUuid);
    REQUIRE(copies.copies.size() == 1);
    CHECK(copies.copies[0].host == "b");
}

TEST_CASE("sim: migration carries the persistent definition, or makes a transient domain persistent", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    // Redefined while running: the next boot's definition travels with the domain.
    SIM_REQUIRE_OK(f.sim.defineDomain("a", domainXml("fax1", kFaxUuid, "<watchdog model='i6300esb' action='reset'/>")));
    SIM_REQUIRE_OK(f.sim.migrateLive("a", "b", "fax1", {}, {}));
    CHECK(f.sim.domainXml("b", "fax1").value().find("watchdog") == std::string::npos);  // live: as started
    SIM_REQUIRE_OK(f.sim.destroyDomain("b", "fax1"));
    CHECK(f.sim.domainXml("b", "fax1").value().find("watchdog") != std::string::npos);

    // A transient domain has nothing to undefine on the source.
    SIM_REQUIRE_OK(f.sim.startDomain("b", "fax1"));
    SIM_REQUIRE_OK(f.sim.undefineDomain("b", "fax1"));
    f.takeLog();
    SIM_REQUIRE_OK(f.sim.migrateLive("b", "a", "fax1", {}, {}));
    CHECK(f.takeLog() == Strings{"4000 a: domain fax1 started (migrated)", "4000 b: domain fax1 stopped (migrated)"});
    CHECK(f.info("a", "fax1").persistent);
}

TEST_CASE("sim: migration duration follows setMigrationDuration and a bandwidth limit", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.sim.setMigrationDuration(Duration(500));
    SIM_REQUIRE_OK(f.sim.migrateLive("a", "b", "fax1", {}, {}));
    CHECK(f.elapsedMs() == 500);

    // fax1's 128 MiB at 16 MiB/s take 8 s, longer than the configured duration.
    MigrationOptions limited;
    limited.bandwidthMiBps = 16;
    limited.maxDowntime = Duration(20);
    auto slow = f.sim.migrateLive("b", "a", "fax1", limited, {});
    SIM_REQUIRE_OK(slow);
    CHECK(slow.value().totalTime == Duration(8000));
    CHECK(slow.value().downtime == Duration(20));
    CHECK(f.elapsedMs() == 8500);

    // Instant migrations still report one, complete, progress step.
    f.sim.setMigrationDuration(Duration(0));
    Recorded recorded;
    SIM_REQUIRE_OK(f.sim.migrateLive("a", "b", "fax1", {}, recorded.callback()));
    REQUIRE(recorded.steps.size() == 1);
    CHECK(recorded.steps[0].fraction() == 1.0);
    CHECK(f.elapsedMs() == 8500);
}

TEST_CASE("sim: failNextMigrations fails half way and leaves the domain running on the source", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.takeLog();
    f.sim.failNextMigrations(1, "migration stream broke");
    Recorded recorded;
    auto failed = f.sim.migrateLive("a", "b", "fax1", {}, recorded.callback());
    SIM_REQUIRE_ERROR(failed, ErrorKind::OperationFailed);
    CHECK(failed.error().message.find("migration stream broke") != std::string::npos);
    CHECK(f.elapsedMs() == 1000);
    REQUIRE_FALSE(recorded.steps.empty());
    CHECK(recorded.steps.back().fraction() == 0.5);
    CHECK(f.info("a", "fax1").state == DomainState::Running);
    SIM_REQUIRE_ERROR(f.sim.domainInfo("b", "fax1"), ErrorKind::NoSuchDomain);
    CHECK(f.log.empty());

    SIM_REQUIRE_OK(f.sim.migrateLive("a", "b", "fax1", {}, {}));  // the next one succeeds
}

TEST_CASE("sim: abortMigration from the progress callback stops the migration with Aborted", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.takeLog();
    int calls = 0;
    auto aborted = f.sim.migrateLive("a", "b", "fax1", {}, [&](const MigrationProgress& progress) {
        ++calls;
        if (progress.elapsed >= Duration(600)) SIM_REQUIRE_OK(f.sim.abortMigration("a", "fax1"));
    });
    SIM_REQUIRE_ERROR(aborted, ErrorKind::Aborted);
    CHECK(calls == 3);
    CHECK(f.elapsedMs() == 600);
    CHECK(f.info("a", "fax1").state == DomainState::Running);
    SIM_REQUIRE_ERROR(f.sim.domainInfo("b", "fax1"), ErrorKind::NoSuchDomain);
    CHECK(f.log.empty());

    // Nothing to abort outside a migration.
    SIM_REQUIRE_ERROR(f.sim.abortMigration("a", "fax1"), ErrorKind::OperationInvalid);
    SIM_REQUIRE_ERROR(f.sim.abortMigration("a", "nope"), ErrorKind::NoSuchDomain);
    SIM_REQUIRE_OK(f.sim.migrateLive("a", "b", "fax1", {}, {}));
}

TEST_CASE("sim: a migration switched to post-copy reports it and can no longer be aborted", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    MigrationOptions options;
    options.allowPostCopy = true;
    options.switchToPostCopyAfter = Duration(1000);
    std::vector<bool> postCopy;
    auto migrated = f.sim.migrateLive("a", "b", "fax1", options, [&](const MigrationProgress& progress) {
        postCopy.push_back(progress.postCopy);
        if (progress.postCopy) SIM_REQUIRE_ERROR(f.sim.abortMigration("a", "fax1"), ErrorKind::OperationInvalid);
    });
    SIM_REQUIRE_OK(migrated);
    CHECK(migrated.value().postCopyUsed);
    CHECK(postCopy == std::vector<bool>{false, false, false, false, true, true, true, true, true, true});
}

TEST_CASE("sim: a domain with a PCI hostdev is refused live migration with the reason", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1", kFaxUuid, boardHostdev());
    auto migratable = f.sim.checkMigratable("a", "fax1");
    REQUIRE(migratable);
    CHECK_FALSE(migratable.value().possible());
    REQUIRE(migratable.value().blockers.size() == 1);
    CHECK(migratable.value().blockers[0].kind == MigrationBlocker::Kind::PciHostdev);

    auto refused = f.sim.migrateLive("a", "b", "fax1", {}, {});
    SIM_REQUIRE_ERROR(refused, ErrorKind::MigrationRefused);
    CHECK(refused.error().message.find("0000:03:00.0") != std::string::npos);
    CHECK(refused.error().message.find(migratable.value().explain()) != std::string::npos);
    CHECK(f.elapsedMs() == 0);
    CHECK(f.info("a", "fax1").state == DomainState::Running);
}

TEST_CASE("sim: checkMigratable says a running plain domain can move and a shut off one cannot", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    CHECK(f.sim.checkMigratable("a", "fax1").value().possible());
    SIM_REQUIRE_OK(f.sim.destroyDomain("a", "fax1"));
    auto off = f.sim.checkMigratable("a", "fax1");
    REQUIRE(off);
    REQUIRE(off.value().blockers.size() == 1);
    CHECK(off.value().blockers[0].kind == MigrationBlocker::Kind::NotRunning);
    SIM_REQUIRE_ERROR(f.sim.checkMigratable("a", "nope"), ErrorKind::NoSuchDomain);
}

TEST_CASE("sim: migration is refused for the same host, unreachable hosts and a shut off domain", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    SIM_REQUIRE_ERROR(f.sim.migrateLive("a", "a", "fax1", {}, {}), ErrorKind::OperationInvalid);
    SIM_REQUIRE_ERROR(f.sim.migrateLive("a", "b", "nope", {}, {}), ErrorKind::NoSuchDomain);

    SIM_REQUIRE_OK(f.sim.cutNetwork("b"));
    auto destinationDown = f.sim.migrateLive("a", "b", "fax1", {}, {});
    SIM_REQUIRE_ERROR(destinationDown, ErrorKind::HostUnreachable);
    CHECK(destinationDown.error().host == "b");
    SIM_REQUIRE_OK(f.sim.healNetwork("b"));
    SIM_REQUIRE_OK(f.sim.crashLibvirtd("a"));
    auto sourceDown = f.sim.migrateLive("a", "b", "fax1", {}, {});
    SIM_REQUIRE_ERROR(sourceDown, ErrorKind::HostUnreachable);
    CHECK(sourceDown.error().host == "a");
    SIM_REQUIRE_OK(f.sim.restartLibvirtd("a"));

    SIM_REQUIRE_OK(f.sim.destroyDomain("a", "fax1"));
    SIM_REQUIRE_ERROR(f.sim.migrateLive("a", "b", "fax1", {}, {}), ErrorKind::MigrationRefused);  // as LibvirtHypervisor: "not running"
    CHECK(f.elapsedMs() == 0);
}

TEST_CASE("sim: migration is refused when the destination already runs the domain", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.defineAndStart("b", "fax1");  // a split brain the orchestrator must never cause
    auto refused = f.sim.migrateLive("a", "b", "fax1", {}, {});
    SIM_REQUIRE_ERROR(refused, ErrorKind::OperationInvalid);
    CHECK(refused.error().host == "b");
    CHECK(f.info("a", "fax1").state == DomainState::Running);

    // A different domain under the same name there: libvirt's "already exists with uuid".
    SIM_REQUIRE_OK(f.sim.destroyDomain("b", "fax1"));
    SIM_REQUIRE_OK(f.sim.undefineDomain("b", "fax1"));
    SIM_REQUIRE_OK(f.sim.defineDomain("b", domainXml("fax1", "11111111-2222-4333-8444-555555555555")));
    SIM_REQUIRE_ERROR(f.sim.migrateLive("a", "b", "fax1", {}, {}), ErrorKind::OperationFailed);
}

TEST_CASE("sim: a destination lost during the migration fails it and the domain runs on at the source", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    auto failed = f.sim.migrateLive("a", "b", "fax1", {}, [&](const MigrationProgress& progress) {
        if (progress.elapsed == Duration(400)) SIM_REQUIRE_OK(f.sim.powerOff("b"));
    });
    SIM_REQUIRE_ERROR(failed, ErrorKind::OperationFailed);
    CHECK(failed.error().host == "b");
    CHECK(f.elapsedMs() == 400);
    CHECK(f.info("a", "fax1").state == DomainState::Running);
    SIM_REQUIRE_OK(f.sim.powerOn("b"));
    SIM_REQUIRE_ERROR(f.sim.domainInfo("b", "fax1"), ErrorKind::NoSuchDomain);
}

TEST_CASE("sim: a source lost during the migration is HostUnreachable", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    auto lost = f.sim.migrateLive("a", "b", "fax1", {},
                                  [&](const MigrationProgress&) { SIM_REQUIRE_OK(f.sim.cutNetwork("a")); });
    SIM_REQUIRE_ERROR(lost, ErrorKind::HostUnreachable);
    CHECK(lost.error().host == "a");
    SIM_REQUIRE_OK(f.sim.healNetwork("a"));
    CHECK(f.info("a", "fax1").state == DomainState::Running);  // the cut only hid it
}

TEST_CASE("sim: a domain crashing or a host removed during the migration fails it cleanly", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    auto crashed = f.sim.migrateLive("a", "b", "fax1", {},
                                     [&](const MigrationProgress&) { SIM_REQUIRE_OK(f.sim.crashDomain("a", "fax1")); });
    SIM_REQUIRE_ERROR(crashed, ErrorKind::OperationFailed);
    CHECK(f.info("a", "fax1").reasonText == "crashed");

    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    auto removed = f.sim.migrateLive("a", "b", "fax1", {},
                                     [&](const MigrationProgress&) { static_cast<void>(f.sim.removeHost("b")); });
    SIM_REQUIRE_ERROR(removed, ErrorKind::OperationFailed);
    CHECK(f.info("a", "fax1").state == DomainState::Running);

    SIM_REQUIRE_ERROR(f.sim.migrateLive("a", "b", "fax1", {}, {}), ErrorKind::InvalidArgument);  // b is gone
}

TEST_CASE("sim: a second migration of the same domain from the callback is refused", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    SimHostSpec c;
    c.config.name = "c";
    SIM_REQUIRE_OK(f.sim.addSimHost(c));
    bool tried = false;
    auto migrated = f.sim.migrateLive("a", "b", "fax1", {}, [&](const MigrationProgress&) {
        if (tried) return;
        tried = true;
        SIM_REQUIRE_ERROR(f.sim.migrateLive("a", "c", "fax1", {}, {}), ErrorKind::OperationInvalid);
    });
    SIM_REQUIRE_OK(migrated);
    CHECK(f.info("b", "fax1").state == DomainState::Running);
}

TEST_CASE("sim: a progress callback that throws leaves no migration job behind", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    CHECK_THROWS(f.sim.migrateLive("a", "b", "fax1", {},
                                   [](const MigrationProgress&) { throw std::runtime_error("callback bug"); }));
    SIM_REQUIRE_ERROR(f.sim.abortMigration("a", "fax1"), ErrorKind::OperationInvalid);
    SIM_REQUIRE_OK(f.sim.migrateLive("a", "b", "fax1", {}, {}));
}

// ---- memory

TEST_CASE("sim: migration moves the domain's memory, so a bandwidth limit sets its time", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.defineDomain("a", sizedDomainXml("fax1", kFaxUuid, 1 * kGiB)));
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    Recorded recorded;
    MigrationOptions limited;
    limited.bandwidthMiBps = 64;
    auto slow = f.sim.migrateLive("a", "b", "fax1", limited, recorded.callback());
    SIM_REQUIRE_OK(slow);
    CHECK(slow.value().totalTime == Duration(16000));  // 1024 MiB at 64 MiB/s
    CHECK(slow.value().dataTransferred == 1024ull * 1024 * 1024);
    REQUIRE_FALSE(recorded.steps.empty());
    CHECK(recorded.steps.front().dataTotal == 1024ull * 1024 * 1024);
    CHECK(f.elapsedMs() == 16000);
    // Moved with it: the memory is now used on b and free again on a.
    CHECK(f.sim.nodeInventory("b").value().freeMemoryKiB == 31 * kGiB);
    CHECK(f.sim.nodeInventory("a").value().freeMemoryKiB == 64 * kGiB);

    // Unlimited, it takes the configured duration and still moves the whole memory.
    auto fast = f.sim.migrateLive("b", "a", "fax1", {}, {});
    SIM_REQUIRE_OK(fast);
    CHECK(fast.value().totalTime == Duration(2000));
    CHECK(fast.value().dataTransferred == 1024ull * 1024 * 1024);
}

TEST_CASE("sim: a domain without <memory> migrates 128 MiB", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.defineDomain("a", sizedDomainXml("fax1", kFaxUuid, 0)));
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    MigrationOptions limited;
    limited.bandwidthMiBps = 16;
    auto migrated = f.sim.migrateLive("a", "b", "fax1", limited, {});
    SIM_REQUIRE_OK(migrated);
    CHECK(migrated.value().dataTransferred == kFaxMemoryBytes);
    CHECK(migrated.value().totalTime == Duration(8000));
}

TEST_CASE("sim: migration to a host without enough free memory fails before anything moves", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.defineDomain("b", sizedDomainXml("resident", kOtherUuid, 20 * kGiB)));
    SIM_REQUIRE_OK(f.sim.startDomain("b", "resident"));
    SIM_REQUIRE_OK(f.sim.defineDomain("a", sizedDomainXml("fax1", kFaxUuid, 20 * kGiB)));
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    f.takeLog();
    Recorded recorded;
    auto refused = f.sim.migrateLive("a", "b", "fax1", {}, recorded.callback());
    SIM_REQUIRE_ERROR(refused, ErrorKind::OperationFailed);
    CHECK(refused.error().host == "b");
    CHECK(refused.error().message ==
          "migration of domain 'fax1' failed: not enough free memory on host 'b': needs 20480 MiB, 12288 MiB free");
    CHECK(recorded.steps.empty());
    CHECK(f.elapsedMs() == 0);
    CHECK(f.log.empty());
    CHECK(f.info("a", "fax1").state == DomainState::Running);
    SIM_REQUIRE_ERROR(f.sim.domainInfo("b", "fax1"), ErrorKind::NoSuchDomain);

    SIM_REQUIRE_OK(f.sim.destroyDomain("b", "resident"));
    SIM_REQUIRE_OK(f.sim.migrateLive("a", "b", "fax1", {}, {}));
    CHECK(f.sim.nodeInventory("b").value().freeMemoryKiB == 12 * kGiB);
}

TEST_CASE("sim: memory taken on the destination during a migration fails it", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.defineDomain("a", sizedDomainXml("fax1", kFaxUuid, 20 * kGiB)));
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    SIM_REQUIRE_OK(f.sim.defineDomain("b", sizedDomainXml("intruder", kOtherUuid, 20 * kGiB)));
    auto failed = f.sim.migrateLive("a", "b", "fax1", {}, [&](const MigrationProgress& progress) {
        if (progress.elapsed == Duration(400)) SIM_REQUIRE_OK(f.sim.startDomain("b", "intruder"));
    });
    SIM_REQUIRE_ERROR(failed, ErrorKind::OperationFailed);
    CHECK(failed.error().host == "b");
    CHECK(f.elapsedMs() == 400);
    CHECK(f.info("a", "fax1").state == DomainState::Running);
    SIM_REQUIRE_ERROR(f.sim.domainInfo("b", "fax1"), ErrorKind::NoSuchDomain);
}

// ---- shared storage

TEST_CASE("sim: a disk under a shared storage prefix does not block migration", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.defineDomain("a", guestWithDisk("/srv/shared/fax1.qcow2")));
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));

    // Without the setting the disk is local, as LibvirtHypervisor would judge it.
    auto local = f.sim.checkMigratable("a", "fax1");
    REQUIRE(local);
    REQUIRE(local.value().blockers.size() == 1);
    CHECK(local.value().blockers[0].kind == MigrationBlocker::Kind::LocalDisk);
    auto refused = f.sim.migrateLive("a", "b", "fax1", {}, {});
    SIM_REQUIRE_ERROR(refused, ErrorKind::MigrationRefused);
    CHECK(refused.error().message.find("/srv/shared/fax1.qcow2") != std::string::npos);
    CHECK(f.elapsedMs() == 0);

    f.sim.setSharedStoragePrefixes({"/srv/shared"});
    CHECK(f.sim.checkMigratable("a", "fax1").value().possible());
    SIM_REQUIRE_OK(f.sim.migrateLive("a", "b", "fax1", {}, {}));
    CHECK(f.info("b", "fax1").state == DomainState::Running);

    // Another prefix does not cover it.
    f.sim.setSharedStoragePrefixes({"/srv/other"});
    SIM_REQUIRE_ERROR(f.sim.migrateLive("b", "a", "fax1", {}, {}), ErrorKind::MigrationRefused);
}
