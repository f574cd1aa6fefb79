#include "faxover/hypervisor/DomainXml.h"

#include <catch2/catch.hpp>

#include "TestData.h"


using namespace faxover::hv;
using faxover::testing::readDataFile;
using Kind = MigrationBlocker::Kind;

namespace {

DomainXml parseOrFail(const std::string& xml) {
    auto parsed = DomainXml::parse(xml);
    if (!parsed) FAIL("parse failed: " << parsed.error().message);
    return std::move(parsed).value();
}

DomainXml loadDomain(const std::string& file) {
    return parseOrFail(readDataFile(file));
}

DomainXml domainWithFileDisk(const std::string& path) {
    return parseOrFail("<domain type='kvm'><name>d</name><devices><disk type='file' device='disk'><source file='" +
                       path + "'/><target dev='vda' bus='virtio'/></disk></devices></domain>");
}

std::vector<Kind> kindsOf(const Migratability& migratability) {
    std::vector<Kind> kinds;
    for (const auto& blocker : migratability.blockers) kinds.push_back(blocker.kind);
    return kinds;
}

}  // namespace

TEST_CASE("Migratability: a running guest without hostdevs or local disks can migrate", "[hypervisor][migratability]") {
    const auto result = assessMigratability(loadDomain("domain-lab-tcg-live.xml"), DomainState::Running, {});
    CHECK(result.possible());
    CHECK(result.blockers.empty());
    CHECK(result.explain().empty());
}

TEST_CASE("Migratability: network disks and read-only cdroms never block", "[hypervisor][migratability]") {
    // fax-01's local system disk is under the shared prefix; its rbd disk and cdrom need none.
    const auto result =
        assessMigratability(loadDomain("domain-fax-kvm-live.xml"), DomainState::Running, {"/srv/vmstore"});
    CHECK(kindsOf(result) == std::vector<Kind>{Kind::PciHostdev});
}

TEST_CASE("Migratability: a PCI hostdev blocks and is named with its host address", "[hypervisor][migratability]") {
    const auto result =
        assessMigratability(loadDomain("domain-fax-kvm-live.xml"), DomainState::Running, {"/srv/vmstore/"});
    REQUIRE(result.blockers.size() == 1);
    CHECK(result.blockers[0].kind == Kind::PciHostdev);
    CHECK(result.blockers[0].detail == "PCI hostdev 0000:03:00.0 (managed)");
    CHECK_FALSE(result.possible());
    CHECK(result.explain() == "cannot live-migrate: PCI hostdev 0000:03:00.0 (managed)");
}

TEST_CASE("Migratability: an unmanaged PCI hostdev says so", "[hypervisor][migratability]") {
    const auto result =
        assessMigratability(loadDomain("domain-fax-local-storage.xml"), DomainState::Running, {"/srv/shared"});
    REQUIRE_FALSE(result.blockers.empty());
    CHECK(result.blockers[0].kind == Kind::PciHostdev);
    CHECK(result.blockers[0].detail == "PCI hostdev 0000:04:00.0 (unmanaged)");
}

TEST_CASE("Migratability: a local file disk blocks, naming target and path", "[hypervisor][migratability]") {
    const auto result = assessMigratability(loadDomain("domain-fax-kvm-live.xml"), DomainState::Running, {});
    CHECK(kindsOf(result) == std::vector<Kind>{Kind::PciHostdev, Kind::LocalDisk});
    CHECK(result.blockers.at(1).detail == "local disk vda (/srv/vmstore/fax-01/system.qcow2)");
    CHECK(result.explain() ==
          "cannot live-migrate: PCI hostdev 0000:03:00.0 (managed); "
          "local disk vda (/srv/vmstore/fax-01/system.qcow2)");
}

