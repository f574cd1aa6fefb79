// The `events` section: where the state log goes and which command runs for each alert.
#include "policy_test_support.h"

#include "faxover/policies/PolicyWriter.h"

using namespace faxover::policy;
using namespace faxover::policy::test;

TEST_CASE("events: state log, alert command and its timeout", "[policy]") {
    const Policy policy = loadValid(std::string(kMinimalPolicy) +
                                    "events:\n"
                                    "  state_log: /var/log/faxover/state.log\n"
                                    "  alert_command: [/usr/local/bin/page-admin, --team, fax]\n"
                                    "  alert_timeout: 20s\n");
    CHECK(policy.events.stateLog == "/var/log/faxover/state.log");
    REQUIRE(policy.events.alertCommand);
    CHECK(policy.events.alertCommand->command == "/usr/local/bin/page-admin");
    CHECK(policy.events.alertCommand->arguments == std::vector<std::string>{"--team", "fax"});
    CHECK(policy.events.alertCommand->timeout == std::chrono::seconds(20));
    CHECK(loadValid(formatPolicy(policy)) == policy);
}

TEST_CASE("events: defaults are standard output and no alert command", "[policy]") {
    const Policy none = loadValid(kMinimalPolicy);
    CHECK(none.events == EventSettings{});
    const Policy commandOnly = loadValid(std::string(kMinimalPolicy) + "events: {alert_command: [logger]}\n");
    REQUIRE(commandOnly.events.alertCommand);
    CHECK(commandOnly.events.alertCommand->timeout == std::chrono::seconds(10));
    CHECK(commandOnly.events.stateLog.empty());
    CHECK(formatPolicy(none).find("events") == std::string::npos);
}

TEST_CASE("events mistakes are reported at file, line and column", "[policy]") {
    const std::string base(kMinimalPolicy);
    CHECK(onlyError(base + "events: {state_log: state.log}\n").toString() ==
          "p.yaml:7:21: events.state_log: expected an absolute path such as /var/log/faxover/state.log; "
          "found 'state.log'");
    CHECK(onlyError(base + "events: {alert_command: []}\n").toString() ==
          "p.yaml:7:25: events.alert_command: expected a list: the program, then its arguments; found an empty list");
    CHECK(onlyError(base + "events: {alert_command: ['mail -s alert root']}\n").toString() ==
          "p.yaml:7:26: events.alert_command[0]: expected a program name or an absolute path, then its arguments as "
          "the next items; found 'mail -s alert root'");
    CHECK(onlyError(base + "events: {alert_timeout: 5s}\n").toString() ==
          "p.yaml:7:25: events.alert_timeout: alert_timeout without alert_command: there is no command to time out");
    CHECK(onlyError(base + "events: {alert_command: [logger], alert_timeout: 1h}\n").message.find("expected") == 0);
    CHECK(onlyError(base + "events: {state_logs: /x}\n").message.find("state_log") != std::string::npos);
}
