// The guest agent against a real HylaFAX on this machine (label faxguest): healthy, faxq killed,
// hfaxd killed, hfaxd hung, a queue unreadable, quiesce holding a job and resume releasing it, and
// the daemon itself over TCP. Needs root and Debian's hylafax-server; fails without them.
#include "Agent.h"
#include "AgentProcess.h"
#include "Hylafax.h"
#include "Run.h"
#include "HylafaxSpool.h"

#include "faxover/faxguest/Protocol.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StreamSocket.h>

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace faxover::faxguest;
using namespace faxover::faxguest::agent;
using faxover::faxguest::test::eventually;
using faxover::faxguest::test::HylafaxSpool;
using namespace std::chrono_literals;

namespace {

constexpr auto kTimeout = 1000ms;

Config configFor(const HylafaxSpool& hylafax) {
    Config config;
    config.transport.tcpListen = "127.0.0.1:0";
    HylafaxConfig h;
    h.spool = hylafax.spool();
    h.port = hylafax.port();
    h.timeout = kTimeout;
    h.modems = {HylafaxSpool::kModem};
    h.testFaxNumber = "5550100";
    h.testFaxDocument = hylafax.spool() + "/doc.txt";
    config.hylafax = h;
    return config;
}

const CheckResult& check(const Heartbeat& heartbeat, const std::string& name) {
    const auto found = std::find_if(heartbeat.checks.begin(), heartbeat.checks.end(),
                                    [&](const CheckResult& c) { return c.name == name; });
    REQUIRE(found != heartbeat.checks.end());
    return *found;
}

// Every check but `failing` is ok, and those are not.
void expectOnlyFailing(const Heartbeat& heartbeat, const std::vector<std::string>& failing) {
    CHECK_FALSE(heartbeat.healthy);
    for (const CheckResult& c : heartbeat.checks) {
        INFO(c.name << ": " << c.detail);
        const bool expectedToFail = std::find(failing.begin(), failing.end(), c.name) != failing.end();
        CHECK(c.ok == !expectedToFail);
    }
}

Reply awaitReply(Agent& agent, std::chrono::milliseconds patience) {
    std::vector<Reply> replies;
    REQUIRE(eventually([&] { return !(replies = agent.poll()).empty(); }, patience));
    return replies.front();
}

}  // namespace

TEST_CASE("healthy: every HylaFAX check passes and the version comes from hfaxd's greeting") {
    HylafaxSpool hylafax;
    Agent agent(configFor(hylafax));
    const Heartbeat heartbeat = agent.heartbeat();
    for (const CheckResult& c : heartbeat.checks) {
        INFO(c.name << ": " << c.detail);
        CHECK(c.ok);
    }
    CHECK(heartbeat.healthy);
    CHECK(heartbeat.checks.size() == 5);
    CHECK(check(heartbeat, "hylafax.faxq").detail == "pid " + std::to_string(hylafax.faxqPid()));
    CHECK(check(heartbeat, "hylafax.protocol").detail.find("greeted, took USER (230) and QUIT") != std::string::npos);
    CHECK(heartbeat.product == "hylafax");
    CHECK_FALSE(heartbeat.productVersion.empty());
    CHECK(heartbeat.queues.outbound == 0);
    CHECK(heartbeat.agentRssKiB > 0);
    // What the orchestrator would read back.
    CHECK(std::get<Heartbeat>(parseLine(encodeLine(heartbeat)).value()).healthy);
}

TEST_CASE("faxq killed: its check and the scheduler's fail, hfaxd still answers") {
    HylafaxSpool hylafax;
    Agent agent(configFor(hylafax));
    hylafax.kill(hylafax.faxqPid());
    const Heartbeat heartbeat = agent.heartbeat();
    expectOnlyFailing(heartbeat, {"hylafax.faxq", "hylafax.scheduler"});
    CHECK(check(heartbeat, "hylafax.faxq").detail == "faxq is not running for " + hylafax.spool());
}

