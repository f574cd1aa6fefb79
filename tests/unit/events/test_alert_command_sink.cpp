// The alert command: run once per alert with the event in its environment, killed at its timeout,
// and a failure reported as a warning, never thrown and never an alert.
#include "faxover/orchestrator/events/AlertCommandSink.h"
#include "faxover/orchestrator/events/EventSinks.h"

#include "../TempDir.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <sstream>

using namespace faxover::orchestrator;
using namespace std::chrono_literals;

namespace {

class Collected final : public ports::EventSink {
public:
    void deliver(const engine::Event& event) override { events.push_back(event); }
    std::vector<engine::Event> events;
};

faxover::policy::CommandStep shell(const std::string& script, std::chrono::milliseconds timeout = 5s) {
    return {"/bin/sh", {"-c", script}, timeout};
}

std::string contents(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

engine::Event fenceFailure() {
    engine::Event event = engine::Event::aboutHost("lab1", "fence attempt 1/3 failed: no answer")
                              .with("fence level", "ipmi")
                              .alert();
    event.time = std::chrono::system_clock::time_point(std::chrono::seconds(1767571200));
    return event;
}

}  // namespace

TEST_CASE("the alert command gets the event in its environment", "[events]") {
    faxover::test::TempDir dir;
    const std::string out = dir.file("env");
    Collected failures;
    events::AlertCommandSink sink(shell("env | grep ^FAXOVER_EVENT_ | sort > " + out), failures);
    sink.deliver(fenceFailure());
    CHECK(contents(out) == "FAXOVER_EVENT_FIELD_FENCE_LEVEL=ipmi\n"
                           "FAXOVER_EVENT_HOST=lab1\n"
                           "FAXOVER_EVENT_KIND=host\n"
                           "FAXOVER_EVENT_MESSAGE=fence attempt 1/3 failed: no answer\n"
                           "FAXOVER_EVENT_SERVICE=\n"
                           "FAXOVER_EVENT_SEVERITY=alert\n"
                           "FAXOVER_EVENT_TIME=2026-01-05T00:00:00.000Z\n");
    CHECK(failures.events.empty());
}

TEST_CASE("the alert command runs for alerts only", "[events]") {
    faxover::test::TempDir dir;
    const std::string out = dir.file("ran");
    Collected failures;
    events::AlertCommandSink sink(shell("echo ran >> " + out), failures);
    sink.deliver(engine::Event::aboutHost("lab1", "fenced: status OFF"));
    sink.deliver(engine::Event::about(engine::EventKind::Daemon, "1 events dropped").warning());
    CHECK_FALSE(std::ifstream(out).good());
    sink.deliver(fenceFailure());
    CHECK(contents(out) == "ran\n");
}

TEST_CASE("a failing, hanging or missing alert command is reported as a warning", "[events]") {
    Collected failures;
    events::AlertCommandSink failing(shell("echo mail server down; exit 3"), failures);
    failing.deliver(fenceFailure());
    events::AlertCommandSink hanging(shell("sleep 30", 1s), failures);
    const auto before = std::chrono::steady_clock::now();
    hanging.deliver(fenceFailure());
    CHECK(std::chrono::steady_clock::now() - before < 5s);
    events::AlertCommandSink missing({"faxover-no-such-pager", {}, 5s}, failures);
    missing.deliver(fenceFailure());
    REQUIRE(failures.events.size() == 3);
    for (const auto& failure : failures.events) {
        CHECK(failure.severity == engine::Severity::Warning);
        CHECK(failure.kind == engine::EventKind::Daemon);
        CHECK(failure.time == fenceFailure().time);
    }
    CHECK(failures.events[0].text() ==
          "daemon: alert command for 'host lab1: fence attempt 1/3 failed: no answer': alert command: exit 3: mail "
          "server down");
    CHECK_THAT(failures.events[1].message, Catch::Contains("still running after 1s; killed"));
    CHECK_THAT(failures.events[2].message, Catch::Contains("faxover-no-such-pager not found in PATH"));
}

TEST_CASE("the policy's sinks: a state log file appended to, an unopenable one refused", "[events]") {
    faxover::test::TempDir dir;
    Collected failures;
    std::ostringstream standardOutput;
    {
        std::ofstream(dir.file("state.log")) << "earlier\n";
        auto sinks = events::makeEventSinks({dir.file("state.log"), shell("true")}, standardOutput, failures);
        REQUIRE(sinks);
        CHECK(sinks.value().size() == 2);
        for (const auto& sink : sinks.value()) sink->deliver(fenceFailure());
    }
    CHECK(contents(dir.file("state.log")) ==
          "earlier\n2026-01-05T00:00:00.000Z ALERT host lab1: fence attempt 1/3 failed: no answer\n");
    CHECK(standardOutput.str().empty());
    auto toStandardOutput = events::makeEventSinks({}, standardOutput, failures);
    REQUIRE(toStandardOutput);
    REQUIRE(toStandardOutput.value().size() == 1);
    toStandardOutput.value().front()->deliver(engine::Event::aboutService("fax-a", "ok").with("state", "ok"));
    CHECK_THAT(standardOutput.str(), Catch::EndsWith(" service fax-a: ok\n"));
    auto refused = events::makeEventSinks({dir.file("no-such-dir/state.log"), std::nullopt}, standardOutput, failures);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message ==
          "events.state_log " + dir.file("no-such-dir/state.log") + ": cannot open it for appending: No such file or directory");
    CHECK(failures.events.empty());
}
