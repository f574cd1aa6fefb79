// The guest agent's protocol: what one side writes the other reads back, and every malformed line
// is refused with an error naming what is wrong, never a crash.
#include "faxover/faxguest/Protocol.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>

using namespace faxover::faxguest;

namespace {

Heartbeat sampleHeartbeat() {
    Heartbeat h;
    h.seq = 7;
    h.agentVersion = "0.1.0";
    h.agentRssKiB = 2048;
    h.product = "hylafax";
    h.productVersion = "6.0.7";
    h.healthy = false;
    h.quiesced = true;
    h.checks = {{"faxq", "process", true, "pid 42", 1}, {"hfaxd", "hylafax", false, "no 220 greeting within 2000 ms", 2000}};
    h.telephony.boards = {{"0000:00:05.0", "0x12e4", "0x4001"}};
    h.telephony.softModem = true;
    h.telephony.modems = {{"ttyIAX0", "Running and idle"}};
    h.queues = {3, 1, 1};
    h.licence = {"licensed", "seat 1"};
    return h;
}

// A valid heartbeat line with `from` replaced by `to` (which must occur in it).
std::string heartbeatWith(const std::string& from, const std::string& to) {
    std::string line = encodeLine(sampleHeartbeat());
    const std::size_t at = line.find(from);
    REQUIRE(at != std::string::npos);
    return line.replace(at, from.size(), to);
}

std::string errorOf(const std::string& line) {
    const ParseResult parsed = parseLine(line);
    return parsed.has_error() ? parsed.error().message : "(accepted)";
}

}  // namespace

TEST_CASE("a heartbeat reads back as it was written, on one line") {
    const std::string line = encodeLine(sampleHeartbeat());
    CHECK(line.find('\n') == line.size() - 1);
    CHECK(line.rfind(R"({"v":1,"type":"heartbeat","seq":7,)", 0) == 0);
    const Heartbeat back = std::get<Heartbeat>(parseLine(line).value());
    CHECK(back.seq == 7);
    CHECK(back.agentVersion == "0.1.0");
    CHECK(back.agentRssKiB == 2048);
    CHECK(back.productVersion == "6.0.7");
    CHECK_FALSE(back.healthy);
    CHECK(back.quiesced);
    REQUIRE(back.checks.size() == 2);
    CHECK(back.checks[1].detail == "no 220 greeting within 2000 ms");
    CHECK(back.checks[1].elapsedMs == 2000);
    REQUIRE(back.telephony.boards.size() == 1);
    CHECK(back.telephony.boards[0].vendor == "0x12e4");
    CHECK(back.telephony.softModem);
    CHECK_FALSE(back.telephony.sr140);
    CHECK(back.telephony.modems.at(0).state == "Running and idle");
    CHECK(back.queues.outbound == 3);
    CHECK(back.queues.inbound == 1);
    CHECK(back.queues.active == 1);
    CHECK(back.licence.state == "licensed");
}

TEST_CASE("commands and replies read back") {
    for (CommandKind kind : {CommandKind::Quiesce, CommandKind::Resume, CommandKind::LicenceApply,
                             CommandKind::LicenceRevoke, CommandKind::SelfTest, CommandKind::SendTestFax,
                             CommandKind::RestartService}) {
        const Command back = std::get<Command>(parseLine(encodeLine(Command{"c1", kind, 30000})).value());
        CHECK(back.id == "c1");
        CHECK(back.kind == kind);
        CHECK(back.timeoutMs == (kind == CommandKind::Quiesce ? 30000 : 0));
        const Reply reply = std::get<Reply>(parseLine(encodeLine(Reply{"c1", kind, true, "done", {{"q", "process", true, "", 0}}})).value());
        CHECK(reply.kind == kind);
        CHECK(reply.ok);
        CHECK(reply.checks.size() == 1);
    }
}

TEST_CASE("text a check captured cannot break the line") {
    Heartbeat h = sampleHeartbeat();
    h.checks[0].detail = std::string("line one\nline two\t\"quoted\" \xff\xfe ") + std::string(5000, 'x');
    const std::string line = encodeLine(h);
    CHECK(line.find('\n') == line.size() - 1);
    const Heartbeat back = std::get<Heartbeat>(parseLine(line).value());
    CHECK(back.checks[0].detail.size() == kMaxTextBytes);
    CHECK(back.checks[0].detail.rfind("line one?line two?\"quoted\" ?? x", 0) == 0);
}

