// decide() and the seat ledger (invariant 1): when a seat moves, who gets one, what is refused,
// licence steps and standbys. The licence-* and standby-* scenarios cover the same end to end.
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
using engine::LedgerEvent;
using namespace std::chrono_literals;

// h1, h2 at site a; h3 at site b. fax-a (priority 90) and fax-b (50) share licence lic.
policy::Policy licensedCluster(int seats, bool steps = false) {
    policy::Policy result;
    for (const auto& [name, site] : {std::pair{"h1", "a"}, std::pair{"h2", "a"}, std::pair{"h3", "b"}}) {
        policy::HostPolicy host;
        host.name = name;
        host.site = site;
        host.labels = {{"site", site}};
        host.fence = {policy::FenceLevel{policy::FenceMethod::Agent, "fence_test"}};
        result.hosts.push_back(host);
    }
    policy::Licence licence{"lic", "hylafax-enterprise", "/etc/faxover/lic.key", seats};
    if (steps) {
        licence.apply = policy::CommandStep{"/usr/sbin/fax-licence", {"apply"}};
        licence.revoke = policy::CommandStep{"/usr/sbin/fax-licence", {"revoke"}};
    }
    result.licences.push_back(licence);
    for (const auto& [name, priority] : {std::pair{"fax-a", 90}, std::pair{"fax-b", 50}}) {
        policy::ServicePolicy service;
        service.name = name;
        service.domain = {policy::DomainRef::Kind::Name, name};
        service.telephony = policy::TelephonyMode::Sr140;
        service.priority = priority;
        service.licence = "lic";
        service.requiredLabels = {{"site", "a"}};
        result.services.push_back(service);
    }
    return result;
}

void addStandby(policy::Policy& policy, int capacity) {
    policy::ServicePolicy standby;
    standby.name = "dr";
    standby.domain = {policy::DomainRef::Kind::Name, "dr"};
    standby.telephony = policy::TelephonyMode::Sr140;
    standby.role = policy::ServiceRole::Standby;
    standby.standsInFor = {"fax-a", "fax-b"};
    standby.standbyCapacity = capacity;
    standby.requiredLabels = {{"site", "b"}};
    policy.services.push_back(standby);
}

engine::EngineInput inputFor(const policy::Policy& policy) {
    engine::EngineInput input;
    input.policy = &policy;
    input.now = engine::WallTime{} + 1000h;
    for (const auto& host : policy.hosts) input.hosts[host.name] = healthy(host.name);
    for (const auto& service : policy.services) {
        input.services[service.name].memoryMiB = 1024;
        input.services[service.name].vcpus = 1;
    }
    return input;
}

void runsOn(engine::EngineInput& input, const std::string& service, const std::string& host) {
    input.services[service].copies = {{host, hv::DomainState::Running}};
    input.memory[service].state = engine::ServiceState::Ok;
    input.memory[service].host = host;
}

engine::SeatHolding seat(const std::string& service, const std::string& host, bool applied = true,
                         const std::string& onBehalfOf = "") {
    return {"lic", service, onBehalfOf, host, {}, applied};
}

const engine::LedgerChange* change(const engine::Decision& decision, LedgerEvent event, const std::string& service) {
    auto it = std::find_if(decision.ledger.begin(), decision.ledger.end(),
                           [&](const auto& c) { return c.event == event && c.service == service; });
    return it == decision.ledger.end() ? nullptr : &*it;
}

const engine::Action* action(const engine::Decision& decision, ActionKind kind, const std::string& service) {
    auto it = std::find_if(decision.actions.begin(), decision.actions.end(),
                           [&](const auto& a) { return a.kind == kind && a.service == service; });
    return it == decision.actions.end() ? nullptr : &*it;
}

// fax-a ran on h1, which is now failed and unreachable with fence status `fence`.
engine::EngineInput h1Lost(const policy::Policy& policy, engine::FenceStatus fence) {
    auto input = inputFor(policy);
    input.hosts["h1"].health = engine::HostHealthState::Failed;
    input.hosts["h1"].missedRounds = 7;
    input.hosts["h1"].libvirt = hv::Reachability::Unreachable;
    input.hosts["h1"].fence = fence;
    input.memory["fax-a"].state = engine::ServiceState::Failure;
    input.memory["fax-a"].host = "h1";
    input.ledger = {seat("fax-a", "h1")};
    return input;
}

}  // namespace

