// The mapping from libvirt's error codes to what callers act on. The most important property:
// a lost connection is HostUnreachable, never NoSuchDomain ("VM dead").
#include "libvirt/LibvirtErrors.h"
#include "libvirt/LibvirtNames.h"

#include <catch2/catch.hpp>
#include <libvirt/virterror.h>

using namespace faxover::hv;
using faxover::hv::libvirt::classifyLibvirtError;

TEST_CASE("connection-level libvirt errors map to host unreachable", "[hypervisor][errors]") {
    CHECK(classifyLibvirtError(VIR_ERR_NO_CONNECT, VIR_FROM_NONE) == ErrorKind::HostUnreachable);
    CHECK(classifyLibvirtError(VIR_ERR_INVALID_CONN, VIR_FROM_NONE) == ErrorKind::HostUnreachable);
    CHECK(classifyLibvirtError(VIR_ERR_RPC, VIR_FROM_REMOTE) == ErrorKind::HostUnreachable);
    // "Cannot recv data: Connection reset by peer" and "client socket is closed"
    CHECK(classifyLibvirtError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC) == ErrorKind::HostUnreachable);
    CHECK(classifyLibvirtError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC) == ErrorKind::HostUnreachable);
}

TEST_CASE("domain and device lookups map to their own kinds", "[hypervisor][errors]") {
    CHECK(classifyLibvirtError(VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU) == ErrorKind::NoSuchDomain);
    CHECK(classifyLibvirtError(VIR_ERR_NO_NODE_DEVICE, VIR_FROM_NODEDEV) == ErrorKind::NoSuchDevice);
}

TEST_CASE("state, input, support and migration errors map to their kinds", "[hypervisor][errors]") {
    CHECK(classifyLibvirtError(VIR_ERR_OPERATION_INVALID, VIR_FROM_QEMU) == ErrorKind::OperationInvalid);
    CHECK(classifyLibvirtError(VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN) == ErrorKind::InvalidArgument);
    CHECK(classifyLibvirtError(VIR_ERR_XML_DETAIL, VIR_FROM_XML) == ErrorKind::InvalidArgument);
    CHECK(classifyLibvirtError(VIR_ERR_INVALID_ARG, VIR_FROM_NONE) == ErrorKind::InvalidArgument);
    CHECK(classifyLibvirtError(VIR_ERR_NO_SUPPORT, VIR_FROM_TEST) == ErrorKind::NotSupported);
    CHECK(classifyLibvirtError(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU) == ErrorKind::NotSupported);
    CHECK(classifyLibvirtError(VIR_ERR_OPERATION_ABORTED, VIR_FROM_QEMU) == ErrorKind::Aborted);
    CHECK(classifyLibvirtError(VIR_ERR_OPERATION_TIMEOUT, VIR_FROM_QEMU) == ErrorKind::Timeout);
    CHECK(classifyLibvirtError(VIR_ERR_MIGRATE_UNSAFE, VIR_FROM_QEMU) == ErrorKind::MigrationRefused);
}

TEST_CASE("authentication failures are not mistaken for an unreachable host", "[hypervisor][errors]") {
    CHECK(classifyLibvirtError(VIR_ERR_AUTH_FAILED, VIR_FROM_REMOTE) == ErrorKind::OperationFailed);
}

TEST_CASE("unknown and generic failures map to operation failed", "[hypervisor][errors]") {
    CHECK(classifyLibvirtError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_QEMU) == ErrorKind::OperationFailed);
    CHECK(classifyLibvirtError(VIR_ERR_OPERATION_FAILED, VIR_FROM_QEMU) == ErrorKind::OperationFailed);
    CHECK(classifyLibvirtError(99999, 99999) == ErrorKind::OperationFailed);
}

TEST_CASE("the last libvirt error becomes a typed error naming host and operation", "[hypervisor][errors]") {
    faxover::hv::libvirt::silenceDefaultErrorPrinting();
    // A real libvirt failure: looking up a domain that the test driver does not have.
    virConnectPtr connection = virConnectOpen("test:///default");
    REQUIRE(connection != nullptr);
    REQUIRE(virDomainLookupByName(connection, "no-such-domain") == nullptr);
    const Error error = faxover::hv::libvirt::lastLibvirtError("hostA", "look up domain no-such-domain");
    virConnectClose(connection);
    CHECK(error.kind == ErrorKind::NoSuchDomain);
    CHECK(error.libvirtCode == VIR_ERR_NO_DOMAIN);
    CHECK(error.host == "hostA");
    CHECK_THAT(error.message, Catch::StartsWith("look up domain no-such-domain on hostA: "));
    CHECK_THAT(error.message, Catch::Contains("Domain not found"));  // libvirt's own words, kept
    // The error is consumed: the next read finds none.
    CHECK(virGetLastError() == nullptr);
}

TEST_CASE("libvirt lifecycle events and state reasons get their names", "[hypervisor][errors]") {
    using faxover::hv::libvirt::lifecycleFromLibvirt;
    using faxover::hv::libvirt::stateReasonText;
    const auto migrated = lifecycleFromLibvirt(VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_MIGRATED);
    REQUIRE(migrated);
    CHECK(migrated->lifecycle == DomainLifecycle::Stopped);
    CHECK(migrated->detailText == "migrated");
    const auto crashed = lifecycleFromLibvirt(VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_CRASHED);
    REQUIRE(crashed);
    CHECK(crashed->detailText == "crashed");
    CHECK_FALSE(lifecycleFromLibvirt(1000, 0).has_value());
    CHECK(lifecycleFromLibvirt(VIR_DOMAIN_EVENT_STARTED, 77)->detailText == "reason 77");
    CHECK(stateReasonText(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED) == "destroyed");
    CHECK(stateReasonText(VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_MIGRATED) == "migrated");
    CHECK(stateReasonText(VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_IOERROR) == "I/O error");
}
