// The licence routes of the API server (issue #4) and the hook listener, over real sockets with
// a scripted AdminApi behind them.
#include "api_server_support.h"
#include "api_test_support.h"
#include "faxover/orchestrator/api/ApiClient.h"
#include "faxover/orchestrator/api/ApiServer.h"
#include "faxover/orchestrator/api/Json.h"

#include <catch2/catch.hpp>

using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;
using faxover::orchestrator::engine::AdminCommand;
using faxover::orchestrator::engine::Verb;
using faxover::orchestrator::ErrorKind;

namespace {

constexpr const char* kUuid = "4dea22b3-1d52-d8f3-2516-782e98ab3fa0";

}  // namespace

TEST_CASE("the client reads licences and the audit log through the server", "[api][server][licence]") {
    TempDir folder;
    FakeAdminApi fake;
    RunningServer running(fake, parseApiEndpoint("unix:" + folder.file("faxover.sock")).value());
    ApiClient client(running.endpoint());

    auto licences = client.licences();
    REQUIRE(licences);
    CHECK(licences.value() == sampleLicences());

    auto everything = client.licenceAudit(std::nullopt);
    REQUIRE(everything);
    CHECK(everything.value() == sampleAudit());
    REQUIRE(client.licenceAudit(sampleNow() + std::chrono::milliseconds(5)));
    REQUIRE(fake.auditSinces().size() == 2);
    CHECK_FALSE(fake.auditSinces()[0]);
    CHECK(fake.auditSinces()[1] == sampleNow() + std::chrono::milliseconds(5));

    fake.licencesError = faxover::orchestrator::Error{ErrorKind::NotSupported, "the licence ledger is not built yet"};
    auto unsupported = client.licences();
    REQUIRE_FALSE(unsupported);
    CHECK(unsupported.error().kind == ErrorKind::NotSupported);
    CHECK(unsupported.error().message == "the licence ledger is not built yet");
    CHECK(rawRequest(running.endpoint(), "GET", "/v1/licences").status == 501);
}

TEST_CASE("the audit route reads since in any ISO 8601 form and refuses a bad one", "[api][server][licence]") {
    TempDir folder;
    FakeAdminApi fake;
    RunningServer running(fake, parseApiEndpoint("unix:" + folder.file("faxover.sock")).value());
    const auto endpoint = running.endpoint();

    CHECK(rawRequest(endpoint, "GET", "/v1/licences/audit?since=2024-05-01").status == 200);
    CHECK(rawRequest(endpoint, "GET", "/v1/licences/audit?since=2024-05-01T14:00%2B02:00").status == 200);
    REQUIRE(fake.auditSinces().size() == 2);
    CHECK(fake.auditSinces()[0] == sampleNow() - std::chrono::hours(12));
    CHECK(fake.auditSinces()[1] == sampleNow());

    const auto bad = rawRequest(endpoint, "GET", "/v1/licences/audit?since=last-tuesday");
    CHECK(bad.status == 400);
    CHECK_THAT(errorMessage(bad), Catch::StartsWith("since: 'last-tuesday'") && Catch::Contains("ISO 8601"));
    CHECK(rawRequest(endpoint, "GET", "/v1/licences/audit?since=2024-05-01&since=2024-06-01").status == 400);
    CHECK(rawRequest(endpoint, "GET", "/v1/licences/audit?since=%zz").status == 400);
    CHECK(rawRequest(endpoint, "POST", "/v1/licences/audit", "{}").allow == "GET");
    CHECK(rawRequest(endpoint, "DELETE", "/v1/licences").status == 405);
    CHECK(fake.auditSinces().size() == 2);  // none of the bad ones reached the AdminApi
}

