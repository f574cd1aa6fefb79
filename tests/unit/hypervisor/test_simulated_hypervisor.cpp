// SimulatedHypervisor: hosts, the domain lifecycle, fault knobs, PCI devices and inventory.
// Migration is in test_sim_migration.cpp, determinism and random sequences in test_sim_sequences.cpp.
#include "test_sim_support.h"

using namespace faxover::hv;
using namespace faxover::hv::sim;
using namespace faxover::hv::sim::test;
using Strings = std::vector<std::string>;

// ---- hosts

TEST_CASE("sim: added hosts are listed in name order and reachable since they were added", "[sim]") {
    ManualClock clock;
    SimulatedHypervisor sim(clock);
    std::vector<HostEvent> events;
    sim.setEventHandler([&](const HypervisorEvent& event) { events.push_back(std::get<HostEvent>(event)); });
    clock.advance(Duration(5));
    SIM_REQUIRE_OK(sim.addHost(HostConfig{"zulu", "qemu+tcp://198.18.0.13/system", "198.18.0.13"}));
    SIM_REQUIRE_OK(sim.addHost(HostConfig{"alpha", "qemu+tcp://198.18.0.11/system", "198.18.0.11"}));
    CHECK(sim.hosts() == Strings{"alpha", "zulu"});

    auto status = sim.hostStatus("zulu");
    REQUIRE(status);
    CHECK(status.value().reachability == Reachability::Reachable);
    CHECK(status.value().since == clock.now());
    REQUIRE(events.size() == 2);
    CHECK(events[0].host == "zulu");
    CHECK(events[0].status.reachability == Reachability::Reachable);

    auto inventory = sim.nodeInventory("alpha");
    REQUIRE(inventory);
    CHECK(inventory.value().hostname == "alpha");
    CHECK(inventory.value().cpus == 8);
    CHECK(inventory.value().memoryKiB == 32ull * 1024 * 1024);
    CHECK(inventory.value().freeMemoryKiB == inventory.value().memoryKiB);
    CHECK(inventory.value().runningDomains.empty());
}