TEST_CASE("licensing: a seat stays with a failed host until it is fenced, then moves with the restart", "[engine]") {
    const auto policy = licensedCluster(1);
    for (auto fence : {engine::FenceStatus::None, engine::FenceStatus::InProgress, engine::FenceStatus::AwaitingAdmin}) {
        const auto decision = engine::decide(h1Lost(policy, fence));
        CHECK(decision.ledger.empty());
        CHECK(decision.seats == engine::Ledger{seat("fax-a", "h1")});
        CHECK(action(decision, ActionKind::Start, "fax-a") == nullptr);
    }
    const auto decision = engine::decide(h1Lost(policy, engine::FenceStatus::Confirmed));
    const auto* start = action(decision, ActionKind::Start, "fax-a");
    REQUIRE(start != nullptr);
    const auto* moved = change(decision, LedgerEvent::Transfer, "fax-a");
    REQUIRE(moved != nullptr);
    CHECK(moved->fromHost == "h1");
    CHECK(moved->host == start->host);
    CHECK(decision.seats.size() == 1);
    CHECK(decision.seats.front().host == start->host);
}

TEST_CASE("licensing: seats go to the highest priority; the rest is refused once, naming the holders", "[engine]") {
    const auto policy = licensedCluster(1);
    auto input = inputFor(policy);
    auto decision = engine::decide(input);
    REQUIRE(change(decision, LedgerEvent::Grant, "fax-a") != nullptr);
    CHECK(action(decision, ActionKind::Start, "fax-a") != nullptr);
    CHECK(action(decision, ActionKind::Start, "fax-b") == nullptr);
    const auto* refused = change(decision, LedgerEvent::Refuse, "fax-b");
    REQUIRE(refused != nullptr);
    CHECK(refused->reason.ends_with("every seat of licence lic is held (fax-a on " +
                                    action(decision, ActionKind::Start, "fax-a")->host + ")"));
    CHECK(decision.memory.at("fax-b").state == engine::ServiceState::Failure);

    // The next decision, with the same ledger, says nothing new about fax-b.
    input.memory = decision.memory;
    input.ledger = decision.seats;
    input.inFlight = decision.actions;
    decision = engine::decide(input);
    CHECK(change(decision, LedgerEvent::Refuse, "fax-b") == nullptr);
    CHECK(decision.seats.size() == 1);
}

TEST_CASE("licensing: a copy running without a free seat is a breach to report, not a VM to kill", "[engine]") {
    const auto policy = licensedCluster(1);
    auto input = inputFor(policy);
    runsOn(input, "fax-a", "h1");
    runsOn(input, "fax-b", "h2");
    input.ledger = {seat("fax-a", "h1")};
    const auto decision = engine::decide(input);
    CHECK(decision.actions.empty());
    CHECK(decision.memory.at("fax-b").state == engine::ServiceState::Error);
    REQUIRE(change(decision, LedgerEvent::Refuse, "fax-b") != nullptr);
    CHECK(decision.seats == input.ledger);
}

TEST_CASE("licensing: not ok until the licence is applied; a failed apply is retried after 30 s", "[engine]") {
    const auto policy = licensedCluster(1, true);
    auto input = inputFor(policy);
    runsOn(input, "fax-a", "h2");
    input.ledger = {seat("fax-a", "h2", false)};
    auto decision = engine::decide(input);
    const auto* apply = action(decision, ActionKind::ApplyLicence, "fax-a");
    REQUIRE(apply != nullptr);
    CHECK(decision.memory.at("fax-a").state == engine::ServiceState::Recovering);

    input.memory = decision.memory;
    input.finished = {{*apply, false, "exit 1: licence server refused"}};
    decision = engine::decide(input);
    REQUIRE(change(decision, LedgerEvent::ApplyFailed, "fax-a") != nullptr);
    CHECK(decision.memory.at("fax-a").state == engine::ServiceState::Failure);
    CHECK(decision.actions.empty());  // not again at once
    CHECK_FALSE(decision.seats.front().applied);

    input.memory["fax-a"] = decision.memory.at("fax-a");
    input.finished.clear();
    input.now += 29s;
    CHECK(action(engine::decide(input), ActionKind::ApplyLicence, "fax-a") == nullptr);
    input.now += 2s;
    decision = engine::decide(input);
    REQUIRE(action(decision, ActionKind::ApplyLicence, "fax-a") != nullptr);

    input.memory = decision.memory;
    input.finished = {{*action(decision, ActionKind::ApplyLicence, "fax-a"), true, "applied"}};
    decision = engine::decide(input);
    CHECK(decision.memory.at("fax-a").state == engine::ServiceState::Ok);
    CHECK(decision.seats.front().applied);
    CHECK(change(decision, LedgerEvent::Applied, "fax-a") != nullptr);
}

