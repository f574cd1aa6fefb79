// The board routes of the API server (issue #5), GET /v1/boards and POST /v1/plan, over real
// sockets with a scripted AdminApi behind them; the hook listener does not serve them.
#include "api_server_support.h"
#include "api_test_support.h"
#include "faxover/orchestrator/api/ApiClient.h"
#include "faxover/orchestrator/api/ApiServer.h"
#include "faxover/orchestrator/api/Json.h"

#include <catch2/catch.hpp>

using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;
using faxover::orchestrator::engine::Verb;
using faxover::orchestrator::ErrorKind;

TEST_CASE("the client reads the boards and a plan through the server", "[api][server][boards]") {
    TempDir folder;
    FakeAdminApi fake;
    fake.planMoves = samplePlan();
    RunningServer running(fake, parseApiEndpoint("unix:" + folder.file("faxover.sock")).value());
    ApiClient client(running.endpoint());

    auto boards = client.boards();
    REQUIRE(boards);
    CHECK(boards.value() == sampleBoards());

    auto moves = client.plan({Verb::MaintenanceEnable, "", "lab1", "admin:mallory"});
    REQUIRE(moves);
    CHECK(moves.value() == samplePlan());
    // The plan sees the command with the caller from the socket, never the actor a client sent,
    // and nothing was executed.
    REQUIRE(fake.planned().size() == 1);
    CHECK(fake.planned()[0].verb == Verb::MaintenanceEnable);
    CHECK(fake.planned()[0].host == "lab1");
    CHECK(fake.planned()[0].actor.rfind("admin:", 0) == 0);
    CHECK(fake.planned()[0].actor != "admin:mallory");
    CHECK(fake.received().empty());
    CHECK(rawRequest(running.endpoint(), "POST", "/v1/plan", R"({"verb":"migrate","service":"fax-b"})").status == 200);
}

TEST_CASE("the board routes map NotSupported to 501 and the client reads it back", "[api][server][boards]") {
    FakeAdminApi fake;
    fake.plans = false;  // AdminApi's default plan(): an implementor that does not offer plans
    fake.boardsError = faxover::orchestrator::Error{ErrorKind::NotSupported, "boards are not inventoried yet"};
    RunningServer running(fake, kLoopback);
    ApiClient client(running.endpoint());

    auto unsupported = client.plan({Verb::Migrate, "fax-b", "", ""});
    REQUIRE_FALSE(unsupported);
    CHECK(unsupported.error().kind == ErrorKind::NotSupported);
    CHECK(unsupported.error().message == "this daemon cannot plan migrate without doing it");
    const auto raw = rawRequest(running.endpoint(), "POST", "/v1/plan", R"({"verb":"migrate","service":"fax-b"})",
                                {{"X-Faxover-User", "ops"}});
    CHECK(raw.status == 501);
    CHECK(errorFromJson(raw.body).value().error.kind == ErrorKind::NotSupported);

    auto noBoards = client.boards();
    REQUIRE_FALSE(noBoards);
    CHECK(noBoards.error().kind == ErrorKind::NotSupported);
    CHECK(rawRequest(running.endpoint(), "GET", "/v1/boards").status == 501);
}

TEST_CASE("bad plan requests get 400 or 405 and never reach the AdminApi", "[api][server][boards]") {
    FakeAdminApi fake;
    RunningServer running(fake, kLoopback);
    const auto endpoint = running.endpoint();
    const std::map<std::string, std::string> user{{"X-Faxover-User", "ops"}};

    auto emptyBody = user;
    emptyBody["Content-Length"] = "0";
    const auto noBody = rawRequest(endpoint, "POST", "/v1/plan", "", emptyBody);
    CHECK(noBody.status == 400);
    CHECK_THAT(errorMessage(noBody), Catch::StartsWith("command: "));
    const auto badVerb = rawRequest(endpoint, "POST", "/v1/plan", R"({"verb":"teleport","service":"fax-b"})", user);
    CHECK(badVerb.status == 400);
    CHECK(errorMessage(badVerb) == "verb: unknown verb 'teleport'");
    const auto noHost = rawRequest(endpoint, "POST", "/v1/plan", R"({"verb":"maintenance-enable"})", user);
    CHECK(noHost.status == 400);
    CHECK(errorMessage(noHost) == "maintenance-enable needs a host");
    const auto wrongType = rawRequest(endpoint, "POST", "/v1/plan", R"({"verb":"migrate","service":42})", user);
    CHECK(wrongType.status == 400);
    CHECK(errorMessage(wrongType) == "service: expected a string");
    // Over TCP the caller must name itself, as for /v1/commands.
    CHECK(rawRequest(endpoint, "POST", "/v1/plan", R"({"verb":"migrate","service":"fax-b"})").status == 400);

    const auto getPlan = rawRequest(endpoint, "GET", "/v1/plan");
    CHECK(getPlan.status == 405);
    CHECK(getPlan.allow == "POST");
    const auto postBoards = rawRequest(endpoint, "POST", "/v1/boards", "{}", user);
    CHECK(postBoards.status == 405);
    CHECK(postBoards.allow == "GET");
    CHECK(fake.planned().empty());
    CHECK(fake.received().empty());
}

TEST_CASE("the hook listener does not serve the board routes", "[api][server][boards]") {
    FakeAdminApi fake;
    fake.planMoves = samplePlan();
    RunningServer hook(fake, kLoopback, ApiRole::Hook);
    const auto endpoint = hook.endpoint();
    const auto boards = rawRequest(endpoint, "GET", "/v1/boards");
    CHECK(boards.status == 404);
    CHECK_THAT(errorMessage(boards), Catch::Contains("this listener only answers the libvirt hook"));
    const auto plan = rawRequest(endpoint, "POST", "/v1/plan", R"({"verb":"migrate","service":"fax-b"})",
                                 {{"X-Faxover-User", "ops"}});
    CHECK(plan.status == 404);
    CHECK(fake.planned().empty());
    // The client reads a 404 as a route this daemon does not offer, keeping the listener's words.
    auto viaClient = ApiClient(endpoint).boards();
    REQUIRE_FALSE(viaClient);
    CHECK(viaClient.error().kind == ErrorKind::NotSupported);
    CHECK_THAT(viaClient.error().message, Catch::Contains("this listener only answers the libvirt hook"));
}
