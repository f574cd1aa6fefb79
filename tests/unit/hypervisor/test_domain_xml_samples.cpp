// DomainXml on domain XML that libvirt 9.0 itself wrote (tests/unit/data/libvirt-9.0/README.md):
// PCI hostdevs of every shape a fax board comes in, and the one edit a cold move makes to them.
#include "faxover/hypervisor/DomainXml.h"

#include <Poco/DOM/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/DOMWriter.h>
#include <Poco/DOM/Document.h>
#include <Poco/SAX/XMLReader.h>
#include <catch2/catch.hpp>

#include "TestData.h"

#include <cstdio>
#include <sstream>

using namespace faxover::hv;
using Catch::Matchers::Contains;
using Kind = MigrationBlocker::Kind;

namespace {

std::string sample(const std::string& name) { return faxover::testing::readDataFile("libvirt-9.0/" + name); }

DomainXml parseOrFail(const std::string& xml) {
    auto parsed = DomainXml::parse(xml);
    if (!parsed) FAIL("parse failed: " << parsed.error().message);
    return std::move(parsed).value();
}

// The document as Poco's DOM writes it back: attribute order and quoting no longer matter, every
// element, attribute, text and whitespace node still does.
std::string canonical(const std::string& xml) {
    Poco::XML::DOMParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, false);
    const Poco::AutoPtr<Poco::XML::Document> document = parser.parseString(xml);
    std::ostringstream text;
    Poco::XML::DOMWriter().writeNode(text, document);
    return text.str();
}

// A hostdev's source address exactly as libvirt 9.0 prints it (no type attribute, unlike the
// guest-side <address type='pci'> and an interface's source).
std::string libvirtSourceAddress(const PciAddress& address) {
    char text[96];
    std::snprintf(text, sizeof text, "<address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>",
                  static_cast<unsigned>(address.domain), static_cast<unsigned>(address.bus),
                  static_cast<unsigned>(address.slot), static_cast<unsigned>(address.function));
    return text;
}

std::size_t countOf(const std::string& text, const std::string& needle) {
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
    return count;
}

// What a correct rewrite must produce: libvirt's text with that one source address replaced.
std::string expectedAfterRewrite(std::string original, const PciAddress& from, const PciAddress& to) {
    const std::string oldAddress = libvirtSourceAddress(from);
    REQUIRE(countOf(original, oldAddress) == 1);
    original.replace(original.find(oldAddress), oldAddress.size(), libvirtSourceAddress(to));
    return original;
}

PciAddress pci(std::uint32_t domain, std::uint8_t bus, std::uint8_t slot, std::uint8_t function) {
    return PciAddress{domain, bus, slot, function};
}

struct SampleHostdevs {
    std::string file;
    std::vector<std::string> sources;  // in document order
    std::vector<bool> managed;
};

const std::vector<SampleHostdevs>& samples() {
    static const std::vector<SampleHostdevs> all{
        {"domain-board-managed.xml", {"0000:03:00.0"}, {true}},
        {"domain-board-unmanaged-q35.xml", {"0001:04:00.0"}, {false}},
        {"domain-two-boards-and-usb.xml", {"0000:03:00.0", "0000:81:00.0"}, {true, true}},
        {"domain-board-and-sriov-vf.xml", {"0000:05:00.0"}, {true}},
        {"domain-board-alias-no-managed.xml", {"0000:7e:1f.3"}, {false}},
    };
    return all;
}

// An address on no machine this test runs on, and on none of the samples.
const PciAddress kTargetBoard = pci(0, 0x42, 0x1c, 5);

}  // namespace

// ---- reading ----------------------------------------------------------------------------------

TEST_CASE("pciHostdevs lists each libvirt sample's PCI hostdevs in document order", "[hypervisor][domainxml][samples]") {
    for (const SampleHostdevs& expected : samples()) {
        INFO(expected.file);
        const auto hostdevs = parseOrFail(sample(expected.file)).pciHostdevs();
        std::vector<std::string> sources;
        std::vector<bool> managed;
        for (const PciHostdev& hostdev : hostdevs) {
            sources.push_back(hostdev.source.toString());
            managed.push_back(hostdev.managed);
        }
        CHECK(sources == expected.sources);
        CHECK(managed == expected.managed);
    }
}

