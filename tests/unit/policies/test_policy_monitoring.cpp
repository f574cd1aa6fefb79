#include "policy_test_support.h"

using namespace faxover::policy;
using namespace faxover::policy::test;
using namespace std::chrono_literals;

namespace {

// kMinimalPolicy with a monitoring block; its first key is on line 8.
std::string withMonitoring(std::string_view block) {
    return std::string(kMinimalPolicy) + "monitoring:\n" + std::string(block);
}

}  // namespace

TEST_CASE("the two profiles hold their documented numbers", "[policy]") {
    const MonitoringProfile ipfx = ipfxCompatibleProfile();
    CHECK(ipfx.profile == "ipfx-compatible");
    CHECK(ipfx.interval == 2000ms);
    CHECK(ipfx.timeout == 1000ms);
    CHECK(ipfx.warnCount == 5);
    CHECK(ipfx.failoverCount == 15);
    CHECK(ipfx.failoverCountAfterRestart == 30);

    const MonitoringProfile fast = defaultProfile();
    CHECK(fast.profile == "default");
    CHECK(fast.interval == 500ms);
    CHECK(fast.timeout == 400ms);
    CHECK(fast.warnCount == 4);
    CHECK(fast.failoverCount == 7);
    CHECK(fast.failoverCountAfterRestart == 14);
    CHECK(fast == MonitoringProfile{});
}

TEST_CASE("the default profile decides within seconds and never on one lost probe", "[policy]") {
    const MonitoringProfile fast = defaultProfile();
    const auto worstDecision = fast.interval * fast.failoverCount + fast.timeout;
    const auto ipfx = ipfxCompatibleProfile();
    CHECK(worstDecision <= 6s);
    CHECK(worstDecision * 5 < ipfx.interval * ipfx.failoverCount);
    CHECK(fast.failoverCount >= 2);
    CHECK(fast.warnCount >= 2);  // not even a warning mail for a single lost probe
}

TEST_CASE("no monitoring block means the default profile, for the cluster and every host", "[policy]") {
    auto policy = loadValid(kMinimalPolicy);
    CHECK(policy.monitoring == defaultProfile());
    CHECK(policy.hosts[0].monitoring == defaultProfile());
}

TEST_CASE("a profile by name, with per-key overrides", "[policy]") {
    auto policy = loadValid(withMonitoring("  profile: ipfx-compatible\n  failover_count: 10\n"));
    MonitoringProfile expected = ipfxCompatibleProfile();
    expected.failoverCount = 10;
    CHECK(policy.monitoring == expected);
    CHECK(policy.hosts[0].monitoring == expected);
}

TEST_CASE("overrides on the default profile, without naming it", "[policy]") {
    auto policy = loadValid(withMonitoring("  interval: 2s\n  timeout: 1s\n"));
    CHECK(policy.monitoring.profile == "default");
    CHECK(policy.monitoring.interval == 2s);
    CHECK(policy.monitoring.timeout == 1s);
    CHECK(policy.monitoring.failoverCount == 7);
}

TEST_CASE("a host overrides the cluster's monitoring, starting from it or from a named profile", "[policy]") {
    auto policy = loadValid("version: 1\n"
                            "monitoring: {profile: ipfx-compatible}\n"
                            "hosts:\n"
                            "  - {name: near, uri: 'qemu:///system', fence: {method: manual}}\n"
                            "  - {name: far, uri: 'qemu+tcp://far/system', migration_address: far, fence: {method: manual},\n"
                            "     monitoring: {interval: 4s, timeout: 2s}}\n"
                            "  - {name: fast, uri: 'test:///default', fence: {method: manual},\n"
                            "     monitoring: {profile: default, warn_count: 3}}\n");
    CHECK(policy.findHost("near")->monitoring == ipfxCompatibleProfile());
    MonitoringProfile far = ipfxCompatibleProfile();
    far.interval = 4s;
    far.timeout = 2s;
    CHECK(policy.findHost("far")->monitoring == far);
    MonitoringProfile fast = defaultProfile();
    fast.warnCount = 3;
    CHECK(policy.findHost("fast")->monitoring == fast);
    CHECK(policy.monitoring == ipfxCompatibleProfile());
}

TEST_CASE("an unknown profile lists the known ones", "[policy]") {
    CHECK(onlyError(withMonitoring("  profile: ipfx\n")).toString() ==
          "p.yaml:8:12: monitoring.profile: expected one of default, ipfx-compatible; found 'ipfx'");
    CHECK(onlyError(withMonitoring("  profile: defualt\n")).message ==
          "expected one of default, ipfx-compatible; found 'defualt' (did you mean 'default'?)");
}

