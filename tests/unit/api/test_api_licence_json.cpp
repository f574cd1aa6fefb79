// The licence documents on the wire (issue #4): round trips, refusals naming the field at fault,
// and the ISO 8601 instants admins type (--since, ?since=).
#include "api_test_support.h"
#include "faxover/orchestrator/api/ApiEndpoint.h"
#include "faxover/orchestrator/api/Json.h"

#include <catch2/catch.hpp>

using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;
using faxover::orchestrator::ErrorKind;

namespace {


const std::string kHolder = R"({"service":"fax-a","host":"lab1","since":"2024-05-01T12:00:00.000Z","applied":true})";

std::string licencesWith(const std::string& field) {
    return R"([{"id":"l1","product":"sr140",)" + field + "}]";
}

}  // namespace

TEST_CASE("licences survive the round trip through JSON, in order", "[api][licence]") {
    const auto licences = sampleLicences();
    for (const auto style : {JsonStyle::Compact, JsonStyle::Indented}) {
        auto parsed = licencesFromJson(toJson(licences, style));
        REQUIRE(parsed);
        CHECK(parsed.value() == licences);
    }
    CHECK(licencesFromJson("[]").value().empty());
    CHECK(toJson(std::vector<LicenceView>{}) == "[]");
    CHECK(toJson(sampleLicences()).rfind(R"([{"id":"sr140-pool","product":"sr140","seats":2,"holders":[{"service":"fax-a",)"
                                          R"("onBehalfOf":"","host":"lab1","since":"2024-05-01T11:56:48.000Z","applied":true})",
                                          0) == 0);
}

TEST_CASE("the licence audit log survives the round trip, quotes and line breaks included", "[api][licence]") {
    const auto entries = sampleAudit();
    auto parsed = licenceAuditFromJson(toJson(entries, JsonStyle::Indented));
    REQUIRE(parsed);
    CHECK(parsed.value() == entries);
    // Only sequence, at and event are required: a refusal names no holder.
    auto minimal = licenceAuditFromJson(R"([{"sequence":7,"at":"2024-05-01T12:00:00.000Z","event":"refuse"}])");
    REQUIRE(minimal);
    CHECK(minimal.value()[0] == LicenceAuditEntry{7, sampleNow(), "refuse", "", "", "", "", "", "", ""});
}

TEST_CASE("a start permission survives the round trip and has the documented shape", "[api][licence]") {
    const StartPermission permission{true, "fax-a may start on lab1", {"fax-a", "4dea22b3-1d52-d8f3-2516-782e98ab3fa0"}};
    CHECK(toJson(permission) ==
          R"({"allowed":true,"reason":"fax-a may start on lab1","protected":["fax-a","4dea22b3-1d52-d8f3-2516-782e98ab3fa0"]})");
    CHECK(startPermissionFromJson(toJson(permission)).value() == permission);
    CHECK(startPermissionFromJson(R"({"allowed":false,"protected":[]})").value() == StartPermission{false, "", {}});
}

TEST_CASE("licence documents with mistakes are refused, naming the field", "[api][licence]") {
    CHECK(refusal(licencesFromJson(R"({"id":"l1"})")) == "licences: expected a JSON array");
    CHECK(refusal(licencesFromJson("[1]")) == "licences[0]: expected an object");
    CHECK(refusal(licencesFromJson(R"([{"seats":1,"holders":[]}])")) == "licences[0].id: missing (expected a string)");
    for (const auto& seats : {R"("seats":-1)", R"("seats":1.5)", R"("seats":true)", R"("seats":"2")",
                              R"("seats":18446744073709551615)", R"("seats":2000000)"}) {
        INFO(seats);
        CHECK_THAT(refusal(licencesFromJson(licencesWith(std::string(seats) + R"(,"holders":[])"))),
                   Catch::StartsWith("licences[0].seats: expected a whole number from 0 to"));
    }
    CHECK_THAT(refusal(licencesFromJson(licencesWith(R"("seats":1)"))), Catch::StartsWith("licences[0].holders: missing"));
    std::string badHolder = kHolder;
    badHolder.replace(badHolder.find("12:00:00.000Z"), 13, "noon");
    CHECK_THAT(refusal(licencesFromJson(licencesWith(R"("seats":1,"holders":[)" + kHolder + "," + badHolder + "]"))),
               Catch::StartsWith("licences[0].holders[1].since: expected an ISO 8601 UTC time"));
    CHECK_THAT(refusal(licencesFromJson(licencesWith(R"("seats":1,"holders":[{"service":"a","since":"2024-05-01T12:00:00.000Z"}])"))),
               Catch::StartsWith("licences[0].holders[0].applied: missing"));

    CHECK_THAT(refusal(licenceAuditFromJson(R"([{"sequence":1,"at":"2024-05-01T12:00:00.000Z"}])")),
               Catch::StartsWith("audit[0].event: missing"));
    CHECK_THAT(refusal(licenceAuditFromJson(R"([{"sequence":-3,"at":"2024-05-01T12:00:00.000Z","event":"grant"}])")),
               Catch::StartsWith("audit[0].sequence: expected a whole number"));
    CHECK_THAT(refusal(licenceAuditFromJson(R"([{"sequence":1,"at":"2024-05-01T12:00:00.000Z","event":"grant","actor":5}])")),
               Catch::StartsWith("audit[0].actor: expected a string"));

    // Without the list a hook would cache "nothing is protected" and fail open.
    CHECK(refusal(startPermissionFromJson(R"({"allowed":false,"reason":"no"})")) ==
          "protected: missing (expected an array)");
    CHECK(refusal(startPermissionFromJson(R"({"allowed":true,"protected":["a",3]})")) == "protected[1]: expected a string");
    CHECK(refusal(startPermissionFromJson(R"({"allowed":"yes","protected":[]})")) == "allowed: expected true or false");
    CHECK(refusal(startPermissionFromJson("[]")) == "permission: expected a JSON object");
    CHECK_THAT(refusal(startPermissionFromJson(R"({"allowed":true,)")), Catch::StartsWith("permission: malformed JSON"));
}