TEST_CASE("DomainXml reads each input's hostdevs as libvirt read them", "[hypervisor][domainxml][samples]") {
    // The inputs are as written by hand (one in decimal, one without managed); the samples are
    // libvirt's reading of them. Both must give the same sources and managed flags.
    for (const SampleHostdevs& expected : samples()) {
        INFO(expected.file);
        const auto written = parseOrFail(sample("input/" + expected.file));
        const auto stored = parseOrFail(sample(expected.file));
        REQUIRE(written.pciHostdevs().size() == stored.pciHostdevs().size());
        for (std::size_t i = 0; i < stored.pciHostdevs().size(); ++i) {
            CHECK(written.pciHostdevs()[i].source == stored.pciHostdevs()[i].source);
            CHECK(written.pciHostdevs()[i].managed == stored.pciHostdevs()[i].managed);
        }
        CHECK(written.pciHostdevInterfaces().size() == stored.pciHostdevInterfaces().size());
    }
}

TEST_CASE("an SR-IOV hostdev interface is not a PCI hostdev but is listed apart", "[hypervisor][domainxml][samples]") {
    const auto domain = parseOrFail(sample("domain-board-and-sriov-vf.xml"));
    REQUIRE(domain.pciHostdevInterfaces().size() == 1);
    CHECK(domain.pciHostdevInterfaces()[0].source.toString() == "0000:3b:02.1");
    CHECK(domain.pciHostdevInterfaces()[0].managed);
    for (const PciHostdev& hostdev : domain.pciHostdevs()) CHECK(hostdev.source.toString() != "0000:3b:02.1");
    CHECK(parseOrFail(sample("domain-board-managed.xml")).pciHostdevInterfaces().empty());
}

TEST_CASE("a USB hostdev next to PCI hostdevs is not listed", "[hypervisor][domainxml][samples]") {
    const std::string xml = sample("domain-two-boards-and-usb.xml");
    REQUIRE_THAT(xml, Contains("type='usb'"));
    CHECK(parseOrFail(xml).pciHostdevs().size() == 2);
}

// ---- rewriting --------------------------------------------------------------------------------

TEST_CASE("rewriting each sample's hostdev changes that source address and nothing else", "[hypervisor][domainxml][samples]") {
    for (const SampleHostdevs& expected : samples()) {
        const std::string original = sample(expected.file);
        for (const std::string& source : expected.sources) {
            INFO(expected.file << " hostdev " << source);
            const PciAddress from = PciAddress::parse(source).value();
            auto domain = parseOrFail(original);
            REQUIRE(domain.rewritePciHostdevSource(from, kTargetBoard).has_value());
            const std::string rewritten = domain.toString();
            CHECK(canonical(rewritten) == canonical(expectedAfterRewrite(original, from, kTargetBoard)));

            const auto reparsed = parseOrFail(rewritten);
            std::vector<std::string> sources;
            for (const PciHostdev& hostdev : reparsed.pciHostdevs()) sources.push_back(hostdev.source.toString());
            std::vector<std::string> expectedSources = expected.sources;
            for (std::string& each : expectedSources) {
                if (each == source) each = kTargetBoard.toString();
            }
            CHECK(sources == expectedSources);
            CHECK(parseOrFail(rewritten).toString() == rewritten);  // stable once rewritten
        }
    }
}

TEST_CASE("a rewrite keeps the hostdev's guest address and its driver and rom", "[hypervisor][domainxml][samples]") {
    auto domain = parseOrFail(sample("domain-board-unmanaged-q35.xml"));
    REQUIRE(domain.rewritePciHostdevSource(pci(1, 0x04, 0, 0), pci(0, 0x04, 0, 0)).has_value());
    const std::string text = domain.toString();
    // PCI domain 0x0001 on the host side becomes 0x0000; the guest side was 0x0000 already.
    CHECK_THAT(text, Contains("<address bus=\"0x04\" domain=\"0x0000\" function=\"0x0\" slot=\"0x00\"/>"));
    CHECK_THAT(text, !Contains("domain=\"0x0001\""));
    CHECK_THAT(text, Contains("<address bus=\"0x00\" domain=\"0x0000\" function=\"0x0\" slot=\"0x07\" type=\"pci\"/>"));
    CHECK_THAT(text, Contains("<driver name=\"vfio\"/>"));
    CHECK_THAT(text, Contains("<rom bar=\"off\"/>"));
    CHECK_FALSE(parseOrFail(text).pciHostdevs().at(0).managed);
}