TEST_CASE("sim: a duplicate or nameless host is an invalid argument", "[sim]") {
    ManualClock clock;
    SimulatedHypervisor sim(clock);
    SIM_REQUIRE_OK(sim.addHost(HostConfig{"a", "", ""}));
    SIM_REQUIRE_ERROR(sim.addHost(HostConfig{"a", "", ""}), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(sim.addHost(HostConfig{"", "", ""}), ErrorKind::InvalidArgument);
}

TEST_CASE("sim: addSimHost refuses a duplicate, a nameless host or a board listed twice and adds nothing", "[sim]") {
    ManualClock clock;
    SimulatedHypervisor sim(clock);
    SimHostSpec first;
    first.config.name = "a";
    SIM_REQUIRE_OK(sim.addSimHost(first));
    SimHostSpec again;
    again.config.name = "a";
    again.cpus = 99;
    auto duplicate = sim.addSimHost(again);
    SIM_REQUIRE_ERROR(duplicate, ErrorKind::InvalidArgument);
    CHECK(duplicate.error().message == "host 'a' already exists");
    CHECK(sim.nodeInventory("a").value().cpus == 8);  // the first "a" stays

    SIM_REQUIRE_ERROR(sim.addSimHost(SimHostSpec{}), ErrorKind::InvalidArgument);
    SimHostSpec twoBoards;
    twoBoards.config.name = "b";
    twoBoards.pciDevices = {faxBoard(), faxBoard()};
    auto listedTwice = sim.addSimHost(twoBoards);
    SIM_REQUIRE_ERROR(listedTwice, ErrorKind::InvalidArgument);
    CHECK(listedTwice.error().message.find(kBoardNodeDevice) != std::string::npos);
    CHECK(sim.hosts() == Strings{"a"});
}

TEST_CASE("sim: every call naming an unknown host is an invalid argument naming it", "[sim]") {
    SimFixture f;
    const std::string ghost = "ghost";
    auto status = f.sim.hostStatus(ghost);
    REQUIRE_FALSE(status);
    CHECK(status.error().kind == ErrorKind::InvalidArgument);
    CHECK(status.error().host == ghost);
    CHECK(status.error().message.find("'ghost'") != std::string::npos);
    SIM_REQUIRE_ERROR(f.sim.removeHost(ghost), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.nodeInventory(ghost), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.pciDevices(ghost), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.detachPciDevice(ghost, kBoardNodeDevice), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.reattachPciDevice(ghost, kBoardNodeDevice), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.defineDomain(ghost, domainXml("fax1")), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.startDomain(ghost, "fax1"), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.shutdownDomain(ghost, "fax1", Duration(1000)), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.destroyDomain(ghost, "fax1"), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.undefineDomain(ghost, "fax1"), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.domainInfo(ghost, "fax1"), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.listDomains(ghost), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.domainXml(ghost, "fax1"), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.checkMigratable(ghost, "fax1"), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.abortMigration(ghost, "fax1"), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.migrateLive(ghost, "b", "fax1", {}, {}), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.migrateLive("a", ghost, "fax1", {}, {}), ErrorKind::InvalidArgument);
}

TEST_CASE("sim: a fault knob naming an unknown host fails, names it and changes nothing", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.takeLog();
    const auto requireUnknownHost = [](const Result<void>& result) {
        SIM_REQUIRE_ERROR(result, ErrorKind::InvalidArgument);
        CHECK(result.error().host == "ghost");
        CHECK(result.error().message == "unknown host 'ghost'");
    };
    requireUnknownHost(f.sim.powerOff("ghost"));
    requireUnknownHost(f.sim.powerOn("ghost"));
    requireUnknownHost(f.sim.cutNetwork("ghost"));
    requireUnknownHost(f.sim.healNetwork("ghost"));
    requireUnknownHost(f.sim.crashLibvirtd("ghost"));
    requireUnknownHost(f.sim.restartLibvirtd("ghost"));
    requireUnknownHost(f.sim.crashDomain("ghost", "fax1"));
    requireUnknownHost(f.sim.failNextStarts("ghost", 1));
    auto wrongCase = f.sim.powerOff("A");  // host names are exact
    SIM_REQUIRE_ERROR(wrongCase, ErrorKind::InvalidArgument);
    CHECK(wrongCase.error().message == "unknown host 'A'");
    CHECK(f.log.empty());
    CHECK(f.sim.hostStatus("a").value().reachability == Reachability::Reachable);
    CHECK(f.info("a", "fax1").state == DomainState::Running);
}

TEST_CASE("sim: crashDomain and setGuestIgnoresShutdown naming an unknown domain fail with NoSuchDomain", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.takeLog();
    auto crash = f.sim.crashDomain("a", "fax9");
    SIM_REQUIRE_ERROR(crash, ErrorKind::NoSuchDomain);
    CHECK(crash.error().message.find("'fax9'") != std::string::npos);
    CHECK(crash.error().host == "a");
    // fax1 exists, but on a, not b.
    SIM_REQUIRE_ERROR(f.sim.crashDomain("b", "fax1"), ErrorKind::NoSuchDomain);

    auto ignore = f.sim.setGuestIgnoresShutdown("fax9", true);
    SIM_REQUIRE_ERROR(ignore, ErrorKind::NoSuchDomain);
    CHECK(ignore.error().message.find("'fax9'") != std::string::npos);
    SIM_REQUIRE_ERROR(f.sim.setGuestIgnoresShutdown("fax9", false), ErrorKind::NoSuchDomain);
    CHECK(f.log.empty());
    CHECK(f.info("a", "fax1").state == DomainState::Running);

    // A domain on an unreachable host is still known to the simulation's knobs.
    SIM_REQUIRE_OK(f.sim.cutNetwork("a"));
    SIM_REQUIRE_OK(f.sim.setGuestIgnoresShutdown("fax1", true));
    SIM_REQUIRE_OK(f.sim.crashDomain("a", "fax1"));
}

TEST_CASE("sim: a shutdown flag set by uuid matches in any spelling and can be cleared after undefine", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    SIM_REQUIRE_OK(f.sim.setGuestIgnoresShutdown("6F0A3C7E2B1D4D8A9A4E5C1F0E2B7D31", true));
    SIM_REQUIRE_OK(f.sim.shutdownDomain("a", "fax1", Duration(500)));
    CHECK(f.elapsedMs() == 500);  // ignored: destroyed after the timeout

    SIM_REQUIRE_OK(f.sim.undefineDomain("a", "fax1"));
    SIM_REQUIRE_OK(f.sim.setGuestIgnoresShutdown(kFaxUuid, false));  // gone everywhere, flag still clearable
    SIM_REQUIRE_ERROR(f.sim.setGuestIgnoresShutdown(kFaxUuid, false), ErrorKind::NoSuchDomain);
    f.defineAndStart("b", "fax1");
    SIM_REQUIRE_OK(f.sim.shutdownDomain("b", "fax1", Duration(500)));
    CHECK(f.elapsedMs() == 500);  // honoured at once
}

TEST_CASE("sim: a removed host is forgotten", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.removeHost("b"));
    CHECK(f.sim.hosts() == Strings{"a"});
    SIM_REQUIRE_ERROR(f.sim.hostStatus("b"), ErrorKind::InvalidArgument);
    SIM_REQUIRE_OK(f.sim.addHost(HostConfig{"b", "", ""}));  // and can come back, empty
    CHECK(f.sim.listDomains("b").value().empty());
}

// ---- define, start, stop, undefine

TEST_CASE("sim: defining a domain makes it persistent and shut off and emits Defined", "[sim]") {
    SimFixture f;
    auto defined = f.sim.defineDomain("a", domainXml("fax1", "6F0A3C7E-2B1D-4D8A-9A4E-5C1F0E2B7D31"));
    SIM_REQUIRE_OK(defined);
    CHECK(defined.value().name == "fax1");
    CHECK(defined.value().uuid == kFaxUuid);  // canonical lower case
    CHECK(defined.value().state == DomainState::Shutoff);
    CHECK(defined.value().persistent);
    CHECK_FALSE(defined.value().active());
    CHECK(f.takeLog() == Strings{"0 a: domain fax1 defined (added)"});

    // Found by name and by UUID; its XML is the definition.
    CHECK(f.info("a", kFaxUuid).name == "fax1");
    auto xml = f.sim.domainXml("a", "fax1");
    REQUIRE(xml);
    CHECK(xml.value().find("<name>fax1</name>") != std::string::npos);
    CHECK(xml.value().find(kFaxUuid) != std::string::npos);
    auto listed = f.sim.listDomains("a");
    REQUIRE(listed);
    REQUIRE(listed.value().size() == 1);
    CHECK(listed.value()[0].uuid == kFaxUuid);
    CHECK(f.sim.listDomains("b").value().empty());
}

