#include "faxover/hypervisor/PciAddress.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using faxover::hv::ErrorKind;
using faxover::hv::PciAddress;

TEST_CASE("PciAddress parses the full DDDD:BB:SS.F form", "[hypervisor][pci]") {
    const auto address = PciAddress::parse("0000:03:00.0");
    REQUIRE(address.has_value());
    CHECK(address.value().domain == 0);
    CHECK(address.value().bus == 3);
    CHECK(address.value().slot == 0);
    CHECK(address.value().function == 0);
}

TEST_CASE("PciAddress parses hex fields, upper or lower case", "[hypervisor][pci]") {
    const auto address = PciAddress::parse("0001:Af:1f.7");
    REQUIRE(address.has_value());
    CHECK(address.value().domain == 1);
    CHECK(address.value().bus == 0xaf);
    CHECK(address.value().slot == 0x1f);
    CHECK(address.value().function == 7);
    CHECK(address.value().toString() == "0001:af:1f.7");
}

TEST_CASE("PciAddress without a domain means domain 0, as lspci prints it", "[hypervisor][pci]") {
    const auto address = PciAddress::parse("03:00.1");
    REQUIRE(address.has_value());
    CHECK(address.value() == PciAddress{0, 3, 0, 1});
}

TEST_CASE("PciAddress accepts domains wider than four digits (Intel VMD)", "[hypervisor][pci]") {
    const auto address = PciAddress::parse("10000:e1:00.0");
    REQUIRE(address.has_value());
    CHECK(address.value().domain == 0x10000);
    CHECK(address.value().toString() == "10000:e1:00.0");
    CHECK(address.value().nodeDeviceName() == "pci_10000_e1_00_0");
}

TEST_CASE("PciAddress formats zero-padded lower-case hex", "[hypervisor][pci]") {
    const PciAddress address{0, 0x3, 0x0, 0x0};
    CHECK(address.toString() == "0000:03:00.0");
    CHECK(PciAddress{0x1, 0xab, 0x1f, 0x7}.toString() == "0001:ab:1f.7");
}

TEST_CASE("PciAddress gives libvirt's node device name", "[hypervisor][pci]") {
    CHECK(PciAddress{0, 0x3, 0x0, 0x0}.nodeDeviceName() == "pci_0000_03_00_0");
    CHECK(PciAddress{0, 0x0, 0x1f, 0x2}.nodeDeviceName() == "pci_0000_00_1f_2");
}

TEST_CASE("PciAddress round-trips through its text form", "[hypervisor][pci]") {
    const std::string text =
        GENERATE(as<std::string>{}, "0000:00:00.0", "0000:03:00.0", "0000:00:1f.2", "ffff:ff:1f.7", "0042:81:0a.3");
    const auto address = PciAddress::parse(text);
    REQUIRE(address.has_value());
    CHECK(address.value().toString() == text);
}

TEST_CASE("PciAddress rejects malformed text with InvalidArgument naming the input", "[hypervisor][pci]") {
    const std::string text = GENERATE(as<std::string>{},
                                      "",                // empty
                                      "0000:03:00",      // no function
                                      "zz:00.0",         // bus not hex
                                      "0000:100:00.0",   // bus with three digits
                                      "0000:3:00.0",     // bus with one digit
                                      "000:03:00.0",     // domain with three digits
                                      "0000:03:000.0",   // slot with three digits
                                      "0000:03:00.00",   // function with two digits
                                      "0000:03:00.",     // empty function
                                      "0000:03.00.0",    // wrong separator
                                      " 0000:03:00.0",   // leading blank
                                      "0000:03:00.0 ",   // trailing blank
                                      "0x00:03:00.0",    // C prefix
                                      "1:0000:03:00.0",  // extra field
                                      "-000:03:00.0");   // sign
    const auto address = PciAddress::parse(text);
    INFO("input '" << text << "'");
    REQUIRE(address.has_error());
    CHECK(address.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(address.error().message, Catch::Matchers::Contains("'" + text + "'"));
}

TEST_CASE("PciAddress rejects slots above 0x1f and functions above 7", "[hypervisor][pci]") {
    const auto slot = PciAddress::parse("0000:00:20.0");
    REQUIRE(slot.has_error());
    CHECK(slot.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(slot.error().message, Catch::Matchers::Contains("slot 0x20"));

    const auto function = PciAddress::parse("0000:00:00.8");
    REQUIRE(function.has_error());
    CHECK_THAT(function.error().message, Catch::Matchers::Contains("function 0x8"));
}

TEST_CASE("PciAddress::fromFields accepts the largest valid fields", "[hypervisor][pci]") {
    const auto address = PciAddress::fromFields(0xffffffff, 0xff, 0x1f, 7);
    REQUIRE(address.has_value());
    CHECK(address.value() == PciAddress{0xffffffff, 0xff, 0x1f, 7});
}

TEST_CASE("PciAddress::fromFields rejects each field one past its range", "[hypervisor][pci]") {
    const auto rejected = [](const faxover::hv::Result<PciAddress>& address) {
        return address.has_error() && address.error().kind == ErrorKind::InvalidArgument;
    };
    CHECK(rejected(PciAddress::fromFields(0x100000000, 0, 0, 0)));
    CHECK(rejected(PciAddress::fromFields(0, 0x100, 0, 0)));
    CHECK(rejected(PciAddress::fromFields(0, 0, 0x20, 0)));
    CHECK(rejected(PciAddress::fromFields(0, 0, 0, 8)));
}

TEST_CASE("PciAddress orders by domain, bus, slot, function", "[hypervisor][pci]") {
    std::vector<PciAddress> addresses{{0, 3, 0, 1}, {1, 0, 0, 0}, {0, 3, 0, 0}, {0, 0, 0x1f, 2}};
    std::sort(addresses.begin(), addresses.end());
    CHECK(addresses == std::vector<PciAddress>{{0, 0, 0x1f, 2}, {0, 3, 0, 0}, {0, 3, 0, 1}, {1, 0, 0, 0}});
}