TEST_CASE("the timeout must be shorter than the interval", "[policy]") {
    CHECK(onlyError(withMonitoring("  interval: 500ms\n  timeout: 500ms\n")).toString() ==
          "p.yaml:9:12: monitoring.timeout: expected a timeout shorter than interval (500ms), so that each probe ends "
          "before the next starts; found 500ms");
    // Only the interval was written: the error is there, against the inherited timeout.
    CHECK(onlyError(withMonitoring("  interval: 300ms\n")).toString() ==
          "p.yaml:8:13: monitoring.interval: expected an interval longer than timeout (400ms), so that each probe "
          "ends before the next starts; found 300ms");
}

TEST_CASE("warning before failover, and never less careful after a restart", "[policy]") {
    CHECK(onlyError(withMonitoring("  warn_count: 7\n")).toString() ==
          "p.yaml:8:15: monitoring.warn_count: expected a warn_count below failover_count (7): the warning comes "
          "before the failover; found 7");
    CHECK(onlyError(withMonitoring("  failover_count: 4\n")).toString() ==
          "p.yaml:8:19: monitoring.failover_count: expected a failover_count above warn_count (4): the warning comes "
          "before the failover; found 4");
    CHECK(onlyError(withMonitoring("  failover_count_after_restart: 6\n")).toString() ==
          "p.yaml:8:33: monitoring.failover_count_after_restart: expected at least failover_count (7): right after a "
          "restart the orchestrator is more careful, never less; found 6");
    CHECK(onlyError(withMonitoring("  profile: ipfx-compatible\n  failover_count: 31\n")).toString() ==
          "p.yaml:9:19: monitoring.failover_count: expected at most failover_count_after_restart (30); found 31");
}

TEST_CASE("counts are positive whole numbers, durations within range", "[policy]") {
    CHECK(onlyError(withMonitoring("  warn_count: 1.5\n")).message == "expected a whole number from 1 to 1000; found '1.5'");
    CHECK(onlyError(withMonitoring("  failover_count_after_restart: 0\n")).key == "monitoring.failover_count_after_restart");
    CHECK(onlyError(withMonitoring("  interval: 50ms\n  timeout: 20ms\n")).key == "monitoring.interval");
    CHECK(onlyError(withMonitoring("  interval: 11m\n")).key == "monitoring.interval");
    CHECK(onlyError(withMonitoring("  timeout: 5ms\n")).message ==
          "expected a duration from 10ms to 10m: a whole number and a unit ms, s, m or h, such as 500ms, 2s or 1m; "
          "found '5ms'");
}

TEST_CASE("a mistake in the cluster's monitoring is reported once, not again for each host", "[policy]") {
    const std::string yaml = "version: 1\n"
                             "monitoring: {interval: 300ms}\n"
                             "hosts:\n"
                             "  - {name: a, uri: 'qemu:///system', fence: {method: manual}}\n"
                             "  - {name: b, uri: 'test:///default', fence: {method: manual}, monitoring: {warn_count: 1}}\n";
    CHECK(errorsOf(yaml) == std::vector<std::string>{
                                "p.yaml:2:24: monitoring.interval: expected an interval longer than timeout (400ms), so "
                                "that each probe ends before the next starts; found 300ms"});
}

TEST_CASE("the planned shutdown policy: conditional and 10 minutes unless said, per host overridable", "[policy]") {
    CHECK(MonitoringProfile{}.shutdownPolicy == ShutdownPolicy::Conditional);
    CHECK(MonitoringProfile{}.shutdownGrace == 10min);
    const std::string yaml = "version: 1\n"
                             "monitoring: {shutdown_policy: freeze, shutdown_grace: 5m}\n"
                             "hosts:\n"
                             "  - {name: a, uri: 'qemu:///system', fence: {method: manual}}\n"
                             "  - {name: b, uri: 'test:///default', fence: {method: manual},\n"
                             "     monitoring: {profile: ipfx-compatible, shutdown_policy: migrate}}\n";
    auto policy = loadValid(yaml);
    CHECK(policy.monitoring.shutdownPolicy == ShutdownPolicy::Freeze);
    CHECK(policy.findHost("a")->monitoring.shutdownPolicy == ShutdownPolicy::Freeze);
    CHECK(policy.findHost("a")->monitoring.shutdownGrace == 5min);
    // Choosing a profile on the host keeps the inherited grace: it is not part of a profile.
    CHECK(policy.findHost("b")->monitoring.shutdownPolicy == ShutdownPolicy::Migrate);
    CHECK(policy.findHost("b")->monitoring.shutdownGrace == 5min);
    CHECK(policy.findHost("b")->monitoring.interval == 2000ms);
}

TEST_CASE("a bad shutdown policy or grace says what is allowed, with its place", "[policy]") {
    CHECK(onlyError(withMonitoring("  shutdown_policy: freez\n")).toString() ==
          "p.yaml:8:20: monitoring.shutdown_policy: expected one of conditional, failover, freeze, migrate; found "
          "'freez' (did you mean 'freeze'?)");
    CHECK(onlyError(withMonitoring("  shutdown_grace: 2d\n")).key == "monitoring.shutdown_grace");
    CHECK(onlyError(withMonitoring("  shutdown_grace: 500ms\n")).key == "monitoring.shutdown_grace");
}