TEST_CASE("sim: a domain defined without uuid gets a deterministic one written into its XML", "[sim]") {
    SimFixture f;
    auto first = f.sim.defineDomain("a", domainXml("fax1", ""));
    auto second = f.sim.defineDomain("a", domainXml("fax2", ""));
    SIM_REQUIRE_OK(first);
    SIM_REQUIRE_OK(second);
    CHECK(first.value().uuid == "00000000-0000-4000-8000-000000000001");
    CHECK(second.value().uuid == "00000000-0000-4000-8000-000000000002");
    CHECK(f.sim.domainXml("a", "fax2").value().find(second.value().uuid) != std::string::npos);
}

TEST_CASE("sim: redefining a domain with the same name and uuid updates it", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.takeLog();
    const std::string withBoard = domainXml("fax1", kFaxUuid, "<watchdog model='i6300esb' action='reset'/>");
    auto redefined = f.sim.defineDomain("a", withBoard);
    SIM_REQUIRE_OK(redefined);
    CHECK(redefined.value().state == DomainState::Running);  // the running domain runs on
    CHECK(f.takeLog() == Strings{"0 a: domain fax1 defined (updated)"});
    // The live XML stays what was started; the new definition applies from the next start.
    CHECK(f.sim.domainXml("a", "fax1").value().find("watchdog") == std::string::npos);
    SIM_REQUIRE_OK(f.sim.destroyDomain("a", "fax1"));
    CHECK(f.sim.domainXml("a", "fax1").value().find("watchdog") != std::string::npos);
}

TEST_CASE("sim: a definition sharing only the name or only the uuid is refused as libvirt does", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.defineDomain("a", domainXml("fax1")));
    f.takeLog();
    // libvirt: VIR_ERR_OPERATION_FAILED "domain 'fax1' already exists with uuid ..."
    auto sameName = f.sim.defineDomain("a", domainXml("fax1", "11111111-2222-4333-8444-555555555555"));
    SIM_REQUIRE_ERROR(sameName, ErrorKind::OperationFailed);
    CHECK(sameName.error().message.find("already exists with uuid " + std::string(kFaxUuid)) != std::string::npos);
    SIM_REQUIRE_ERROR(f.sim.defineDomain("a", domainXml("fax1-renamed")), ErrorKind::OperationFailed);
    // Without a uuid libvirt generates a fresh one, which clashes with the existing name too.
    SIM_REQUIRE_ERROR(f.sim.defineDomain("a", domainXml("fax1", "")), ErrorKind::OperationFailed);
    // The same pair on another host is the normal standby definition.
    SIM_REQUIRE_OK(f.sim.defineDomain("b", domainXml("fax1")));
    CHECK(f.takeLog() == Strings{"0 b: domain fax1 defined (added)"});
}

TEST_CASE("sim: malformed domain XML is an invalid argument and defines nothing", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_ERROR(f.sim.defineDomain("a", "<domain><name>fax1</name>"), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.defineDomain("a", "<network><name>n</name></network>"), ErrorKind::InvalidArgument);
    SIM_REQUIRE_ERROR(f.sim.defineDomain("a", "<domain type='qemu'><uuid>1234</uuid></domain>"),
                      ErrorKind::InvalidArgument);
    auto badUuid = f.sim.defineDomain("a", domainXml("fax1", "not-a-uuid"));
    SIM_REQUIRE_ERROR(badUuid, ErrorKind::InvalidArgument);
    CHECK(badUuid.error().host == "a");
    CHECK(f.sim.listDomains("a").value().empty());
    CHECK(f.log.empty());
}

TEST_CASE("sim: starting a domain runs it, emits Started and refuses a second start", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.defineDomain("a", domainXml("fax2", "11111111-2222-4333-8444-555555555555")));
    f.defineAndStart("a", "fax1");
    CHECK(f.takeLog() == Strings{"0 a: domain fax2 defined (added)", "0 a: domain fax1 defined (added)",
                                 "0 a: domain fax1 started (booted)"});
    const DomainInfo running = f.info("a", "fax1");
    CHECK(running.state == DomainState::Running);
    CHECK(running.reasonText == "booted");
    CHECK(running.reason == 1);
    CHECK(running.active());

    SIM_REQUIRE_ERROR(f.sim.startDomain("a", "fax1"), ErrorKind::OperationInvalid);
    SIM_REQUIRE_ERROR(f.sim.startDomain("a", "nope"), ErrorKind::NoSuchDomain);
    SIM_REQUIRE_ERROR(f.sim.startDomain("b", "fax1"), ErrorKind::NoSuchDomain);
    SIM_REQUIRE_OK(f.sim.startDomain("a", "11111111-2222-4333-8444-555555555555"));  // by uuid
    CHECK(f.sim.nodeInventory("a").value().runningDomains == Strings{"fax1", "fax2"});
}

