// Fax boards (docs/boards.md): board models, each host's boards, and the keys of a service in
// board telephony (trunk_group, board_models, telco_hook, shutdown_timeout).
#include "policy_test_support.h"

#include "faxover/policies/PolicyWriter.h"

#include <catch2/catch.hpp>

using namespace faxover::policy;
using namespace faxover::policy::test;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

constexpr std::string_view kBoardPolicy =
    "version: 1\n"                                                   // 1
    "board_models:\n"                                                // 2
    "  - {name: trufax, vendor_id: 0x12e4, device_id: 0x4001}\n"     // 3
    "  - {name: dialogic, vendor_id: 0x12C7, device_id: 0x4001}\n"   // 4
    "hosts:\n"                                                       // 5
    "  - name: hv1\n"                                                // 6
    "    uri: qemu:///system\n"                                      // 7
    "    fence: {method: manual}\n"                                  // 8
    "    boards:\n"                                                  // 9
    "      - {pci_address: \"0000:03:00.0\", model: trufax, trunk_group: pstn-a}\n"  // 10
    "      - {pci_address: \"04:00.1\", model: dialogic, trunk_group: pstn-b}\n";    // 11

std::string boardPolicyWith(std::string_view extra) { return std::string(kBoardPolicy) + std::string(extra); }

}  // namespace

TEST_CASE("board models and a host's boards", "[policy][boards]") {
    auto policy = loadValid(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: board, trunk_group: pstn-b}\n"));
    REQUIRE(policy.boardModels.size() == 2);
    CHECK(policy.boardModels[0].vendorId == 0x12e4);
    CHECK(policy.boardModels[1].vendorId == 0x12c7);
    CHECK(policy.boardModels[1].deviceId == 0x4001);
    const auto& boards = policy.hosts[0].boards;
    REQUIRE(boards.size() == 2);
    CHECK(boards[1].pciAddress == "0000:04:00.1");
    CHECK(boards[1].model == "dialogic");
    CHECK(boards[1].trunkGroup == "pstn-b");
    CHECK(policy.services[0].trunkGroup == "pstn-b");
}

TEST_CASE("board mistakes in IDs and addresses and models and trunk groups", "[policy][boards]") {
    auto yaml = std::string(kBoardPolicy);
    yaml.replace(yaml.find("0x12C7"), 6, "12c7");
    CHECK(onlyError(yaml).toString() ==
          "p.yaml:4:33: board_models[1].vendor_id: expected a 16-bit PCI ID in hex such as 0x12e4; found '12c7'");

    yaml = std::string(kBoardPolicy);
    yaml.replace(yaml.find("name: dialogic, vendor_id: 0x12C7"), 33, "name: dialogic, vendor_id: 0x12e4");
    CHECK(onlyError(yaml).toString() == "p.yaml:4:52: board_models[1].device_id: duplicate vendor_id:device_id pair "
                                        "'0x12e4:0x4001'; already used by board_models[0].device_id at line 3");

    yaml = std::string(kBoardPolicy);
    yaml.replace(yaml.find("04:00.1"), 7, "0000:03:00.0");
    CHECK(onlyError(yaml).toString() == "p.yaml:11:23: hosts[0].boards[1].pci_address: duplicate board 0000:03:00.0 on "
                                        "this host; one PCI address holds one board");

    yaml = std::string(kBoardPolicy);
    yaml.replace(yaml.find("04:00.1"), 7, "04:20.1");
    CHECK(onlyError(yaml).message == "expected a PCI address DDDD:BB:SS.F such as \"0000:03:00.0\"; found '04:20.1'");

    yaml = std::string(kBoardPolicy);
    yaml.replace(yaml.find("model: dialogic"), 15, "model: brooktrout");
    CHECK(onlyError(yaml).toString() == "p.yaml:11:41: hosts[0].boards[1].model: unknown board model 'brooktrout'; "
                                        "expected one of trufax, dialogic");

    CHECK(onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: board, trunk_group: pstn-c}\n"))
              .toString() == "p.yaml:13:57: services[0].trunk_group: unknown trunk group 'pstn-c'; expected one of "
                             "pstn-a, pstn-b (did you mean 'pstn-a'?)");
    CHECK(onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: sr140, trunk_group: pstn-a}\n"))
              .toString() == "p.yaml:13:44: services[0].trunk_group: applies to board and auto telephony only; this "
                             "service's telephony is sr140");
}

