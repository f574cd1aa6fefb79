#include "policy_test_support.h"

using namespace faxover::policy;
using namespace faxover::policy::test;
using namespace std::chrono_literals;

namespace {

// One host whose fence block is `fence` (written from line 5 on, indented under the host).
std::string hostFencedBy(std::string_view fence) {
    return "version: 1\nhosts:\n  - name: hv1\n    uri: qemu:///system\n" + std::string(fence);
}

}  // namespace

TEST_CASE("an agent level: command, options on stdin, password from a file", "[policy]") {
    auto policy = loadValid(hostFencedBy("    fence:\n"
                                         "      method: agent\n"
                                         "      command: fence_ipmilan\n"
                                         "      timeout: 20s\n"
                                         "      parameters:\n"
                                         "        ip: 10.0.1.11\n"
                                         "        username: faxover\n"
                                         "        password_file: /etc/faxover/secrets/hv1\n"
                                         "        lanplus: 1\n"
                                         "        verbose: on\n"));
    const FenceLevel& level = policy.hosts[0].fence.at(0);
    CHECK(level.method == FenceMethod::Agent);
    CHECK(level.command == "fence_ipmilan");
    CHECK(level.timeout == 20s);
    CHECK(level.passwordFile == "/etc/faxover/secrets/hv1");
    CHECK(level.parameters == std::map<std::string, std::string>{
                                  {"ip", "10.0.1.11"}, {"username", "faxover"}, {"lanplus", "1"}, {"verbose", "on"}});
}

TEST_CASE("an inline password is refused, pointing to password_file", "[policy]") {
    auto error = onlyError(hostFencedBy("    fence:\n"
                                        "      method: agent\n"
                                        "      command: fence_ipmilan\n"
                                        "      parameters:\n"
                                        "        ip: 10.0.1.11\n"
                                        "        password: hunter2\n"));
    CHECK(error.toString() ==
          "p.yaml:10:9: hosts[0].fence.parameters.password: inline passwords are refused: write the password to a "
          "file readable only by root and name it with parameters.password_file, e.g. password_file: "
          "/etc/faxover/secrets/hv1.password");
    CHECK_THAT(error.message, !Catch::Contains("hunter2"));
    auto passwd = onlyError(hostFencedBy("    fence: {method: agent, command: fence_x, parameters: {passwd: x}}\n"));
    CHECK(passwd.key == "hosts[0].fence.parameters.passwd");
    auto besideMethod = onlyError(hostFencedBy("    fence: {method: agent, command: fence_x, password: x}\n"));
    CHECK(besideMethod.key == "hosts[0].fence.password");
    CHECK_THAT(besideMethod.message, Catch::StartsWith("inline passwords are refused"));
}

TEST_CASE("agent options Faxover sets itself or cannot use", "[policy]") {
    CHECK(onlyError(hostFencedBy("    fence: {method: agent, command: fence_x, parameters: {action: off}}\n")).toString() ==
          "p.yaml:5:59: hosts[0].fence.parameters.action: the orchestrator chooses the action (off, status, ...) each "
          "time it fences; remove it");
    CHECK(onlyError(hostFencedBy("    fence: {method: agent, command: fence_x, parameters: {password_file: secrets/x}}\n"))
              .message == "expected an absolute path such as /etc/faxover/secrets/hv1.password; found 'secrets/x'");
    CHECK(onlyError(hostFencedBy("    fence: {method: agent, command: fence_x, parameters: {Bad Name: x}}\n")).message ==
          "expected an option name of lower-case letters, digits, '_' or '-'; found 'Bad Name'");
    CHECK(onlyError(hostFencedBy("    fence: {method: agent, command: fence_x, parameters: {ip: }}\n")).message ==
          "expected the option's value (a string, number or switch); found nothing");
}

TEST_CASE("the agent command is a program, never a command line", "[policy]") {
    CHECK(onlyError(hostFencedBy("    fence: {method: agent, command: fence_ipmilan -a 10.0.1.11}\n")).toString() ==
          "p.yaml:5:37: hosts[0].fence.command: expected a fence agent: a program name such as fence_ipmilan or an "
          "absolute path, without arguments (those go under parameters); found 'fence_ipmilan -a 10.0.1.11'");
    CHECK(onlyError(hostFencedBy("    fence: {method: agent}\n")).toString() ==
          "p.yaml:5:12: hosts[0].fence.command: missing required key; expected a fence agent: a program name such as "
          "fence_ipmilan or an absolute path, without arguments (those go under parameters)");
    auto policy = loadValid(hostFencedBy("    fence: {method: agent, command: /usr/sbin/fence_ipmilan}\n"));
    CHECK(policy.hosts[0].fence[0].command == "/usr/sbin/fence_ipmilan");
}

