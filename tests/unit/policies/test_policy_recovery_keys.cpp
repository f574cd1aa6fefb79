// A service's retry_delay and return_after_maintenance (issue 12): defaults, values, bounds.
#include "policy_test_support.h"

#include <catch2/catch.hpp>

using namespace faxover::policy;
using namespace faxover::policy::test;
using namespace std::chrono_literals;

namespace {

std::string policyWithService(std::string_view keys) {
    return "version: 1\n"
           "hosts:\n"
           "  - {name: h1, uri: 'qemu:///system', fence: {method: manual}}\n"
           "services:\n"
           "  - {name: f, domain: f" +
           std::string(keys) + "}\n";
}

}  // namespace

TEST_CASE("retry_delay and return_after_maintenance have the documented defaults", "[policy]") {
    const ServicePolicy service = loadValid(policyWithService("")).services.at(0);
    CHECK(service.retryDelay == 5s);
    CHECK(service.returnAfterMaintenance);
}

TEST_CASE("retry_delay and return_after_maintenance are read per service", "[policy]") {
    const ServicePolicy service =
        loadValid(policyWithService(", retry_delay: 20s, return_after_maintenance: off")).services.at(0);
    CHECK(service.retryDelay == 20s);
    CHECK_FALSE(service.returnAfterMaintenance);
    CHECK(loadValid(policyWithService(", retry_delay: 0s")).services.at(0).retryDelay == 0s);
}

TEST_CASE("a retry_delay over 10 minutes is refused with where it is", "[policy]") {
    const PolicyError error = onlyError(policyWithService(", retry_delay: 11m"));
    CHECK(error.key == "services[0].retry_delay");
    CHECK_THAT(error.toString(), Catch::Contains("expected a duration from 0ms to 10m"));
}
