// The hook's planned shutdown reports (docs/hook.md, "Planned shutdown"): which libvirt calls
// are reported, and as what.
#include "faxover/hook/Config.h"
#include "faxover/hook/HostEvents.h"

#include <catch2/catch.hpp>

using namespace faxover::hook;

namespace {

HookRequest call(const std::string& domain, const std::string& operation, const std::string& sub) {
    HookRequest request;
    request.domain = domain;
    request.operation = operation;
    request.subOperation = sub;
    return request;
}

const SystemShutdown kRunning{false, false};
const SystemShutdown kPoweringOff{true, false};
const SystemShutdown kRebooting{true, true};

}  // namespace

TEST_CASE("host events: libvirtd stopping while the system goes down announces it, with its kind", "[hook]") {
    CHECK(hostEventFor(call("-", "shutdown", "-"), "auto", kRebooting) == HostEventReport{"reboot", ""});
    CHECK(hostEventFor(call("-", "shutdown", "-"), "auto", kPoweringOff) == HostEventReport{"shutdown", ""});
    // libvirtd restarted alone (an upgrade): the host is not going down.
    CHECK_FALSE(hostEventFor(call("-", "shutdown", "-"), "auto", kRunning));
    CHECK(hostEventFor(call("-", "start", "-"), "auto", kRunning) == HostEventReport{"back", ""});
    CHECK_FALSE(hostEventFor(call("-", "reload", "begin"), "auto", kRunning));
}

TEST_CASE("host events: a domain ended is reported only while the host goes down", "[hook]") {
    CHECK(hostEventFor(call("fax-a", "release", "end"), "auto", kRebooting) == HostEventReport{"reboot", "fax-a"});
    CHECK_FALSE(hostEventFor(call("fax-a", "release", "end"), "auto", kRunning));  // an ordinary guest stop
    // "stopped end" comes before the QEMU process is gone: only "release end" proves it ended.
    CHECK_FALSE(hostEventFor(call("fax-a", "stopped", "end"), "auto", kRebooting));
    CHECK_FALSE(hostEventFor(call("fax-a", "prepare", "begin"), "auto", kRebooting));
}

TEST_CASE("host events: an explicit planned_kind says it without systemd (a lab)", "[hook]") {
    CHECK(hostEventFor(call("-", "shutdown", "-"), "reboot", kRunning) == HostEventReport{"reboot", ""});
    CHECK(hostEventFor(call("fax-a", "release", "end"), "shutdown", kRunning) == HostEventReport{"shutdown", "fax-a"});
}

TEST_CASE("hook config: planned_kind is auto, shutdown or reboot", "[hook]") {
    const std::string good = "orchestrator = http://10.0.0.5:8471\nhost = h1\n";
    CHECK(parseConfig(good).value().plannedKind == "auto");
    CHECK(parseConfig(good + "planned_kind = reboot\n").value().plannedKind == "reboot");
    auto bad = parseConfig(good + "planned_kind = halt\n", "hook.conf");
    REQUIRE_FALSE(bad);
    CHECK(bad.error() == "hook.conf:3: planned_kind: 'halt' must be auto, shutdown or reboot");
}
