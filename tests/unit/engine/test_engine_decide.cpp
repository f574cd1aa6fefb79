// decide() on hand-built inputs: the rules that keep invariant 2 (no start while another host
// might run the VM) and the shape of a decision. The scenario tests (tests/scenarios) cover the
// rules end to end through the runtime.
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

policy::Policy twoServicesOnH1() {
    policy::Policy result;
    for (const char* name : {"h1", "h2", "h3"}) {
        policy::HostPolicy host;
        host.name = name;
        host.fence = {policy::FenceLevel{policy::FenceMethod::Agent, "fence_test"}};
        result.hosts.push_back(host);
    }
    for (const char* name : {"fax-a", "fax-b"}) {
        policy::ServicePolicy service;
        service.name = name;
        service.domain = {policy::DomainRef::Kind::Name, name};
        service.telephony = policy::TelephonyMode::Sr140;
        result.services.push_back(service);
    }
    return result;
}

// Both services ran on h1 and were remembered there; h1 now in `h1State`, out of sight.
engine::EngineInput h1Lost(const policy::Policy& policy, engine::HostHealthState h1State, engine::FenceStatus fence) {
    engine::EngineInput input;
    input.policy = &policy;
    for (const auto& host : policy.hosts) input.hosts[host.name] = healthy(host.name);
    input.hosts["h1"].health = h1State;
    input.hosts["h1"].libvirt = hv::Reachability::Unreachable;
    input.hosts["h1"].fence = fence;
    if (h1State != engine::HostHealthState::Degraded) input.hosts["h1"].missedRounds = 7;  // silent
    for (const auto& service : policy.services) {
        input.services[service.name].memoryMiB = 1024;
        input.services[service.name].vcpus = 1;
        engine::ServiceMemory memory;
        memory.state = engine::ServiceState::Ok;
        memory.host = "h1";
        input.memory[service.name] = memory;
    }
    return input;
}

std::size_t count(const engine::Decision& decision, ActionKind kind) {
    return static_cast<std::size_t>(std::count_if(decision.actions.begin(), decision.actions.end(),
                                                  [&](const auto& action) { return action.kind == kind; }));
}

}  // namespace

TEST_CASE("engine: a host out of sight but not failed gets neither fenced nor replaced", "[engine]") {
    const auto policy = twoServicesOnH1();
    for (auto state : {engine::HostHealthState::Suspect, engine::HostHealthState::Degraded,
                       engine::HostHealthState::Unknown}) {
        const auto decision = engine::decide(h1Lost(policy, state, engine::FenceStatus::None));
        CHECK(decision.actions.empty());
        CHECK(decision.memory.at("fax-a").state == engine::ServiceState::Suspect);
    }
}

TEST_CASE("engine: a failed host is fenced once for all its services and nothing starts yet", "[engine]") {
    const auto policy = twoServicesOnH1();
    const auto decision = engine::decide(h1Lost(policy, engine::HostHealthState::Failed, engine::FenceStatus::None));
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions.front().kind == ActionKind::Fence);
    CHECK(decision.actions.front().host == "h1");
    CHECK(decision.memory.at("fax-b").state == engine::ServiceState::Failure);

    for (auto pending : {engine::FenceStatus::InProgress, engine::FenceStatus::AwaitingAdmin}) {
        const auto waiting = engine::decide(h1Lost(policy, engine::HostHealthState::Failed, pending));
        CHECK(waiting.actions.empty());
    }
}

TEST_CASE("engine: once the fence is confirmed both services start elsewhere, never on the fenced host", "[engine]") {
    const auto policy = twoServicesOnH1();
    const auto decision =
        engine::decide(h1Lost(policy, engine::HostHealthState::Failed, engine::FenceStatus::Confirmed));
    CHECK(count(decision, ActionKind::Start) == 2);
    for (const auto& action : decision.actions) CHECK(action.host != "h1");
    CHECK(decision.memory.at("fax-a").state == engine::ServiceState::Recovering);
    CHECK(decision.memory.at("fax-a").target == decision.actions.front().host);
}

TEST_CASE("engine: the target of an interrupted start is a host that might run the VM", "[engine]") {
    // After a daemon crash the remembered target h2 is unreachable: the VM may run there.
    const auto policy = twoServicesOnH1();
    auto input = h1Lost(policy, engine::HostHealthState::Failed, engine::FenceStatus::Confirmed);
    input.memory["fax-a"].target = "h2";
    input.hosts["h2"].libvirt = hv::Reachability::Unreachable;
    input.hosts["h2"].health = engine::HostHealthState::Suspect;
    const auto decision = engine::decide(input);
    for (const auto& action : decision.actions) CHECK(action.service != "fax-a");
    CHECK(decision.memory.at("fax-a").state == engine::ServiceState::Suspect);
}

TEST_CASE("engine: the same input gives the same decision", "[engine]") {
    const auto policy = twoServicesOnH1();
    const auto input = h1Lost(policy, engine::HostHealthState::Failed, engine::FenceStatus::Confirmed);
    const auto first = engine::decide(input);
    const auto second = engine::decide(input);
    CHECK(first.actions == second.actions);
    CHECK(first.log == second.log);
    CHECK(first.memory == second.memory);
}

TEST_CASE("engine: admin commands on a busy service are refused with the reason", "[engine]") {
    const auto policy = twoServicesOnH1();
    auto input = h1Lost(policy, engine::HostHealthState::Ok, engine::FenceStatus::None);
    input.hosts["h1"] = healthy("h1");
    input.services["fax-a"].copies = {{"h1", hv::DomainState::Running}};
    input.inFlight = {engine::Action{ActionKind::LiveMigrate, "fax-a", "h2", "h1", "maintenance"}};
    input.memory["fax-a"].state = engine::ServiceState::Migrating;
    input.commands = {{faxover::orchestrator::engine::Verb::Suspend, "fax-a", "", "admin:test"}};
    const auto decision = engine::decide(input);
    REQUIRE(decision.verdicts.size() == 1);
    CHECK_FALSE(decision.verdicts.front().accepted);
    CHECK_THAT(decision.verdicts.front().message, Catch::Contains("migrating"));
}

TEST_CASE("engine: a stop event from a host whose listing was late is enough to restart in place", "[engine]") {
    // libvirtd busy reaping a dead QEMU misses the round's listing, but its Stopped event arrived.
    const auto policy = twoServicesOnH1();
    auto input = h1Lost(policy, engine::HostHealthState::Degraded, engine::FenceStatus::None);
    input.hosts["h1"].libvirt = hv::Reachability::Unknown;
    input.services["fax-a"].copies = {{"h1", hv::DomainState::Shutoff}};
    input.services["fax-b"].copies = {{"h1", hv::DomainState::Running}};
    const auto decision = engine::decide(input);
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions.front() ==
          engine::Action{ActionKind::Start, "fax-a", "h1", "", "restart in place 1/1"});

    // Without that event nothing is known about h1: nothing starts anywhere.
    input.services["fax-a"].copies.clear();
    CHECK(engine::decide(input).actions.empty());
    // And a lost connection voids what the host said before.
    input.services["fax-a"].copies = {{"h1", hv::DomainState::Shutoff}};
    input.hosts["h1"].libvirt = hv::Reachability::Unreachable;
    CHECK(engine::decide(input).actions.empty());
}
