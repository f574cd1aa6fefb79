// Live migration of a real Linux guest between two real libvirt hosts, through the layer only.
#include "LabTestSupport.h"

#include <fstream>
#include <regex>
#include <sstream>

using namespace faxover;
using namespace faxover::labtest;

namespace {

std::string readText(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The guest prints "faxlab-heartbeat N" every second; the highest N seen in a console log.
long lastHeartbeat(const std::string& consoleText) {
    static const std::regex heartbeat("faxlab-heartbeat ([0-9]+)");
    long last = -1;
    for (auto it = std::sregex_iterator(consoleText.begin(), consoleText.end(), heartbeat); it != std::sregex_iterator();
         ++it) {
        last = std::stol((*it)[1].str());
    }
    return last;
}

// Starts the Linux lab guest on `host` and waits until its console shows a heartbeat.
std::unique_ptr<OnExit> bootLinuxGuest(LabSession& session, const std::string& host, const std::string& name) {
    auto guest = runGuest(session, host, lab::Guest::Linux, name);
    const std::string console = session.lab.consolePath(host, name);
    REQUIRE(eventually([&] { return lastHeartbeat(readText(console)) >= 1; }, Duration(60000)));
    return guest;
}

}  // namespace

TEST_CASE("linux guest live-migrates between lab hosts with progress and keeps running", "[lab][migration]") {
    LabSession session;
    const std::string source = session.hostName(0);
    const std::string destination = session.hostName(1);
    const std::string name = "labtest-migrate";
    auto guest = runGuest(session, source, lab::Guest::Linux, name);

    const std::string sourceConsole = session.lab.consolePath(source, name);
    REQUIRE(eventually([&] { return lastHeartbeat(readText(sourceConsole)) >= 2; }, Duration(60000)));
    const long heartbeatBefore = lastHeartbeat(readText(sourceConsole));

    auto migratable = session.hypervisor->checkMigratable(source, name);
    REQUIRE(migratable);
    CHECK(migratable.value().possible());

    std::vector<hv::MigrationProgress> progress;
    hv::MigrationOptions options;
    options.maxDowntime = Duration(300);
    options.progressInterval = Duration(50);
    auto migrated = session.hypervisor->migrateLive(source, destination, name, options,
                                                    [&](const hv::MigrationProgress& step) { progress.push_back(step); });
    INFO((migrated ? std::string() : migrated.error().message));
    REQUIRE(migrated);

    // Progress came in, and never went backwards in elapsed time.
    REQUIRE_FALSE(progress.empty());
    for (std::size_t i = 1; i < progress.size(); ++i) CHECK(progress[i].elapsed >= progress[i - 1].elapsed);
    CHECK(progress.back().dataTotal > 0);

    CHECK(migrated.value().totalTime > Duration(0));
    REQUIRE(migrated.value().downtime.has_value());
    CHECK(*migrated.value().downtime < Duration(5000));

    // Running on the destination, persistent there, and gone from the source.
    auto onDestination = session.hypervisor->domainInfo(destination, name);
    REQUIRE(onDestination);
    CHECK(onDestination.value().state == hv::DomainState::Running);
    CHECK(onDestination.value().persistent);
    auto onSource = session.hypervisor->domainInfo(source, name);
    REQUIRE_FALSE(onSource);
    CHECK(onSource.error().kind == hv::ErrorKind::NoSuchDomain);

    auto copies = session.hypervisor->findDomainCopies(onDestination.value().uuid);
    REQUIRE(copies.copies.size() == 1);
    CHECK(copies.copies.front().host == destination);
    CHECK(copies.unreachableHosts.empty());

    // The same guest, not a reboot: its heartbeat counter carries on past where it was.
    const std::string destinationConsole = session.lab.consolePath(destination, name);
    REQUIRE(eventually([&] { return lastHeartbeat(readText(destinationConsole)) > heartbeatBefore + 1; },
                       Duration(20000)));
    CHECK(readText(destinationConsole).find("FAXLAB-GUEST-READY") == std::string::npos);

    // Typed events tell the story on both sides.
    CHECK(session.events->waitFor(domainEvent(destination, name, hv::DomainLifecycle::Resumed), Duration(5000)));
    CHECK(session.events->waitFor(domainEvent(source, name, hv::DomainLifecycle::Stopped), Duration(5000)));
}

TEST_CASE("migrating to the host the domain runs on is refused", "[lab][migration]") {
    LabSession session;
    const std::string host = session.hostName(0);
    auto guest = runGuest(session, host, lab::Guest::Diskless, "labtest-samehost");
    auto migrated = session.hypervisor->migrateLive(host, host, "labtest-samehost", {}, {});
    REQUIRE_FALSE(migrated);
    CHECK(migrated.error().kind == hv::ErrorKind::OperationInvalid);  // the simulation says the same
}

TEST_CASE("a domain with a PCI hostdev is refused live migration, naming the device", "[lab][migration]") {
    LabSession session;
    const std::string host = session.hostName(0);
    // Defined only, never started: the address names no device of this machine, and the lab
    // must never touch real PCI devices.
    const std::string boardXml = R"(<domain type='qemu'><name>labtest-board</name><memory unit='MiB'>64</memory>
      <os><type arch='x86_64' machine='pc'>hvm</type></os>
      <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
        <hostdev mode='subsystem' type='pci' managed='yes'>
          <source><address domain='0x0000' bus='0x7e' slot='0x1f' function='0x0'/></source>
        </hostdev>
      </devices></domain>)";
    REQUIRE(session.hypervisor->defineDomain(host, boardXml));
    OnExit undefine([&] { (void)session.hypervisor->undefineDomain(host, "labtest-board"); });