TEST_CASE("hfaxd killed: its check, the protocol and the scheduler (asked through hfaxd) fail") {
    HylafaxSpool hylafax;
    Agent agent(configFor(hylafax));
    hylafax.kill(hylafax.hfaxdPid());
    const Heartbeat heartbeat = agent.heartbeat();
    expectOnlyFailing(heartbeat, {"hylafax.hfaxd", "hylafax.protocol", "hylafax.scheduler"});
    CHECK(check(heartbeat, "hylafax.protocol").detail.find("onnection refused") != std::string::npos);
}

TEST_CASE("hfaxd hung (SIGSTOP): the process is there, the protocol times out, the heartbeat stays bounded") {
    HylafaxSpool hylafax;
    Agent agent(configFor(hylafax));
    REQUIRE(::kill(hylafax.hfaxdPid(), SIGSTOP) == 0);
    // kill() returns before the stop takes effect.
    REQUIRE(eventually(
        [&] {
            for (const ProcessInfo& p : findProcesses("hfaxd")) {
                if (p.pid == hylafax.hfaxdPid()) return p.state == 'T';
            }
            return false;
        },
        2s));
    const auto start = std::chrono::steady_clock::now();
    const Heartbeat heartbeat = agent.heartbeat();
    const auto took = std::chrono::steady_clock::now() - start;
    ::kill(hylafax.hfaxdPid(), SIGCONT);
    expectOnlyFailing(heartbeat, {"hylafax.protocol", "hylafax.scheduler"});
    CHECK(check(heartbeat, "hylafax.hfaxd").detail.find("(stopped)") != std::string::npos);
    CHECK(check(heartbeat, "hylafax.protocol").detail ==
          "127.0.0.1:" + std::to_string(hylafax.port()) + " did not answer within 1000 ms");
    CHECK(check(heartbeat, "hylafax.protocol").elapsedMs < 1900);
    CHECK(check(heartbeat, "hylafax.scheduler").detail == "faxstat -s: timed out after 1000 ms");
    CHECK(took < 4s);  // the protocol's timeout plus faxstat's
}

TEST_CASE("a queue unreadable by faxq's user fails the queues check") {
    HylafaxSpool hylafax;
    Agent agent(configFor(hylafax));
    const std::filesystem::path sendq = hylafax.spool() + "/sendq";
    std::filesystem::permissions(sendq, std::filesystem::perms::none);
    const Heartbeat heartbeat = agent.heartbeat();
    std::filesystem::permissions(sendq, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                            std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                            std::filesystem::perms::others_exec);
    expectOnlyFailing(heartbeat, {"hylafax.queues"});
    CHECK(check(heartbeat, "hylafax.queues").detail == "sendq is not readable by uucp");
    std::filesystem::remove_all(hylafax.spool() + "/recvq");
    CHECK(check(agent.heartbeat(), "hylafax.queues").detail == "recvq is missing or not a directory");
}

TEST_CASE("quiesce holds a new outbound job and resume releases it") {
    HylafaxSpool hylafax;
    Agent agent(configFor(hylafax));
    const std::optional<Reply> quiesced = agent.handle({"q1", CommandKind::Quiesce, 5000});
    REQUIRE(quiesced);  // no call in progress: answered at once
    CHECK(quiesced->ok);
    CHECK(quiesced->detail == "quiesced: no call in progress");
    CHECK(agent.quiesced());

    const std::string job = hylafax.submit("5550123");
    // Held: faxq has the job but gives it to no modem.
    CHECK_FALSE(eventually([&] { return !hylafax.sentLog().empty(); }, 4s));
    const Heartbeat held = agent.heartbeat();
    CHECK(held.quiesced);
    CHECK(held.queues.outbound == 1);
    CHECK(held.queues.active == 0);

    const std::optional<Reply> resumed = agent.handle({"r1", CommandKind::Resume, 0});
    REQUIRE(resumed);
    CHECK(resumed->ok);
    CHECK_FALSE(agent.quiesced());
    CHECK(eventually([&] { return hylafax.sentLog().find("sendq/q" + job) != std::string::npos; }, 10s));
}