TEST_CASE("sim: failNextStarts fails that many starts with its message, then starts succeed", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.defineDomain("a", domainXml("fax1")));
    f.takeLog();
    SIM_REQUIRE_OK(f.sim.failNextStarts("a", 2, "qemu: could not open /dev/kvm"));
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto failed = f.sim.startDomain("a", "fax1");
        SIM_REQUIRE_ERROR(failed, ErrorKind::OperationFailed);
        CHECK(failed.error().message.find("qemu: could not open /dev/kvm") != std::string::npos);
        CHECK(failed.error().host == "a");
        const DomainInfo stayed = f.info("a", "fax1");
        CHECK(stayed.state == DomainState::Shutoff);
        CHECK(stayed.reasonText == "failed");
    }
    // Only the host it was set on fails.
    SIM_REQUIRE_OK(f.sim.defineDomain("b", domainXml("fax1")));
    SIM_REQUIRE_OK(f.sim.failNextStarts("b", 0));
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    CHECK(f.takeLog() == Strings{"0 b: domain fax1 defined (added)", "0 a: domain fax1 started (booted)"});
}

TEST_CASE("sim: a start failure is not consumed by a call refused before the start", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    SIM_REQUIRE_OK(f.sim.failNextStarts("a", 1));
    SIM_REQUIRE_ERROR(f.sim.startDomain("a", "fax1"), ErrorKind::OperationInvalid);
    SIM_REQUIRE_ERROR(f.sim.startDomain("a", "nope"), ErrorKind::NoSuchDomain);
    SIM_REQUIRE_OK(f.sim.destroyDomain("a", "fax1"));
    SIM_REQUIRE_ERROR(f.sim.startDomain("a", "fax1"), ErrorKind::OperationFailed);
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
}

TEST_CASE("sim: a graceful shutdown the guest honours emits Shutdown then Stopped at once", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.takeLog();
    SIM_REQUIRE_OK(f.sim.shutdownDomain("a", "fax1", Duration(30000)));
    CHECK(f.takeLog() == Strings{"0 a: domain fax1 shutdown (finished)", "0 a: domain fax1 stopped (shutdown)"});
    const DomainInfo off = f.info("a", "fax1");
    CHECK(off.state == DomainState::Shutoff);
    CHECK(off.reasonText == "shutdown");
    CHECK(off.persistent);
    SIM_REQUIRE_ERROR(f.sim.shutdownDomain("a", "fax1", Duration(30000)), ErrorKind::OperationInvalid);
}

TEST_CASE("sim: a shutdown the guest ignores destroys it after the timeout of simulated time", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.takeLog();
    SIM_REQUIRE_OK(f.sim.setGuestIgnoresShutdown("fax1", true));
    SIM_REQUIRE_OK(f.sim.shutdownDomain("a", "fax1", Duration(30000)));
    CHECK(f.elapsedMs() == 30000);
    CHECK(f.takeLog() == Strings{"30000 a: domain fax1 stopped (destroyed)"});
    CHECK(f.info("a", "fax1").reasonText == "destroyed");

    // Keyed by uuid as well, and switched off again.
    SIM_REQUIRE_OK(f.sim.setGuestIgnoresShutdown("fax1", false));
    SIM_REQUIRE_OK(f.sim.setGuestIgnoresShutdown(kFaxUuid, true));
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    SIM_REQUIRE_OK(f.sim.shutdownDomain("a", "fax1", Duration(500)));
    CHECK(f.elapsedMs() == 30500);
    SIM_REQUIRE_OK(f.sim.setGuestIgnoresShutdown(kFaxUuid, false));
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    SIM_REQUIRE_OK(f.sim.shutdownDomain("a", "fax1", Duration(500)));
    CHECK(f.elapsedMs() == 30500);
}

TEST_CASE("sim: destroying a domain stops it at once and refuses a shut off one", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.takeLog();
    SIM_REQUIRE_OK(f.sim.destroyDomain("a", kFaxUuid));
    CHECK(f.takeLog() == Strings{"0 a: domain fax1 stopped (destroyed)"});
    const DomainInfo off = f.info("a", "fax1");
    CHECK(off.state == DomainState::Shutoff);
    CHECK(off.reason == 2);
    SIM_REQUIRE_ERROR(f.sim.destroyDomain("a", "fax1"), ErrorKind::OperationInvalid);
    SIM_REQUIRE_ERROR(f.sim.destroyDomain("a", "nope"), ErrorKind::NoSuchDomain);
}

TEST_CASE("sim: undefining a shut off domain removes it", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.defineDomain("a", domainXml("fax1")));
    f.takeLog();
    SIM_REQUIRE_OK(f.sim.undefineDomain("a", "fax1"));
    CHECK(f.takeLog() == Strings{"0 a: domain fax1 undefined (removed)"});
    SIM_REQUIRE_ERROR(f.sim.domainInfo("a", "fax1"), ErrorKind::NoSuchDomain);
    SIM_REQUIRE_ERROR(f.sim.undefineDomain("a", "fax1"), ErrorKind::NoSuchDomain);
}

TEST_CASE("sim: undefining a running domain makes it transient until it stops", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.takeLog();
    SIM_REQUIRE_OK(f.sim.undefineDomain("a", "fax1"));
    const DomainInfo transient = f.info("a", "fax1");
    CHECK(transient.state == DomainState::Running);
    CHECK_FALSE(transient.persistent);
    SIM_REQUIRE_ERROR(f.sim.undefineDomain("a", "fax1"), ErrorKind::OperationInvalid);

    SIM_REQUIRE_OK(f.sim.shutdownDomain("a", "fax1", Duration(1000)));
    CHECK(f.takeLog() == Strings{"0 a: domain fax1 undefined (removed)", "0 a: domain fax1 shutdown (finished)",
                                 "0 a: domain fax1 stopped (shutdown)"});
    SIM_REQUIRE_ERROR(f.sim.domainInfo("a", "fax1"), ErrorKind::NoSuchDomain);
}

