#pragma once
// Shared by the guest agent link's tests: a simulated host "a" (and "b") running fax1, a policy
// whose service fax reads its agent, a settable wall clock, recorded events, protocol lines.
#include "faxover/faxguest/Protocol.h"
#include "faxover/orchestrator/agent/GuestAgents.h"
#include "faxover/orchestrator/ports/EventSink.h"
#include "faxover/orchestrator/ports/WallClock.h"
#include "hypervisor/test_sim_support.h"

#include <mutex>
#include <vector>

// The tests name the protocol and the policy as the code under test does.
namespace faxguest = faxover::faxguest;
namespace policy = faxover::policy;

namespace faxover::orchestrator::agent::test {

inline constexpr const char* kChannel = "org.faxover.agent.0";

class TestWall final : public ports::WallClock {
public:
    ports::WallTime now() const override {
        const std::lock_guard lock(mutex_);
        return now_;
    }
    void advance(std::chrono::milliseconds by) {
        const std::lock_guard lock(mutex_);
        now_ += by;
    }

private:
    mutable std::mutex mutex_;
    ports::WallTime now_{std::chrono::seconds(1'800'000'000)};
};

class RecordedEvents final : public ports::EventSink {
public:
    void deliver(const engine::Event& event) override {
        const std::lock_guard lock(mutex_);
        events_.push_back(event);
    }
    std::vector<engine::Event> taken() {
        const std::lock_guard lock(mutex_);
        return std::exchange(events_, {});
    }

private:
    std::mutex mutex_;
    std::vector<engine::Event> events_;
};

// Services: fax (domain fax1 by name, guest_agent with defaults) and plain (domain fax2, none).
inline std::shared_ptr<const policy::Policy> agentPolicy(policy::GuestAgentPolicy agent = {}) {
    policy::Policy policy;
    policy::ServicePolicy fax;
    fax.name = "fax";
    fax.domain = {policy::DomainRef::Kind::Name, "fax1"};
    fax.guestAgent = agent;
    policy::ServicePolicy plain;
    plain.name = "plain";
    plain.domain = {policy::DomainRef::Kind::Name, "fax2"};
    policy.services = {fax, plain};
    return std::make_shared<const policy::Policy>(policy);
}

inline faxguest::Heartbeat unhealthyHeartbeat() {
    faxguest::Heartbeat heartbeat;
    heartbeat.seq = 7;
    heartbeat.agentVersion = "0.1.0";
    heartbeat.product = "hylafax";
    heartbeat.productVersion = "6.0.7";
    heartbeat.healthy = false;
    heartbeat.checks = {{"hylafax.faxq", "hylafax", true, "pid 15089", 1},
                        {"hylafax.protocol", "hylafax", false, "127.0.0.1:4559 did not answer within 2000 ms", 2001},
                        {"disk", "command", false, "exit 1", 3}};
    heartbeat.telephony.boards = {{"0000:00:05.0", "0x12e4", "0x4001"}};
    heartbeat.telephony.softModem = true;
    heartbeat.queues = {3, 1, 1};
    heartbeat.quiesced = true;
    heartbeat.licence.state = "licensed";
    return heartbeat;
}

inline faxguest::Heartbeat healthyHeartbeat() {
    faxguest::Heartbeat heartbeat;
    heartbeat.agentVersion = "0.1.0";
    heartbeat.product = "hylafax";
    heartbeat.healthy = true;
    heartbeat.checks = {{"hylafax.faxq", "hylafax", true, "pid 1", 1}};
    heartbeat.telephony.sr140 = true;
    return heartbeat;
}

struct AgentFixture : hv::sim::test::SimFixture {
    TestWall wall;
    RecordedEvents events;
    GuestAgents agents;

    explicit AgentFixture(GuestAgentsSettings settings = fastSettings())
        : agents(sim, wall, &events, agentPolicy(), settings) {
        defineAndStart("a", "fax1");
        defineAndStart("a", "fax2", "22222222-2222-4222-8222-222222222222");
    }

    static GuestAgentsSettings fastSettings() {
        GuestAgentsSettings settings;
        settings.replyMargin = std::chrono::milliseconds(50);
        settings.defaultCommandTimeout = std::chrono::milliseconds(100);
        return settings;
    }

    std::optional<engine::GuestHealth> check(const std::string& host = "a") {
        return agents.check(host, hv::sim::test::kFaxUuid);
    }
    void guestWrites(const std::string& bytes) { SIM_REQUIRE_OK(sim.writeFromGuest("fax1", kChannel, bytes)); }
};

}  // namespace faxover::orchestrator::agent::test
