// Board passthrough against a real libvirtd (issue #5, docs/boards.md): a board-mode domain is
// refused live migration, and the one edit a cold move makes to its XML (the PCI hostdev's source
// address, through DomainXml) is accepted by libvirt and read back exactly as written.
//
// This test never detaches or reattaches a device, and never starts the domain: the lab's
// libvirtds run on this machine, so virNodeDeviceDetachFlags would unbind one of this machine's
// own PCI devices from its driver, and starting a domain with a managed hostdev would make libvirt
// do the same. Both addresses below name no device here (checked first); defining a domain does
// not touch the device. Detach and reattach run against the simulated hypervisor; docs/boards.md
// says how to qualify them on real hardware.
#include "LabTestSupport.h"
#include "faxover/hypervisor/DomainXml.h"
#include "faxover/orchestrator/engine/Engine.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

using namespace faxover;
using namespace faxover::labtest;

namespace {

const hv::PciAddress kSourceBoard{0x0000, 0x7e, 0x1f, 0x0};
const hv::PciAddress kTargetBoard{0x0000, 0x7d, 0x1e, 0x2};

bool existsOnThisMachine(const hv::PciAddress& address) {
    return std::filesystem::exists("/sys/bus/pci/devices/" + address.toString());
}

std::string boardDomainXml(const std::string& name) {
    return "<domain type='qemu'><name>" + name +
           "</name><memory unit='MiB'>64</memory>"
           "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
           "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
           "<hostdev mode='subsystem' type='pci' managed='yes'>"
           "<source><address domain='0x0000' bus='0x7e' slot='0x1f' function='0x0'/></source>"
           "</hostdev></devices></domain>";
}

// The source address as libvirt 9.0 prints it in a hostdev (tests/unit/data/libvirt-9.0/).
std::string libvirtSourceAddress(const hv::PciAddress& address) {
    char text[96];
    std::snprintf(text, sizeof text, "<address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>",
                  static_cast<unsigned>(address.domain), static_cast<unsigned>(address.bus),
                  static_cast<unsigned>(address.slot), static_cast<unsigned>(address.function));
    return text;
}

// The policy of the engine's plan: the two lab hosts, each with one TR1034 mapped at the test's
// addresses on trunk group pri-a, and the domain as a service whose telephony Faxover must detect.
policy::Policy boardPolicy(const std::string& source, const std::string& target, const std::string& domain) {
    policy::Policy cluster;
    cluster.boardModels = {{"tr1034", 0x12e4, 0x4d01}};
    for (const auto& [name, board] : {std::pair{source, kSourceBoard}, std::pair{target, kTargetBoard}}) {
        policy::HostPolicy host;
        host.name = name;
        host.fence = {policy::FenceLevel{policy::FenceMethod::Manual}};
        host.boards = {{board.toString(), "tr1034", "pri-a"}};
        cluster.hosts.push_back(host);
    }
    policy::ServicePolicy service;
    service.name = "fax-board";
    service.domain = {policy::DomainRef::Kind::Name, domain};
    service.telephony = policy::TelephonyMode::Auto;
    service.trunkGroup = "pri-a";
    cluster.services.push_back(service);
    return cluster;
}

std::string readXml(LabSession& session, const std::string& host, const std::string& name) {
    auto xml = session.hypervisor->domainXml(host, name);
    INFO((xml ? std::string() : xml.error().message));
    REQUIRE(xml);
    return xml.value();
}

}  // namespace