TEST_CASE("sim: defining a running transient domain makes it persistent again", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    SIM_REQUIRE_OK(f.sim.undefineDomain("a", "fax1"));
    f.takeLog();
    SIM_REQUIRE_OK(f.sim.defineDomain("a", domainXml("fax1")));
    CHECK(f.takeLog() == Strings{"0 a: domain fax1 defined (added)"});
    SIM_REQUIRE_OK(f.sim.destroyDomain("a", "fax1"));
    CHECK(f.info("a", "fax1").persistent);
}

// ---- host faults

TEST_CASE("sim: a powered off host is unreachable, its domains die unseen and come back shut off", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.defineAndStart("a", "transient", "11111111-2222-4333-8444-555555555555");
    SIM_REQUIRE_OK(f.sim.undefineDomain("a", "transient"));
    f.takeLog();

    f.clock.advance(Duration(1000));
    SIM_REQUIRE_OK(f.sim.powerOff("a"));
    CHECK(f.takeLog() == Strings{"1000 a: host unreachable (powered off)"});
    const HostStatus off = f.sim.hostStatus("a").value();
    CHECK(off.reachability == Reachability::Unreachable);
    CHECK(off.reason == "powered off");
    CHECK(off.since == f.start + Duration(1000));
    SIM_REQUIRE_ERROR(f.sim.domainInfo("a", "fax1"), ErrorKind::HostUnreachable);
    SIM_REQUIRE_ERROR(f.sim.listDomains("a"), ErrorKind::HostUnreachable);
    SIM_REQUIRE_ERROR(f.sim.startDomain("a", "fax1"), ErrorKind::HostUnreachable);
    SIM_REQUIRE_ERROR(f.sim.defineDomain("a", domainXml("fax9", "")), ErrorKind::HostUnreachable);
    SIM_REQUIRE_ERROR(f.sim.nodeInventory("a"), ErrorKind::HostUnreachable);
    SIM_REQUIRE_ERROR(f.sim.pciDevices("a"), ErrorKind::HostUnreachable);
    auto unreachable = f.sim.destroyDomain("a", "fax1");
    SIM_REQUIRE_ERROR(unreachable, ErrorKind::HostUnreachable);
    CHECK(unreachable.error().host == "a");
    SIM_REQUIRE_OK(f.sim.powerOff("a"));  // twice: nothing new
    SIM_REQUIRE_OK(f.sim.crashDomain("a", "fax1"));
    CHECK(f.log.empty());

    f.clock.advance(Duration(2000));
    SIM_REQUIRE_OK(f.sim.powerOn("a"));
    CHECK(f.takeLog() == Strings{"3000 a: host reachable (powered on)"});
    CHECK(f.sim.hostStatus("a").value().since == f.start + Duration(3000));
    const DomainInfo back = f.info("a", "fax1");
    CHECK(back.state == DomainState::Shutoff);
    CHECK(back.reasonText == "unknown");
    SIM_REQUIRE_ERROR(f.sim.domainInfo("a", "transient"), ErrorKind::NoSuchDomain);
    CHECK(f.sim.nodeInventory("a").value().runningDomains.empty());
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
}

TEST_CASE("sim: a cut network hides the host but its domains run on, seen as they are after the heal", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.defineAndStart("a", "fax2", "11111111-2222-4333-8444-555555555555");
    f.takeLog();
    SIM_REQUIRE_OK(f.sim.cutNetwork("a"));
    CHECK(f.sim.hostStatus("a").value().reason == "network cut");
    SIM_REQUIRE_ERROR(f.sim.domainInfo("a", "fax1"), ErrorKind::HostUnreachable);
    SIM_REQUIRE_OK(f.sim.crashDomain("a", "fax2"));  // dies behind the cut: no event reaches anyone
    SIM_REQUIRE_OK(f.sim.cutNetwork("a"));
    f.clock.advance(Duration(700));
    SIM_REQUIRE_OK(f.sim.healNetwork("a"));
    CHECK(f.takeLog() == Strings{"0 a: host unreachable (network cut)", "700 a: host reachable (network healed)"});
    CHECK(f.info("a", "fax1").state == DomainState::Running);
    const DomainInfo crashed = f.info("a", "fax2");
    CHECK(crashed.state == DomainState::Shutoff);
    CHECK(crashed.reasonText == "crashed");
}

TEST_CASE("sim: a crashed libvirtd makes the host unreachable while its domains keep running", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.takeLog();
    SIM_REQUIRE_OK(f.sim.crashLibvirtd("a"));
    CHECK(f.sim.hostStatus("a").value().reason == "libvirtd down");
    SIM_REQUIRE_ERROR(f.sim.startDomain("a", "fax1"), ErrorKind::HostUnreachable);
    SIM_REQUIRE_OK(f.sim.restartLibvirtd("a"));
    CHECK(f.takeLog() == Strings{"0 a: host unreachable (libvirtd down)", "0 a: host reachable (libvirtd restarted)"});
    CHECK(f.info("a", "fax1").state == DomainState::Running);
}