TEST_CASE("quiesce waits for the call in progress, up to its timeout") {
    HylafaxSpool hylafax;
    Agent agent(configFor(hylafax));
    std::ofstream(hylafax.spool() + "/slow").flush();  // each call takes 4 s
    hylafax.submit("5550124");
    REQUIRE(eventually([&] { return !hylafax.sentLog().empty(); }, 10s));
    REQUIRE(eventually([&] { return countQueues(hylafax.spool()).active == 1; }, 2s));

    CHECK_FALSE(agent.handle({"q1", CommandKind::Quiesce, 300}));  // answered later
    const Reply late = awaitReply(agent, 3s);
    CHECK_FALSE(late.ok);
    CHECK(late.detail == "timed out with 1 call(s) still in progress (modems stay busy)");

    // Every quiesce gets one reply: one still waiting is superseded by the next.
    CHECK_FALSE(agent.handle({"q2", CommandKind::Quiesce, 10000}));
    CHECK_FALSE(agent.handle({"q3", CommandKind::Quiesce, 10000}));
    const Reply superseded = awaitReply(agent, 1s);
    CHECK(superseded.id == "q2");
    CHECK_FALSE(superseded.ok);
    CHECK(superseded.detail == "superseded by quiesce q3");
    const Reply done = awaitReply(agent, 10s);
    CHECK(done.id == "q3");
    CHECK(done.ok);
    CHECK(countQueues(hylafax.spool()).active == 0);
}

TEST_CASE("self-test and send-test-fax commands") {
    HylafaxSpool hylafax;
    Agent agent(configFor(hylafax));
    const std::optional<Reply> selfTest = agent.handle({"s1", CommandKind::SelfTest, 0});
    REQUIRE(selfTest);
    CHECK(selfTest->ok);
    CHECK(selfTest->detail == "5 checks, 0 failed");
    const std::optional<Reply> testFax = agent.handle({"t1", CommandKind::SendTestFax, 0});
    REQUIRE(testFax);
    CHECK(testFax->ok);
    CHECK(testFax->detail.rfind("request id is ", 0) == 0);
    CHECK(eventually([&] { return !hylafax.sentLog().empty(); }, 10s));
    const std::optional<Reply> licence = agent.handle({"l1", CommandKind::LicenceApply, 0});
    REQUIRE(licence);
    CHECK_FALSE(licence->ok);
    CHECK(licence->detail == "no licence command configured");
}

TEST_CASE("the daemon over TCP: heartbeats, a refused garbage line, a command answered") {
    HylafaxSpool hylafax;
    const std::uint16_t port = faxover::faxguest::test::freePort();
    const std::string config = hylafax.spool() + "/agent.yaml";
    std::ofstream(config) << "heartbeat_interval_ms: 500\n"
                          << "transport: {tcp_listen: 127.0.0.1:" << port << "}\n"
                          << "checks:\n  - {name: faxq-process, process: faxq}\n"
                          << "hylafax: {spool: " << hylafax.spool() << ", port: " << hylafax.port()
                          << ", timeout_ms: 1000, modems: [" << HylafaxSpool::kModem << "]}\n";
    faxover::faxguest::test::AgentProcess agent(config);

    Poco::Net::StreamSocket socket;
    REQUIRE(faxover::faxguest::test::connectWithin(socket, port, 5s));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    Poco::Net::SocketStream stream(socket);
    std::string line;
    REQUIRE(std::getline(stream, line));
    const Heartbeat first = std::get<Heartbeat>(parseLine(line).value());
    CHECK(first.healthy);
    CHECK(first.checks.size() == 6);
    stream << "this is not json\n" << encodeLine(Command{"c1", CommandKind::SelfTest, 0}) << std::flush;
    std::optional<Reply> reply;
    for (int i = 0; i < 20 && !reply && std::getline(stream, line); ++i) {
        const ParseResult parsed = parseLine(line);
        REQUIRE(parsed.has_value());
        const Message& message = parsed.value();
        if (const Reply* r = std::get_if<Reply>(&message)) reply = *r;
    }
    REQUIRE(reply);
    CHECK(reply->id == "c1");
    CHECK(reply->ok);
    CHECK(reply->checks.size() == 6);
}
