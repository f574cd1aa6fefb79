// GuestAgents as the monitor's guest health probe: heartbeats mapped, heartbeats lost, channels
// opened where the domain runs and reopened after it moved, services without an agent left alone.
#include "agent_test_support.h"

using namespace faxover::orchestrator;
using namespace faxover::orchestrator::agent;
using namespace faxover::orchestrator::agent::test;
using namespace std::chrono_literals;

TEST_CASE("agent link: a heartbeat becomes the engine's guest health", "[agent]") {
    AgentFixture f;
    auto before = f.check();
    REQUIRE(before.has_value());
    CHECK_FALSE(before->agentAnswered);
    CHECK(before->detail == "no heartbeat yet");
    const auto arrived = f.wall.now();
    f.guestWrites(faxguest::encodeLine(unhealthyHeartbeat()));
    f.wall.advance(3s);
    const auto health = f.check();
    REQUIRE(health.has_value());
    CHECK(health->agentAnswered);
    CHECK_FALSE(health->faxServiceUp);
    CHECK(health->detail == "hylafax.protocol: 127.0.0.1:4559 did not answer within 2000 ms");
    CHECK(health->telephony == "board");
    REQUIRE(health->checks.size() == 3);
    CHECK(health->checks[0] == engine::GuestCheck{"hylafax.faxq", true, "pid 15089"});
    CHECK(health->checks[2] == engine::GuestCheck{"disk", false, "exit 1"});
    CHECK(health->queues == engine::GuestQueues{3, 1, 1});
    CHECK(health->quiesced);
    CHECK(health->agentVersion == "0.1.0");
    CHECK(health->product == "hylafax 6.0.7");
    CHECK(health->licence == "licensed");
    CHECK(health->lastHeartbeatNs ==
          std::chrono::duration_cast<std::chrono::nanoseconds>(arrived.time_since_epoch()).count());

    f.guestWrites(faxguest::encodeLine(healthyHeartbeat()));
    const auto healthy = f.check();
    CHECK(healthy->faxServiceUp);
    CHECK(healthy->detail == "healthy");
    CHECK(healthy->telephony == "sr140");
    CHECK(healthy->product == "hylafax");
    CHECK(f.agents.counters("fax")->heartbeats == 2);
}

TEST_CASE("agent link: no heartbeat within the timeout is heartbeats lost, not a dead service", "[agent]") {
    AgentFixture f;
    (void)f.check();
    f.guestWrites(faxguest::encodeLine(healthyHeartbeat()));
    f.wall.advance(15s);
    CHECK(f.check()->agentAnswered);  // at the timeout exactly: still answered
    f.wall.advance(1s);
    const auto lost = f.check();
    REQUIRE(lost.has_value());
    CHECK_FALSE(lost->agentAnswered);
    CHECK_FALSE(lost->faxServiceUp);
    CHECK(lost->detail == "no heartbeat for 16 s (timeout 15 s)");
    CHECK(lost->agentVersion == "0.1.0");  // what the last one said stays, for the log
    f.guestWrites(faxguest::encodeLine(healthyHeartbeat()));
    CHECK(f.check()->agentAnswered);
}

TEST_CASE("agent link: only services with a guest_agent are read", "[agent]") {
    AgentFixture f;
    CHECK_FALSE(f.agents.check("a", "fax2").has_value());
    CHECK_FALSE(f.agents.check("a", "22222222-2222-4222-8222-222222222222").has_value());
    CHECK_FALSE(f.agents.check("a", "unknown").has_value());
    CHECK(f.sim.openChannelsForTest() == 0);
    REQUIRE(f.check().has_value());
    CHECK(f.sim.openChannelsForTest() == 1);
    (void)f.check();
    CHECK(f.sim.openChannelsForTest() == 1);  // one channel, kept between rounds
    // A reload that takes guest_agent away closes the channel at the next round.
    auto without = std::make_shared<policy::Policy>(*agentPolicy());
    without->services[0].guestAgent.reset();
    f.agents.setPolicy(without);
    CHECK_FALSE(f.check().has_value());
    (void)f.agents.check("a", "fax2");
    CHECK(f.sim.openChannelsForTest() == 0);
}

TEST_CASE("agent link: the channel follows the domain across a migration and a restart", "[agent]") {
    AgentFixture f;
    (void)f.check();
    f.guestWrites(faxguest::encodeLine(healthyHeartbeat()));
    SIM_REQUIRE_OK(f.sim.migrateLive("a", "b", "fax1", faxover::hv::MigrationOptions{},
                                     [](const faxover::hv::MigrationProgress&) {}));
    CHECK(f.sim.openChannelsForTest() == 0);  // the source's stream ended with the migration
    CHECK(f.check("b")->agentAnswered);       // the last heartbeat is still recent
    CHECK(f.sim.openChannelsForTest() == 1);
    f.guestWrites(faxguest::encodeLine(healthyHeartbeat()));
    CHECK(f.agents.counters("fax")->heartbeats == 2);
    SIM_REQUIRE_OK(f.sim.destroyDomain("b", "fax1"));
    SIM_REQUIRE_OK(f.sim.startDomain("b", "fax1"));
    f.wall.advance(20s);
    const auto restarted = f.check("b");
    CHECK_FALSE(restarted->agentAnswered);
    f.guestWrites(faxguest::encodeLine(healthyHeartbeat()));
    CHECK(f.check("b")->agentAnswered);
}

TEST_CASE("agent link: a channel that cannot be opened is said in the detail", "[agent]") {
    AgentFixture f;
    REQUIRE(f.check().has_value());  // the domain's name is known from here on
    SIM_REQUIRE_OK(f.sim.cutNetwork("a"));
    CHECK(f.sim.openChannelsForTest() == 0);  // the host's loss ended the stream
    const auto health = f.check();
    REQUIRE(health.has_value());
    CHECK_FALSE(health->agentAnswered);
    CHECK_THAT(health->detail, Catch::StartsWith("no heartbeat yet; cannot open channel org.faxover.agent.0 on a: "));
}