TEST_CASE("may-start fills the asker from the connection, never from the query", "[api][server][licence]") {
    TempDir folder;
    FakeAdminApi fake;
    RunningServer local(fake, parseApiEndpoint("unix:" + folder.file("faxover.sock")).value());
    RunningServer tcp(fake, kLoopback);

    auto answer = ApiClient(local.endpoint()).mayStart({"lab2", kUuid, "fax-b", "libvirt-hook:forged"});
    REQUIRE(answer);
    CHECK(answer.value() == fake.permission);
    const auto raw = rawRequest(tcp.endpoint(), "GET", std::string("/v1/hook/may-start?host=lab2&name=fax%20b&asker=x"));
    CHECK(raw.status == 200);
    CHECK(raw.body == toJson(fake.permission));

    REQUIRE(fake.startQueries().size() == 2);
    CHECK(fake.startQueries()[0] == StartQuery{"lab2", kUuid, "fax-b", "libvirt-hook:lab2@local"});
    CHECK(fake.startQueries()[1] == StartQuery{"lab2", "", "fax b", "libvirt-hook:lab2@127.0.0.1"});
}

TEST_CASE("may-start refuses missing or malformed parameters with a 400 that says why", "[api][server][licence]") {
    FakeAdminApi fake;
    RunningServer running(fake, kLoopback);
    struct Case {
        std::string query;
        std::string message;
    };
    for (const auto& each : {Case{"", "host: missing"}, Case{"?name=fax-a", "host: missing"},
                             Case{"?host=lab1", "uuid, name: give the domain's uuid or name"},
                             Case{"?host=lab1&uuid=&name=", "uuid, name: give"},
                             Case{"?host=lab1%0Aadmin&name=fax-a", "host: expected a host name"},
                             Case{"?host=-lab1&name=fax-a", "host: expected a host name"},
                             Case{"?host=lab1&uuid=not-a-uuid", "uuid: expected a UUID"},
                             Case{"?host=lab1&name=a%2Fb", "name: expected a domain name"},
                             Case{"?host=lab1&name=fax%0D%0Aforged", "name: expected a domain name"},
                             Case{"?host=lab1&name=" + std::string(300, 'x'), "name: expected a domain name"},
                             Case{"?host=lab1&host=lab2&name=a", "host: given twice"},
                             Case{"?host=lab1&name=%G1", "malformed query string"}}) {
        INFO(each.query);
        const auto answer = rawRequest(running.endpoint(), "GET", "/v1/hook/may-start" + each.query);
        CHECK(answer.status == 400);
        CHECK_THAT(errorMessage(answer), Catch::StartsWith(each.message));
    }
    CHECK(fake.startQueries().empty());

    fake.mayStartError = faxover::orchestrator::Error{ErrorKind::NotSupported, "the licence ledger is not built yet"};
    const auto unsupported = rawRequest(running.endpoint(), "GET", "/v1/hook/may-start?host=lab1&name=fax-a");
    CHECK(unsupported.status == 501);
    CHECK(errorMessage(unsupported) == "the licence ledger is not built yet");
    fake.mayStartError = faxover::orchestrator::Error{ErrorKind::BadRequest, "no host lab9 in the policy"};
    CHECK(rawRequest(running.endpoint(), "GET", "/v1/hook/may-start?host=lab9&name=fax-a").status == 400);
}

TEST_CASE("the hook listener answers may-start and nothing else", "[api][server][licence]") {
    FakeAdminApi fake;
    RunningServer hook(fake, kLoopback, ApiRole::Hook);
    const auto endpoint = hook.endpoint();

    auto answer = ApiClient(endpoint).mayStart({"lab2", kUuid, "", ""});
    REQUIRE(answer);
    CHECK(answer.value() == fake.permission);
    REQUIRE(fake.startQueries().size() == 1);
    CHECK(fake.startQueries()[0].asker == "libvirt-hook:lab2@127.0.0.1");

    for (const auto& [method, path] : {std::pair{"GET", "/v1/status"}, std::pair{"GET", "/v1/licences"},
                                       std::pair{"GET", "/v1/licences/audit"}, std::pair{"POST", "/v1/commands"},
                                       std::pair{"GET", "/"}, std::pair{"GET", "/v1/hook/other"}}) {
        INFO(method << " " << path);
        const auto refused = rawRequest(endpoint, method, path, std::string(method) == "POST" ?
                                        R"({"verb":"stop","service":"fax-a"})" : "");
        CHECK(refused.status == 404);
        CHECK_THAT(errorMessage(refused), Catch::Contains("this listener only answers the libvirt hook"));
    }
    CHECK(rawRequest(endpoint, "POST", "/v1/hook/may-start?host=lab2&name=a", "{}").status == 405);
    CHECK(rawRequest(endpoint, "GET", "/v1/hook/may-start?host=lab2").status == 400);
    CHECK(fake.received().empty());
    CHECK(fake.statusCalls() == 0);
    CHECK(fake.auditSinces().empty());
    CHECK_FALSE(ApiClient(endpoint).status());
}

