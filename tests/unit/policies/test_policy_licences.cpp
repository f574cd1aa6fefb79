// Licences, their apply and revoke steps, and standbys (docs/licensing.md).
#include "policy_test_support.h"

#include "faxover/policies/PolicyWriter.h"

using namespace faxover::policy;
using namespace faxover::policy::test;

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