TEST_CASE("malformed lines are refused with the field named") {
    CHECK(errorOf("") .rfind("not valid JSON", 0) == 0);
    CHECK(errorOf("{\"v\":1,").rfind("not valid JSON", 0) == 0);
    CHECK(errorOf("garbage\x01\x02") .rfind("not valid JSON", 0) == 0);
    CHECK(errorOf("[1,2,3]") == "not a JSON object");
    // Poco's parser refuses a bare scalar itself.
    for (const char* scalar : {"\"text\"", "42", "null", "true"}) CHECK(errorOf(scalar).rfind("not ", 0) == 0);
    CHECK(errorOf(R"({"v":true,"type":"heartbeat"})") == "v: expected an integer");
    CHECK(errorOf("{}") == "v: missing");
    CHECK(errorOf(R"({"v":"1","type":"heartbeat"})") == "v: expected an integer");
    CHECK(errorOf(R"({"v":1.5,"type":"heartbeat"})") == "v: expected an integer");
    CHECK(errorOf(R"({"v":2,"type":"heartbeat"})") == "unsupported protocol version 2 (this side speaks 1)");
    CHECK(errorOf(R"({"v":0,"type":"heartbeat"})") == "unsupported protocol version 0 (this side speaks 1)");
    CHECK(errorOf(R"({"v":-1,"type":"heartbeat"})") == "unsupported protocol version -1 (this side speaks 1)");
    CHECK(errorOf(R"({"v":99999999999999999999,"type":"heartbeat"})").rfind("not valid JSON", 0) == 0);
    CHECK(errorOf(R"({"v":18446744073709551615,"type":"heartbeat"})").rfind("unsupported protocol version", 0) == 0);
    CHECK(errorOf(R"({"v":1})") == "type: missing");
    CHECK(errorOf(R"({"v":1,"type":7})") == "type: expected a string");
    CHECK(errorOf(R"({"v":1,"type":"hello"})") == "type: unknown message type 'hello'");
    CHECK(errorOf(R"({"v":1,"type":"command","id":"a","command":"format_disk"})") ==
          "command: unknown command 'format_disk'");
    CHECK(errorOf(R"({"v":1,"type":"command","id":"a","command":"quiesce"})") == "timeout_ms: missing");
    CHECK(errorOf(R"({"v":1,"type":"command","id":"a","command":"quiesce","timeout_ms":-5})") ==
          "timeout_ms: must not be negative");
    CHECK(errorOf(R"({"v":1,"type":"command","id":"a","command":"quiesce","timeout_ms":1e3})") ==
          "timeout_ms: expected an integer");
    CHECK(errorOf(R"({"v":1,"type":"command","id":["a"],"command":"resume"})") == "id: expected a string");
    CHECK(errorOf(R"({"v":1,"type":"reply","id":"a","command":"resume","ok":"yes","detail":"","checks":[]})") ==
          "ok: expected a boolean");
    CHECK(errorOf(R"({"v":1,"type":"reply","id":"a","command":"resume","ok":1,"detail":"","checks":[]})") ==
          "ok: expected a boolean");
}