TEST_CASE("rewriting one of two boards leaves the other and the USB hostdev alone", "[hypervisor][domainxml][samples]") {
    const std::string original = sample("domain-two-boards-and-usb.xml");
    auto domain = parseOrFail(original);
    REQUIRE(domain.rewritePciHostdevSource(pci(0, 0x81, 0, 0), kTargetBoard).has_value());
    const auto hostdevs = parseOrFail(domain.toString()).pciHostdevs();
    REQUIRE(hostdevs.size() == 2);
    CHECK(hostdevs[0].source.toString() == "0000:03:00.0");
    CHECK(hostdevs[1].source == kTargetBoard);
    CHECK_THAT(domain.toString(), Contains("<vendor id=\"0x0bda\"/>"));
}

TEST_CASE("rewriting a source no PCI hostdev has is NoSuchDevice and changes nothing", "[hypervisor][domainxml][samples]") {
    const std::string file = GENERATE(as<std::string>{}, "domain-board-managed.xml", "domain-board-and-sriov-vf.xml",
                                      "domain-board-alias-no-managed.xml");
    INFO(file);
    auto domain = parseOrFail(sample(file));
    const std::string before = domain.toString();
    // Guest-side addresses of hostdevs in these samples (00:04.0, 00:09.0), the VF's source, and an
    // address nothing uses.
    for (const PciAddress& absent : {pci(0, 0, 0x04, 0), pci(0, 0, 0x09, 0), pci(0, 0x3b, 0x02, 1), pci(0, 0x55, 0, 0)}) {
        const auto result = domain.rewritePciHostdevSource(absent, kTargetBoard);
        REQUIRE(result.has_error());
        CHECK(result.error().kind == ErrorKind::NoSuchDevice);
        CHECK_THAT(result.error().message, Contains(absent.toString()));
    }
    CHECK(domain.toString() == before);
}

TEST_CASE("rewriting onto a source another hostdev has is refused as libvirt would", "[hypervisor][domainxml][samples]") {
    auto twoBoards = parseOrFail(sample("domain-two-boards-and-usb.xml"));
    const std::string before = twoBoards.toString();
    const auto ontoBoard = twoBoards.rewritePciHostdevSource(pci(0, 0x03, 0, 0), pci(0, 0x81, 0, 0));
    REQUIRE(ontoBoard.has_error());
    CHECK(ontoBoard.error().kind == ErrorKind::OperationInvalid);
    CHECK_THAT(ontoBoard.error().message, Contains("0000:81:00.0"));
    CHECK(twoBoards.toString() == before);

    auto withVf = parseOrFail(sample("domain-board-and-sriov-vf.xml"));
    const auto ontoVf = withVf.rewritePciHostdevSource(pci(0, 0x05, 0, 0), pci(0, 0x3b, 0x02, 1));
    REQUIRE(ontoVf.has_error());
    CHECK(ontoVf.error().kind == ErrorKind::OperationInvalid);
    CHECK_THAT(ontoVf.error().message, Contains("hostdev interface"));
}

TEST_CASE("rewriting a hostdev onto its own source is a no-op", "[hypervisor][domainxml][samples]") {
    const std::string original = sample("domain-board-managed.xml");
    auto domain = parseOrFail(original);
    REQUIRE(domain.rewritePciHostdevSource(pci(0, 0x03, 0, 0), pci(0, 0x03, 0, 0)).has_value());
    CHECK(canonical(domain.toString()) == canonical(original));
}

// ---- live migration ---------------------------------------------------------------------------

TEST_CASE("every PCI hostdev and hostdev interface of a sample blocks live migration", "[hypervisor][domainxml][samples]") {
    const auto twoBoards = assessMigratability(parseOrFail(sample("domain-two-boards-and-usb.xml")), DomainState::Running, {});
    REQUIRE(twoBoards.blockers.size() == 2);  // the USB hostdev does not block
    CHECK(twoBoards.blockers[0].detail == "PCI hostdev 0000:03:00.0 (managed)");
    CHECK(twoBoards.blockers[1].detail == "PCI hostdev 0000:81:00.0 (managed)");

    const auto withVf = assessMigratability(parseOrFail(sample("domain-board-and-sriov-vf.xml")), DomainState::Running, {});
    REQUIRE(withVf.blockers.size() == 2);
    CHECK(withVf.blockers[0].kind == Kind::PciHostdev);
    CHECK(withVf.blockers[0].detail == "PCI hostdev 0000:05:00.0 (managed)");
    CHECK(withVf.blockers[1].kind == Kind::PciHostdev);
    CHECK(withVf.blockers[1].detail == "PCI hostdev 0000:3b:02.1 (network interface, SR-IOV VF)");
}