TEST_CASE("a board service's keys: models, telco hook and shutdown timeout", "[policy][boards]") {
    const auto policy = loadValid(boardPolicyWith(
        "services:\n"
        "  - name: inbound\n"
        "    domain: fax-inbound\n"
        "    telephony: board\n"
        "    trunk_group: pstn-a\n"
        "    board_models: [trufax, dialogic]\n"
        "    telco_hook: {command: /usr/local/sbin/pri-reroute, arguments: [--trunk, pstn-a], timeout: 45s}\n"
        "    shutdown_timeout: 10m\n"));
    const ServicePolicy& service = policy.services.at(0);
    CHECK(service.trunkGroup == "pstn-a");
    CHECK(service.boardModels == std::vector<std::string>{"trufax", "dialogic"});
    REQUIRE(service.telcoHook.has_value());
    CHECK(service.telcoHook->command == "/usr/local/sbin/pri-reroute");
    CHECK(service.telcoHook->arguments == std::vector<std::string>{"--trunk", "pstn-a"});
    CHECK(service.telcoHook->timeout == 45s);
    CHECK(service.shutdownTimeout == 10min);
}

TEST_CASE("a service without board keys gets the documented defaults", "[policy][boards]") {
    const auto policy = loadValid(boardPolicyWith("services:\n  - {name: f, domain: f}\n"));
    const ServicePolicy& service = policy.services.at(0);
    CHECK(service.telephony == TelephonyMode::Auto);
    CHECK(service.trunkGroup.empty());
    CHECK(service.boardModels.empty());
    CHECK_FALSE(service.telcoHook.has_value());
    CHECK(service.shutdownTimeout == 120s);
}

TEST_CASE("an sr140 service may not set trunk_group or board_models or telco_hook", "[policy][boards]") {
    const std::string expected = "applies to board and auto telephony only; this service's telephony is sr140";
    CHECK(onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: sr140, board_models: [trufax]}\n"))
              .toString() == "p.yaml:13:44: services[0].board_models: " + expected);
    CHECK(onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: sr140, telco_hook: {command: x}}\n"))
              .toString() == "p.yaml:13:44: services[0].telco_hook: " + expected);
    // Refused even when empty: the key itself says the admin thinks the service has a board.
    CHECK(onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: sr140, board_models: []}\n"))
              .toString() == "p.yaml:13:44: services[0].board_models: " + expected);
    const auto all = errorsOf(boardPolicyWith(
        "services:\n  - {name: f, domain: f, telephony: sr140, trunk_group: pstn-a, board_models: [trufax], "
        "telco_hook: {command: x}}\n"));
    CHECK(all == std::vector<std::string>{"p.yaml:13:44: services[0].trunk_group: " + expected,
                                          "p.yaml:13:65: services[0].board_models: " + expected,
                                          "p.yaml:13:89: services[0].telco_hook: " + expected});
    // shutdown_timeout is not a board key: an sr140 service restarted elsewhere shuts down too.
    CHECK(loadValid(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: sr140, shutdown_timeout: 1m}\n"))
              .services[0]
              .shutdownTimeout == 1min);
}

TEST_CASE("a service's board_models must name defined models once each", "[policy][boards]") {
    CHECK(onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: auto, board_models: [trufax, brooktrout]}\n"))
              .toString() == "p.yaml:13:66: services[0].board_models[1]: unknown board model 'brooktrout'; expected one "
                             "of trufax, dialogic");
    CHECK(onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, board_models: [trufax, trufax]}\n"))
              .toString() == "p.yaml:13:49: services[0].board_models[1]: 'trufax' is listed twice");
    CHECK(onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, board_models: trufax}\n")).key ==
          "services[0].board_models");
}

TEST_CASE("shutdown_timeout runs from 5 seconds to 30 minutes", "[policy][boards]") {
    const auto shutdownOf = [](const std::string& value) {
        return loadValid(boardPolicyWith("services:\n  - {name: f, domain: f, shutdown_timeout: " + value + "}\n"))
            .services[0]
            .shutdownTimeout;
    };
    CHECK(shutdownOf("5s") == 5s);
    CHECK(shutdownOf("30m") == 30min);
    CHECK(shutdownOf("1800s") == 30min);
    const auto tooShort = onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, shutdown_timeout: 4s}\n"));
    CHECK(tooShort.key == "services[0].shutdown_timeout");
    CHECK_THAT(tooShort.message, Contains("'4s'"));
    CHECK(tooShort.line == 13);
    CHECK(tooShort.column == 44);
    CHECK(onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, shutdown_timeout: 31m}\n")).key ==
          "services[0].shutdown_timeout");
    CHECK(onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, shutdown_timeout: 120}\n")).key ==
          "services[0].shutdown_timeout");
}

TEST_CASE("a telco hook is a step: a program without a command line and a bounded timeout", "[policy][boards]") {
    const std::string base = boardPolicyWith("services:\n  - name: f\n    domain: f\n    telco_hook: ");
    CHECK(onlyError(base + "{command: 'pri-reroute --trunk a'}\n").toString() ==
          "p.yaml:15:27: services[0].telco_hook.command: expected a program name or an absolute path, without "
          "arguments (those go under arguments); found 'pri-reroute --trunk a'");
    CHECK(onlyError(base + "{arguments: [a]}\n").key == "services[0].telco_hook.command");
    CHECK(onlyError(base + "{command: pri-reroute, timeout: 11m}\n").key == "services[0].telco_hook.timeout");
    CHECK(onlyError(base + "{command: pri-reroute, shell: true}\n").key == "services[0].telco_hook.shell");
    CHECK(loadValid(base + "{command: pri-reroute}\n").services[0].telcoHook->timeout == 30s);
}

