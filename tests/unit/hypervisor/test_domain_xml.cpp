#include "faxover/hypervisor/DomainXml.h"

#include <Poco/DOM/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/DOMWriter.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/SAX/XMLReader.h>
#include <catch2/catch.hpp>

#include "TestData.h"

#include <fstream>
#include <sstream>

using namespace faxover::hv;
using faxover::testing::readDataFile;
using Catch::Matchers::Contains;

namespace {

DomainXml parseOrFail(std::string_view xml) {
    auto parsed = DomainXml::parse(xml);
    if (!parsed) FAIL("parse failed: " << parsed.error().message);
    return std::move(parsed).value();
}

DomainXml loadDomain(const std::string& file) {
    return parseOrFail(readDataFile(file));
}

// An independent look at the document: Poco's DOM directly, not through DomainXml.
Poco::AutoPtr<Poco::XML::Document> independentParse(const std::string& xml) {
    Poco::XML::DOMParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, false);
    return parser.parseString(xml);
}

std::string serialize(const Poco::XML::Node& node) {
    std::ostringstream text;
    Poco::XML::DOMWriter().writeNode(text, &node);
    return text.str();
}

// Every child element of <devices>, serialized, in document order.
std::vector<std::string> deviceSnapshots(const std::string& xml) {
    const auto document = independentParse(xml);
    std::vector<std::string> devices;
    const Poco::XML::Element* parent = document->documentElement()->getChildElement("devices");
    for (const Poco::XML::Node* node = parent->firstChild(); node != nullptr; node = node->nextSibling()) {
        if (node->nodeType() == Poco::XML::Node::ELEMENT_NODE) devices.push_back(serialize(*node));
    }
    return devices;
}

std::vector<std::string> withoutIndex(std::vector<std::string> items, std::size_t index) {
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(index));
    return items;
}

std::size_t indexContaining(const std::vector<std::string>& items, const std::string& text) {
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].find(text) != std::string::npos) return i;
    }
    FAIL("no device contains " << text);
    return items.size();
}

std::size_t countOf(const std::string& text, const std::string& needle) {
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
    return count;
}

constexpr const char* minimalDomain = R"(<domain type='kvm'>
  <name>mini</name>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
  </devices>
</domain>)";

std::string domainWithHostdevAddress(const std::string& attributes) {
    return "<domain type='kvm'><name>h</name><devices><hostdev mode='subsystem' type='pci' managed='yes'>"
           "<source><address " +
           attributes + "/></source></hostdev></devices></domain>";
}

}  // namespace

// ---- reading ----------------------------------------------------------------------------------

TEST_CASE("DomainXml reads identity of a live KVM fax server", "[hypervisor][domainxml]") {
    const auto domain = loadDomain("domain-fax-kvm-live.xml");
    CHECK(domain.name() == "fax-01");
    CHECK(domain.uuid() == "6f0a3c7e-2b1d-4d8a-9a4e-5c1f0e2b7d31");
    CHECK(domain.type() == "kvm");
}

TEST_CASE("DomainXml reads the Brooktrout PCI hostdev source, not its guest address", "[hypervisor][domainxml]") {
    const auto hostdevs = loadDomain("domain-fax-kvm-live.xml").pciHostdevs();
    REQUIRE(hostdevs.size() == 1);
    CHECK(hostdevs[0].source.toString() == "0000:03:00.0");
    CHECK(hostdevs[0].managed);
}

TEST_CASE("DomainXml reads an unmanaged PCI hostdev", "[hypervisor][domainxml]") {
    const auto hostdevs = loadDomain("domain-fax-local-storage.xml").pciHostdevs();
    REQUIRE(hostdevs.size() == 1);
    CHECK(hostdevs[0].source.toString() == "0000:04:00.0");
    CHECK_FALSE(hostdevs[0].managed);
}

TEST_CASE("DomainXml reads file, network and cdrom disks", "[hypervisor][domainxml]") {
    const auto disks = loadDomain("domain-fax-kvm-live.xml").disks();
    REQUIRE(disks.size() == 3);

    CHECK(disks[0].type == "file");
    CHECK(disks[0].device == "disk");
    CHECK(disks[0].sourcePath == "/srv/vmstore/fax-01/system.qcow2");
    CHECK(disks[0].target == "vda");
    CHECK_FALSE(disks[0].readOnly);

    CHECK(disks[1].type == "network");
    CHECK(disks[1].sourcePath == "rbd:faxpool/fax-01-spool");
    CHECK(disks[1].target == "vdb");

    CHECK(disks[2].device == "cdrom");
    CHECK(disks[2].sourcePath == "/var/lib/libvirt/images/virtio-win-0.1.240.iso");
    CHECK(disks[2].target == "hda");
    CHECK(disks[2].readOnly);
}