TEST_CASE("sim: a host with several faults becomes reachable only when all are gone", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.takeLog();
    SIM_REQUIRE_OK(f.sim.cutNetwork("a"));
    SIM_REQUIRE_OK(f.sim.crashLibvirtd("a"));
    SIM_REQUIRE_OK(f.sim.healNetwork("a"));  // libvirtd still down
    CHECK(f.sim.hostStatus("a").value().reachability == Reachability::Unreachable);
    SIM_REQUIRE_OK(f.sim.powerOff("a"));
    SIM_REQUIRE_OK(f.sim.restartLibvirtd("a"));  // nothing to restart on a dead host
    SIM_REQUIRE_OK(f.sim.powerOn("a"));          // a boot starts libvirtd
    CHECK(f.takeLog() == Strings{"0 a: host unreachable (network cut)", "0 a: host reachable (powered on)"});
    CHECK(f.info("a", "fax1").state == DomainState::Shutoff);

    // A cut network survives a power cycle.
    SIM_REQUIRE_OK(f.sim.cutNetwork("a"));
    SIM_REQUIRE_OK(f.sim.powerOff("a"));
    SIM_REQUIRE_OK(f.sim.powerOn("a"));
    CHECK(f.sim.hostStatus("a").value().reachability == Reachability::Unreachable);
    SIM_REQUIRE_OK(f.sim.healNetwork("a"));
    CHECK(f.takeLog() == Strings{"0 a: host unreachable (network cut)", "0 a: host reachable (network healed)"});
}

TEST_CASE("sim: a crashed domain emits Crashed then Stopped and is shut off, reason crashed", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    f.takeLog();
    SIM_REQUIRE_OK(f.sim.crashDomain("a", "fax1"));
    CHECK(f.takeLog() == Strings{"0 a: domain fax1 crashed (panicked)", "0 a: domain fax1 stopped (crashed)"});
    const DomainInfo crashed = f.info("a", "fax1");
    CHECK(crashed.state == DomainState::Shutoff);
    CHECK(crashed.reason == 3);
    CHECK(crashed.reasonText == "crashed");
    SIM_REQUIRE_OK(f.sim.crashDomain("a", "fax1"));  // not running: nothing happens
    CHECK(f.log.empty());
}

TEST_CASE("sim: findDomainCopies lists copies on reachable hosts and names the unreachable ones", "[sim]") {
    SimFixture f;
    SimHostSpec c;
    c.config.name = "c";
    SIM_REQUIRE_OK(f.sim.addSimHost(c));
    f.defineAndStart("a", "fax1");
    SIM_REQUIRE_OK(f.sim.defineDomain("b", domainXml("fax1")));
    SIM_REQUIRE_OK(f.sim.defineDomain("c", domainXml("fax1")));
    SIM_REQUIRE_OK(f.sim.defineDomain("b", domainXml("other", "11111111-2222-4333-8444-555555555555")));
    SIM_REQUIRE_OK(f.sim.cutNetwork("c"));

    const DomainCopies copies = f.sim.findDomainCopies("6F0A3C7E2B1D4D8A9A4E5C1F0E2B7D31");
    REQUIRE(copies.copies.size() == 2);
    CHECK(copies.copies[0].host == "a");
    CHECK(copies.copies[0].info.state == DomainState::Running);
    CHECK(copies.copies[1].host == "b");
    CHECK(copies.copies[1].info.state == DomainState::Shutoff);
    CHECK(copies.unreachableHosts == Strings{"c"});

    SIM_REQUIRE_OK(f.sim.powerOff("a"));
    const DomainCopies afterPowerOff = f.sim.findDomainCopies(kFaxUuid);
    REQUIRE(afterPowerOff.copies.size() == 1);
    CHECK(afterPowerOff.copies[0].host == "b");
    CHECK(afterPowerOff.unreachableHosts == Strings{"a", "c"});
    CHECK(f.sim.findDomainCopies("garbage").copies.empty());
}

// ---- PCI devices and inventory

TEST_CASE("sim: detach binds a device to vfio-pci and reattach gives it back to its driver", "[sim]") {
    SimFixture f;
    auto devices = f.sim.pciDevices("a");
    REQUIRE(devices);
    REQUIRE(devices.value().size() == 1);
    CHECK(devices.value()[0].nodeDeviceName == kBoardNodeDevice);
    CHECK(devices.value()[0].driver == "brooktrout");
    CHECK(f.sim.pciDevices("b").value().empty());

    SIM_REQUIRE_OK(f.sim.detachPciDevice("a", kBoardNodeDevice));
    CHECK(f.sim.pciDevices("a").value()[0].driver == "vfio-pci");
    SIM_REQUIRE_OK(f.sim.detachPciDevice("a", kBoardNodeDevice));  // libvirt: already detached is success
    SIM_REQUIRE_OK(f.sim.reattachPciDevice("a", kBoardNodeDevice));
    CHECK(f.sim.pciDevices("a").value()[0].driver == "brooktrout");
    SIM_REQUIRE_OK(f.sim.reattachPciDevice("a", kBoardNodeDevice));  // already attached: nothing to do
    CHECK(f.sim.pciDevices("a").value()[0].driver == "brooktrout");

    SIM_REQUIRE_ERROR(f.sim.detachPciDevice("a", "pci_0000_04_00_0"), ErrorKind::NoSuchDevice);
    SIM_REQUIRE_ERROR(f.sim.reattachPciDevice("b", kBoardNodeDevice), ErrorKind::NoSuchDevice);
}