TEST_CASE("the hook listener takes a host event, its peer from the connection; a bad body is a 400", "[api][server]") {
    FakeAdminApi fake;
    RunningServer hook(fake, kLoopback, ApiRole::Hook);
    const auto endpoint = hook.endpoint();
    const auto taken = rawRequest(endpoint, "POST", "/v1/hook/host-event",
                                  R"({"host":"lab1","event":"reboot","domain":"fax-a"})");
    CHECK(taken.status == 200);
    REQUIRE(fake.hostEvents().size() == 1);
    CHECK(fake.hostEvents()[0] == HostEvent{"lab1", HostEventKind::Reboot, "fax-a", "libvirt-hook:lab1@127.0.0.1",
                                            "127.0.0.1"});
    const auto badEvent = rawRequest(endpoint, "POST", "/v1/hook/host-event", R"({"host":"lab1","event":"halt"})");
    CHECK(badEvent.status == 400);
    CHECK_THAT(errorMessage(badEvent), Catch::Contains("event: expected shutdown, reboot or back; found 'halt'"));
    CHECK(rawRequest(endpoint, "POST", "/v1/hook/host-event", R"({"event":"back"})").status == 400);
    CHECK(rawRequest(endpoint, "POST", "/v1/hook/host-event", "not json").status == 400);
    CHECK(rawRequest(endpoint, "GET", "/v1/hook/host-event").status == 405);
    CHECK(fake.hostEvents().size() == 1);
}

TEST_CASE("the hook listener may listen on any address, the admin API may not", "[api][server][licence]") {
    FakeAdminApi fake;
    const ApiEndpoint any = parseApiEndpoint("tcp:0.0.0.0:0").value();
    RunningServer hook(fake, any, ApiRole::Hook);
    CHECK(hook.endpoint().port != 0);
    ApiEndpoint viaLoopback = hook.endpoint();
    viaLoopback.host = "127.0.0.1";
    CHECK(ApiClient(viaLoopback).mayStart({"lab1", "", "fax-a", ""}));

    ApiServer admin(fake, any);
    auto refused = admin.start();
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error().message, Catch::Contains("not a loopback address"));
}

TEST_CASE("demote goes through the command route with its service", "[api][server][licence]") {
    FakeAdminApi fake;
    RunningServer running(fake, kLoopback);
    ApiClient client(running.endpoint());
    client.setClaimedUserForTcp("ops");
    REQUIRE(client.execute({Verb::Demote, "fax-s", "", ""}));
    REQUIRE(fake.received().size() == 1);
    CHECK(fake.received()[0] == AdminCommand{Verb::Demote, "fax-s", "", "tcp:admin:ops"});

    const auto withHost = rawRequest(running.endpoint(), "POST", "/v1/commands",
                                     R"({"verb":"demote","service":"fax-s","host":"lab1"})", {{"X-Faxover-User", "ops"}});
    CHECK(withHost.status == 400);
    CHECK(errorMessage(withHost) == "demote takes no host (got 'lab1')");
    const auto noService = rawRequest(running.endpoint(), "POST", "/v1/commands", R"({"verb":"demote"})",
                                      {{"X-Faxover-User", "ops"}});
    CHECK(errorMessage(noService) == "demote needs a service");
    CHECK(fake.received().size() == 1);
}
