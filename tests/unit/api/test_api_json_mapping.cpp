// One JSON mapping per view type (api/JsonMapping.h): for each view, a value with every field set
// comes back equal from its document, and a reader error names the field and what was wrong. A
// field added to a view but not to its mapping fails the round trip here once the value sets it.
#include "api/JsonMapping.h"
#include "api_test_support.h"
#include "faxover/orchestrator/api/Json.h"

#include <catch2/catch.hpp>

using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;

namespace {

// Every field differs from its default, so a field either side leaves out shows.
FaxView everyFaxField() {
    return {"heartbeats-lost", "unknown", "hylafax.faxq: not running",
            {{"hylafax.faxq", false, "not running"}, {"hylafax.hfaxd", true, "pid 812"}},
            {3, 1, 2}, true, "hylafax 6.0.7", "0.3.0", "licensed", sampleNow() - 40s,
            2, 1, 1, sampleNow() + 30s, true};
}

ServiceView everyServiceField() {
    return {"fax-a", "migrating", "lab1", "auto: board 0000:03:00.0 (TR1034)", sampleNow() - 5s, "maintenance on lab1",
            "lab2", 0.25, "lab1", "stopped", everyFaxField()};
}

HostView everyHostField() { return {"lab1", "degraded", "reachable", true, "retrying", sampleNow() - 61s, "TCP silent"}; }

ClusterStatus statusOf(std::vector<ServiceView> services, std::vector<HostView> hosts) {
    return {std::move(services), std::move(hosts), "/etc/faxover/policy.yaml"};
}

// A status document whose one host (or service) is `element`, the other list empty.
std::string statusWithHost(const std::string& element) { return R"({"services":[],"hosts":[)" + element + "]}"; }
std::string statusWithService(const std::string& element) { return R"({"services":[)" + element + R"(],"hosts":[]})"; }

const std::string kSince = R"("since":"2024-05-01T12:00:00.000Z")";

// A view type with one field of every codec, to check the codecs apart from any view.
struct Sample {
    std::string required{};
    std::string optional{};
    bool flag = false;
    bool optionalFlag = false;
    WallTime at{};
    std::optional<double> fraction{};
    int count = 0;
    std::uint16_t optionalCount = 0;
    std::optional<std::chrono::milliseconds> duration{};
    bool operator==(const Sample&) const = default;
};

const auto kSampleMapping = mappingOf<Sample>(
    field("required", &Sample::required, Text{Presence::Required}),
    field("optional", &Sample::optional, Text{}),
    field("flag", &Sample::flag, Flag{Presence::Required}),
    field("optionalFlag", &Sample::optionalFlag, Flag{Presence::Optional}),
    field("at", &Sample::at, Instant{}),
    field("fraction", &Sample::fraction, Fraction{}),
    field("count", &Sample::count, Whole<int>{1, 9}),
    field("optionalCount", &Sample::optionalCount, Whole<std::uint16_t>{0, 65535, Presence::Optional}),
    field("duration", &Sample::duration, Milliseconds{1000}));

faxover::orchestrator::Result<std::vector<Sample>> samplesFrom(const std::string& text) {
    BOOST_OUTCOME_TRY(array, parseJsonArray(text, "samples"));
    return kSampleMapping.readArray(*array, "samples");
}

}  // namespace

TEST_CASE("a mapping writes its fields in list order and reads them back", "[api][mapping]") {
    const Sample full{"a", "b", true, true, sampleNow(), 0.5, 3, 65535, std::chrono::milliseconds(999)};
    const std::string text = kSampleMapping.writeArray({full}, JsonStyle::Compact);
    CHECK(text == R"([{"required":"a","optional":"b","flag":true,"optionalFlag":true,"at":"2024-05-01T12:00:00.000Z",)"
                  R"("fraction":0.5,"count":3,"optionalCount":65535,"duration":999}])");
    CHECK(samplesFrom(text).value() == std::vector<Sample>{full});
    // Unset optionals: the fraction is left out, the duration is null; both read back unset.
    const Sample sparse{"a", "", false, false, sampleNow(), std::nullopt, 1, 0, std::nullopt};
    const std::string sparseText = kSampleMapping.writeArray({sparse}, JsonStyle::Indented);
    CHECK(sparseText.find("fraction") == std::string::npos);
    CHECK_THAT(sparseText, Catch::Contains(R"("duration": null)"));
    CHECK(samplesFrom(sparseText).value() == std::vector<Sample>{sparse});
    // Optional fields may be absent: empty, false, 0, unset.
    CHECK(samplesFrom(R"([{"required":"a","flag":false,"at":"2024-05-01T12:00:00.000Z","count":1}])").value() ==
          std::vector<Sample>{sparse});
}