    auto verdict = session.hypervisor->checkMigratable(host, "labtest-board");
    REQUIRE(verdict);
    CHECK_FALSE(verdict.value().possible());
    CHECK_THAT(verdict.value().explain(), Catch::Contains("0000:7e:1f.0"));
}

TEST_CASE("a live migration aborted from its progress callback leaves the guest on the source", "[lab][migration]") {
    LabSession session;
    const std::string source = session.hostName(0);
    const std::string destination = session.hostName(1);
    const std::string name = "labtest-abort";
    auto guest = bootLinuxGuest(session, source, name);

    hv::MigrationOptions slow;
    slow.bandwidthMiBps = 2;  // about 45 s for the guest's memory: plenty of time to abort
    slow.progressInterval = Duration(100);
    bool abortRequested = false;
    hv::Result<void> abortResult = hv::ok();
    auto migrated = session.hypervisor->migrateLive(source, destination, name, slow, [&](const hv::MigrationProgress& step) {
        if (!abortRequested && step.dataProcessed > 0) {
            abortRequested = true;
            abortResult = session.hypervisor->abortMigration(source, name);
        }
    });
    REQUIRE(abortRequested);
    INFO((abortResult ? std::string() : abortResult.error().message));
    CHECK(abortResult);
    REQUIRE_FALSE(migrated);
    CHECK(migrated.error().kind == hv::ErrorKind::Aborted);

    auto onSource = session.hypervisor->domainInfo(source, name);
    REQUIRE(onSource);
    CHECK(onSource.value().state == hv::DomainState::Running);
    auto onDestination = session.hypervisor->domainInfo(destination, name);
    REQUIRE_FALSE(onDestination);
    CHECK(onDestination.error().kind == hv::ErrorKind::NoSuchDomain);
}

TEST_CASE("a slow pre-copy switches to post-copy and completes on the destination", "[lab][migration]") {
    LabSession session;
    const std::string source = session.hostName(1);
    const std::string destination = session.hostName(2);
    const std::string name = "labtest-postcopy";
    auto guest = bootLinuxGuest(session, source, name);

    hv::MigrationOptions options;
    options.bandwidthMiBps = 4;  // pre-copy alone would need about 20 s
    options.allowPostCopy = true;
    options.switchToPostCopyAfter = Duration(1000);
    options.progressInterval = Duration(100);
    bool sawPostCopy = false;
    auto migrated = session.hypervisor->migrateLive(source, destination, name, options,
                                                    [&](const hv::MigrationProgress& step) { sawPostCopy |= step.postCopy; });
    INFO((migrated ? std::string() : migrated.error().message));
    REQUIRE(migrated);
    CHECK(migrated.value().postCopyUsed);
    CHECK(sawPostCopy);
    CHECK(migrated.value().totalTime < Duration(15000));
    auto onDestination = session.hypervisor->domainInfo(destination, name);
    REQUIRE(onDestination);
    CHECK(onDestination.value().state == hv::DomainState::Running);
    REQUIRE(eventually([&] { return lastHeartbeat(readText(session.lab.consolePath(destination, name))) >= 1; },
                       Duration(20000)));
}
