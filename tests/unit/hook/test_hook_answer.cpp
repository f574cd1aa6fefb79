// The orchestrator's answer to GET /v1/hook/may-start: anything but the documented JSON is no answer.
#include "faxover/hook/Answer.h"

#include <catch2/catch.hpp>

using namespace faxover::hook;
using Catch::Matchers::Contains;

TEST_CASE("hook answer: allowed and refused answers with the protected list", "[hook]") {
    auto refused = parseMayStartAnswer(
        200,
        R"({"allowed": false, "reason": "lab-fax holds its licence on lab1\nsince 10:02", "protected": ["fax-01", "6f0a3c7e-2b1d-4d8a-9a4e-5c1f0e2b7d31"]})");
    REQUIRE(refused);
    CHECK_FALSE(refused.value().allowed);
    CHECK(refused.value().reason == "lab-fax holds its licence on lab1 since 10:02");
    CHECK(refused.value().protectedDomains ==
          std::vector<std::string>{"fax-01", "6f0a3c7e-2b1d-4d8a-9a4e-5c1f0e2b7d31"});
    auto allowed = parseMayStartAnswer(200, R"({"allowed": true, "reason": "", "protected": []})");
    REQUIRE(allowed);
    CHECK(allowed.value().allowed);
    CHECK(allowed.value().protectedDomains.empty());
}

TEST_CASE("hook answer: errors and garbage are no answer", "[hook]") {
    auto problem = [](int status, const std::string& body) {
        auto answer = parseMayStartAnswer(status, body);
        REQUIRE_FALSE(answer);
        return answer.error();
    };
    CHECK_THAT(problem(501, "may-start is not supported yet\nmore"),
               Contains("HTTP 501: may-start is not supported yet"));
    CHECK_THAT(problem(200, "<html>proxy login</html>"), Contains("not a JSON object"));
    CHECK_THAT(problem(200, "[true]"), Contains("not a JSON object"));
    CHECK_THAT(problem(200, R"({"allowed": "yes", "reason": "", "protected": []})"), Contains("boolean \"allowed\""));
    CHECK_THAT(problem(200, R"({"allowed": true, "protected": []})"), Contains("string \"reason\""));
    CHECK_THAT(problem(200, R"({"allowed": true, "reason": ""})"), Contains("array \"protected\""));
    CHECK_THAT(problem(200, R"({"allowed": true, "reason": "", "protected": [1]})"), Contains("not a string"));
    CHECK_THAT(problem(200, R"({"allowed": true, "reason": "", "protected": [""]})"), Contains("invalid name ''"));
}