TEST_CASE("Migratability: block disks and LUNs are local, shared and shareable disks are not",
          "[hypervisor][migratability]") {
    const auto result =
        assessMigratability(loadDomain("domain-fax-local-storage.xml"), DomainState::Running, {"/srv/shared"});
    REQUIRE(kindsOf(result) == std::vector<Kind>{Kind::PciHostdev, Kind::LocalDisk, Kind::LocalDisk});
    CHECK(result.blockers[1].detail == "local disk vda (/dev/vg_fax/fax-02-system)");
    CHECK(result.blockers[2].detail == "local disk sda (/dev/disk/by-id/wwn-0x5000c500a1b2c3d4)");
}

TEST_CASE("Migratability: a paused domain is its own blocker", "[hypervisor][migratability]") {
    const auto result = assessMigratability(loadDomain("domain-lab-tcg-live.xml"), DomainState::Paused, {});
    REQUIRE(result.blockers.size() == 1);
    CHECK(result.blockers[0].kind == Kind::Paused);
    CHECK(result.blockers[0].detail == "domain is paused");
}

TEST_CASE("Migratability: a domain that is not running cannot be live-migrated", "[hypervisor][migratability]") {
    const auto state = GENERATE(DomainState::Shutoff, DomainState::Crashed, DomainState::Shutdown,
                                DomainState::PMSuspended, DomainState::NoState, DomainState::Blocked);
    const auto result = assessMigratability(loadDomain("domain-lab-tcg-live.xml"), state, {});
    INFO(toString(state));
    REQUIRE(result.blockers.size() == 1);
    CHECK(result.blockers[0].kind == Kind::NotRunning);
    CHECK_THAT(result.blockers[0].detail, Catch::Matchers::Contains(toString(state)));
}

TEST_CASE("Migratability: every blocker is listed, state first", "[hypervisor][migratability]") {
    const auto result = assessMigratability(loadDomain("domain-fax-kvm-live.xml"), DomainState::Shutoff, {});
    CHECK(kindsOf(result) == std::vector<Kind>{Kind::NotRunning, Kind::PciHostdev, Kind::LocalDisk});
}

TEST_CASE("Migratability: a shared prefix covers whole path components only", "[hypervisor][migratability]") {
    const std::vector<std::string> shared{"/srv/shared"};
    CHECK(assessMigratability(domainWithFileDisk("/srv/shared/a.qcow2"), DomainState::Running, shared).possible());
    CHECK(assessMigratability(domainWithFileDisk("/srv/shared//x/a.qcow2"), DomainState::Running, shared).possible());
    CHECK_FALSE(
        assessMigratability(domainWithFileDisk("/srv/shared-local/a.qcow2"), DomainState::Running, shared).possible());
    CHECK_FALSE(assessMigratability(domainWithFileDisk("/srv/shared/../local/a.qcow2"), DomainState::Running, shared)
                    .possible());
    CHECK_FALSE(assessMigratability(domainWithFileDisk("/srv/sha"), DomainState::Running, shared).possible());
}

TEST_CASE("Migratability: a prefix with a trailing slash works like one without", "[hypervisor][migratability]") {
    CHECK(assessMigratability(domainWithFileDisk("/srv/shared/a.qcow2"), DomainState::Running, {"/srv/shared/"})
              .possible());
    CHECK(assessMigratability(domainWithFileDisk("/srv/shared/a.qcow2"), DomainState::Running, {"/"}).possible());
}

TEST_CASE("Migratability: an empty shared prefix does not make every disk shared", "[hypervisor][migratability]") {
    const auto result = assessMigratability(domainWithFileDisk("/var/lib/libvirt/images/a.qcow2"), DomainState::Running,
                                            {"", "/srv/shared"});
    CHECK(kindsOf(result) == std::vector<Kind>{Kind::LocalDisk});
}

TEST_CASE("Migratability: any one of several shared prefixes is enough", "[hypervisor][migratability]") {
    CHECK(assessMigratability(domainWithFileDisk("/mnt/nfs/fax/a.qcow2"), DomainState::Running,
                              {"/srv/shared", "/mnt/nfs"})
              .possible());
}