TEST_CASE("every heartbeat field is checked") {
    CHECK(errorOf(heartbeatWith(R"("seq":7)", R"("seq":-7)")) == "seq: must not be negative");
    CHECK(errorOf(heartbeatWith(R"("seq":7,)", "")) == "seq: missing");
    CHECK(errorOf(heartbeatWith(R"("seq":7)", R"("seq":true)")) == "seq: expected an integer");
    CHECK(errorOf(heartbeatWith(R"("agent":{)", R"("agent":7,"x":{)")) == "agent: expected an object");
    CHECK(errorOf(heartbeatWith(R"("rss_kib":2048)", R"("rss_kib":null)")) == "agent.rss_kib: expected an integer");
    CHECK(errorOf(heartbeatWith(R"("name":"hylafax")", R"("name":false)")) == "product.name: expected a string");
    CHECK(errorOf(heartbeatWith(R"("healthy":false)", R"("healthy":0)")) == "healthy: expected a boolean");
    CHECK(errorOf(heartbeatWith(R"("checks":[)", R"("checks":{"a":[)")).rfind("not valid JSON", 0) == 0);
    CHECK(errorOf(heartbeatWith(R"("checks":[{"name":"faxq")", R"("checks":[1,{"name":"faxq")")) ==
          "checks[0]: expected an object");
    CHECK(errorOf(heartbeatWith(R"("ok":false)", R"("ok":"false")")) == "checks[1].ok: expected a boolean");
    CHECK(errorOf(heartbeatWith(R"("vendor":"0x12e4")", R"("vendor":4836)")) ==
          "telephony.boards[0].vendor: expected a string");
    CHECK(errorOf(heartbeatWith(R"("soft_modem":true)", R"("soft_modem":"on")")) ==
          "telephony.soft_modem: expected a boolean");
    CHECK(errorOf(heartbeatWith(R"("modems":[)", R"("modems":"x","y":[)")) == "telephony.modems: expected an array");
    CHECK(errorOf(heartbeatWith(R"("outbound":3)", R"("outbound":3.0)")) == "queues.outbound: expected an integer");
    CHECK(errorOf(heartbeatWith(R"("active":1)", R"("active":-1)")) == "queues.active: must not be negative");
    CHECK(errorOf(heartbeatWith(R"("state":"licensed")", R"("state":"pirated")")) ==
          "licence.state: unknown licence state 'pirated'");
    CHECK(errorOf(heartbeatWith(R"("licence":{)", R"("licence":[],"z":{)")) == "licence: expected an object");
}

TEST_CASE("sizes are bounded: lines, strings, lists, nesting") {
    CHECK(errorOf(std::string(kMaxLineBytes + 1, ' ')) == "line longer than 65536 bytes");
    CHECK(errorOf(heartbeatWith(R"("version":"0.1.0")", "\"version\":\"" + std::string(kMaxTextBytes + 1, 'a') + "\"")) ==
          "agent.version: longer than 512 bytes");
    std::string checks = R"("checks":[)";
    for (std::size_t i = 0; i <= kMaxChecks; ++i) {
        checks += std::string(i ? "," : "") + R"({"name":"c","kind":"process","ok":true,"detail":"","ms":0})";
    }
    CHECK(errorOf(heartbeatWith(R"("checks":[)", checks + "],\"old\":[")) == "checks: more than 32 entries");
    const std::string deep = R"({"v":1,"type":"heartbeat","x":)" + std::string(100, '[') + std::string(100, ']') + "}";
    CHECK(errorOf(deep).rfind("not valid JSON", 0) == 0);
    // Unknown fields are ignored, so that a newer agent of the same version can add some.
    CHECK(parseLine(heartbeatWith(R"("seq":7,)", R"("seq":7,"extra":{"a":[1,2]},)")).has_value());
}

TEST_CASE("random bytes and mutated lines never crash the parser") {
    std::mt19937 random(15);
    const std::string valid = encodeLine(sampleHeartbeat());
    for (int round = 0; round < 3000; ++round) {
        std::string line = valid;
        const int edits = 1 + static_cast<int>(random() % 8);
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = random() % line.size();
            switch (random() % 3) {
                case 0: line[at] = static_cast<char>(random() % 256); break;
                case 1: line.erase(at, 1 + random() % 20); break;
                default: line.insert(at, valid.substr(random() % valid.size(), random() % 40)); break;
            }
            if (line.empty()) line = "x";
        }
        const ParseResult parsed = parseLine(line);
        CHECK((parsed.has_value() || !parsed.error().message.empty()));
    }
}

TEST_CASE("the line reader splits a stream and drops overlong lines whole") {
    LineReader reader(10);
    auto items = reader.feed("abc\nde");
    REQUIRE(items.size() == 1);
    CHECK(items[0].line == "abc");
    items = reader.feed("f\n0123456789ABCDEF");
    REQUIRE(items.size() == 2);
    CHECK(items[0].line == "def");
    CHECK(items[1].error == "line longer than 10 bytes dropped");
    items = reader.feed("more of it\nok\n");
    REQUIRE(items.size() == 1);
    CHECK(items[0].line == "ok");
    CHECK(reader.feed("0123456789\n").at(0).line == "0123456789");
}