TEST_CASE("DomainXml reads block, shareable, lun and empty cdrom disks", "[hypervisor][domainxml]") {
    const auto disks = loadDomain("domain-fax-local-storage.xml").disks();
    REQUIRE(disks.size() == 5);
    CHECK(disks[0].type == "block");
    CHECK(disks[0].sourcePath == "/dev/vg_fax/fax-02-system");
    CHECK(disks[2].shareable);
    CHECK_FALSE(disks[1].shareable);
    CHECK(disks[3].device == "lun");
    CHECK(disks[3].target == "sda");
    CHECK(disks[4].device == "cdrom");
    CHECK(disks[4].sourcePath.empty());
}

TEST_CASE("DomainXml fills in libvirt's defaults for a disk without type or device", "[hypervisor][domainxml]") {
    const auto domain = parseOrFail(
        "<domain type='kvm'><name>d</name><devices><disk><source file='/var/lib/libvirt/images/d.img'/>"
        "<target dev='vda'/></disk></devices></domain>");
    REQUIRE(domain.disks().size() == 1);
    CHECK(domain.disks()[0].type == "file");
    CHECK(domain.disks()[0].device == "disk");
    CHECK(domain.disks()[0].sourcePath == "/var/lib/libvirt/images/d.img");
}

TEST_CASE("DomainXml lists virtio channels of every backend", "[hypervisor][domainxml]") {
    const auto channels = loadDomain("domain-fax-local-storage.xml").virtioChannels();
    REQUIRE(channels.size() == 2);
    CHECK(channels[0].name == "org.qemu.guest_agent.0");
    CHECK(channels[0].sourcePath.empty());  // libvirt chooses it at start
    CHECK(channels[1].name == "com.redhat.spice.0");
}

TEST_CASE("DomainXml reads the socket path of a live virtio channel", "[hypervisor][domainxml]") {
    const auto channels = loadDomain("domain-lab-tcg-live.xml").virtioChannels();
    REQUIRE(channels.size() == 1);
    CHECK(channels[0].name == "org.faxover.agent.0");
    CHECK(channels[0].sourcePath == "/var/lib/libvirt/qemu/channel/target/domain-1-faxlab-linux/org.faxover.agent.0");
}

TEST_CASE("DomainXml reads the watchdog and the file serial port", "[hypervisor][domainxml]") {
    const auto domain = loadDomain("domain-fax-kvm-live.xml");
    const auto watchdog = domain.watchdog();
    REQUIRE(watchdog.has_value());
    CHECK(watchdog->model == "i6300esb");
    CHECK(watchdog->action == "reset");
    CHECK(domain.serialFilePath() == "/var/log/faxover/fax-01.serial.log");
}

TEST_CASE("DomainXml reports no watchdog and no file serial when there are none", "[hypervisor][domainxml]") {
    const auto domain = loadDomain("domain-fax-local-storage.xml");  // pty serial, no watchdog
    CHECK_FALSE(domain.watchdog().has_value());
    CHECK(domain.serialFilePath().empty());
}

TEST_CASE("DomainXml reads the lab's TCG guest", "[hypervisor][domainxml]") {
    const auto domain = loadDomain("domain-lab-tcg-live.xml");
    CHECK(domain.type() == "qemu");
    CHECK(domain.name() == "faxlab-linux");
    CHECK(domain.pciHostdevs().empty());
    CHECK(domain.disks().empty());
    CHECK(domain.serialFilePath() == "/var/lib/libvirt/qemu/faxlab-linux.console");
}

// ---- PCI address attributes -------------------------------------------------------------------

