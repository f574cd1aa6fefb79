// decide() on hand-built inputs for fax health (docs/engine.md, "Fax health"): the escalation
// restart-service -> restart-vm -> relocate, its pacing from the input time, its reset when the
// fax service is back, lost heartbeats that never escalate, act off, and no guest data at all.
// The scenarios fax-*, heartbeats-lost-* and *quiesce* cover it end to end.
#include "engine_test_support.h"
#include "faxover/orchestrator/engine/Engine.h"

#include <catch2/catch.hpp>

#include <algorithm>

namespace {

namespace engine = faxover::orchestrator::engine;
namespace policy = faxover::policy;
namespace hv = faxover::hv;
using engine::ActionKind;
using engine::ServiceState;
using namespace std::chrono_literals;

// fax-a running on h1 of h1..h2, ok, with the default fax_health (down after 2, 2 service restarts
// 30 s apart, 1 VM restart, 1 relocation).
struct FaxOnH1 {
    policy::Policy policy;
    engine::EngineInput input;

    FaxOnH1() {
        engine::test::addHealthyHosts(policy, input, {"h1", "h2"});
        policy::ServicePolicy service;
        service.name = "fax-a";
        service.domain = {policy::DomainRef::Kind::Name, "fax-a"};
        service.telephony = policy::TelephonyMode::Sr140;
        policy.services.push_back(service);
        input.policy = &policy;
        input.now = engine::WallTime{} + 1h;
        auto& observed = input.services["fax-a"];
        observed.memoryMiB = 1024;
        observed.vcpus = 1;
        observed.copies = {{"h1", hv::DomainState::Running}};
        input.memory["fax-a"].host = "h1";
        input.memory["fax-a"].state = ServiceState::Ok;
        input.memory["fax-a"].since = input.now;
    }
    policy::FaxHealthPolicy& rules() { return policy.services[0].faxHealth; }
    void faxDown(int rounds) {
        auto& observed = input.services["fax-a"];
        observed.guest = engine::GuestHealth{.agentAnswered = true, .faxServiceUp = false, .detail = "faxq: not running"};
        observed.faxDownRounds = rounds;
    }
    void faxUp() {
        input.services["fax-a"].guest = engine::GuestHealth{.agentAnswered = true, .faxServiceUp = true};
        input.services["fax-a"].faxDownRounds = 0;
    }
    void silent(int rounds) {
        input.services["fax-a"].guest = engine::GuestHealth{};
        input.services["fax-a"].heartbeatsMissedRounds = rounds;
    }
    // Decides, then carries the memory it changed into the next input.
    engine::Decision decide() {
        engine::Decision decision = engine::decide(input);
        for (const auto& [name, memory] : decision.memory) input.memory[name] = memory;
        return decision;
    }
    static bool logged(const engine::Decision& decision, const std::string& part, engine::Severity severity) {
        return std::any_of(decision.log.begin(), decision.log.end(), [&](const engine::Event& event) {
            return event.message.find(part) != std::string::npos && event.severity == severity;
        });
    }
};

}  // namespace

TEST_CASE("fax health: no guest data leaves a running service exactly as before", "[engine][fax-health]") {
    FaxOnH1 fax;
    const auto decision = fax.decide();
    CHECK(decision.actions.empty());
    CHECK(decision.log.empty());
}

TEST_CASE("fax health: down for fewer than down_after heartbeats is not acted on", "[engine][fax-health]") {
    FaxOnH1 fax;
    fax.faxDown(1);
    const auto decision = fax.decide();
    CHECK(decision.actions.empty());
    CHECK(decision.log.empty());
}

TEST_CASE("fax health: restart the service, then the VM, then relocate cold; paced by the input time",
          "[engine][fax-health]") {
    FaxOnH1 fax;
    fax.faxDown(2);
    auto decision = fax.decide();
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions[0].kind == ActionKind::RestartFaxService);
    CHECK(decision.actions[0].host == "h1");
    CHECK(FaxOnH1::logged(decision, "fax service down on h1 for 2 heartbeats: faxq: not running", engine::Severity::Alert));

    fax.input.now += 10s;  // within restart_service.delay (30 s): nothing
    CHECK(fax.decide().actions.empty());

    fax.input.now += 20s;
    decision = fax.decide();
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions[0].kind == ActionKind::RestartFaxService);
    CHECK_FALSE(FaxOnH1::logged(decision, "fax service down on h1", engine::Severity::Alert));  // alerted once

    fax.input.now += 30s;
    decision = fax.decide();
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions[0].kind == ActionKind::RestartVm);
    CHECK(fax.input.memory["fax-a"].state == ServiceState::Recovering);

    fax.input.memory["fax-a"].state = ServiceState::Ok;  // the VM restart finished
    fax.input.now += 60s;
    decision = fax.decide();
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions[0].kind == ActionKind::ColdMove);
    CHECK(decision.actions[0].host == "h2");
    CHECK_FALSE(decision.actions[0].planned);

    fax.input.memory["fax-a"].state = ServiceState::Ok;
    fax.input.memory["fax-a"].host = "h2";
    fax.input.services["fax-a"].copies = {{"h2", hv::DomainState::Running}};
    fax.input.now += 60s;
    decision = fax.decide();
    CHECK(decision.actions.empty());
    CHECK(FaxOnH1::logged(decision, "every fax_health step is used", engine::Severity::Alert));
    CHECK(fax.decide().log.empty());  // once
}