TEST_CASE("a mapping's reader names the field at fault and what was wrong", "[api][mapping]") {
    const std::string base = R"({"required":"a","flag":true,"at":"2024-05-01T12:00:00.000Z","count":1)";
    struct Case {
        std::string element;
        std::string message;
    };
    const std::vector<Case> cases = {
        {R"({"flag":true})", "samples[0].required: missing (expected a string)"},
        {base + R"(,"optional":1})", "samples[0].optional: expected a string"},
        {R"({"required":"a","at":"2024-05-01T12:00:00.000Z","count":1})", "samples[0].flag: missing (expected true or false)"},
        {base + R"(,"optionalFlag":"yes"})", "samples[0].optionalFlag: expected true or false"},
        {R"({"required":"a","flag":true,"count":1})", "samples[0].at: missing (expected a string)"},
        {base + R"(,"fraction":2})", "samples[0].fraction: expected a number from 0 to 1"},
        {R"({"required":"a","flag":true,"at":"2024-05-01T12:00:00.000Z","count":10})",
         "samples[0].count: expected a whole number from 1 to 9"},
        {R"({"required":"a","flag":true,"at":"2024-05-01T12:00:00.000Z"})",
         "samples[0].count: missing (expected a whole number from 1 to 9)"},
        {base + R"(,"optionalCount":65536})", "samples[0].optionalCount: expected a whole number from 0 to 65535"},
        {base + R"(,"duration":1001})", "samples[0].duration: expected a whole number from 0 to 1000"},
    };
    for (const auto& each : cases) {
        INFO(each.element);
        CHECK(refusal(samplesFrom("[" + each.element + "]")) == each.message);
    }
    // The first bad field in list order is the one named.
    CHECK(refusal(samplesFrom(R"([{"required":1,"flag":"no"}])")) == "samples[0].required: expected a string");
}

TEST_CASE("a service view survives the round trip with every field set", "[api][mapping]") {
    const ClusterStatus status = statusOf({everyServiceField()}, {});
    auto parsed = clusterStatusFromJson(toJson(status));
    REQUIRE(parsed);
    CHECK(parsed.value() == status);
    CHECK(refusal(clusterStatusFromJson(statusWithService(R"({"name":"fax-a",)" + kSince + "}"))) ==
          "services[0].state: missing (expected a string)");
    CHECK(refusal(clusterStatusFromJson(statusWithService(R"({"name":"fax-a","state":"ok","returnsTo":7,)" + kSince + "}"))) ==
          "services[0].returnsTo: expected a string");
}

TEST_CASE("a service's fax health survives the round trip, and is null without a guest agent", "[api][mapping]") {
    ServiceView withoutAgent = everyServiceField();
    withoutAgent.fax.reset();
    ServiceView neverHeard = everyServiceField();
    neverHeard.fax = FaxView{"none", "unknown"};  // no heartbeat, no step: the times are null
    const ClusterStatus status = statusOf({everyServiceField(), withoutAgent, neverHeard}, {});
    const std::string json = toJson(status);
    auto parsed = clusterStatusFromJson(json);
    REQUIRE(parsed);
    CHECK(parsed.value() == status);
    CHECK_THAT(json, Catch::Contains(R"("fax":null)"));
    CHECK_THAT(json, Catch::Contains(R"("lastHeartbeat":null)"));
    CHECK_THAT(json, Catch::Contains(R"("lastHeartbeat":"2024-05-01T11:59:20.000Z")"));
    CHECK_THAT(json, Catch::Contains(R"("queues":{"outbound":3,"inbound":1,"active":2})"));
    CHECK_THAT(json, Catch::Contains(R"("checks":[{"name":"hylafax.faxq","ok":false,"detail":"not running"})"));
    // One service alone, as `faxover status SERVICE --json` prints it, is the same object.
    CHECK_THAT(json, Catch::Contains(toJson(everyServiceField())));
}

