// The agent's pieces that need no HylaFAX: running programs, the scheduler's modem lines, queue
// depths from a spool's files, the telephony seen on a PCI bus.
#include "Checks.h"
#include "Hylafax.h"
#include "Run.h"

#include "TempDir.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>

using namespace faxover::faxguest;
using namespace faxover::faxguest::agent;
using namespace std::chrono_literals;

namespace {

void write(const std::filesystem::path& file, const std::string& text) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
}

}  // namespace

TEST_CASE("programs run with their exit status, output and a timeout") {
    const RunResult ok = runProgram({"/bin/sh", "-c", "echo one; echo two >&2; exit 3"}, 5000ms);
    CHECK(ok.started);
    CHECK_FALSE(ok.timedOut);
    CHECK(ok.exitCode == 3);
    CHECK(describe(ok, 5000ms) == "exit 3: two");
    const auto start = std::chrono::steady_clock::now();
    const RunResult slow = runProgram({"/bin/sh", "-c", "sleep 30 & sleep 30"}, 300ms);
    CHECK(slow.timedOut);
    CHECK(std::chrono::steady_clock::now() - start < 3s);
    CHECK(describe(slow, 300ms) == "timed out after 300 ms");
    const RunResult missing = runProgram({"/nonexistent/program"}, 1000ms);
    CHECK_FALSE(missing.started);
    CHECK(describe(missing, 1000ms).rfind("cannot start /nonexistent/program", 0) == 0);
}

TEST_CASE("checks: process (by its name as the kernel cuts it), tcp, command") {
    CHECK(runCheck({"self", CheckConfig::Kind::Process, "faxguest_unit_tests", "", 0, {}, 1000ms}).ok);
    const CheckResult absent = runCheck({"none", CheckConfig::Kind::Process, "no-such-proc", "", 0, {}, 1000ms});
    CHECK_FALSE(absent.ok);
    CHECK(absent.detail == "no-such-proc is not running");
    const CheckResult closed = runCheck({"port", CheckConfig::Kind::Tcp, "", "127.0.0.1", 1, {}, 1000ms});
    CHECK_FALSE(closed.ok);
    CHECK(closed.kind == "tcp");
    CHECK(runCheck({"cmd", CheckConfig::Kind::Command, "", "", 0, {"/bin/true"}, 1000ms}).ok);
    CHECK(runCheck({"cmd", CheckConfig::Kind::Command, "", "", 0, {"/bin/false"}, 1000ms}).detail == "exit 1");
}

TEST_CASE("modem states from faxstat -s") {
    const auto modems = parseModemStates(
        "HylaFAX scheduler on fax1: Running\r\nModem ttyIAX0 (+1.555.0100): Running and idle\r\n"
        "Modem ttyIAX1 (): Sending job 12\nModem boardA: Waiting for modem to come ready\nnoise\n");
    REQUIRE(modems.size() == 3);
    CHECK(modems[0].name == "ttyIAX0");
    CHECK(modems[0].state == "Running and idle");
    CHECK(modems[1].state == "Sending job 12");
    CHECK(modems[2].name == "boardA");
}

TEST_CASE("queue depths come from the spool's files") {
    faxover::test::TempDir spool("faxguest-");
    write(spool.path() / "sendq/q1", "tts:0\nstate:6\n");
    write(spool.path() / "sendq/q2", "state:5\n");
    write(spool.path() / "sendq/q17", "state:3\n");
    write(spool.path() / "sendq/seqf", "18");
    write(spool.path() / "recvq/fax00001.tif", "");
    write(spool.path() / "recvq/seqf", "2");
    const Queues queues = countQueues(spool.path().string());
    CHECK(queues.outbound == 3);
    CHECK(queues.active == 1);
    CHECK(queues.inbound == 1);
    CHECK(countQueues("/nonexistent").outbound == 0);
}

TEST_CASE("fax boards are seen by vendor id on the PCI bus") {
    faxover::test::TempDir root("faxguest-");
    write(root.path() / "0000:00:05.0/vendor", "0x12e4\n");
    write(root.path() / "0000:00:05.0/device", "0x4001\n");
    write(root.path() / "0000:00:06.0/vendor", "0x12C7\n");
    write(root.path() / "0000:00:06.0/device", "0x5000\n");
    write(root.path() / "0000:00:01.0/vendor", "0x8086\n");
    TelephonyConfig config;
    config.pciRoot = root.path().string();
    config.softModem = (root.path() / "0000:00:01.0").string();
    config.sr140 = (root.path() / "no-sr140").string();
    const Telephony seen = seeTelephony(config);
    REQUIRE(seen.boards.size() == 2);
    CHECK(seen.boards[0].address == "0000:00:05.0");
    CHECK(seen.boards[0].device == "0x4001");
    CHECK(seen.boards[1].vendor == "0x12c7");
    CHECK(seen.softModem);
    CHECK_FALSE(seen.sr140);
}

TEST_CASE("the agent's own RSS is read from /proc/self/status") { CHECK(ownRssKiB() > 0); }