TEST_CASE("sim: a managed board goes to vfio-pci while its domain runs and cannot be reattached", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1", kFaxUuid, boardHostdev());
    CHECK(f.sim.pciDevices("a").value()[0].driver == "vfio-pci");
    auto inUse = f.sim.reattachPciDevice("a", kBoardNodeDevice);
    SIM_REQUIRE_ERROR(inUse, ErrorKind::OperationInvalid);
    CHECK(inUse.error().message.find("fax1") != std::string::npos);

    // Invariant 4: a second domain cannot take the board while the first holds it.
    SIM_REQUIRE_OK(f.sim.defineDomain("a", domainXml("fax2", "11111111-2222-4333-8444-555555555555", boardHostdev())));
    SIM_REQUIRE_ERROR(f.sim.startDomain("a", "fax2"), ErrorKind::OperationInvalid);

    SIM_REQUIRE_OK(f.sim.destroyDomain("a", "fax1"));
    CHECK(f.sim.pciDevices("a").value()[0].driver == "brooktrout");
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax2"));
}

TEST_CASE("sim: an unmanaged board must be detached first and a missing board fails the start", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.defineDomain("a", domainXml("fax1", kFaxUuid, boardHostdev(false))));
    SIM_REQUIRE_ERROR(f.sim.startDomain("a", "fax1"), ErrorKind::OperationFailed);
    SIM_REQUIRE_OK(f.sim.detachPciDevice("a", kBoardNodeDevice));
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    SIM_REQUIRE_OK(f.sim.destroyDomain("a", "fax1"));
    CHECK(f.sim.pciDevices("a").value()[0].driver == "vfio-pci");  // unmanaged: stays detached

    SIM_REQUIRE_OK(f.sim.defineDomain("b", domainXml("fax1", kFaxUuid, boardHostdev())));
    auto missing = f.sim.startDomain("b", "fax1");
    SIM_REQUIRE_ERROR(missing, ErrorKind::OperationFailed);
    CHECK(missing.error().message.find("0000:03:00.0") != std::string::npos);
}

TEST_CASE("sim: a power cycle gives every board back to the driver it boots with", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1", kFaxUuid, boardHostdev());
    SIM_REQUIRE_OK(f.sim.powerOff("a"));
    SIM_REQUIRE_OK(f.sim.powerOn("a"));
    CHECK(f.sim.pciDevices("a").value()[0].driver == "brooktrout");
    SIM_REQUIRE_OK(f.sim.reattachPciDevice("a", kBoardNodeDevice));
}

TEST_CASE("sim: the node inventory lists running domains sorted by name", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "zfax", "11111111-2222-4333-8444-555555555555");
    f.defineAndStart("a", "afax", "21111111-2222-4333-8444-555555555555");
    SIM_REQUIRE_OK(f.sim.defineDomain("a", domainXml("idle", "31111111-2222-4333-8444-555555555555")));
    auto inventory = f.sim.nodeInventory("a");
    REQUIRE(inventory);
    CHECK(inventory.value().cpus == 16);
    CHECK(inventory.value().memoryKiB == 64ull * 1024 * 1024);
    CHECK(inventory.value().runningDomains == Strings{"afax", "zfax"});
    CHECK(inventory.value().freeMemoryKiB == 64 * kGiB - 2 * 128 * 1024);  // the idle one takes nothing
}

// ---- memory

TEST_CASE("sim: a domain's memory and vCPUs come from its XML", "[sim]") {
    SimFixture f;
    auto defined = f.sim.defineDomain("a", sizedDomainXml("fax1", kFaxUuid, 4 * kGiB, 4));
    SIM_REQUIRE_OK(defined);
    CHECK(defined.value().memoryKiB == 4 * kGiB);
    CHECK(defined.value().vcpus == 4);
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    CHECK(f.info("a", "fax1").memoryKiB == 4 * kGiB);
    CHECK(f.info("a", "fax1").vcpus == 4);

    // Any unit libvirt knows; no <memory> at all reads as 0.
    const std::string inGiB = "<domain type='qemu'><name>fax2</name><memory unit='GiB'>2</memory></domain>";
    auto gib = f.sim.defineDomain("b", inGiB);
    SIM_REQUIRE_OK(gib);
    CHECK(gib.value().memoryKiB == 2 * kGiB);
    CHECK(gib.value().vcpus == 1);
    auto none = f.sim.defineDomain("b", sizedDomainXml("fax3", "", 0, 2));
    SIM_REQUIRE_OK(none);
    CHECK(none.value().memoryKiB == 0);
    CHECK(none.value().vcpus == 2);
}

TEST_CASE("sim: free memory is the host's memory less that of its running domains", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.defineDomain("b", sizedDomainXml("small", kFaxUuid, 3 * kGiB)));
    SIM_REQUIRE_OK(f.sim.defineDomain("b", sizedDomainXml("large", "11111111-2222-4333-8444-555555555555", 5 * kGiB)));
    SIM_REQUIRE_OK(f.sim.defineDomain("b", sizedDomainXml("idle", "21111111-2222-4333-8444-555555555555", 10 * kGiB)));
    const auto freeOnB = [&f] { return f.sim.nodeInventory("b").value().freeMemoryKiB; };
    CHECK(freeOnB() == 32 * kGiB);
    SIM_REQUIRE_OK(f.sim.startDomain("b", "small"));
    SIM_REQUIRE_OK(f.sim.startDomain("b", "large"));
    CHECK(freeOnB() == 24 * kGiB);
    SIM_REQUIRE_OK(f.sim.destroyDomain("b", "small"));
    CHECK(freeOnB() == 27 * kGiB);
    SIM_REQUIRE_OK(f.sim.powerOff("b"));
    SIM_REQUIRE_OK(f.sim.powerOn("b"));
    CHECK(freeOnB() == 32 * kGiB);
}