TEST_CASE("fax health: the fax service back up ends the escalation", "[engine][fax-health]") {
    FaxOnH1 fax;
    fax.faxDown(2);
    fax.decide();
    fax.faxUp();
    const auto decision = fax.decide();
    CHECK(decision.actions.empty());
    CHECK(FaxOnH1::logged(decision, "fax service up on h1 (after 1 service restart)", engine::Severity::Info));
    CHECK(fax.input.memory["fax-a"].fax == engine::FaxEscalation{});
    fax.faxDown(2);  // down again: from the first step, at once
    REQUIRE(fax.decide().actions.size() == 1);
    CHECK(fax.input.memory["fax-a"].fax.serviceRestarts == 1);
}

TEST_CASE("fax health: lost heartbeats are alerted on, never escalate", "[engine][fax-health]") {
    FaxOnH1 fax;
    fax.silent(2);
    CHECK(fax.decide().log.empty());
    fax.silent(3);
    auto decision = fax.decide();
    CHECK(decision.actions.empty());
    CHECK(FaxOnH1::logged(decision, "heartbeats lost", engine::Severity::Alert));
    fax.silent(50);
    decision = fax.decide();
    CHECK(decision.actions.empty());
    CHECK(decision.log.empty());
    fax.faxUp();
    CHECK(FaxOnH1::logged(fax.decide(), "heartbeats back", engine::Severity::Info));
}

TEST_CASE("fax health: the alerts carry the failing check and the queues as fields", "[engine][fax-health]") {
    // The alert command reads them as FAXOVER_EVENT_FIELD_CHECK, ..._OUTBOUND (docs/daemon.md).
    FaxOnH1 fax;
    fax.faxDown(2);
    auto& guest = *fax.input.services["fax-a"].guest;
    guest.checks = {{"hylafax.hfaxd", true, "answers"}, {"hylafax.faxq", false, "not running"}, {"modem", false, "busy"}};
    guest.queues = {7, 2, 1};
    const auto field = [](const engine::Decision& decision, const std::string& part, const std::string& name) {
        for (const auto& event : decision.log)
            if (event.message.find(part) != std::string::npos)
                return event.field(name) == nullptr ? std::string("(absent)") : *event.field(name);
        return std::string("(no event)");
    };
    auto decision = fax.decide();
    CHECK(field(decision, "fax service down on h1", "fax") == "down");
    CHECK(field(decision, "fax service down on h1", "check") == "hylafax.faxq");  // the first failing one
    CHECK(field(decision, "fax service down on h1", "check_detail") == "not running");
    CHECK(field(decision, "fax service down on h1", "outbound") == "7");
    CHECK(field(decision, "fax service down on h1", "inbound") == "2");
    CHECK(field(decision, "fax service down on h1", "active") == "1");

    fax.faxUp();  // all checks ok: no check field, the queues still
    fax.input.services["fax-a"].guest->queues = {0, 3, 0};
    decision = fax.decide();
    CHECK(field(decision, "fax service up on h1", "check") == "(absent)");
    CHECK(field(decision, "fax service up on h1", "inbound") == "3");

    fax.silent(3);
    decision = fax.decide();
    CHECK(field(decision, "heartbeats lost", "fax") == "heartbeats-lost");
    CHECK(field(decision, "heartbeats lost", "missed_rounds") == "3");
}

TEST_CASE("fax health: act off alerts and does nothing", "[engine][fax-health]") {
    FaxOnH1 fax;
    fax.rules().act = false;
    fax.faxDown(5);
    const auto decision = fax.decide();
    CHECK(decision.actions.empty());
    CHECK(FaxOnH1::logged(decision, "fax_health act off: not acted on", engine::Severity::Alert));
}

TEST_CASE("planned moves are marked planned; an admin's migrate is one", "[engine][fax-health]") {
    FaxOnH1 fax;
    fax.input.commands = {{engine::Verb::Migrate, "fax-a", "h2", "admin:test"}};
    const auto decision = fax.decide();
    REQUIRE(decision.actions.size() == 1);
    CHECK(decision.actions[0].kind == ActionKind::LiveMigrate);
    CHECK(decision.actions[0].planned);
}