TEST_CASE("each method takes its own keys", "[policy]") {
    CHECK(onlyError(hostFencedBy("    fence: {method: manual, command: fence_x}\n")).toString() ==
          "p.yaml:5:29: hosts[0].fence.command: does not apply to fence method manual; expected one of method, "
          "instructions");
    CHECK(onlyError(hostFencedBy("    fence: {method: libvirt-destroy, instructions: call Bob}\n")).key ==
          "hosts[0].fence.instructions");
    CHECK(onlyError(hostFencedBy("    fence: {command: fence_x}\n")).toString() ==
          "p.yaml:5:12: hosts[0].fence.method: missing required key; expected one of agent, libvirt-destroy, manual");
}

TEST_CASE("levels are tried in order, and manual can only be the last", "[policy]") {
    auto policy = loadValid(hostFencedBy("    fence:\n"
                                         "      - {method: agent, command: fence_ipmilan}\n"
                                         "      - {method: libvirt-destroy, timeout: 10s}\n"
                                         "      - {method: manual, instructions: Pull the plug.}\n"));
    const auto& fence = policy.hosts[0].fence;
    REQUIRE(fence.size() == 3);
    CHECK(fence[0].method == FenceMethod::Agent);
    CHECK(fence[0].timeout == 60s);  // the fencing default
    CHECK(fence[1].method == FenceMethod::LibvirtDestroy);
    CHECK(fence[1].timeout == 10s);
    CHECK(fence[2].method == FenceMethod::Manual);
    CHECK(fence[2].instructions == "Pull the plug.");

    CHECK(onlyError(hostFencedBy("    fence:\n      - {method: manual}\n      - {method: libvirt-destroy}\n")).toString() ==
          "p.yaml:6:18: hosts[0].fence[0].method: expected manual only as the last fence level: it waits for an "
          "admin, so the levels after it would never run");
    CHECK(onlyError(hostFencedBy("    fence: []\n")).toString() ==
          "p.yaml:5:12: hosts[0].fence: expected at least one fence level (method: agent, libvirt-destroy or manual); "
          "found an empty list");
}

TEST_CASE("fencing defaults: timeout and attempts", "[policy]") {
    auto policy = loadValid("version: 1\nfencing: {timeout: 2m, attempts: 3}\n" +
                            hostFencedBy("    fence: {method: agent, command: fence_x}\n").substr(11));
    CHECK(policy.fencing.timeout == 2min);
    CHECK(policy.fencing.attempts == 3);
    CHECK(policy.hosts[0].fence[0].timeout == 2min);
    CHECK(onlyError("version: 1\nfencing: {attempts: 0}\n" + hostFencedBy("    fence: {method: manual}\n").substr(11))
              .toString() == "p.yaml:2:21: fencing.attempts: expected a whole number from 1 to 10; found '0'");
    CHECK(onlyError("version: 1\nfencing: {timeout: 500ms}\n" + hostFencedBy("    fence: {method: manual}\n").substr(11))
              .key == "fencing.timeout");
}

TEST_CASE("fencing.witness: an address and a port, 22 by default", "[policy]") {
    const std::string host = hostFencedBy("    fence: {method: manual}\n").substr(11);
    auto policy = loadValid("version: 1\nfencing: {witness: {address: 10.0.0.1}}\n" + host);
    REQUIRE(policy.fencing.witness);
    CHECK(policy.fencing.witness->address == "10.0.0.1");
    CHECK(policy.fencing.witness->port == 22);
    CHECK(loadValid("version: 1\nfencing: {witness: {address: gw.example.net, port: 443}}\n" + host)
              .fencing.witness->port == 443);
    CHECK_FALSE(loadValid("version: 1\n" + host).fencing.witness);
    CHECK(onlyError("version: 1\nfencing: {witness: {port: 22}}\n" + host).key == "fencing.witness.address");
    CHECK(onlyError("version: 1\nfencing: {witness: {address: 'http://gw'}}\n" + host).toString() ==
          "p.yaml:2:30: fencing.witness.address: expected a host name or IP address, with no scheme or port; "
          "found 'http://gw'");
    CHECK(onlyError("version: 1\nfencing: {witness: {address: gw, port: 0}}\n" + host).key == "fencing.witness.port");
}

TEST_CASE("two hosts without a witness: the check warns that a silent host waits for an admin", "[policy]") {
    const std::string twoHosts =
        "hosts:\n"
        "  - {name: hv1, uri: 'qemu+tcp://10.0.0.11/system', migration_address: 10.0.0.11, fence: {method: manual}}\n"
        "  - {name: hv2, uri: 'qemu+tcp://10.0.0.12/system', migration_address: 10.0.0.12, fence: {method: manual}}\n";
    const auto bare = load("version: 1\n" + twoHosts);
    REQUIRE(bare.ok());
    REQUIRE(bare.warnings.size() == 1);
    CHECK(bare.warnings.front().key == "hosts");
    CHECK_THAT(bare.warnings.front().message, Catch::StartsWith("with 2 hosts and no fencing.witness"));
    CHECK_THAT(bare.warnings.front().message, Catch::Contains("faxover fence confirm HOST"));
    CHECK(load("version: 1\nfencing: {witness: {address: 10.0.0.1}}\n" + twoHosts).warnings.empty());
    // One host has nowhere to fail over to, and three make one silent host a minority.
    CHECK(load(kMinimalPolicy).warnings.empty());
}
