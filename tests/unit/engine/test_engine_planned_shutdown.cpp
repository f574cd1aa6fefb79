// decide() with a host that announced a planned shutdown or reboot (docs/engine.md, "Planned host
// shutdown and reboot"): freeze waits unfenced, failover restarts a reported VM without a fence,
// a rebooting host is never fenced within its grace, and past it the ordinary path applies.
#include "engine_test_support.h"
#include "faxover/orchestrator/engine/Engine.h"

#include <catch2/catch.hpp>

#include <algorithm>

namespace {

namespace engine = faxover::orchestrator::engine;
namespace policy = faxover::policy;
namespace hv = faxover::hv;
using engine::ActionKind;
using engine::test::healthy;
using namespace std::chrono_literals;

policy::Policy oneServiceOnH1(policy::ShutdownPolicy shutdown) {
    policy::Policy result;
    for (const char* name : {"h1", "h2"}) {
        policy::HostPolicy host;
        host.name = name;
        host.fence = {policy::FenceLevel{policy::FenceMethod::Agent, "fence_test"}};
        host.monitoring.shutdownPolicy = shutdown;
        host.monitoring.shutdownGrace = 10min;
        result.hosts.push_back(host);
    }
    policy::ServicePolicy service;
    service.name = "fax-a";
    service.domain = {policy::DomainRef::Kind::Name, "fax-a"};
    service.telephony = policy::TelephonyMode::Sr140;
    result.services.push_back(service);
    return result;
}

// fax-a ran on h1, which announced `kind` at time 0 and has been silent (failed) since; now is `after` later.
engine::EngineInput h1Announced(const policy::Policy& policy, engine::PlannedKind kind, engine::WallTime::duration after,
                                bool reportedStopped) {
    engine::EngineInput input;
    input.policy = &policy;
    input.now = engine::WallTime{} + after;
    for (const auto& host : policy.hosts) input.hosts[host.name] = healthy(host.name);
    auto& h1 = input.hosts["h1"];
    h1.health = engine::HostHealthState::Failed;
    h1.libvirt = hv::Reachability::Unreachable;
    h1.missedRounds = 20;
    h1.planned = engine::PlannedShutdown{kind, engine::WallTime{}, {}};
    if (reportedStopped) h1.planned->stoppedServices = {"fax-a"};
    engine::test::rememberRunning(input, "fax-a", "h1");
    return input;
}

bool has(const engine::Decision& decision, ActionKind kind) {
    return std::any_of(decision.actions.begin(), decision.actions.end(),
                       [&](const auto& action) { return action.kind == kind; });
}

}  // namespace

TEST_CASE("planned shutdown: freeze waits for the host, unfenced, within the grace", "[engine]") {
    const auto policy = oneServiceOnH1(policy::ShutdownPolicy::Freeze);
    for (bool reported : {false, true}) {
        const auto decision = engine::decide(h1Announced(policy, engine::PlannedKind::Shutdown, 9min, reported));
        CHECK(decision.actions.empty());
        CHECK(decision.memory.at("fax-a").state == engine::ServiceState::Frozen);
    }
}

TEST_CASE("planned shutdown: past the grace a silent host is fenced first, with an alert", "[engine]") {
    const auto policy = oneServiceOnH1(policy::ShutdownPolicy::Freeze);
    const auto decision = engine::decide(h1Announced(policy, engine::PlannedKind::Reboot, 11min, false));
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions.front().kind == ActionKind::Fence);
    CHECK(decision.memory.at("fax-a").state == engine::ServiceState::Failure);
    CHECK(std::any_of(decision.log.begin(), decision.log.end(), [](const auto& event) { return event.isAlert(); }));
}

TEST_CASE("planned shutdown: failover restarts a VM its host reported stopped, without a fence", "[engine]") {
    const auto policy = oneServiceOnH1(policy::ShutdownPolicy::Failover);
    const auto decision = engine::decide(h1Announced(policy, engine::PlannedKind::Shutdown, 1min, true));
    CHECK_FALSE(has(decision, ActionKind::Fence));
    REQUIRE(has(decision, ActionKind::Start));
    CHECK(decision.actions.front().host == "h2");
    CHECK(decision.memory.at("fax-a").restarts == 0);
    CHECK(decision.memory.at("fax-a").relocations == 0);
}

TEST_CASE("planned shutdown: failover fences first when the VM was not reported stopped", "[engine]") {
    const auto policy = oneServiceOnH1(policy::ShutdownPolicy::Failover);
    const auto decision = engine::decide(h1Announced(policy, engine::PlannedKind::Shutdown, 1min, false));
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions.front().kind == ActionKind::Fence);
}

TEST_CASE("planned shutdown: a rebooting host is never fenced within its grace, whatever the policy", "[engine]") {
    for (auto shutdown : {policy::ShutdownPolicy::Failover, policy::ShutdownPolicy::Migrate,
                          policy::ShutdownPolicy::Conditional}) {
        const auto policy = oneServiceOnH1(shutdown);
        const auto decision = engine::decide(h1Announced(policy, engine::PlannedKind::Reboot, 5min, false));
        CHECK_FALSE(has(decision, ActionKind::Fence));
        CHECK_FALSE(has(decision, ActionKind::Start));
    }
}

TEST_CASE("planned shutdown: migrate drains a host that still answers; nothing goes to it", "[engine]") {
    const auto policy = oneServiceOnH1(policy::ShutdownPolicy::Migrate);
    auto input = h1Announced(policy, engine::PlannedKind::Shutdown, 1s, false);
    input.hosts["h1"] = healthy("h1");
    input.hosts["h1"].planned = engine::PlannedShutdown{engine::PlannedKind::Shutdown, engine::WallTime{}, {}};
    input.services["fax-a"].copies = {{"h1", hv::DomainState::Running}};
    const auto decision = engine::decide(input);
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions.front().kind == ActionKind::LiveMigrate);
    CHECK(decision.actions.front().host == "h2");
}