TEST_CASE("a board-mode domain defined through libvirt: live migration refused naming its hostdev; the plan is a cold move; its board address rewritten",
          "[lab][boards]") {
    REQUIRE_FALSE(existsOnThisMachine(kSourceBoard));
    REQUIRE_FALSE(existsOnThisMachine(kTargetBoard));
    LabSession session;
    const std::string host = session.hostName(0);
    const std::string name = "labtest-board-move";

    auto defined = session.hypervisor->defineDomain(host, boardDomainXml(name));
    INFO((defined ? std::string() : defined.error().message));
    REQUIRE(defined);
    OnExit undefine([&] { (void)session.hypervisor->undefineDomain(host, name); });

    // The orchestrator's reason for a cold move: libvirt would refuse, and the blocker says why.
    auto verdict = session.hypervisor->checkMigratable(host, name);
    REQUIRE(verdict);
    const auto& blockers = verdict.value().blockers;
    const auto hostdevBlocker = std::find_if(blockers.begin(), blockers.end(), [](const hv::MigrationBlocker& blocker) {
        return blocker.kind == hv::MigrationBlocker::Kind::PciHostdev;
    });
    REQUIRE(hostdevBlocker != blockers.end());
    CHECK_THAT(hostdevBlocker->detail, Catch::Contains(kSourceBoard.toString()));
    CHECK_FALSE(verdict.value().possible());

    // The cold move's edit, on what libvirt stored (it added a guest-side address and defaults).
    const std::string stored = readXml(session, host, name);
    REQUIRE_THAT(stored, Catch::Contains(libvirtSourceAddress(kSourceBoard)));
    auto domain = hv::DomainXml::parse(stored);
    REQUIRE(domain);
    REQUIRE(domain.value().pciHostdevs().size() == 1);
    CHECK(domain.value().pciHostdevs()[0].source == kSourceBoard);

    // The orchestrator's plan when its host goes into maintenance: the engine, given what libvirt
    // said (the stored definition, the migratability verdict), moves it cold onto the other host's
    // board. Simulated here only what cannot exist: the domain running (it cannot start without its
    // device) and the two boards in the hosts' PCI inventories.
    const std::string target = session.hostName(1);
    const policy::Policy cluster = boardPolicy(host, target, name);
    orchestrator::engine::EngineInput input;
    input.policy = &cluster;
    input.now = std::chrono::system_clock::now();
    for (const auto& [hostName, board] : {std::pair{host, kSourceBoard}, std::pair{target, kTargetBoard}}) {
        orchestrator::engine::HostObservation& seen = input.hosts[hostName];
        seen.name = hostName;
        seen.health = orchestrator::engine::HostHealthState::Ok;
        seen.libvirt = hv::Reachability::Reachable;
        seen.freeMemoryMiB = 4096;
        seen.cpus = 2;
        seen.boards = std::vector<orchestrator::engine::ObservedBoard>{{board.toString(), 0x12e4, 0x4d01, "brooktrout"}};
    }
    input.hosts[host].maintenance = true;
    auto& service = input.services["fax-board"];
    service.copies = {{host, hv::DomainState::Running}};
    service.memoryMiB = 64;
    service.vcpus = 1;
    for (const auto& hostdev : domain.value().pciHostdevs()) service.pciHostdevs.push_back(hostdev.source.toString());
    service.liveMigrationBlocker = verdict.value().explain();
    input.memory["fax-board"].state = orchestrator::engine::ServiceState::Ok;
    input.memory["fax-board"].host = host;
    const auto plan = orchestrator::engine::decide(input);
    REQUIRE(plan.actions.size() == 1);
    const auto& move = plan.actions.front();
    CHECK(move.kind == orchestrator::engine::ActionKind::ColdMove);
    CHECK(move.source == host);
    CHECK(move.host == target);
    CHECK(move.fromBoard == kSourceBoard.toString());
    CHECK(move.board == kTargetBoard.toString());
    CHECK_THAT(plan.memory.at("fax-board").reason, Catch::Contains("cold move (telephony auto: fax board " +
                                                                   kSourceBoard.toString()));

    REQUIRE(domain.value().rewritePciHostdevSource(kSourceBoard, kTargetBoard));
    auto redefined = session.hypervisor->defineDomain(host, domain.value().toString());
    INFO((redefined ? std::string() : redefined.error().message));
    REQUIRE(redefined);

    const std::string restored = readXml(session, host, name);
    auto reread = hv::DomainXml::parse(restored);
    REQUIRE(reread);
    REQUIRE(reread.value().pciHostdevs().size() == 1);
    CHECK(reread.value().pciHostdevs()[0].source == kTargetBoard);
    CHECK(reread.value().pciHostdevs()[0].managed);
    CHECK_THAT(restored, !Catch::Contains(libvirtSourceAddress(kSourceBoard)));
    // Everything else, the guest-side address included, is what libvirt stored before.
    std::string expected = stored;
    expected.replace(expected.find(libvirtSourceAddress(kSourceBoard)), libvirtSourceAddress(kSourceBoard).size(),
                     libvirtSourceAddress(kTargetBoard));
    CHECK(restored == expected);

    auto afterMove = session.hypervisor->checkMigratable(host, name);
    REQUIRE(afterMove);
    CHECK_THAT(afterMove.value().explain(), Catch::Contains(kTargetBoard.toString()));
}
