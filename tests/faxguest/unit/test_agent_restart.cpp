// restart_service: the agent runs its configured restart_command with a timeout and answers ok or
// not ok with the command's exit status and last line (docs/guest-agent.md).
#include "Agent.h"
#include "Config.h"

#include <catch2/catch.hpp>

#include <string>

using namespace faxover::faxguest;
using namespace faxover::faxguest::agent;

namespace {

Config withRestart(const std::string& restart) {
    return parseConfig("transport: {tcp_listen: \"127.0.0.1:7070\"}\n" + restart, "agent.yaml");
}

Reply restart(Config config) {
    Agent agent(std::move(config));
    const auto reply = agent.handle(Command{"r1", CommandKind::RestartService, 0});
    REQUIRE(reply);
    CHECK(reply->id == "r1");
    CHECK(reply->kind == CommandKind::RestartService);
    return *reply;
}

}  // namespace

TEST_CASE("restart_command and restart_timeout_ms are read; the default timeout is 60 s") {
    const Config config = withRestart("restart_command: [/etc/init.d/hylafax, restart]\nrestart_timeout_ms: 90000\n");
    REQUIRE(config.restartCommand.size() == 2);
    CHECK(config.restartCommand[0] == "/etc/init.d/hylafax");
    CHECK(config.restartTimeout.count() == 90000);
    CHECK(withRestart("").restartTimeout.count() == 60000);
}

TEST_CASE("restart_service: ok when the command exits 0, with its last line") {
    const Reply reply = restart(withRestart("restart_command: [/bin/sh, -c, \"echo stopping; echo faxq started\"]\n"));
    CHECK(reply.ok);
    CHECK(reply.detail.find("faxq started") != std::string::npos);
}

TEST_CASE("restart_service: not ok when the command fails, times out, or none is configured") {
    const Reply failed = restart(withRestart("restart_command: [/bin/sh, -c, \"echo cannot open modem; exit 3\"]\n"));
    CHECK_FALSE(failed.ok);
    CHECK(failed.detail == "exit 3: cannot open modem");

    const Reply slow = restart(withRestart("restart_command: [/bin/sleep, \"5\"]\nrestart_timeout_ms: 200\n"));
    CHECK_FALSE(slow.ok);
    CHECK(slow.detail == "timed out after 200 ms");

    const Reply none = restart(withRestart(""));
    CHECK_FALSE(none.ok);
    CHECK(none.detail == "no restart_command configured");
}
