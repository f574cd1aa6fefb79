// The board documents on the wire (issue #5): the boards list and the dry run of a command; round
// trips, the documented shapes, and refusals naming the field at fault.
#include "api_test_support.h"
#include "faxover/orchestrator/api/Json.h"

#include <catch2/catch.hpp>

using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;

namespace {

std::string boardWith(const std::string& fields) { return R"([{"host":"lab1","pciAddress":"0000:03:00.0",)" + fields + "}]"; }

std::string moveWith(const std::string& fields) { return R"([{"service":"fax-b",)" + fields + "}]"; }

}  // namespace

TEST_CASE("boards survive the round trip through JSON in order", "[api][boards]") {
    const auto boards = sampleBoards();
    for (const auto style : {JsonStyle::Compact, JsonStyle::Indented}) {
        auto parsed = boardsFromJson(toJson(boards, style));
        REQUIRE(parsed);
        CHECK(parsed.value() == boards);
    }
    CHECK(toJson(std::vector<BoardView>{}) == "[]");
    CHECK(boardsFromJson("[]").value().empty());
    // The documented shape (docs/cli.md): every field, PCI ids as numbers.
    CHECK(toJson(std::vector<BoardView>{sampleBoards()[0]}) ==
          R"([{"host":"lab1","pciAddress":"0000:03:00.0","model":"TR1034","vendorId":4277,"deviceId":36944,)"
          R"("trunkGroup":"pstn-a","driver":"vfio-pci","holder":"fax-b","state":"in-use","detail":""}])");
    // Only host, address and state are required.
    CHECK(boardsFromJson(boardWith(R"("state":"not-inventoried")")).value()[0] ==
          BoardView{"lab1", "0000:03:00.0", "", 0, 0, "", "", "", "not-inventoried", ""});
}

TEST_CASE("a plan survives the round trip with a known and an unknown outage", "[api][boards]") {
    const auto moves = samplePlan();
    auto parsed = planFromJson(toJson(moves, JsonStyle::Indented));
    REQUIRE(parsed);
    CHECK(parsed.value() == moves);
    CHECK(toJson(std::vector<PlannedMove>{}) == "[]");
    // An unknown outage is null, not absent: every move has the same keys.
    CHECK(toJson(std::vector<PlannedMove>{moves[0]}) ==
          R"([{"service":"fax-a","how":"live-migrate","from":"lab1","to":"lab2","fromBoard":"","toBoard":"",)"
          R"("reason":"maintenance on lab1","expectedOutageMs":null,"outageBasis":""}])");
    CHECK_THAT(toJson(std::vector<PlannedMove>{moves[1]}), Catch::Contains(R"("expectedOutageMs":38000,)"));
    auto minimal = planFromJson(moveWith(R"("how":"stays")"));
    REQUIRE(minimal);
    CHECK(minimal.value()[0] == PlannedMove{"fax-b", "stays", "", "", "", "", "", std::nullopt, ""});
    // Zero is a known outage (a measured instant move), not an unknown one.
    CHECK(planFromJson(moveWith(R"("how":"cold-move","expectedOutageMs":0)")).value()[0].expectedOutage ==
          std::chrono::milliseconds(0));
}

TEST_CASE("board documents with mistakes are refused naming the field", "[api][boards]") {
    CHECK(refusal(boardsFromJson(R"({"host":"lab1"})")) == "boards: expected a JSON array");
    CHECK(refusal(boardsFromJson("[7]")) == "boards[0]: expected an object");
    CHECK(refusal(boardsFromJson(R"([{"pciAddress":"0000:03:00.0","state":"free"}])")) ==
          "boards[0].host: missing (expected a string)");
    CHECK(refusal(boardsFromJson(boardWith(R"("state":"free","vendorId":65536)"))) ==
          "boards[0].vendorId: expected a whole number from 0 to 65535");
    CHECK(refusal(boardsFromJson(boardWith(R"("state":"free","deviceId":-1)"))) ==
          "boards[0].deviceId: expected a whole number from 0 to 65535");
    CHECK(refusal(boardsFromJson(boardWith(R"("state":"free","deviceId":"0x9050")"))) ==
          "boards[0].deviceId: expected a whole number from 0 to 65535");
    CHECK(refusal(boardsFromJson(boardWith(R"("state":"free","holder":false)"))) == "boards[0].holder: expected a string");
    CHECK(refusal(boardsFromJson(boardWith(R"("state":7)"))) == "boards[0].state: expected a string");
    CHECK(refusal(boardsFromJson("[{")).rfind("boards: malformed JSON", 0) == 0);

    CHECK(refusal(planFromJson("{}")) == "plan: expected a JSON array");
    CHECK(refusal(planFromJson(R"([{"how":"cold-move"}])")) == "plan[0].service: missing (expected a string)");
    CHECK(refusal(planFromJson(moveWith(R"("from":"lab1")"))) == "plan[0].how: missing (expected a string)");
    CHECK(refusal(planFromJson(moveWith(R"("how":"cold-move","expectedOutageMs":38.5)"))) ==
          "plan[0].expectedOutageMs: expected a whole number from 0 to 604800000");
    CHECK(refusal(planFromJson(moveWith(R"("how":"cold-move","expectedOutageMs":-5)"))) ==
          "plan[0].expectedOutageMs: expected a whole number from 0 to 604800000");
    CHECK(refusal(planFromJson(moveWith(R"("how":"cold-move","expectedOutageMs":"38 s")"))) ==
          "plan[0].expectedOutageMs: expected a whole number from 0 to 604800000");
    CHECK(refusal(planFromJson(moveWith(R"("how":"cold-move","toBoard":[])"))) == "plan[0].toBoard: expected a string");
}
