// The local API's wire format: round trips, times, error documents, and refusals that name the
// field at fault.
#include "api_test_support.h"
#include "faxover/orchestrator/api/ApiEndpoint.h"
#include "faxover/orchestrator/api/Json.h"

#include <catch2/catch.hpp>

using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;
using faxover::orchestrator::engine::AdminCommand;
using faxover::orchestrator::engine::Verb;
using faxover::orchestrator::engine::verbNamed;
using faxover::orchestrator::ErrorKind;

TEST_CASE("ISO 8601 UTC times carry milliseconds", "[api]") {
    CHECK(toIsoUtc(sampleNow()) == "2024-05-01T12:00:00.000Z");
    CHECK(toIsoUtc(sampleNow() + std::chrono::milliseconds(61'007)) == "2024-05-01T12:01:01.007Z");
    CHECK(toIsoUtc(WallTime{}) == "1970-01-01T00:00:00.000Z");
    CHECK(toIsoUtc(WallTime{} - std::chrono::milliseconds(1)) == "1969-12-31T23:59:59.999Z");
    // Finer than a millisecond is floored, never rounded up into the next second.
    CHECK(toIsoUtc(sampleNow() + std::chrono::microseconds(999'999)) == "2024-05-01T12:00:00.999Z");
}

TEST_CASE("ISO 8601 UTC times parse back to the same instant", "[api]") {
    for (const auto& text : {"2024-05-01T12:00:00.000Z", "2000-02-29T23:59:59.999Z", "1970-01-01T00:00:00.000Z",
                             "1969-12-31T23:59:59.999Z", "2099-12-31T00:00:00.001Z"}) {
        auto parsed = parseIsoUtc(text);
        REQUIRE(parsed);
        CHECK(toIsoUtc(parsed.value()) == text);
    }
}

TEST_CASE("times in any other shape are refused", "[api]") {
    for (const auto& text : {"", "2024-05-01", "2024-05-01T12:00:00Z", "2024-05-01T12:00:00.000", "2024-05-01 12:00:00.000Z",
                             "2024-05-01T12:00:00.000+00:00", "2024-13-01T12:00:00.000Z", "2023-02-29T12:00:00.000Z",
                             "2024-05-01T24:00:00.000Z", "2024-05-01T12:60:00.000Z", "2024-05-01T12:00:61.000Z",
                             "2024-05-00T12:00:00.000Z", "2024-05-01T12:00:00.0000Z", "+024-05-01T12:00:00.000Z",
                             "2024-05-01T12:00:00.00aZ",
                             // Beyond what a WallTime holds (1678-2262): refused, not overflowed.
                             "1024-05-01T12:00:00.000Z", "0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"}) {
        INFO(text);
        CHECK(refusal(parseIsoUtc(text)).find("ISO 8601") != std::string::npos);
    }
    CHECK_FALSE(parseIsoInstant("1024-05-01"));
    CHECK_FALSE(parseIsoInstant("9999-05-01T12:00Z"));
    CHECK(parseIsoUtc("2261-12-31T23:59:59.999Z"));
    CHECK(parseIsoUtc("1678-01-01T00:00:00.000Z"));
}

TEST_CASE("a cluster status survives the round trip through JSON", "[api]") {
    const ClusterStatus status = sampleStatus();
    auto parsed = clusterStatusFromJson(toJson(status));
    REQUIRE(parsed);
    CHECK(parsed.value() == status);
    auto indented = clusterStatusFromJson(toJson(status, JsonStyle::Indented));
    REQUIRE(indented);
    CHECK(indented.value() == status);
    CHECK(clusterStatusFromJson(toJson(ClusterStatus{})).value() == ClusterStatus{});
}

TEST_CASE("the status document has the documented field names", "[api]") {
    const std::string json = toJson(sampleStatus());
    for (const auto& field : {R"("policyFile":"/etc/faxover/policy.yaml")", R"("name":"fax-a")", R"("state":"migrating")",
                              R"("telephony":"board")", R"("since":"2024-05-01T11:59:55.750Z")", R"("targetHost":"lab2")",
                              R"("progress":0.45)", R"("maintenance":true)", R"("fence":"pending")",
                              R"("libvirt":"unreachable")", R"("health":"suspect")"}) {
        INFO(field);
        CHECK(json.find(field) != std::string::npos);
    }
    // Without progress the field is left out rather than sent as null.
    CHECK(json.find(R"("targetHost":"","progress")") == std::string::npos);
}

TEST_CASE("strings with quotes, control characters and UTF-8 survive the round trip", "[api]") {
    ClusterStatus status = sampleStatus();
    status.services[0].reason = "line \"one\"\n\ttab \\ backslash, caf\xc3\xa9 \xe2\x9c\x93";
    status.hosts[0].reason = std::string("nul\x01" "char");
    auto parsed = clusterStatusFromJson(toJson(status));
    REQUIRE(parsed);
    CHECK(parsed.value() == status);
}

TEST_CASE("commands, replies and errors survive the round trip through JSON", "[api]") {
    for (const AdminCommand& command : {AdminCommand{Verb::Migrate, "fax-a", "lab2", ""},
                                        AdminCommand{Verb::Migrate, "fax-a", "", ""},
                                        AdminCommand{Verb::MaintenanceEnable, "", "lab1", "admin:root"},
                                        AdminCommand{Verb::FenceConfirm, "", "lab3", "tcp:admin:ops"}}) {
        auto parsed = adminCommandFromJson(toJson(command));
        REQUIRE(parsed);
        CHECK(parsed.value() == command);
    }
    CHECK(commandReplyFromJson(toJson(CommandReply{"fax-a: failover planned"})).value() ==
          CommandReply{"fax-a: failover planned"});
    for (const auto kind : {ErrorKind::BadRequest, ErrorKind::NotFound, ErrorKind::Refused, ErrorKind::StoreFailed,
                            ErrorKind::Busy, ErrorKind::NotSupported, ErrorKind::DaemonUnreachable,
                            ErrorKind::AccessDenied, ErrorKind::Internal}) {
        const faxover::orchestrator::Error error{kind, "fax-a is already migrating"};
        auto parsed = errorFromJson(toJson(error));
        REQUIRE(parsed);
        CHECK(parsed.value().error == error);
    }
    CHECK(toJson(faxover::orchestrator::Error{ErrorKind::Refused, "no"}) ==
          R"({"error":{"kind":"Refused","message":"no"}})");
}

TEST_CASE("every verb has a name that reads back", "[api]") {
    for (const auto verb : {Verb::Migrate, Verb::Failover, Verb::Failback, Verb::MaintenanceEnable,
                            Verb::MaintenanceDisable, Verb::Suspend, Verb::Resume, Verb::Stop, Verb::FenceConfirm}) {
        CHECK(verbNamed(toString(verb)) == verb);
    }
    CHECK(std::string(toString(Verb::MaintenanceEnable)) == "maintenance-enable");
    CHECK(std::string(toString(Verb::FenceConfirm)) == "fence-confirm");
    CHECK_FALSE(verbNamed("Migrate"));
    CHECK_FALSE(verbNamed(""));
}

TEST_CASE("each verb takes exactly the arguments it needs", "[api]") {
    CHECK(checkArguments({Verb::Migrate, "fax-a", "", ""}));
    CHECK(checkArguments({Verb::Migrate, "fax-a", "lab2", ""}));
    CHECK(refusal(checkArguments({Verb::Migrate, "", "lab2", ""})) == "migrate needs a service");
    CHECK(checkArguments({Verb::Failover, "fax-a", "lab2", ""}));
    CHECK(refusal(checkArguments({Verb::Failback, "fax-a", "lab2", ""})) == "failback takes no host (got 'lab2')");
    CHECK(refusal(checkArguments({Verb::MaintenanceEnable, "", "", ""})) == "maintenance-enable needs a host");
    CHECK(refusal(checkArguments({Verb::FenceConfirm, "fax-a", "lab1", ""})).find("takes no service") != std::string::npos);
    CHECK(checkArguments({Verb::Stop, "fax-a", "", ""}));
}

TEST_CASE("malformed status documents are refused naming the field", "[api]") {
    const std::string since = R"("since":"2024-05-01T12:00:00.000Z")";
    const std::string host = R"({"name":"lab1","health":"ok","maintenance":false,)" + since + "}";
    const std::string service = R"({"name":"fax-a","state":"ok",)" + since + "}";
    struct Case {
        std::string json;
        std::string mentions;
    };
    const std::vector<Case> cases = {
        {"", "malformed JSON"},
        {"{", "malformed JSON"},
        {"[]", "expected a JSON object"},
        {"42", "expected a JSON object"},
        {"null", "expected a JSON object"},
        {R"({"hosts":[]})", "services: missing"},
        {R"({"services":{},"hosts":[]})", "services: expected an array"},
        {R"({"services":[],"hosts":null})", "hosts: missing"},
        {R"({"services":[1],"hosts":[]})", "services[0]: expected an object"},
        {R"({"services":[)" + service + R"(,{"state":"ok",)" + since + R"(}],"hosts":[]})", "services[1].name: missing"},
        {R"({"services":[{"name":7,"state":"ok",)" + since + R"(}],"hosts":[]})", "services[0].name: expected a string"},
        {R"({"services":[{"name":"a","state":"ok"}],"hosts":[]})", "services[0].since: missing"},
        {R"({"services":[{"name":"a","state":"ok","since":"yesterday"}],"hosts":[]})", "services[0].since: expected an ISO 8601"},
        {R"({"services":[{"name":"a","state":"ok","since":1714564800}],"hosts":[]})", "services[0].since: expected a string"},
        {R"({"services":[{"name":"a","state":"ok","progress":1.5,)" + since + R"(}],"hosts":[]})", "services[0].progress"},
        {R"({"services":[{"name":"a","state":"ok","progress":-0.1,)" + since + R"(}],"hosts":[]})", "services[0].progress"},
        {R"({"services":[{"name":"a","state":"ok","progress":"half",)" + since + R"(}],"hosts":[]})", "services[0].progress"},
        {R"({"services":[{"name":"a","state":"ok","progress":true,)" + since + R"(}],"hosts":[]})", "services[0].progress"},
        {R"({"services":[{"name":"a","state":"ok","host":["lab1"],)" + since + R"(}],"hosts":[]})", "services[0].host: expected a string"},
        {R"({"services":[],"hosts":[)" + host + R"(,{"name":"lab2","health":"ok",)" + since + R"(}]})", "hosts[1].maintenance: missing"},
        {R"({"services":[],"hosts":[{"name":"lab2","health":"ok","maintenance":"yes",)" + since + R"(}]})", "hosts[0].maintenance: expected true or false"},
        {R"({"services":[],"hosts":[{"name":"lab2","health":"ok","maintenance":1,)" + since + R"(}]})", "hosts[0].maintenance"},
        {R"({"services":[],"hosts":[],"policyFile":false})", "policyFile: expected a string"},
    };
    for (const auto& each : cases) {
        INFO(each.json);
        const std::string message = refusal(clusterStatusFromJson(each.json));
        CHECK_THAT(message, Catch::Contains(each.mentions));
    }
    // Unknown fields are ignored and optional ones may be absent or null.
    auto lenient = clusterStatusFromJson(R"({"services":[{"name":"a","state":"ok","progress":null,"extra":{"x":1},)" + since +
                                         R"(}],"hosts":[)" + host + R"(],"future":[1,2]})");
    REQUIRE(lenient);
    CHECK(lenient.value().services.at(0).host.empty());
    CHECK_FALSE(lenient.value().services.at(0).progress);
}

TEST_CASE("malformed commands, replies and error documents are refused naming the field", "[api]") {
    CHECK_THAT(refusal(adminCommandFromJson(R"({"service":"fax-a"})")), Catch::Contains("verb: missing"));
    CHECK_THAT(refusal(adminCommandFromJson(R"({"verb":"explode"})")), Catch::Contains("verb: unknown verb 'explode'"));
    CHECK_THAT(refusal(adminCommandFromJson(R"({"verb":3})")), Catch::Contains("verb: expected a string"));
    CHECK_THAT(refusal(adminCommandFromJson(R"({"verb":"migrate","service":{}})")), Catch::Contains("service: expected a string"));
    CHECK_THAT(refusal(adminCommandFromJson(R"({"verb":"migrate","host":1})")), Catch::Contains("host: expected a string"));
    CHECK_THAT(refusal(adminCommandFromJson("{verb=migrate}")), Catch::Contains("command: malformed JSON"));
    CHECK_THAT(refusal(adminCommandFromJson("verb=migrate")), Catch::Contains("command: expected a JSON object"));
    CHECK_THAT(refusal(commandReplyFromJson("{}")), Catch::Contains("message: missing"));
    CHECK_THAT(refusal(errorFromJson(R"({"kind":"Internal"})")), Catch::Contains("error: missing"));
    CHECK_THAT(refusal(errorFromJson(R"({"error":"boom"})")), Catch::Contains("error: expected an object"));
    CHECK_THAT(refusal(errorFromJson(R"({"error":{"kind":"Boom","message":"x"}})")), Catch::Contains("error.kind: unknown kind 'Boom'"));
    CHECK_THAT(refusal(errorFromJson(R"({"error":{"kind":"Internal"}})")), Catch::Contains("error.message: missing"));
}

TEST_CASE("API addresses parse as unix socket paths or TCP host and port", "[api]") {
    using Transport = ApiEndpoint::Transport;
    CHECK(parseApiEndpoint(kDefaultApiAddress).value() == ApiEndpoint{Transport::UnixSocket, "/run/faxover/faxover.sock", "", 0});
    CHECK(parseApiEndpoint("/tmp/x.sock").value() == ApiEndpoint{Transport::UnixSocket, "/tmp/x.sock", "", 0});
    CHECK(parseApiEndpoint("tcp:127.0.0.1:7480").value() == ApiEndpoint{Transport::Tcp, "", "127.0.0.1", 7480});
    CHECK(parseApiEndpoint("127.0.0.1:7480").value() == ApiEndpoint{Transport::Tcp, "", "127.0.0.1", 7480});
    CHECK(parseApiEndpoint("[::1]:0").value() == ApiEndpoint{Transport::Tcp, "", "::1", 0});
    CHECK(parseApiEndpoint("tcp:localhost:7480").value().host == "localhost");
    for (const auto& text : {"tcp:127.0.0.1:7480", "unix:/run/faxover/faxover.sock", "tcp:[::1]:80"}) {
        CHECK(parseApiEndpoint(text).value().toString() == text);
    }
    for (const auto& bad : {"", "unix:", "unix:relative.sock", "127.0.0.1", "127.0.0.1:", "127.0.0.1:http",
                            "127.0.0.1:65536", "127.0.0.1:-1", "http://127.0.0.1:80", ":7480", "tcp:[::1:80"}) {
        INFO(bad);
        CHECK_THAT(refusal(parseApiEndpoint(bad)), Catch::Contains("API address"));
    }
    CHECK_THAT(refusal(parseApiEndpoint("unix:/" + std::string(200, 'x'))), Catch::Contains("at most 107 bytes"));
}
