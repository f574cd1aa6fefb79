// SimulatedHypervisor's ground truth for the scenario checkers (the ...ForTest accessors): what
// really runs and which boards are really held, whether or not a host can be asked.
#include "test_sim_support.h"

using namespace faxover::hv;
using namespace faxover::hv::sim;
using namespace faxover::hv::sim::test;
using Held = std::vector<PassedThroughDevice>;

namespace {

constexpr const char* kSecondUuid = "11111111-2222-4333-8444-555555555555";

// A host "c" with a Dialogic board at 0000:04:00.0 bound to its vendor driver.
void addDialogicHost(SimFixture& f) {
    SimHostSpec c;
    c.config.name = "c";
    PciDevice board;
    board.address = PciAddress{0, 0x04, 0x00, 0x0};
    board.nodeDeviceName = board.address.nodeDeviceName();
    board.vendorId = 0x12c7;
    board.productId = 0x5001;
    board.driver = "dlgc";
    c.pciDevices.push_back(board);
    SIM_REQUIRE_OK(f.sim.addSimHost(c));
}

std::string dialogicHostdev() {
    return "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x04' "
           "slot='0x00' function='0x0'/></source></hostdev>";
}

}  // namespace

TEST_CASE("sim: passedThroughDevicesForTest lists the boards of running domains only, in host order", "[sim]") {
    SimFixture f;
    addDialogicHost(f);
    CHECK(f.sim.passedThroughDevicesForTest().empty());
    f.defineAndStart("c", "fax2", kSecondUuid, dialogicHostdev());
    f.defineAndStart("a", "fax1", kFaxUuid, boardHostdev());
    f.defineAndStart("b", "plain", "22222222-2222-4333-8444-555555555555");  // no hostdev: not listed
    CHECK(f.sim.passedThroughDevicesForTest() ==
          Held{{"a", "0000:03:00.0", "fax1", kFaxUuid}, {"c", "0000:04:00.0", "fax2", kSecondUuid}});

    SIM_REQUIRE_OK(f.sim.shutdownDomain("c", "fax2", Duration(1000)));
    CHECK(f.sim.passedThroughDevicesForTest() == Held{{"a", "0000:03:00.0", "fax1", kFaxUuid}});
}

TEST_CASE("sim: passedThroughDevicesForTest sees through a cut but not past a power-off", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1", kFaxUuid, boardHostdev());
    SIM_REQUIRE_OK(f.sim.cutNetwork("a"));  // the VM runs on, unseen: it still holds its board
    CHECK(f.sim.passedThroughDevicesForTest() == Held{{"a", "0000:03:00.0", "fax1", kFaxUuid}});
    SIM_REQUIRE_OK(f.sim.powerOff("a"));  // the VM died with its host
    CHECK(f.sim.passedThroughDevicesForTest().empty());
}

TEST_CASE("sim: pciDevicesForTest shows the bound driver even when the host cannot be asked", "[sim]") {
    SimFixture f;
    addDialogicHost(f);
    f.defineAndStart("c", "fax2", kSecondUuid, dialogicHostdev());
    SIM_REQUIRE_OK(f.sim.crashLibvirtd("c"));
    SIM_REQUIRE_ERROR(f.sim.pciDevices("c"), ErrorKind::HostUnreachable);
    auto devices = f.sim.pciDevicesForTest("c");
    REQUIRE(devices.size() == 1);
    CHECK(devices[0].address.toString() == "0000:04:00.0");
    CHECK(devices[0].vendorId == 0x12c7);
    CHECK(devices[0].driver == "vfio-pci");  // held by the running domain

    SIM_REQUIRE_OK(f.sim.powerOff("c"));
    SIM_REQUIRE_OK(f.sim.powerOn("c"));
    CHECK(f.sim.pciDevicesForTest("c")[0].driver == "dlgc");  // booted with its vendor driver
    CHECK(f.sim.pciDevicesForTest("b").empty());
    CHECK(f.sim.pciDevicesForTest("nowhere").empty());
}
