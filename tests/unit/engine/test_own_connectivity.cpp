// The orchestrator's own connectivity (issue 12, defect 1; docs/engine.md, "Own connectivity"):
// a majority of hosts or the witness must answer before a host's silence fails or fences it.
#include "engine_test_support.h"
#include "faxover/orchestrator/engine/Engine.h"
#include "faxover/orchestrator/engine/HostHealth.h"
#include "faxover/orchestrator/engine/OwnConnectivity.h"

#include <catch2/catch.hpp>

namespace {

namespace engine = faxover::orchestrator::engine;
namespace policy = faxover::policy;
namespace hv = faxover::hv;
using engine::test::healthy;

policy::Policy cluster(int hosts, bool witness) {
    policy::Policy result;
    for (int i = 1; i <= hosts; ++i) {
        policy::HostPolicy host;
        host.name = "h" + std::to_string(i);
        host.fence = {policy::FenceLevel{policy::FenceMethod::Agent, "fence_test"}};
        result.hosts.push_back(host);
    }
    if (witness) result.fencing.witness = policy::Witness{"10.0.9.1", 22};
    policy::ServicePolicy service;
    service.name = "fax-a";
    service.domain = {policy::DomainRef::Kind::Name, "fax-a"};
    service.telephony = policy::TelephonyMode::Sr140;
    result.services.push_back(service);
    return result;
}

// fax-a ran on h1; the first `silent` hosts have missed 7 rounds, h1 is failed.
engine::EngineInput silentHosts(const policy::Policy& policy, int silent, bool witnessAnswered) {
    engine::EngineInput input;
    input.policy = &policy;
    input.witnessAnswered = witnessAnswered;
    for (const auto& host : policy.hosts) input.hosts[host.name] = healthy(host.name);
    for (int i = 1; i <= silent; ++i) {
        auto& host = input.hosts["h" + std::to_string(i)];
        host.health = i == 1 ? engine::HostHealthState::Failed : engine::HostHealthState::Suspect;
        host.libvirt = hv::Reachability::Unreachable;
        host.missedRounds = 7;
    }
    engine::test::rememberRunning(input, "fax-a", "h1");
    return input;
}

bool fences(const engine::Decision& decision) {
    for (const auto& action : decision.actions)
        if (action.kind == engine::ActionKind::Fence) return true;
    return false;
}

}  // namespace

TEST_CASE("own connectivity: confirmed by a strict majority of the hosts, or by the witness", "[engine]") {
    struct Case {
        int hosts, silent;
        bool witness, witnessAnswered, confirmed;
    };
    for (const Case c :
         {Case{3, 1, false, false, true}, Case{3, 2, false, false, false}, Case{4, 2, false, false, false},
          Case{4, 2, true, true, true}, Case{4, 2, true, false, false}, Case{2, 1, false, false, false},
          Case{2, 1, true, true, true}, Case{3, 3, true, false, false}, Case{5, 2, false, false, true},
          // An answer from a witness the policy does not name counts for nothing.
          Case{2, 1, false, true, false}}) {
        const auto policy = cluster(c.hosts, c.witness);
        const auto input = silentHosts(policy, c.silent, c.witnessAnswered);
        const auto connectivity = engine::assessOwnConnectivity(policy, input.hosts, input.witnessAnswered);
        INFO(c.hosts << " hosts, " << c.silent << " silent, witness " << c.witness << "/" << c.witnessAnswered);
        CHECK(connectivity.confirmed == c.confirmed);
        CHECK(connectivity.hostsSilent == c.silent);
        CHECK(connectivity.hostsVoting == c.hosts);
    }
}

TEST_CASE("own connectivity: a silent host fenced or in maintenance does not vote, an answering one does", "[engine]") {
    const auto policy = cluster(3, false);
    auto input = silentHosts(policy, 2, false);
    CHECK_FALSE(engine::assessOwnConnectivity(policy, input.hosts, false).confirmed);
    input.hosts["h2"].fence = engine::FenceStatus::Confirmed;  // h2 is off for sure: 1 of h1, h3 answers
    CHECK_FALSE(engine::assessOwnConnectivity(policy, input.hosts, false).confirmed);
    input.hosts["h1"].maintenance = true;  // now only h3 votes, and it answers
    const auto connectivity = engine::assessOwnConnectivity(policy, input.hosts, false);
    CHECK(connectivity.confirmed);
    CHECK(connectivity.hostsVoting == 1);
    input.hosts["h3"].maintenance = true;  // answering in maintenance: still a vote
    CHECK(engine::assessOwnConnectivity(policy, input.hosts, false).hostsVoting == 1);
}

TEST_CASE("own connectivity: the alert says how many hosts and whether the witness are silent", "[engine]") {
    const auto policy = cluster(4, true);
    const auto input = silentHosts(policy, 4, false);
    CHECK(engine::assessOwnConnectivity(policy, input.hosts, false).describe() ==
          "4 of 4 hosts and the witness silent");
    const auto bare = cluster(2, false);
    CHECK(engine::assessOwnConnectivity(bare, silentHosts(bare, 2, false).hosts, false).describe() ==
          "2 of 2 hosts silent and no witness named");
}

TEST_CASE("own connectivity: a failed host is not fenced while the orchestrator may be cut off", "[engine]") {
    const auto policy = cluster(4, true);
    const auto isolated = engine::decide(silentHosts(policy, 2, false));
    CHECK_FALSE(fences(isolated));
    CHECK(isolated.memory.at("fax-a").state == engine::ServiceState::Failure);
    CHECK(isolated.memory.at("fax-a").reason.find("fence held: orchestrator isolated") != std::string::npos);
    CHECK(isolated.log.back().isAlert());

    // The same loss with the witness answering: a rack's power, fenced as fast as one host.
    const auto rack = engine::decide(silentHosts(policy, 2, true));
    CHECK(fences(rack));
    // A minority loss needs no witness.
    const auto minority = cluster(3, false);
    CHECK(fences(engine::decide(silentHosts(minority, 1, false))));
}

TEST_CASE("own connectivity: an admin's fence confirm still lets the VM start elsewhere", "[engine]") {
    const auto policy = cluster(2, false);
    auto input = silentHosts(policy, 1, false);
    input.hosts["h1"].fence = engine::FenceStatus::Confirmed;
    const auto decision = engine::decide(input);
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions.front().kind == engine::ActionKind::Start);
    CHECK(decision.actions.front().host == "h2");
}

TEST_CASE("host health: a round the orchestrator cannot vouch for makes a host suspect, never failed", "[engine]") {
    policy::MonitoringProfile profile;
    profile.warnCount = 2;
    profile.failoverCount = 3;
    profile.failoverCountAfterRestart = 3;
    engine::HostHealthTracker tracker("h1", profile);
    tracker.observe({hv::Reachability::Reachable, true});
    engine::ProbeRound unvouched{hv::Reachability::Unreachable, false, false};
    for (int i = 0; i < 10; ++i) tracker.observe(unvouched);
    CHECK(tracker.state() == engine::HostHealthState::Suspect);
    CHECK(tracker.missed() == 10);
    // Back on the network: a host that answers is healthy, one that is still silent fails at once.
    engine::HostHealthTracker returning = tracker;
    CHECK(returning.observe({hv::Reachability::Reachable, true})->to == engine::HostHealthState::Ok);
    CHECK(tracker.observe({hv::Reachability::Unreachable, false})->to == engine::HostHealthState::Failed);
}