TEST_CASE("a board service needs some host's board of its models on its trunk group", "[policy][boards]") {
    // Fits: the dialogic board on pstn-b; any model on pstn-a; any board at all.
    CHECK(loadValid(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: board, trunk_group: pstn-b, "
                                    "board_models: [dialogic]}\n"))
              .services.size() == 1);
    CHECK(loadValid(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: board, trunk_group: pstn-a}\n"))
              .services.size() == 1);
    CHECK(loadValid(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: board}\n")).services.size() == 1);

    // The only dialogic board is on pstn-b.
    CHECK(onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: board, trunk_group: pstn-a, "
                                    "board_models: [dialogic]}\n"))
              .toString() == "p.yaml:13:37: services[0].telephony: expected a host with a board of model dialogic on "
                             "trunk group pstn-a for telephony board; the boards are hv1 0000:03:00.0 (trufax on "
                             "pstn-a), hv1 0000:04:00.1 (dialogic on pstn-b)");
}

TEST_CASE("a board service in a policy without boards is an error naming where boards go", "[policy][boards]") {
    const std::string yaml = std::string(kMinimalPolicy) + "services:\n  - {name: f, domain: f, telephony: board}\n";
    CHECK(onlyError(yaml).toString() == "p.yaml:8:37: services[0].telephony: expected a host with a board for "
                                        "telephony board; no host lists a board (list them under a host's boards)");
    // auto telephony may turn out to be sr140: no board needed.
    CHECK(loadValid(std::string(kMinimalPolicy) + "services:\n  - {name: f, domain: f}\n").services.size() == 1);
}

TEST_CASE("a board service's fit is judged across every host", "[policy][boards]") {
    const std::string yaml = boardPolicyWith(
        "  - name: hv2\n"
        "    uri: qemu+tcp://10.0.0.12/system\n"
        "    migration_address: 10.0.0.12\n"
        "    fence: {method: manual}\n"
        "    boards: [{pci_address: \"0000:81:00.0\", model: dialogic, trunk_group: pstn-a}]\n"
        "services:\n"
        "  - {name: f, domain: f, telephony: board, trunk_group: pstn-a, board_models: [dialogic]}\n");
    const auto policy = loadValid(yaml);
    CHECK(policy.findHost("hv2")->boards.at(0).pciAddress == "0000:81:00.0");
}

TEST_CASE("an unknown model or trunk group is reported once and not judged again", "[policy][boards]") {
    CHECK(onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: board, board_models: [trufx]}\n"))
              .message == "unknown board model 'trufx'; expected one of trufax, dialogic (did you mean 'trufax'?)");
    CHECK(onlyError(boardPolicyWith("services:\n  - {name: f, domain: f, telephony: board, trunk_group: pstn-z}\n"))
              .key == "services[0].trunk_group");
    // A board that could not be read is reported; the service is not also said to lack a board.
    std::string brokenBoard = boardPolicyWith("services:\n  - {name: f, domain: f, telephony: board, trunk_group: pstn-b}\n");
    brokenBoard.replace(brokenBoard.find("\"04:00.1\""), 9, "\"04:00.9\"");
    CHECK(onlyError(brokenBoard).key == "hosts[0].boards[1].pci_address");
}

TEST_CASE("board keys survive a write and a reload unchanged", "[policy][boards]") {
    const auto policy = loadValid(boardPolicyWith(
        "services:\n"
        "  - name: inbound\n"
        "    domain: fax-inbound\n"
        "    telephony: board\n"
        "    trunk_group: pstn-b\n"
        "    board_models: [dialogic]\n"
        "    telco_hook: {command: pri-reroute, arguments: [\"--did\", \"61 2 9000 0000\"], timeout: 2m}\n"
        "    shutdown_timeout: 45s\n"
        "  - {name: plain, domain: plain, telephony: sr140, shutdown_timeout: 5s}\n"
        "  - {name: either, domain: either, board_models: [trufax]}\n"));
    const std::string written = formatPolicy(policy);
    INFO(written);
    CHECK_THAT(written, Contains("telco_hook:\n      command: \"pri-reroute\""));
    CHECK_THAT(written, Contains("board_models: [\"dialogic\"]"));
    CHECK_THAT(written, Contains("shutdown_timeout: \"45s\""));
    const auto reloaded = loadValid(written);
    CHECK(reloaded == policy);
    CHECK(reloaded.services.at(0).telcoHook->arguments.at(1) == "61 2 9000 0000");
    CHECK_FALSE(reloaded.services.at(1).telcoHook.has_value());
}