TEST_CASE("licensing: a standby takes a down primary's seat, within its capacity", "[engine]") {
    auto policy = licensedCluster(2);
    addStandby(policy, 1);
    auto input = inputFor(policy);
    for (const char* site : {"h1", "h2"}) {
        input.hosts[site].health = engine::HostHealthState::Failed;
        input.hosts[site].missedRounds = 7;
        input.hosts[site].libvirt = hv::Reachability::Unreachable;
        input.hosts[site].fence = engine::FenceStatus::Confirmed;
    }
    for (const char* primary : {"fax-a", "fax-b"}) {
        input.memory[primary].state = engine::ServiceState::Failure;
        input.memory[primary].host = "h1";
    }
    runsOn(input, "dr", "h3");
    input.ledger = {seat("fax-a", "h1"), seat("fax-b", "h1")};
    const auto decision = engine::decide(input);
    // fax-a (higher priority) is stood in for; fax-b's seat is given back, fax-b stays down.
    const auto* handed = change(decision, LedgerEvent::Transfer, "dr");
    REQUIRE(handed != nullptr);
    CHECK(handed->onBehalfOf == "fax-a");
    CHECK(handed->fromHost == "h1");
    CHECK(change(decision, LedgerEvent::Revoke, "fax-b") != nullptr);
    CHECK(decision.seats == engine::Ledger{{"lic", "dr", "fax-a", "h3", input.now, true}});
    CHECK(decision.memory.at("fax-b").reason.find("dr already stands in for fax-a (capacity 1)") != std::string::npos);
    CHECK(decision.actions.empty());
}

TEST_CASE("licensing: demoting a standby runs the revoke step before the seat is free", "[engine]") {
    auto policy = licensedCluster(1, true);
    addStandby(policy, 1);
    auto input = inputFor(policy);
    runsOn(input, "dr", "h3");
    input.memory["fax-a"] = {engine::ServiceState::Failure, "h1"};
    input.memory["fax-b"] = {engine::ServiceState::Failure, "h1"};
    input.ledger = {seat("dr", "h3", true, "fax-a")};
    input.commands = {{faxover::orchestrator::engine::Verb::Demote, "dr", "", "admin:alice"}};
    auto decision = engine::decide(input);
    REQUIRE(decision.verdicts.front().accepted);
    const auto* revoke = action(decision, ActionKind::RevokeLicence, "dr");
    REQUIRE(revoke != nullptr);
    CHECK(revoke->onBehalfOf == "fax-a");
    CHECK(revoke->actor == "admin:alice");
    CHECK(decision.seats.size() == 1);  // still held while the step runs
    CHECK(action(decision, ActionKind::Start, "fax-a") == nullptr);

    input.commands.clear();
    for (const auto& [name, memory] : decision.memory) input.memory[name] = memory;
    input.finished = {{*revoke, true, "revoked"}};
    decision = engine::decide(input);
    CHECK(change(decision, LedgerEvent::RevokeRun, "dr") != nullptr);
    const auto* given = change(decision, LedgerEvent::Revoke, "dr");
    REQUIRE(given != nullptr);
    CHECK(given->actor == "admin:alice");
    // The primary is free to start now, on a seat of its own.
    CHECK(action(decision, ActionKind::Start, "fax-a") != nullptr);
    CHECK(change(decision, LedgerEvent::Grant, "fax-a") != nullptr);
}

TEST_CASE("licensing: the same input gives the same ledger decision", "[engine]") {
    auto policy = licensedCluster(1, true);
    addStandby(policy, 2);
    const auto input = h1Lost(policy, engine::FenceStatus::Confirmed);
    const auto first = engine::decide(input);
    const auto second = engine::decide(input);
    CHECK(first.ledger == second.ledger);
    CHECK(first.seats == second.seats);
    CHECK(first.actions == second.actions);
}
