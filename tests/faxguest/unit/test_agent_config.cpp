// The agent's config: what it reads, and every error with file:line:column.
#include "Config.h"

#include <catch2/catch.hpp>

#include <string>

using namespace faxover::faxguest::agent;

namespace {

std::string errorOf(const std::string& text) {
    try {
        parseConfig(text, "agent.yaml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("a full config reads") {
    const Config config = parseConfig(R"(heartbeat_interval_ms: 2000
transport:
  device: /dev/virtio-ports/org.faxover.agent.0
product: {name: hylafax, version: "6.0.7"}
checks:
  - name: faxq
    process: faxq
  - name: hfaxd-port
    tcp: {host: 127.0.0.1, port: 4559}
    timeout_ms: 500
  - name: disk
    command: [/bin/sh, -c, "test -w /var/spool/hylafax"]
hylafax:
  spool: /var/spool/hylafax
  port: 4559
  modems: [ttyIAX0, ttyIAX1]
  test_fax: {number: "5551234", document: /usr/share/doc/test.ps}
licence:
  status: [/usr/local/bin/licence, status]
  apply: [/usr/local/bin/licence, apply]
  revoke: [/usr/local/bin/licence, revoke]
  timeout_ms: 10000
telephony:
  board_vendors: ["0x12E4"]
  soft_modem: /etc/iaxmodem
)",
                                      "agent.yaml");
    CHECK(config.heartbeatInterval.count() == 2000);
    CHECK(config.transport.device == "/dev/virtio-ports/org.faxover.agent.0");
    CHECK(config.productVersion == "6.0.7");
    REQUIRE(config.checks.size() == 3);
    CHECK(config.checks[0].kind == CheckConfig::Kind::Process);
    CHECK(config.checks[1].kind == CheckConfig::Kind::Tcp);
    CHECK(config.checks[1].port == 4559);
    CHECK(config.checks[1].timeout.count() == 500);
    CHECK(config.checks[2].command.size() == 3);
    REQUIRE(config.hylafax);
    CHECK(config.hylafax->modems.size() == 2);
    CHECK(config.hylafax->testFaxNumber == "5551234");
    CHECK(config.licence.revoke.at(1) == "revoke");
    CHECK(config.telephony.boardVendors.at(0) == "0x12E4");
}

TEST_CASE("config errors name file, line and column") {
    CHECK(errorOf("") == "agent.yaml:1:1: the config is empty");
    CHECK(errorOf("checks: [") .rfind("agent.yaml:1:", 0) == 0);
    CHECK(errorOf("heartbeat_interval_ms: 5000\n") == "agent.yaml:1:1: transport is missing (device or tcp_listen)");
    CHECK(errorOf("transport: {tcp_listen: 0.0.0.0:7450}\nheartbeat: 5\n") ==
          "agent.yaml:2:1: unknown key 'heartbeat' in the agent's config (known: checks, heartbeat_interval_ms, hylafax, "
          "licence, product, restart_command, restart_timeout_ms, telephony, transport)");
    CHECK(errorOf("transport: {device: /dev/x, tcp_listen: 0.0.0.0:1}\n") ==
          "agent.yaml:1:12: transport needs exactly one of device, tcp_listen");
    CHECK(errorOf("transport: {device: /dev/x}\nheartbeat_interval_ms: soon\n") ==
          "agent.yaml:2:24: heartbeat_interval_ms must be an integer");
    CHECK(errorOf("transport: {device: /dev/x}\nheartbeat_interval_ms: 0\n") ==
          "agent.yaml:2:24: heartbeat_interval_ms must be between 1 and 86400000");
    CHECK(errorOf("transport: {device: /dev/x}\nchecks:\n  - name: a\n    process: faxq\n    tcp: {host: h, port: 1}\n") ==
          "agent.yaml:3:5: check 'a' needs exactly one of process, tcp, command");
    CHECK(errorOf("transport: {device: /dev/x}\nchecks:\n  - process: faxq\n") == "agent.yaml:3:5: a check needs a name");
    CHECK(errorOf("transport: {device: /dev/x}\nchecks:\n  - {name: a, process: x}\n  - {name: a, process: y}\n") ==
          "agent.yaml:4:5: two checks named 'a'");
    CHECK(errorOf("transport: {device: /dev/x}\nchecks:\n  - {name: a, tcp: {host: h, port: 70000}}\n") ==
          "agent.yaml:3:36: tcp.port must be between 1 and 65535");
    CHECK(errorOf("transport: {device: /dev/x}\nchecks:\n  - {name: a, command: [sh, -c, true]}\n") ==
          "agent.yaml:3:24: command must be a list: an absolute program path, then its arguments");
    CHECK(errorOf("transport: {device: /dev/x}\nhylafax: {spool: var/spool}\n") ==
          "agent.yaml:2:18: spool must be an absolute path");
    CHECK(errorOf("transport: {device: /dev/x}\nhylafax: {modems: ttyIAX0}\n") ==
          "agent.yaml:2:19: modems must be a list of strings");
    CHECK(errorOf("transport: {device: /dev/x}\nlicence: {apply: /bin/true}\n") ==
          "agent.yaml:2:18: licence.apply must be a list of strings");
    CHECK(errorOf("transport: [a]\n") == "agent.yaml:1:12: transport must be a mapping");
    std::string many = "transport: {device: /dev/x}\nchecks:\n";
    for (int i = 0; i < 28; ++i) many += "  - {name: c" + std::to_string(i) + ", process: x}\n";
    CHECK(errorOf(many) == "agent.yaml:3:3: at most 27 checks (a heartbeat carries 32, the HylaFAX check's among them)");
}