TEST_CASE("DomainXml reads hostdev address attributes in hex and in decimal", "[hypervisor][domainxml]") {
    const auto hex = parseOrFail(domainWithHostdevAddress("domain='0x0000' bus='0x03' slot='0x00' function='0x0'"));
    const auto decimal = parseOrFail(domainWithHostdevAddress("domain='0' bus='3' slot='0' function='0'"));
    const auto bigHex = parseOrFail(domainWithHostdevAddress("domain='0x0000' bus='0x81' slot='0x1f' function='0x7'"));
    CHECK(hex.pciHostdevs().at(0).source.toString() == "0000:03:00.0");
    CHECK(decimal.pciHostdevs().at(0).source.toString() == "0000:03:00.0");
    CHECK(bigHex.pciHostdevs().at(0).source.toString() == "0000:81:1f.7");
}

TEST_CASE("DomainXml reads a leading 0 as octal, as libvirt's strtoul base 0 does", "[hypervisor][domainxml]") {
    const auto domain = parseOrFail(domainWithHostdevAddress("domain='0' bus='010' slot='0' function='0'"));
    CHECK(domain.pciHostdevs().at(0).source.bus == 8);
}

TEST_CASE("DomainXml treats a missing hostdev address attribute as 0, as libvirt does", "[hypervisor][domainxml]") {
    const auto domain = parseOrFail(domainWithHostdevAddress("bus='0x03' slot='0x00' function='0x0'"));
    CHECK(domain.pciHostdevs().at(0).source.toString() == "0000:03:00.0");
}

TEST_CASE("DomainXml rejects a hostdev address that is out of range or not a number", "[hypervisor][domainxml]") {
    const std::string attributes = GENERATE(
        as<std::string>{}, "domain='0x0000' bus='0x100' slot='0x00' function='0x0'",
        "domain='0x0000' bus='0x03' slot='0x20' function='0x0'",
        "domain='0x0000' bus='0x03' slot='0x00' function='0x8'", "domain='0x0000' bus='zz' slot='0x00' function='0x0'",
        "domain='0x0000' bus='0x' slot='0x00' function='0x0'", "domain='0x0000' bus='-1' slot='0x00' function='0x0'",
        "domain='0x0000' bus='09' slot='0x00' function='0x0'");
    INFO(attributes);
    const auto parsed = DomainXml::parse(domainWithHostdevAddress(attributes));
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(parsed.error().message, Contains("PCI address"));
}

TEST_CASE("DomainXml rejects a PCI hostdev without a source address", "[hypervisor][domainxml]") {
    const auto parsed = DomainXml::parse(
        "<domain type='kvm'><name>h</name><devices><hostdev mode='subsystem' type='pci'><source/></hostdev>"
        "</devices></domain>");
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
}

TEST_CASE("DomainXml rejects a hostdev interface whose PCI source is not a number", "[hypervisor][domainxml]") {
    const auto parsed = DomainXml::parse(
        "<domain type='kvm'><name>vf</name><devices><interface type='hostdev' managed='yes'><source>"
        "<address type='pci' domain='0x0000' bus='0xzz' slot='0x02' function='0x1'/></source></interface>"
        "</devices></domain>");
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(parsed.error().message, Contains("bus='0xzz'"));
}

TEST_CASE("DomainXml ignores interfaces that are not hostdevs and hostdev interfaces without a PCI source",
          "[hypervisor][domainxml]") {
    const auto domain = parseOrFail(
        "<domain type='kvm'><name>n</name><devices>"
        "<interface type='network'><source network='default'/><address type='pci' bus='0x00' slot='0x03'/></interface>"
        "<interface type='hostdev'><source><address type='usb' bus='1' device='2'/></source></interface>"
        "</devices></domain>");
    CHECK(domain.pciHostdevInterfaces().empty());
    CHECK(domain.pciHostdevs().empty());
}

TEST_CASE("DomainXml ignores USB hostdevs when listing PCI hostdevs", "[hypervisor][domainxml]") {
    const auto domain = parseOrFail(
        "<domain type='kvm'><name>u</name><devices><hostdev mode='subsystem' type='usb' managed='yes'>"
        "<source><vendor id='0x0bda'/><product id='0x8153'/></source></hostdev></devices></domain>");
    CHECK(domain.pciHostdevs().empty());
}

// ---- parse errors -----------------------------------------------------------------------------

TEST_CASE("DomainXml reports malformed XML with line and column", "[hypervisor][domainxml]") {
    const auto parsed = DomainXml::parse("<domain type='kvm'>\n  <name>x</nam>\n</domain>\n");
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
    CHECK(parsed.error().message == "domain XML line 2 column 12: Tag mismatch");
}