TEST_CASE("a fax health object's reader names the field at fault", "[api][mapping]") {
    const auto service = [](const std::string& fax) {
        return statusWithService(R"({"name":"fax-a","state":"ok",)" + kSince + R"(,"fax":)" + fax + "}");
    };
    const std::string base = R"("agent":"answering","service":"up","checks":[])";
    CHECK(refusal(clusterStatusFromJson(service("7"))) == "services[0].fax: expected an object");
    CHECK(refusal(clusterStatusFromJson(service(R"({"service":"up","checks":[]})"))) ==
          "services[0].fax.agent: missing (expected a string)");
    CHECK(refusal(clusterStatusFromJson(service(R"({"agent":"answering","service":"up"})"))) ==
          "services[0].fax.checks: missing (expected an array)");
    CHECK(refusal(clusterStatusFromJson(service("{" + base + R"(,"queues":{"outbound":-1}})"))) ==
          "services[0].fax.queues.outbound: expected a whole number from 0 to 1000000");
    CHECK(refusal(clusterStatusFromJson(service(R"({"agent":"answering","service":"up","checks":[{"ok":true}]})"))) ==
          "services[0].fax.checks[0].name: missing (expected a string)");
    CHECK_THAT(refusal(clusterStatusFromJson(service("{" + base + R"(,"lastHeartbeat":"yesterday"})"))),
               Catch::StartsWith("services[0].fax.lastHeartbeat: expected an ISO 8601"));
    // An older daemon's document has no fax at all, and a sparse one reads with defaults.
    auto older = clusterStatusFromJson(statusWithService(R"({"name":"fax-a","state":"ok",)" + kSince + "}"));
    REQUIRE(older);
    CHECK_FALSE(older.value().services.at(0).fax);
    auto sparse = clusterStatusFromJson(service("{" + base + "}"));
    REQUIRE(sparse);
    REQUIRE(sparse.value().services.at(0).fax);
    CHECK(sparse.value().services.at(0).fax->queues == FaxQueuesView{});
    CHECK_FALSE(sparse.value().services.at(0).fax->lastHeartbeat);
}

TEST_CASE("a host view survives the round trip with every field set", "[api][mapping]") {
    const ClusterStatus status = statusOf({}, {everyHostField()});
    auto parsed = clusterStatusFromJson(toJson(status, JsonStyle::Indented));
    REQUIRE(parsed);
    CHECK(parsed.value() == status);
    CHECK(refusal(clusterStatusFromJson(statusWithHost(R"({"name":"lab1","maintenance":false,)" + kSince + "}"))) ==
          "hosts[0].health: missing (expected a string)");
    CHECK(refusal(clusterStatusFromJson(
              statusWithHost(R"({"name":"lab1","health":"ok","maintenance":false,"fence":true,)" + kSince + "}"))) ==
          "hosts[0].fence: expected a string");
}

TEST_CASE("a board view and a planned move survive the round trip with every field set", "[api][mapping]") {
    const std::vector<BoardView> boards{
        {"lab1", "0000:03:00.0", "TR1034", 0x10b5, 0x9050, "pstn-a", "vfio-pci", "fax-b", "in-use", "why not"}};
    CHECK(boardsFromJson(toJson(boards)).value() == boards);
    CHECK(refusal(boardsFromJson(R"([{"host":"lab1","state":"free"}])")) ==
          "boards[0].pciAddress: missing (expected a string)");
    CHECK(refusal(boardsFromJson(R"([{"host":"lab1","pciAddress":"0000:03:00.0","state":"free","trunkGroup":{}}])")) ==
          "boards[0].trunkGroup: expected a string");

    const std::vector<PlannedMove> moves{{"fax-b", "cold-move", "lab1", "lab2", "0000:03:00.0", "0000:04:00.0",
                                          "maintenance on lab1", std::chrono::milliseconds(38'000), "last cold move took 38 s"}};
    CHECK(planFromJson(toJson(moves)).value() == moves);
    CHECK(refusal(planFromJson(R"([{"service":"fax-b","how":"stays","outageBasis":false}])")) ==
          "plan[0].outageBasis: expected a string");
}

TEST_CASE("a licence, its holders and an audit entry survive the round trip with every field set", "[api][mapping]") {
    const std::vector<LicenceView> licences{
        {"sr140-pool", "sr140", 3, {{"fax-s", "fax-b", "lab3", sampleNow() - 4s, true}}}};
    CHECK(licencesFromJson(toJson(licences)).value() == licences);
    CHECK(refusal(licencesFromJson(R"([{"id":"l1","seats":1,"holders":[{"service":"a",)" + kSince + R"(,"applied":1}]}])")) ==
          "licences[0].holders[0].applied: expected true or false");

    const std::vector<LicenceAuditEntry> entries{
        {42, sampleNow(), "transfer", "sr140-pool", "fax-s", "fax-b", "lab3", "lab2", "admin:root", "failover of fax-b"}};
    CHECK(licenceAuditFromJson(toJson(entries)).value() == entries);
    CHECK(refusal(licenceAuditFromJson(R"([{"sequence":1,"event":"grant"}])")) == "audit[0].at: missing (expected a string)");
    CHECK(refusal(licenceAuditFromJson(R"([{"sequence":1,"at":"2024-05-01T12:00:00.000Z","event":"grant","fromHost":[]}])")) ==
          "audit[0].fromHost: expected a string");
}
