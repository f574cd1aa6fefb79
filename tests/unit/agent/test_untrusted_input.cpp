// What a guest sends is untrusted: garbage and floods are counted, cost no parse beyond the rate
// limit, are reported at most once a minute, and the next valid heartbeat still counts.
#include "agent_test_support.h"

using namespace faxover::orchestrator;
using namespace faxover::orchestrator::agent;
using namespace faxover::orchestrator::agent::test;
using namespace std::chrono_literals;

namespace {

// `count` lines of `line`, written as a channel delivers them: in chunks of at most 16 KiB.
void writeLines(AgentFixture& f, const std::string& line, std::size_t count) {
    std::string chunk;
    for (std::size_t i = 0; i < count; ++i) {
        chunk += line;
        if (chunk.size() >= 16 * 1024) f.guestWrites(std::exchange(chunk, {}));
    }
    if (!chunk.empty()) f.guestWrites(chunk);
}

}  // namespace

TEST_CASE("agent link: 100,000 garbage lines are counted, reported once, and a heartbeat still counts", "[agent]") {
    AgentFixture f;
    (void)f.check();
    writeLines(f, "{\"v\":1,\"type\":\"heartbeat\",\"seq\":\"x\"}\n", 100'000);
    const auto counted = f.agents.counters("fax").value();
    CHECK(counted.garbage + counted.dropped == 100'000);
    CHECK(counted.garbage == 50);  // the burst was parsed and refused; the rest never parsed
    CHECK(counted.heartbeats == 0);

    const auto health = f.check();
    CHECK_FALSE(health->agentAnswered);
    auto events = f.events.taken();
    REQUIRE(events.size() == 1);
    CHECK(events[0].severity == engine::Severity::Warning);
    CHECK(events[0].service == "fax");
    CHECK(events[0].message ==
          "guest agent input refused: 50 line(s) not of the protocol, 99950 over the rate limit, 0 reply(ies) to no "
          "command");
    REQUIRE(events[0].field("last_refusal") != nullptr);
    CHECK_THAT(*events[0].field("last_refusal"), Catch::Contains("seq"));

    // Within the minute: counted, not reported again.
    f.wall.advance(30s);
    f.guestWrites("not json\n");
    (void)f.check();
    CHECK(f.events.taken().empty());
    // The bucket refilled: the next valid heartbeat is taken.
    f.guestWrites(faxguest::encodeLine(healthyHeartbeat()));
    CHECK(f.check()->agentAnswered);
    f.wall.advance(31s);
    (void)f.check();
    events = f.events.taken();
    REQUIRE(events.size() == 1);
    CHECK(events[0].message ==
          "guest agent input refused: 1 line(s) not of the protocol, 0 over the rate limit, 0 reply(ies) to no command");
    CHECK(*events[0].field("garbage_total") == "51");
}

TEST_CASE("agent link: valid heartbeats beyond the rate limit are dropped unparsed", "[agent]") {
    AgentFixture f;
    (void)f.check();
    writeLines(f, faxguest::encodeLine(healthyHeartbeat()), 120);
    auto counted = f.agents.counters("fax").value();
    CHECK(counted.heartbeats == 50);  // the burst
    CHECK(counted.dropped == 70);
    f.wall.advance(1s);  // 20 lines a second
    writeLines(f, faxguest::encodeLine(healthyHeartbeat()), 30);
    counted = f.agents.counters("fax").value();
    CHECK(counted.heartbeats == 70);
    CHECK(counted.dropped == 80);
}

TEST_CASE("agent link: an endless line is dropped without being kept, and the stream goes on", "[agent]") {
    AgentFixture f;
    (void)f.check();
    const std::string megabyte(1024 * 1024, 'x');
    for (int i = 0; i < 8; ++i) f.guestWrites(megabyte);  // 8 MiB with no newline
    f.guestWrites("\n" + faxguest::encodeLine(healthyHeartbeat()));
    const auto counted = f.agents.counters("fax").value();
    CHECK(counted.garbage == 1);
    CHECK(counted.heartbeats == 1);
    CHECK(f.check()->agentAnswered);
}

TEST_CASE("agent link: a command or a line of the wrong version from the guest is garbage", "[agent]") {
    AgentFixture f;
    (void)f.check();
    faxguest::Command command;
    command.id = "c-1";
    f.guestWrites(faxguest::encodeLine(command));
    f.guestWrites("{\"v\":2,\"type\":\"heartbeat\"}\n");
    CHECK(f.agents.counters("fax")->garbage == 2);
    CHECK(f.agents.counters("fax")->heartbeats == 0);
}
