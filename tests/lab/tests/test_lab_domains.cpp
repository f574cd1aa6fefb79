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

TEST_CASE("an unknown host name is an invalid argument", "[lab][domains]") {
    LabSession session;
    auto info = session.hypervisor->domainInfo("no-such-host", "x");
    REQUIRE_FALSE(info);
    CHECK(info.error().kind == hv::ErrorKind::InvalidArgument);
}
