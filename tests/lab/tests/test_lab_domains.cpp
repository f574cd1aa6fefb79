// Domain lifecycle, events and inventory against real libvirtd.
#include "LabTestSupport.h"

using namespace faxover;
using namespace faxover::labtest;

TEST_CASE("lifecycle events arrive typed for start and destroy", "[lab][domains]") {
    LabSession session;
    const std::string host = session.hostName(0);
    auto guest = runGuest(session, host, lab::Guest::Diskless, "labtest-events");
    CHECK(session.events->waitFor(domainEvent(host, "labtest-events", hv::DomainLifecycle::Defined), Duration(5000)));
    CHECK(session.events->waitFor(domainEvent(host, "labtest-events", hv::DomainLifecycle::Started), Duration(5000)));

    REQUIRE(session.hypervisor->destroyDomain(host, "labtest-events"));
    REQUIRE(session.events->waitFor(
        [&](const hv::HypervisorEvent& event) {
            const auto* domain = std::get_if<hv::DomainEvent>(&event);
            return domain && domain->domainName == "labtest-events" &&
                   domain->lifecycle == hv::DomainLifecycle::Stopped && domain->detailText == "destroyed";
        },
        Duration(5000)));
    auto info = session.hypervisor->domainInfo(host, "labtest-events");
    REQUIRE(info);
    CHECK(info.value().state == hv::DomainState::Shutoff);
    CHECK(info.value().reasonText == "destroyed");
}

TEST_CASE("starting a running domain is an invalid operation, not a crash", "[lab][domains]") {
    LabSession session;
    const std::string host = session.hostName(0);
    auto guest = runGuest(session, host, lab::Guest::Diskless, "labtest-twice");
    auto again = session.hypervisor->startDomain(host, "labtest-twice");
    REQUIRE_FALSE(again);
    CHECK(again.error().kind == hv::ErrorKind::OperationInvalid);
    CHECK_THAT(again.error().message, Catch::Contains(host));
}

TEST_CASE("shutdown falls back to destroy when the guest ignores it", "[lab][domains]") {
    LabSession session;
    const std::string host = session.hostName(0);
    // The diskless guest sits in firmware and has no ACPI handler: it never powers off by itself.
    auto guest = runGuest(session, host, lab::Guest::Diskless, "labtest-shutdown");
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(session.hypervisor->shutdownDomain(host, "labtest-shutdown", Duration(1000)));
    CHECK(std::chrono::steady_clock::now() - started >= Duration(1000));
    auto info = session.hypervisor->domainInfo(host, "labtest-shutdown");
    REQUIRE(info);
    CHECK(info.value().state == hv::DomainState::Shutoff);
}

TEST_CASE("defining malformed XML returns libvirt's message as an invalid argument", "[lab][domains]") {
    LabSession session;
    auto defined = session.hypervisor->defineDomain(session.hostName(0), "<domain type='qemu'><name>x</name>");
    REQUIRE_FALSE(defined);
    CHECK(defined.error().libvirtCode != 0);
    CHECK_FALSE(defined.error().message.empty());
}

TEST_CASE("node inventory and PCI listing come from the real host, read-only", "[lab][domains]") {
    LabSession session;
    const std::string host = session.hostName(0);
    auto guest = runGuest(session, host, lab::Guest::Diskless, "labtest-inventory");
    auto inventory = session.hypervisor->nodeInventory(host);
    REQUIRE(inventory);
    CHECK(inventory.value().cpus >= 1);
    CHECK(inventory.value().memoryKiB > inventory.value().freeMemoryKiB);
    CHECK(std::find(inventory.value().runningDomains.begin(), inventory.value().runningDomains.end(),
                    "labtest-inventory") != inventory.value().runningDomains.end());

    auto devices = session.hypervisor->pciDevices(host);
    INFO((devices ? std::string() : devices.error().message));
    REQUIRE(devices);
    REQUIRE_FALSE(devices.value().empty());
    for (const auto& device : devices.value()) {
        CHECK(device.nodeDeviceName == device.address.nodeDeviceName());
        CHECK(device.vendorId != 0);
    }
}

namespace {

// The lab's diskless guest with a VNC display behind a password.
std::string guestWithVncPassword(const std::string& name, const std::string& password) {
    return guestWithDevice(name, [&](Poco::XML::Document& document) {
        Poco::AutoPtr<Poco::XML::Element> graphics = document.createElement("graphics");
        graphics->setAttribute("type", "vnc");
        graphics->setAttribute("autoport", "yes");
        graphics->setAttribute("listen", "127.0.0.1");
        graphics->setAttribute("passwd", password);
        return graphics;
    });
}

}  // namespace

TEST_CASE("the definition read from a running domain is the persistent one with its secrets", "[lab][domains]") {
    // What a cold move or a restart elsewhere defines on the target: QEMU's runtime ids must not
    // travel, and the VNC password must not be lost.
    LabSession session;
    const std::string host = session.hostName(0);
    auto guest = runDomain(session, host, "labtest-definition", guestWithVncPassword("labtest-definition", "s3cr3t!"));
    auto info = session.hypervisor->domainInfo(host, "labtest-definition");
    REQUIRE(info);
    REQUIRE(info.value().active());

    auto xml = session.hypervisor->domainXml(host, "labtest-definition");
    REQUIRE(xml);
    CHECK_THAT(xml.value(), Catch::Contains("s3cr3t!"));
    CHECK_THAT(xml.value(), !Catch::Contains("<alias "));
    Poco::XML::DOMParser parser;
    Poco::AutoPtr<Poco::XML::Document> document = parser.parseString(xml.value());
    CHECK_FALSE(document->documentElement()->hasAttribute("id"));  // a running domain's number on this host

    // Defined on another host as it is, it starts there with the same password.
    const std::string other = session.hostName(1);
    REQUIRE(session.hypervisor->destroyDomain(host, "labtest-definition"));
    REQUIRE(session.hypervisor->defineDomain(other, xml.value()));
    REQUIRE(session.hypervisor->startDomain(other, "labtest-definition"));
    auto there = session.hypervisor->domainXml(other, "labtest-definition");
    REQUIRE(there);
    CHECK_THAT(there.value(), Catch::Contains("s3cr3t!"));
}

TEST_CASE("an unknown host name is an invalid argument", "[lab][domains]") {
    LabSession session;
    auto info = session.hypervisor->domainInfo("no-such-host", "x");
    REQUIRE_FALSE(info);
    CHECK(info.error().kind == hv::ErrorKind::InvalidArgument);
}