TEST_CASE("DomainXml reports an unclosed element at the end of input", "[hypervisor][domainxml]") {
    const auto parsed = DomainXml::parse("<domain type='kvm'>\n  <name>x</name>\n  <devices>\n");
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(parsed.error().message, Catch::Matchers::StartsWith("domain XML line 4 column 1: "));
}

TEST_CASE("DomainXml reports an invalid token with its position", "[hypervisor][domainxml]") {
    const auto parsed = DomainXml::parse("<domain type='kvm'>\n  <name>a < b</name>\n</domain>");
    REQUIRE(parsed.has_error());
    CHECK_THAT(parsed.error().message, Catch::Matchers::StartsWith("domain XML line 2 column "));
    CHECK_THAT(parsed.error().message, !Contains(" in line "));  // Poco's own suffix is not repeated
}

TEST_CASE("DomainXml rejects empty input", "[hypervisor][domainxml]") {
    const auto parsed = DomainXml::parse(std::string_view{});
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(parsed.error().message, Catch::Matchers::StartsWith("domain XML line 1 column 1: "));
}

TEST_CASE("DomainXml rejects a document whose root is not <domain>", "[hypervisor][domainxml]") {
    const auto parsed = DomainXml::parse(readDataFile("nodedev-intel-ahci.xml"));
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(parsed.error().message, Contains("<device>"));
}

TEST_CASE("DomainXml rejects a domain without <name>", "[hypervisor][domainxml]") {
    const auto parsed = DomainXml::parse("<domain type='kvm'><devices/></domain>");
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
}

TEST_CASE("DomainXml does not resolve external entities", "[hypervisor][domainxml]") {
    const auto parsed = DomainXml::parse(
        "<!DOCTYPE domain [<!ENTITY secret SYSTEM 'file:///etc/hostname'>]>\n"
        "<domain type='kvm'><name>&secret;</name></domain>");
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(parsed.error().message, Contains("external entity"));
}

// ---- faithful round trips ---------------------------------------------------------------------

TEST_CASE("DomainXml toString keeps every device, extension namespace and comment", "[hypervisor][domainxml]") {
    const std::string original = readDataFile("domain-fax-kvm-live.xml");
    const std::string text = loadDomain("domain-fax-kvm-live.xml").toString();
    CHECK(deviceSnapshots(text) == deviceSnapshots(original));
    CHECK_THAT(text, Contains("xmlns:qemu=\"http://libvirt.org/schemas/domain/qemu/1.0\""));
    CHECK_THAT(text, Contains("<qemu:arg value=\"PIIX4_PM.disable_s3=1\"/>"));
    CHECK_THAT(text, Contains("<libosinfo:os id=\"http://microsoft.com/win/2k19\"/>"));
    CHECK_THAT(text, Contains("<label>+64055:+994</label>"));
    CHECK_THAT(loadDomain("domain-fax-local-storage.xml").toString(), Contains("virsh edit fax-02"));
}

TEST_CASE("DomainXml toString is stable across parse cycles", "[hypervisor][domainxml]") {
    const std::string file = GENERATE(as<std::string>{}, "domain-fax-kvm-live.xml", "domain-lab-tcg-live.xml",
                                      "domain-fax-local-storage.xml");
    const std::string once = loadDomain(file).toString();
    CHECK(parseOrFail(once).toString() == once);
}

TEST_CASE("DomainXml parses a file with an XML declaration and a leading comment", "[hypervisor][domainxml]") {
    const auto domain =
        parseOrFail("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- lab guest -->\n" + std::string(minimalDomain));
    CHECK(domain.name() == "mini");
    CHECK_THAT(domain.toString(), Contains("<!-- lab guest -->"));
}

// ---- name and uuid ----------------------------------------------------------------------------

TEST_CASE("DomainXml setName escapes markup characters", "[hypervisor][domainxml]") {
    auto domain = loadDomain("domain-lab-tcg-live.xml");
    domain.setName("fax<&>'\"01");
    const auto reparsed = parseOrFail(domain.toString());
    CHECK(reparsed.name() == "fax<&>'\"01");
    CHECK(deviceSnapshots(domain.toString()) == deviceSnapshots(readDataFile("domain-lab-tcg-live.xml")));
}

