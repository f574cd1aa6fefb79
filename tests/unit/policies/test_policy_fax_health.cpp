// A service's fax_health (docs/policy.md): defaults, values, and mistakes with file:line:column.
#include "policy_test_support.h"

#include "faxover/policies/PolicyWriter.h"

#include <catch2/catch.hpp>

using namespace faxover::policy;
using namespace faxover::policy::test;
using namespace std::chrono_literals;

namespace {

std::string withService(std::string_view service) {
    return std::string(kMinimalPolicy) + "services:\n  - name: f\n    domain: f\n" + std::string(service);
}

}  // namespace

TEST_CASE("fax_health defaults: act on, two rounds down, two service restarts, one VM restart, one relocation",
          "[policy][fax-health]") {
    const FaxHealthPolicy fax = loadValid(withService("")).services[0].faxHealth;
    CHECK(fax.act);
    CHECK(fax.downAfter == 2);
    CHECK(fax.restartService == FaxHealthStep{2, 30s});
    CHECK(fax.restartVm == FaxHealthStep{1, 60s});
    CHECK(fax.relocate == 1);
    CHECK(fax.lostHeartbeatsAfter == 3);
    CHECK(fax.quiesceTimeout == 2min);
}

TEST_CASE("fax_health values are read, and written back the same", "[policy][fax-health]") {
    const Policy policy = loadValid(withService("    fax_health:\n"
                                                "      act: off\n"
                                                "      down_after: 3\n"
                                                "      restart_service: {max: 1, delay: 10s}\n"
                                                "      restart_vm: {max: 0}\n"
                                                "      relocate: {max: 2}\n"
                                                "      lost_heartbeats_after: 5\n"
                                                "      quiesce_timeout: 45s\n"));
    const FaxHealthPolicy& fax = policy.services[0].faxHealth;
    CHECK_FALSE(fax.act);
    CHECK(fax.downAfter == 3);
    CHECK(fax.restartService == FaxHealthStep{1, 10s});
    CHECK(fax.restartVm == FaxHealthStep{0, 60s});  // delay not written: the default stays
    CHECK(fax.relocate == 2);
    CHECK(fax.lostHeartbeatsAfter == 5);
    CHECK(fax.quiesceTimeout == 45s);
    CHECK(loadValid(formatPolicy(policy)) == policy);
}

TEST_CASE("fax_health mistakes name the file, line and column", "[policy][fax-health]") {
    CHECK(onlyError(withService("    fax_health: {down_after: 0}\n")).toString() ==
          "p.yaml:10:30: services[0].fax_health.down_after: expected a whole number from 1 to 100; found '0'");
    CHECK(onlyError(withService("    fax_health: {restart_vm: {max: 1, wait: 5s}}\n")).toString() ==
          "p.yaml:10:39: services[0].fax_health.restart_vm.wait: unknown key; expected one of max, delay; found 'wait'");
    CHECK(onlyError(withService("    fax_health: {relocate: {max: 1, delay: 5s}}\n")).toString() ==
          "p.yaml:10:37: services[0].fax_health.relocate.delay: unknown key; expected one of max; found 'delay'");
    CHECK(onlyError(withService("    fax_health: {quiesce_timeout: 2h}\n")).toString().rfind(
              "p.yaml:10:35: services[0].fax_health.quiesce_timeout: expected a duration from 1s to 1h", 0) == 0);
    CHECK(onlyError(withService("    fax_health: {act: maybe}\n")).toString() ==
          "p.yaml:10:23: services[0].fax_health.act: expected on or off (true/false and yes/no also work); found 'maybe'");
    CHECK(onlyError(withService("    fax_health: {down_afer: 3}\n")).toString().rfind(
              "p.yaml:10:18: services[0].fax_health.down_afer: unknown key; expected one of act, down_after,", 0) == 0);
}