TEST_CASE("sim: a start is refused with OperationFailed when the host lacks free memory", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.defineDomain("b", sizedDomainXml("fax1", kFaxUuid, 20 * kGiB)));
    SIM_REQUIRE_OK(f.sim.defineDomain("b", sizedDomainXml("fax2", "11111111-2222-4333-8444-555555555555", 20 * kGiB)));
    SIM_REQUIRE_OK(f.sim.startDomain("b", "fax1"));
    SIM_REQUIRE_OK(f.sim.failNextStarts("b", 1));
    f.takeLog();

    auto refused = f.sim.startDomain("b", "fax2");
    SIM_REQUIRE_ERROR(refused, ErrorKind::OperationFailed);
    CHECK(refused.error().message ==
          "cannot start domain 'fax2': not enough free memory on host 'b': needs 20480 MiB, 12288 MiB free");
    CHECK(refused.error().host == "b");
    CHECK(f.info("b", "fax2").state == DomainState::Shutoff);
    CHECK(f.sim.nodeInventory("b").value().freeMemoryKiB == 12 * kGiB);
    CHECK(f.log.empty());

    // An exact fit starts (once the injected failure, not consumed by the refusal, is used up).
    SIM_REQUIRE_OK(f.sim.defineDomain("b", sizedDomainXml("fit", "21111111-2222-4333-8444-555555555555", 12 * kGiB)));
    SIM_REQUIRE_ERROR(f.sim.startDomain("b", "fit"), ErrorKind::OperationFailed);
    SIM_REQUIRE_OK(f.sim.startDomain("b", "fit"));
    CHECK(f.sim.nodeInventory("b").value().freeMemoryKiB == 0);
    SIM_REQUIRE_OK(f.sim.destroyDomain("b", "fax1"));
    SIM_REQUIRE_OK(f.sim.startDomain("b", "fax2"));
}

TEST_CASE("sim: the memory message never rounds a shortfall away", "[sim]") {
    SimFixture f;
    f.addHost("tiny", 1024);  // 1 MiB
    SIM_REQUIRE_OK(f.sim.defineDomain("tiny", sizedDomainXml("fax1", kFaxUuid, 1025)));
    auto refused = f.sim.startDomain("tiny", "fax1");
    SIM_REQUIRE_ERROR(refused, ErrorKind::OperationFailed);
    CHECK_THAT(refused.error().message, Catch::EndsWith("needs 2 MiB, 1 MiB free"));
}

// ---- event delivery

TEST_CASE("sim: events go to the current handler only, and none is fine", "[sim]") {
    ManualClock clock;
    SimulatedHypervisor sim(clock);
    SIM_REQUIRE_OK(sim.addHost(HostConfig{"a", "", ""}));  // no handler: dropped
    std::vector<std::string> first;
    std::vector<std::string> second;
    sim.setEventHandler([&](const HypervisorEvent& event) { first.push_back(describe(event)); });
    SIM_REQUIRE_OK(sim.defineDomain("a", domainXml("fax1")));
    sim.setEventHandler([&](const HypervisorEvent& event) { second.push_back(describe(event)); });
    SIM_REQUIRE_OK(sim.startDomain("a", "fax1"));
    sim.setEventHandler({});
    SIM_REQUIRE_OK(sim.destroyDomain("a", "fax1"));
    CHECK(first == Strings{"a: domain fax1 defined (added)"});
    CHECK(second == Strings{"a: domain fax1 started (booted)"});
}

TEST_CASE("sim: a handler calling back in sees finished state and events stay in causal order", "[sim]") {
    SimFixture f;
    SIM_REQUIRE_OK(f.sim.defineDomain("a", domainXml("fax1")));
    std::vector<std::string> seen;
    f.sim.setEventHandler([&](const HypervisorEvent& event) {
        seen.push_back(describe(event));
        const auto* domain = std::get_if<DomainEvent>(&event);
        if (domain != nullptr && domain->lifecycle == DomainLifecycle::Started) {
            // The start is complete when the handler hears of it.
            CHECK(f.sim.domainInfo("a", "fax1").value().state == DomainState::Running);
            CHECK(f.sim.destroyDomain("a", "fax1").has_value());
            seen.push_back("handler destroyed fax1");
        }
        if (domain != nullptr && domain->lifecycle == DomainLifecycle::Stopped) {
            f.sim.setEventHandler({});  // replacing itself while running is safe
        }
    });
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    CHECK(seen ==
          Strings{"a: domain fax1 started (booted)", "handler destroyed fax1", "a: domain fax1 stopped (destroyed)"});
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    CHECK(seen.size() == 3);
}

TEST_CASE("sim: a throwing handler does not wedge later deliveries", "[sim]") {
    SimFixture f;
    bool threw = false;
    f.sim.setEventHandler([&](const HypervisorEvent&) {
        if (!threw) {
            threw = true;
            throw std::runtime_error("handler bug");
        }
    });
    CHECK_THROWS(f.sim.defineDomain("a", domainXml("fax1")));
    std::vector<std::string> seen;
    f.sim.setEventHandler([&](const HypervisorEvent& event) { seen.push_back(describe(event)); });
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    CHECK(seen == Strings{"a: domain fax1 started (booted)"});
}