TEST_CASE("DomainXml setUuid replaces, removes and re-adds the uuid", "[hypervisor][domainxml]") {
    auto domain = loadDomain("domain-fax-kvm-live.xml");
    domain.setUuid("00000000-1111-2222-3333-444444444444");
    CHECK(parseOrFail(domain.toString()).uuid() == "00000000-1111-2222-3333-444444444444");

    domain.setUuid("");
    CHECK(domain.uuid().empty());
    CHECK_THAT(domain.toString(), !Contains("<uuid>"));

    domain.setUuid("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    const auto document = independentParse(domain.toString());
    const Poco::XML::Element* name = document->documentElement()->getChildElement("name");
    const Poco::XML::Node* afterName = name->nextSibling();
    while (afterName->nodeType() != Poco::XML::Node::ELEMENT_NODE) afterName = afterName->nextSibling();
    CHECK(afterName->nodeName() == "uuid");  // where libvirt puts it
    CHECK(parseOrFail(domain.toString()).uuid() == "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
}

// ---- PCI hostdev rewrite ----------------------------------------------------------------------

TEST_CASE("DomainXml rewrites a hostdev source and leaves every other device alone", "[hypervisor][domainxml]") {
    const std::string original = readDataFile("domain-fax-kvm-live.xml");
    auto domain = parseOrFail(original);
    REQUIRE(domain.rewritePciHostdevSource(PciAddress{0, 0x03, 0, 0}, PciAddress{0, 0x81, 0x1e, 1}).has_value());

    const std::string text = domain.toString();
    const auto reparsed = parseOrFail(text);
    REQUIRE(reparsed.pciHostdevs().size() == 1);
    CHECK(reparsed.pciHostdevs()[0].source.toString() == "0000:81:1e.1");
    CHECK(reparsed.pciHostdevs()[0].managed);

    const auto before = deviceSnapshots(original);
    const auto after = deviceSnapshots(text);
    REQUIRE(after.size() == before.size());
    const auto hostdev = indexContaining(before, "<hostdev");
    CHECK(indexContaining(after, "<hostdev") == hostdev);
    CHECK(withoutIndex(after, hostdev) == withoutIndex(before, hostdev));
    // libvirt's spelling, and the guest-side address (slot 0x07) is untouched
    CHECK_THAT(after[hostdev], Contains("<address bus=\"0x81\" domain=\"0x0000\" function=\"0x1\" slot=\"0x1e\"/>"));
    CHECK_THAT(after[hostdev], Contains("slot=\"0x07\""));
}

TEST_CASE("DomainXml rewriting a hostdev that does not exist is NoSuchDevice", "[hypervisor][domainxml]") {
    auto domain = loadDomain("domain-fax-kvm-live.xml");
    const std::string before = domain.toString();
    const auto result = domain.rewritePciHostdevSource(PciAddress{0, 0x07, 0, 0}, PciAddress{0, 0x08, 0, 0});
    REQUIRE(result.has_error());
    CHECK(result.error().kind == ErrorKind::NoSuchDevice);
    CHECK_THAT(result.error().message, Contains("0000:07:00.0"));
    CHECK(domain.toString() == before);
}

TEST_CASE("DomainXml does not take a hostdev's guest address for its source", "[hypervisor][domainxml]") {
    auto domain = loadDomain("domain-fax-kvm-live.xml");  // guest side is 0000:00:07.0
    const auto result = domain.rewritePciHostdevSource(PciAddress{0, 0, 0x07, 0}, PciAddress{0, 0x08, 0, 0});
    REQUIRE(result.has_error());
    CHECK(result.error().kind == ErrorKind::NoSuchDevice);
}

TEST_CASE("DomainXml refuses to write an out-of-range hostdev source", "[hypervisor][domainxml]") {
    auto domain = loadDomain("domain-fax-kvm-live.xml");
    const auto result = domain.rewritePciHostdevSource(PciAddress{0, 0x03, 0, 0}, PciAddress{0, 0x03, 0x20, 0});
    REQUIRE(result.has_error());
    CHECK(result.error().kind == ErrorKind::InvalidArgument);
    CHECK(domain.pciHostdevs().at(0).source.toString() == "0000:03:00.0");
}

// ---- virtio channels --------------------------------------------------------------------------

TEST_CASE("DomainXml adds a virtio channel after the existing channels", "[hypervisor][domainxml]") {
    const std::string original = readDataFile("domain-fax-kvm-live.xml");
    auto domain = parseOrFail(original);
    REQUIRE(domain.addVirtioChannel("org.faxover.agent.1", "/run/faxover/fax-01.agent.1.sock").has_value());

    const std::string text = domain.toString();
    const auto channels = parseOrFail(text).virtioChannels();
    REQUIRE(channels.size() == 3);
    CHECK(channels[2].name == "org.faxover.agent.1");
    CHECK(channels[2].sourcePath == "/run/faxover/fax-01.agent.1.sock");

    const auto before = deviceSnapshots(original);
    const auto after = deviceSnapshots(text);
    REQUIRE(after.size() == before.size() + 1);
    const auto added = indexContaining(after, "org.faxover.agent.1");
    CHECK(added == indexContaining(before, "org.faxover.agent.0") + 1);
    CHECK(withoutIndex(after, added) == before);
    CHECK_THAT(after[added], Contains("<channel type=\"unix\">"));
    CHECK_THAT(after[added], Contains("mode=\"bind\""));
    CHECK_THAT(after[added], Contains("type=\"virtio\""));
    // on a line of its own, indented like its neighbours
    CHECK(countOf(text, "\n    <channel") == 3);
}

TEST_CASE("DomainXml adds a virtio channel without a path for libvirt to choose", "[hypervisor][domainxml]") {
    auto domain = loadDomain("domain-lab-tcg-live.xml");
    REQUIRE(domain.addVirtioChannel("org.qemu.guest_agent.0").has_value());
    const auto channels = parseOrFail(domain.toString()).virtioChannels();
    REQUIRE(channels.size() == 2);
    CHECK(channels[1].name == "org.qemu.guest_agent.0");
    CHECK(channels[1].sourcePath.empty());
}

TEST_CASE("DomainXml adding a virtio channel that exists is OperationInvalid", "[hypervisor][domainxml]") {
    auto domain = loadDomain("domain-fax-kvm-live.xml");
    const std::string before = domain.toString();
    const auto result = domain.addVirtioChannel("org.faxover.agent.0", "/tmp/other.sock");
    REQUIRE(result.has_error());
    CHECK(result.error().kind == ErrorKind::OperationInvalid);
    CHECK_THAT(result.error().message, Contains("org.faxover.agent.0"));
    CHECK(domain.toString() == before);
}

TEST_CASE("DomainXml adding a virtio channel without a name is InvalidArgument", "[hypervisor][domainxml]") {
    auto domain = loadDomain("domain-lab-tcg-live.xml");
    const auto result = domain.addVirtioChannel("");
    REQUIRE(result.has_error());
    CHECK(result.error().kind == ErrorKind::InvalidArgument);
}

TEST_CASE("DomainXml adds a channel to a domain that has no <devices>", "[hypervisor][domainxml]") {
    auto domain = parseOrFail("<domain type='qemu'>\n  <name>bare</name>\n  <memory>65536</memory>\n</domain>");
    REQUIRE(domain.addVirtioChannel("org.faxover.agent.0").has_value());
    const auto reparsed = parseOrFail(domain.toString());
    REQUIRE(reparsed.virtioChannels().size() == 1);
    CHECK(reparsed.virtioChannels()[0].name == "org.faxover.agent.0");
}

TEST_CASE("DomainXml removes a virtio channel and nothing else", "[hypervisor][domainxml]") {
    const std::string original = readDataFile("domain-fax-kvm-live.xml");
    auto domain = parseOrFail(original);
    REQUIRE(domain.removeVirtioChannel("org.qemu.guest_agent.0").has_value());

    const std::string text = domain.toString();
    const auto channels = parseOrFail(text).virtioChannels();
    REQUIRE(channels.size() == 1);
    CHECK(channels[0].name == "org.faxover.agent.0");
    const auto before = deviceSnapshots(original);
    CHECK(deviceSnapshots(text) == withoutIndex(before, indexContaining(before, "org.qemu.guest_agent.0")));
    CHECK_THAT(text, !Contains("\n    \n"));  // its line went with it
}

TEST_CASE("DomainXml removing a virtio channel that does not exist is NoSuchDevice", "[hypervisor][domainxml]") {
    auto domain = loadDomain("domain-fax-kvm-live.xml");
    const auto result = domain.removeVirtioChannel("org.faxover.agent.9");
    REQUIRE(result.has_error());
    CHECK(result.error().kind == ErrorKind::NoSuchDevice);
}

// ---- watchdog ---------------------------------------------------------------------------------

TEST_CASE("DomainXml adds a watchdog to a domain without one", "[hypervisor][domainxml]") {
    const std::string original = readDataFile("domain-lab-tcg-live.xml");
    auto domain = parseOrFail(original);
    domain.setWatchdog(Watchdog{"i6300esb", "poweroff"});

    const std::string text = domain.toString();
    const auto watchdog = parseOrFail(text).watchdog();
    REQUIRE(watchdog.has_value());
    CHECK(watchdog->model == "i6300esb");
    CHECK(watchdog->action == "poweroff");
    const auto before = deviceSnapshots(original);
    const auto after = deviceSnapshots(text);
    REQUIRE(after.size() == before.size() + 1);
    CHECK(withoutIndex(after, indexContaining(after, "<watchdog")) == before);
}

TEST_CASE("DomainXml replaces the watchdog's action in place, keeping its address", "[hypervisor][domainxml]") {
    const std::string original = readDataFile("domain-fax-kvm-live.xml");
    auto domain = parseOrFail(original);
    domain.setWatchdog(Watchdog{"i6300esb", "inject-nmi"});

    const std::string text = domain.toString();
    CHECK(parseOrFail(text).watchdog()->action == "inject-nmi");
    const auto before = deviceSnapshots(original);
    const auto after = deviceSnapshots(text);
    REQUIRE(after.size() == before.size());
    const auto watchdog = indexContaining(before, "<watchdog");
    CHECK(indexContaining(after, "<watchdog") == watchdog);
    CHECK(withoutIndex(after, watchdog) == withoutIndex(before, watchdog));
    CHECK_THAT(after[watchdog], Contains("slot=\"0x08\""));
}

TEST_CASE("DomainXml replacing the watchdog model drops the old model's address", "[hypervisor][domainxml]") {
    auto domain = loadDomain("domain-fax-kvm-live.xml");
    domain.setWatchdog(Watchdog{"ib700", "reset"});
    const auto after = deviceSnapshots(domain.toString());
    const auto watchdog = after[indexContaining(after, "<watchdog")];
    CHECK_THAT(watchdog, Contains("model=\"ib700\""));
    CHECK_THAT(watchdog, !Contains("<address"));
    CHECK_THAT(watchdog, Contains("<alias name=\"watchdog0\"/>"));
}

TEST_CASE("DomainXml removes the watchdog, then reports NoSuchDevice", "[hypervisor][domainxml]") {
    const std::string original = readDataFile("domain-fax-kvm-live.xml");
    auto domain = parseOrFail(original);
    REQUIRE(domain.removeWatchdog().has_value());
    CHECK_FALSE(domain.watchdog().has_value());
    const auto before = deviceSnapshots(original);
    CHECK(deviceSnapshots(domain.toString()) == withoutIndex(before, indexContaining(before, "<watchdog")));

    const auto again = domain.removeWatchdog();
    REQUIRE(again.has_error());
    CHECK(again.error().kind == ErrorKind::NoSuchDevice);
}

// ---- serial file ------------------------------------------------------------------------------

TEST_CASE("DomainXml moves the serial file together with libvirt's console mirror", "[hypervisor][domainxml]") {
    auto domain = loadDomain("domain-fax-kvm-live.xml");
    REQUIRE(domain.setSerialFilePath("/var/log/faxover/fax-01b.serial.log").has_value());
    const std::string text = domain.toString();
    CHECK(parseOrFail(text).serialFilePath() == "/var/log/faxover/fax-01b.serial.log");
    CHECK(countOf(text, "path=\"/var/log/faxover/fax-01b.serial.log\"") == 2);  // <serial> and <console>
    CHECK_THAT(text, !Contains("fax-01.serial.log"));
}

TEST_CASE("DomainXml sets the serial file of a guest without a console element", "[hypervisor][domainxml]") {
    auto domain = parseOrFail(
        "<domain type='qemu'><name>faxlab-linux</name><devices><serial type='file'>"
        "<source path='/var/lib/libvirt/qemu/faxlab-linux.console'/><target port='0'/></serial></devices></domain>");
    REQUIRE(domain.setSerialFilePath("/var/lib/libvirt/qemu/copy-2.console").has_value());
    CHECK(parseOrFail(domain.toString()).serialFilePath() == "/var/lib/libvirt/qemu/copy-2.console");
}

TEST_CASE("DomainXml setting a serial file without a file serial is NoSuchDevice", "[hypervisor][domainxml]") {
    auto domain = loadDomain("domain-fax-local-storage.xml");  // pty serial
    const auto result = domain.setSerialFilePath("/var/log/faxover/fax-02.serial.log");
    REQUIRE(result.has_error());
    CHECK(result.error().kind == ErrorKind::NoSuchDevice);
}

TEST_CASE("DomainXml setting an empty serial file path is InvalidArgument", "[hypervisor][domainxml]") {
    auto domain = loadDomain("domain-fax-kvm-live.xml");
    const auto result = domain.setSerialFilePath("");
    REQUIRE(result.has_error());
    CHECK(result.error().kind == ErrorKind::InvalidArgument);
    CHECK(domain.serialFilePath() == "/var/log/faxover/fax-01.serial.log");
}

// ---- ownership --------------------------------------------------------------------------------

TEST_CASE("DomainXml can be moved and keeps its document", "[hypervisor][domainxml]") {
    auto first = loadDomain("domain-fax-kvm-live.xml");
    DomainXml second = std::move(first);
    CHECK(second.name() == "fax-01");
    first = loadDomain("domain-lab-tcg-live.xml");
    second = std::move(first);
    CHECK(second.name() == "faxlab-linux");
}

TEST_CASE("domain memory is read in KiB whatever unit the XML uses", "[hypervisor][domainxml]") {
    const auto memoryOf = [](const std::string& memoryElement) {
        auto xml = DomainXml::parse("<domain type='kvm'><name>m</name>" + memoryElement + "</domain>");
        REQUIRE(xml);
        return xml.value().memoryKiB();
    };
    CHECK(memoryOf("<memory unit='KiB'>131072</memory>") == 131072);
    CHECK(memoryOf("<memory>2048</memory>") == 2048);
    CHECK(memoryOf("<memory unit='MiB'>128</memory>") == 131072);
    CHECK(memoryOf("<memory unit='G'>2</memory>") == 2097152);
    CHECK(memoryOf("<memory unit='MB'>1</memory>") == 976);  // decimal megabyte, truncated to KiB
    CHECK(memoryOf("") == 0);
}

TEST_CASE("domain memory with an unknown unit or a bad number is refused at parse", "[hypervisor][domainxml]") {
    auto badUnit = DomainXml::parse("<domain><name>m</name><memory unit='parsecs'>1</memory></domain>");
    REQUIRE_FALSE(badUnit);
    CHECK_THAT(badUnit.error().message, Catch::Contains("parsecs"));
    auto badNumber = DomainXml::parse("<domain><name>m</name><memory>12x</memory></domain>");
    REQUIRE_FALSE(badNumber);
    CHECK_THAT(badNumber.error().message, Catch::Contains("12x"));
    // 2^24 TiB is 2^64 bytes: one past what libvirt accepts, and it must not wrap to 0.
    auto tooLarge = DomainXml::parse("<domain><name>m</name><memory unit='TiB'>16777216</memory></domain>");
    REQUIRE_FALSE(tooLarge);
    CHECK_THAT(tooLarge.error().message, Catch::Contains("too large"));
}

TEST_CASE("a malformed vcpu count is refused at parse", "[hypervisor][domainxml]") {
    for (const char* bad : {"4x", "abc", "0", "-1", ""}) {
        INFO(bad);
        auto parsed = DomainXml::parse(std::string("<domain><name>v</name><vcpu>") + bad + "</vcpu></domain>");
        REQUIRE_FALSE(parsed);
        CHECK_THAT(parsed.error().message, Catch::Contains("<vcpu>"));
    }
}

TEST_CASE("vcpu count is read, defaulting to one", "[hypervisor][domainxml]") {
    auto four = DomainXml::parse("<domain><name>v</name><vcpu placement='static'>4</vcpu></domain>");
    REQUIRE(four);
    CHECK(four.value().vcpus() == 4);
    auto none = DomainXml::parse("<domain><name>v</name></domain>");
    REQUIRE(none);
    CHECK(none.value().vcpus() == 1);
}
