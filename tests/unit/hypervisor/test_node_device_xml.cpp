#include "faxover/hypervisor/DomainXml.h"

#include <catch2/catch.hpp>

#include "TestData.h"


using namespace faxover::hv;
using faxover::testing::readDataFile;
using Catch::Matchers::Contains;

namespace {

PciDevice parseOrFail(const std::string& xml) {
    auto parsed = parsePciNodeDevice(xml);
    if (!parsed) FAIL("parse failed: " << parsed.error().message);
    return std::move(parsed).value();
}

std::string pciDevice(const std::string& capabilityBody) {
    return "<device><name>pci_0000_00_02_0</name><parent>computer</parent><capability type='pci'>" + capabilityBody +
           "</capability></device>";
}

}  // namespace

TEST_CASE("Node device XML of a Brooktrout board bound to vfio-pci", "[hypervisor][nodedev]") {
    const auto board = parseOrFail(readDataFile("nodedev-brooktrout-vfio.xml"));
    CHECK(board.nodeDeviceName == "pci_0000_03_00_0");
    CHECK(board.address.toString() == "0000:03:00.0");
    CHECK(board.address.nodeDeviceName() == board.nodeDeviceName);
    CHECK(board.vendorId == 0x12e4);
    CHECK(board.productId == 0x1034);
    CHECK(board.vendorName == "Brooktrout Technology Inc");
    CHECK(board.productName.empty());  // not in the host's pci.ids
    CHECK(board.driver == "vfio-pci");
}

TEST_CASE("Node device XML of an Intel controller bound to its own driver", "[hypervisor][nodedev]") {
    const auto ahci = parseOrFail(readDataFile("nodedev-intel-ahci.xml"));
    CHECK(ahci.nodeDeviceName == "pci_0000_00_1f_2");
    CHECK(ahci.address == PciAddress{0, 0, 0x1f, 2});  // decimal <slot>31</slot>, not its iommuGroup siblings
    CHECK(ahci.vendorId == 0x8086);
    CHECK(ahci.productId == 0x2922);
    CHECK(ahci.vendorName == "Intel Corporation");
    CHECK(ahci.productName == "82801IR/IO/IH (ICH9R/DO/DH) 6 port SATA Controller [AHCI mode]");
    CHECK(ahci.driver == "ahci");
}

TEST_CASE("Node device XML of an unbound device has an empty driver", "[hypervisor][nodedev]") {
    const auto nic = parseOrFail(readDataFile("nodedev-unbound.xml"));
    CHECK(nic.address.toString() == "0000:05:00.1");
    CHECK(nic.productId == 0x1521);
    CHECK(nic.driver.empty());
}

TEST_CASE("Node device XML without a pci capability is InvalidArgument", "[hypervisor][nodedev]") {
    const auto parsed = parsePciNodeDevice(
        "<device><name>net_eth0_52_54_00_3a_91_0c</name><parent>pci_0000_00_19_0</parent>"
        "<capability type='net'><interface>eth0</interface><address>52:54:00:3a:91:0c</address>"
        "<capability type='80203'/></capability></device>");
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(parsed.error().message, Contains("net_eth0_52_54_00_3a_91_0c"));
    CHECK_THAT(parsed.error().message, Contains("pci"));
}

TEST_CASE("Node device XML that is malformed reports line and column", "[hypervisor][nodedev]") {
    const auto parsed = parsePciNodeDevice("<device>\n  <name>pci_0000_00_02_0</name>\n  <capability type='pci'>\n");
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(parsed.error().message, Catch::Matchers::StartsWith("node device XML line 4 column 1: "));
}

TEST_CASE("Node device XML with another root element is InvalidArgument", "[hypervisor][nodedev]") {
    const auto parsed = parsePciNodeDevice(readDataFile("domain-lab-tcg-live.xml"));
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(parsed.error().message, Contains("<domain>"));
}

TEST_CASE("Node device XML with a bad address field is InvalidArgument", "[hypervisor][nodedev]") {
    const std::string address =
        GENERATE(as<std::string>{}, "<domain>0</domain><bus>0</bus><slot>32</slot><function>0</function>",
                 "<domain>0</domain><bus>256</bus><slot>0</slot><function>0</function>",
                 "<domain>0</domain><bus>0</bus><slot>0</slot><function>8</function>",
                 "<domain>0</domain><bus>0x3</bus><slot>0</slot><function>0</function>",
                 "<domain>0</domain><slot>0</slot><function>0</function>");
    INFO(address);
    const auto parsed = parsePciNodeDevice(pciDevice(address + "<product id='0x1234'/><vendor id='0x8086'/>"));
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
}

TEST_CASE("Node device XML with a missing or bad vendor or product ID is InvalidArgument", "[hypervisor][nodedev]") {
    const std::string ids = GENERATE(as<std::string>{}, "<vendor id='0x8086'/>", "<product id='0x1234'/>",
                                     "<product id='0x1234'/><vendor id='0x10000'/>",
                                     "<product id='0xzz'/><vendor id='0x8086'/>", "<product/><vendor id='0x8086'/>");
    INFO(ids);
    const auto parsed =
        parsePciNodeDevice(pciDevice("<domain>0</domain><bus>0</bus><slot>2</slot><function>0</function>" + ids));
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
}

TEST_CASE("Node device XML reads IDs with or without the 0x prefix", "[hypervisor][nodedev]") {
    const auto device = parseOrFail(
        pciDevice("<domain>0</domain><bus>0</bus><slot>2</slot><function>0</function>"
                  "<product id='3e92'>UHD Graphics 630</product><vendor id='0x8086'>Intel Corporation</vendor>"));
    CHECK(device.productId == 0x3e92);
    CHECK(device.vendorId == 0x8086);
    CHECK(device.address.toString() == "0000:00:02.0");
}
