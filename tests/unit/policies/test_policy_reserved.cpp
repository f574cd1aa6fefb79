// Reserved sections (licences: issue #4; fax boards: issue #5): read and validated now.
#include "policy_test_support.h"

#include "faxover/policies/PolicyWriter.h"

using namespace faxover::policy;
using namespace faxover::policy::test;

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

TEST_CASE("board models and a host's boards", "[policy]") {
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

TEST_CASE("board mistakes: IDs, addresses, models, trunk groups", "[policy]") {
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

TEST_CASE("licences and service roles", "[policy]") {
    const std::string yaml = std::string(kMinimalPolicy) +
                             "licences:\n"
                             "  - {id: fax-lic, product: hylafax-enterprise, key_file: /etc/faxover/fax.key, seats: 1}\n"
                             "services:\n"
                             "  - {name: a, domain: a, licence: fax-lic}\n"
                             "  - {name: b, domain: b, licence: fax-lic, role: standby}\n";
    auto policy = loadValid(yaml);
    REQUIRE(policy.licences.size() == 1);
    CHECK(policy.licences[0].product == "hylafax-enterprise");
    CHECK(policy.licences[0].keyFile == "/etc/faxover/fax.key");
    CHECK(policy.licences[0].seats == 1);
    CHECK(policy.services[0].role == ServiceRole::Active);
    CHECK(policy.services[1].role == ServiceRole::Standby);
    CHECK(policy.services[1].licence == "fax-lic");
}

TEST_CASE("more active services than seats is a cold spare, not an error", "[policy]") {
    const std::string spare = std::string(kMinimalPolicy) +
                              "licences:\n"
                              "  - {id: lic, product: p, key_file: /k, seats: 1}\n"
                              "services:\n"
                              "  - {name: a, domain: a, licence: lic}\n"
                              "  - {name: b, domain: b, licence: lic}\n";
    CHECK(loadValid(spare).licences[0].seats == 1);
}

TEST_CASE("licence steps and standbys", "[policy]") {
    const std::string yaml = std::string(kMinimalPolicy) +
                             "licences:\n"
                             "  - id: lic\n"
                             "    product: p\n"
                             "    key_file: /k\n"
                             "    apply: {command: /usr/local/sbin/fax-licence, arguments: [apply, --quiet], timeout: 20s}\n"
                             "    revoke: {command: fax-licence}\n"
                             "services:\n"
                             "  - {name: a, domain: a, licence: lic}\n"
                             "  - {name: dr, domain: dr, role: standby, stands_in_for: [a], standby_capacity: 2}\n";
    auto policy = loadValid(yaml);
    const Licence& licence = policy.licences[0];
    REQUIRE(licence.apply);
    CHECK(licence.apply->command == "/usr/local/sbin/fax-licence");
    CHECK(licence.apply->arguments == std::vector<std::string>{"apply", "--quiet"});
    CHECK(licence.apply->timeout == std::chrono::seconds(20));
    REQUIRE(licence.revoke);
    CHECK(licence.revoke->timeout == std::chrono::seconds(30));
    CHECK(policy.services[1].standsInFor == std::vector<std::string>{"a"});
    CHECK(policy.services[1].standbyCapacity == 2);
    CHECK(loadValid(formatPolicy(policy)) == policy);
}

TEST_CASE("standby and licence step mistakes", "[policy]") {
    const std::string base = std::string(kMinimalPolicy) + "licences:\n  - {id: lic, product: p, key_file: /k}\nservices:\n";
    CHECK(onlyError(base + "  - {name: a, domain: a, licence: lic}\n  - {name: b, domain: b, stands_in_for: [a]}\n")
              .message == "applies to role standby only");
    CHECK(onlyError(base + "  - {name: a, domain: a}\n  - {name: b, domain: b, role: standby, stands_in_for: [a]}\n")
              .toString() == "p.yaml:11:57: services[1].stands_in_for[0]: expected a service with a licence: a standby "
                             "takes its primary's seat when promoted, and 'a' has no licence");
    CHECK(onlyError(base + "  - {name: b, domain: b, role: standby, stands_in_for: [b]}\n").message ==
          "expected other services' names; found the service's own name 'b'");
    CHECK(onlyError(std::string(kMinimalPolicy) +
                    "licences:\n  - {id: lic, product: p, key_file: /k, apply: {command: 'fax-licence apply'}}\n")
              .message == "expected a program name or an absolute path, without arguments (those go under "
                          "arguments); found 'fax-licence apply'");
}

TEST_CASE("licence mistakes: key files, unknown ids", "[policy]") {
    const std::string relativeKey = std::string(kMinimalPolicy) + "licences:\n  - {id: lic, product: p, key_file: k.key}\n";
    CHECK(onlyError(relativeKey).message ==
          "expected an absolute path such as /etc/faxover/licences/fax1.key; found 'k.key'");
    const std::string unknown = std::string(kMinimalPolicy) +
                                "licences:\n  - {id: lic, product: p, key_file: /k}\n"
                                "services:\n  - {name: a, domain: a, licence: lic2, role: spare}\n";
    CHECK(errorsOf(unknown) == std::vector<std::string>{
                                   "p.yaml:10:35: services[0].licence: unknown licence 'lic2'; expected one of lic (did "
                                   "you mean 'lic'?)",
                                   "p.yaml:10:47: services[0].role: expected one of active, standby; found 'spare'"});
}
