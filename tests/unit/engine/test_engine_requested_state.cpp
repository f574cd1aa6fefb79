// decide() on hand-built inputs for the requested state (docs/engine.md, rule 2): a VM an admin
// asked to be off is shut down, never fenced for, restarted or placed, and an admin's start is
// not a restart. The scenarios vm-stop-* and disable-enable-licence cover it end to end.
#include "engine_test_support.h"
#include "faxover/orchestrator/engine/Engine.h"

#include <catch2/catch.hpp>

namespace {

namespace engine = faxover::orchestrator::engine;
namespace policy = faxover::policy;
namespace hv = faxover::hv;
using engine::ActionKind;
using engine::RequestedState;
using engine::ServiceState;
using engine::Verb;

// fax-a on h1 of h1..h3, allowed no restart and no relocation: any start counted as one ends in error.
struct OneService {
    policy::Policy policy;
    engine::EngineInput input;

    OneService() {
        engine::test::addHealthyHosts(policy, input, {"h1", "h2", "h3"});
        policy::ServicePolicy service;
        service.name = "fax-a";
        service.domain = {policy::DomainRef::Kind::Name, "fax-a"};
        service.telephony = policy::TelephonyMode::Sr140;
        service.maxRestart = 0;
        service.maxRelocate = 0;
        policy.services.push_back(service);
        input.policy = &policy;
        input.services["fax-a"].memoryMiB = 1024;
        input.services["fax-a"].vcpus = 1;
        input.memory["fax-a"].host = "h1";
    }

    void runsOnH1() {
        input.services["fax-a"].copies = {{"h1", hv::DomainState::Running}};
        input.memory["fax-a"].state = ServiceState::Ok;
    }
    void offOnH1(RequestedState requested) {
        input.services["fax-a"].copies = {{"h1", hv::DomainState::Shutoff}};
        input.memory["fax-a"].state = requested == RequestedState::Disabled ? ServiceState::Disabled
                                                                            : ServiceState::VmStopped;
        input.memory["fax-a"].requested = requested;
    }
    void command(Verb verb) { input.commands = {{verb, "fax-a", "", "admin:test"}}; }
};

}  // namespace

TEST_CASE("requested state: vm stop shuts a running VM down in the same decision", "[engine]") {
    OneService cluster;
    cluster.runsOnH1();
    cluster.command(Verb::VmStop);
    const auto decision = engine::decide(cluster.input);
    REQUIRE(decision.verdicts.size() == 1);
    CHECK(decision.verdicts.front().accepted);
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions.front().kind == ActionKind::Shutdown);
    CHECK(decision.actions.front().host == "h1");
    CHECK(decision.actions.front().actor == "admin:test");
    CHECK(decision.memory.at("fax-a").state == ServiceState::ShuttingDown);
    CHECK(decision.memory.at("fax-a").requested == RequestedState::Stopped);
}

TEST_CASE("requested state: a VM asked to be off on a failed host is neither fenced for nor started", "[engine]") {
    OneService cluster;
    cluster.input.memory["fax-a"].state = ServiceState::Suspect;  // h1 went silent while fax-a ran there
    cluster.input.hosts["h1"].health = engine::HostHealthState::Failed;
    cluster.input.hosts["h1"].libvirt = hv::Reachability::Unreachable;
    cluster.command(Verb::VmStop);
    const auto decision = engine::decide(cluster.input);
    REQUIRE(decision.verdicts.size() == 1);
    CHECK(decision.verdicts.front().accepted);
    CHECK(decision.actions.empty());
    CHECK(decision.memory.at("fax-a").state == ServiceState::ShuttingDown);
    CHECK_THAT(decision.memory.at("fax-a").reason, Catch::Contains("h1 out of sight"));

    // Seen off before its host went silent: it stays vm-stopped, and nothing is said or done.
    cluster.offOnH1(RequestedState::Stopped);
    cluster.input.services["fax-a"].copies.clear();
    cluster.input.commands.clear();
    const auto later = engine::decide(cluster.input);
    CHECK(later.actions.empty());
    CHECK(later.log.empty());
    CHECK_FALSE(later.memory.contains("fax-a"));
}

TEST_CASE("requested state: a copy found running while asked to be off is shut down, even in error", "[engine]") {
    OneService cluster;
    cluster.offOnH1(RequestedState::Disabled);
    cluster.input.memory["fax-a"].state = ServiceState::Error;
    cluster.input.services["fax-a"].copies = {{"h2", hv::DomainState::Running}};
    const auto decision = engine::decide(cluster.input);
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions.front().kind == ActionKind::Shutdown);
    CHECK(decision.actions.front().host == "h2");
    CHECK_THAT(decision.memory.at("fax-a").reason, Catch::Contains("running on h2 but kept off as asked (disable)"));
}

TEST_CASE("requested state: vm start is a start in place, not a restart, with max_restart 0", "[engine]") {
    OneService cluster;
    cluster.offOnH1(RequestedState::Stopped);
    cluster.command(Verb::VmStart);
    const auto decision = engine::decide(cluster.input);
    REQUIRE(decision.verdicts.size() == 1);
    CHECK(decision.verdicts.front().accepted);
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions.front().kind == ActionKind::Start);
    CHECK(decision.actions.front().host == "h1");
    const auto& memory = decision.memory.at("fax-a");
    CHECK(memory.requested == RequestedState::Started);
    CHECK(memory.state == ServiceState::Recovering);
    CHECK(memory.restarts == 0);
    CHECK(memory.relocations == 0);
}

TEST_CASE("requested state: the verbs refuse what does not fit the requested state", "[engine]") {
    OneService cluster;
    cluster.offOnH1(RequestedState::Disabled);
    const auto verdictOf = [&](Verb verb) {
        cluster.command(verb);
        const auto decision = engine::decide(cluster.input);
        REQUIRE(decision.verdicts.size() == 1);
        CHECK(decision.actions.empty());
        return decision.verdicts.front();
    };
    for (const Verb verb : {Verb::Migrate, Verb::Failover, Verb::Resume, Verb::Suspend, Verb::VmStart}) {
        INFO(engine::toString(verb));
        const auto verdict = verdictOf(verb);
        CHECK_FALSE(verdict.accepted);
        CHECK_THAT(verdict.message, Catch::Contains("'faxover enable fax-a'"));
    }
    CHECK_FALSE(verdictOf(Verb::Disable).accepted);  // already
    CHECK_FALSE(verdictOf(Verb::VmStop).accepted);   // a disable is undone by enable only

    cluster.runsOnH1();
    cluster.input.memory["fax-a"].requested = RequestedState::Started;
    cluster.input.memory["fax-a"].state = ServiceState::Suspended;
    const auto monitoringOff = verdictOf(Verb::VmStop);
    CHECK_FALSE(monitoringOff.accepted);
    CHECK_THAT(monitoringOff.message, Catch::Contains("'faxover resume fax-a' first"));
}
