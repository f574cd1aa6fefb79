// GuestAgents as the runtime's command port: a command line with a fresh id on the channel, the
// reply with that id answers it; other replies are ignored; no reply is a timeout.
#include "agent_test_support.h"

#include <future>
#include <thread>

using namespace faxover::orchestrator;
using namespace faxover::orchestrator::agent;
using namespace faxover::orchestrator::agent::test;
using namespace std::chrono_literals;
using faxover::hv::ErrorKind;

namespace {

ports::GuestAgentRequest request(ports::GuestAgentCommand command, std::chrono::milliseconds timeout = 200ms) {
    return {command, "fax", "a", "fax1", timeout};
}

// The command the host wrote into the guest's channel, waiting up to 5 s for it.
faxguest::Command commandSent(AgentFixture& f) {
    std::string written;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (written.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        written += f.sim.takeWrittenToGuest("fax1", kChannel);
        std::this_thread::sleep_for(1ms);
    }
    auto parsed = faxguest::parseLine(written);
    INFO(written);
    REQUIRE(parsed.has_value());
    REQUIRE(std::holds_alternative<faxguest::Command>(parsed.value()));
    return std::get<faxguest::Command>(parsed.value());
}

faxguest::Reply replyTo(const faxguest::Command& command, bool ok, std::string detail) {
    faxguest::Reply reply;
    reply.id = command.id;
    reply.kind = command.kind;
    reply.ok = ok;
    reply.detail = std::move(detail);
    return reply;
}

}  // namespace

TEST_CASE("agent command: quiesce is written with a fresh id and its reply answers it", "[agent]") {
    AgentFixture f(AgentFixture::fastSettings());
    auto first = std::async(std::launch::async, [&] { return f.agents.run(request(ports::GuestAgentCommand::Quiesce, 30s)); });
    const auto quiesce = commandSent(f);
    CHECK(quiesce.kind == faxguest::CommandKind::Quiesce);
    CHECK(quiesce.timeoutMs == 30000);
    f.guestWrites(faxguest::encodeLine(replyTo(quiesce, true, "quiesced: no call in progress")));
    const auto done = first.get();
    REQUIRE(done.has_value());
    CHECK(done.value() == "quiesced: no call in progress");

    auto second = std::async(std::launch::async, [&] { return f.agents.run(request(ports::GuestAgentCommand::Resume, 5s)); });
    const auto resume = commandSent(f);
    CHECK(resume.kind == faxguest::CommandKind::Resume);
    CHECK(resume.id != quiesce.id);
    f.guestWrites(faxguest::encodeLine(replyTo(resume, false, "faxstate ttyIAX0 failed: exit 1")));
    const auto refused = second.get();
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().kind == ErrorKind::OperationFailed);
    CHECK_THAT(refused.error().message, Catch::EndsWith(": faxstate ttyIAX0 failed: exit 1"));
    CHECK(f.agents.counters("fax")->replies == 2);
}

TEST_CASE("agent command: a reply with another id is ignored and the command times out", "[agent]") {
    AgentFixture f;
    const auto started = std::chrono::steady_clock::now();
    auto pending = std::async(std::launch::async, [&] { return f.agents.run(request(ports::GuestAgentCommand::Quiesce)); });
    const auto quiesce = commandSent(f);
    auto stray = replyTo(quiesce, true, "not yours");
    stray.id = "someone-else";
    f.guestWrites(faxguest::encodeLine(stray));
    auto wrongKind = replyTo(quiesce, true, "a resume's reply");
    wrongKind.kind = faxguest::CommandKind::Resume;
    f.guestWrites(faxguest::encodeLine(wrongKind));
    const auto result = pending.get();
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().kind == ErrorKind::Timeout);
    CHECK(std::chrono::steady_clock::now() - started >= 250ms);  // the timeout and its margin
    CHECK(f.agents.counters("fax")->unknownReplies == 2);
    // A late reply to the timed-out command is one to no command too.
    f.guestWrites(faxguest::encodeLine(replyTo(quiesce, true, "late")));
    CHECK(f.agents.counters("fax")->unknownReplies == 3);
}

TEST_CASE("agent command: the channel's end while waiting fails the command at once", "[agent]") {
    AgentFixture f;
    auto pending =
        std::async(std::launch::async, [&] { return f.agents.run(request(ports::GuestAgentCommand::Quiesce, 30s)); });
    (void)commandSent(f);
    const auto started = std::chrono::steady_clock::now();
    SIM_REQUIRE_OK(f.sim.crashDomain("a", "fax1"));
    const auto result = pending.get();
    CHECK(std::chrono::steady_clock::now() - started < 10s);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().kind == ErrorKind::OperationFailed);
    CHECK_THAT(result.error().message, Catch::Contains("no reply before"));
}

TEST_CASE("agent command: restarting the fax service is the protocol's restart_service", "[agent]") {
    AgentFixture f;
    auto pending = std::async(std::launch::async,
                              [&] { return f.agents.run(request(ports::GuestAgentCommand::RestartService)); });
    const auto restart = commandSent(f);
    CHECK(restart.kind == faxguest::CommandKind::RestartService);
    f.guestWrites(faxguest::encodeLine(replyTo(restart, true, "faxq restarted")));
    const auto result = pending.get();
    REQUIRE(result.has_value());
    CHECK_THAT(result.value(), Catch::Contains("faxq restarted"));
}

TEST_CASE("agent command: what the link cannot carry is refused, not sent", "[agent]") {
    AgentFixture f;
    auto plain = request(ports::GuestAgentCommand::Quiesce);
    plain.service = "plain";
    plain.domain = "fax2";
    const auto noAgent = f.agents.run(plain);
    REQUIRE_FALSE(noAgent.has_value());
    CHECK(noAgent.error().kind == ErrorKind::NotSupported);
    CHECK(noAgent.error().message == "service plain has no guest_agent in the policy");
    SIM_REQUIRE_OK(f.sim.cutNetwork("a"));
    const auto unreachable = f.agents.run(request(ports::GuestAgentCommand::Resume));
    REQUIRE_FALSE(unreachable.has_value());
    CHECK(unreachable.error().kind == ErrorKind::HostUnreachable);
    CHECK(f.sim.takeWrittenToGuest("fax1", kChannel).empty());
}
