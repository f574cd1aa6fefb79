// A service's guest_agent: defaults, values, and errors at the value's file:line:column.
#include "policy_test_support.h"

using namespace faxover::policy;
using namespace faxover::policy::test;
using namespace std::chrono_literals;

namespace {

// kMinimalPolicy and one service whose fourth line (line 10) is `agentLine`.
std::string serviceWith(std::string_view agentLine) {
    return std::string(kMinimalPolicy) + "services:\n  - name: fax1\n    domain: fax1\n" + std::string(agentLine) + "\n";
}

}  // namespace

TEST_CASE("guest_agent: absent means no agent; empty means the defaults", "[policy]") {
    CHECK_FALSE(loadValid(serviceWith("    priority: 50")).services.at(0).guestAgent.has_value());
    const auto defaults = loadValid(serviceWith("    guest_agent: {}")).services.at(0).guestAgent;
    REQUIRE(defaults.has_value());
    CHECK(defaults->channel == "org.faxover.agent.0");
    CHECK(defaults->heartbeatTimeout == 15s);
    CHECK(defaults->maxLinesPerSecond == 20);
}

TEST_CASE("guest_agent: every key read", "[policy]") {
    const auto agent = loadValid(serviceWith("    guest_agent: {channel: com.example.fax_1, heartbeat_timeout: 40s, "
                                             "max_lines_per_second: 5}"))
                           .services.at(0)
                           .guestAgent;
    REQUIRE(agent.has_value());
    CHECK(agent->channel == "com.example.fax_1");
    CHECK(agent->heartbeatTimeout == 40s);
    CHECK(agent->maxLinesPerSecond == 5);
}

TEST_CASE("guest_agent: bad values are pointed at", "[policy]") {
    CHECK(onlyError(serviceWith("    guest_agent: {channel: \"org faxover\"}")).toString() ==
          "p.yaml:10:28: services[0].guest_agent.channel: expected a virtio-serial channel name (letters, digits, "
          "'.', '_', '-'; at most 64 characters), e.g. org.faxover.agent.0; found 'org faxover'");
    const auto timeout = onlyError(serviceWith("    guest_agent: {heartbeat_timeout: 1s}")).toString();
    CHECK_THAT(timeout, Catch::StartsWith("p.yaml:10:38: services[0].guest_agent.heartbeat_timeout: "));
    const auto rate = onlyError(serviceWith("    guest_agent: {max_lines_per_second: 0}")).toString();
    CHECK_THAT(rate, Catch::StartsWith("p.yaml:10:41: services[0].guest_agent.max_lines_per_second: "));
    const auto unknown = onlyError(serviceWith("    guest_agent: {tcp: 192.0.2.10:7450}")).toString();
    CHECK_THAT(unknown, Catch::StartsWith("p.yaml:10:19: services[0].guest_agent.tcp: unknown key; expected one of "
                                                 "channel, heartbeat_timeout, max_lines_per_second"));
    CHECK_THAT(onlyError(serviceWith("    guest_agent: on")).toString(),
               Catch::StartsWith("p.yaml:10:18: services[0].guest_agent: expected a mapping"));
}