TEST_CASE("ISO 8601 instants as admins write them", "[api][licence]") {
    using namespace std::chrono;
    struct Case {
        const char* text;
        WallTime expected;
    };
    const WallTime midnight = sampleNow() - 12h;  // 2024-05-01T00:00:00Z
    for (const auto& each : {Case{"2024-05-01", midnight}, Case{"2024-05-01T12:00Z", sampleNow()},
                             Case{"2024-05-01T12:00:00Z", sampleNow()}, Case{"2024-05-01t12:00:00z", sampleNow()},
                             Case{"2024-05-01 12:00:00Z", sampleNow()}, Case{"2024-05-01T12:00:00.000Z", sampleNow()},
                             Case{"2024-05-01T12:00:00.5Z", sampleNow() + 500ms},
                             Case{"2024-05-01T12:00:00.123456789Z", sampleNow() + 123456789ns},
                             Case{"2024-05-01T14:00+02:00", sampleNow()}, Case{"2024-05-01T14:00:00+0200", sampleNow()},
                             Case{"2024-05-01T14:00+02", sampleNow()}, Case{"2024-05-01T10:30-01:30", sampleNow()},
                             Case{"2024-05-02T01:00+13:00", sampleNow()}}) {
        INFO(each.text);
        auto parsed = parseIsoInstant(each.text);
        REQUIRE(parsed);
        CHECK(parsed.value() == each.expected);
    }
    struct Bad {
        const char* text;
        const char* why;
    };
    for (const auto& each : {Bad{"", "no valid date"}, Bad{"yesterday", "no valid date"}, Bad{"2024-5-1", "no valid date"},
                             Bad{"2024-02-30", "no valid date"}, Bad{"2024-05-01T12", "expected a time"},
                             Bad{"2024-05-01T24:00Z", "expected a time"}, Bad{"2024-05-01T12:00", "needs a zone"},
                             Bad{"2024-05-01T12:00:60Z", "bad seconds"}, Bad{"2024-05-01T12:00:00.Z", "bad fraction"},
                             Bad{"2024-05-01T12:00:00.1234567890Z", "bad fraction"},
                             Bad{"2024-05-01T12:00+2", "bad zone"}, Bad{"2024-05-01T12:00+02:", "bad zone"},
                             Bad{"2024-05-01T12:00+24:00", "bad zone"}, Bad{"2024-05-01T12:00Zx", "bad zone"},
                             Bad{"2024-05-01X", "expected 'T'"}}) {
        INFO(each.text);
        const std::string message = refusal(parseIsoInstant(each.text));
        CHECK_THAT(message, Catch::Contains(each.why) && Catch::Contains("2024-05-01T12:03Z"));
    }
}

TEST_CASE("hook listen addresses: any address, a fixed port", "[api][licence]") {
    CHECK(parseHookListenAddress("0.0.0.0:7481").value() == ApiEndpoint{ApiEndpoint::Transport::Tcp, "", "0.0.0.0", 7481});
    CHECK(parseHookListenAddress("tcp:198.18.0.1:7481").value().host == "198.18.0.1");
    CHECK(parseHookListenAddress("[::]:7481").value().host == "::");
    struct Bad {
        const char* text;
        const char* why;
    };
    for (const auto& each : {Bad{"", "needs a port"}, Bad{"0.0.0.0", "needs a port"}, Bad{"0.0.0.0:", "bad port"},
                             Bad{"0.0.0.0:65536", "bad port"}, Bad{"0.0.0.0:http", "bad port"}, Bad{":7481", "bad host"},
                             Bad{"0.0.0.0:0", "fixed"}, Bad{"unix:/run/x.sock", "not a socket file"},
                             Bad{"/run/x.sock", "not a socket file"}, Bad{"http://0.0.0.0:7481", "scheme"}}) {
        INFO(each.text);
        CHECK_THAT(refusal(parseHookListenAddress(each.text)),
                   Catch::Contains(std::string("'") + each.text + "'") && Catch::Contains(each.why) &&
                       Catch::Contains("expected ADDRESS:PORT"));
    }
}
