// The board documents (issue #5) <-> JSON: the fax boards as `faxover boards` shows them, and the
// dry run of an admin command (`POST /v1/plan`). Same rules as Json.cpp: writers emit every
// field, readers require what a value cannot do without and take the rest as empty when absent.
#include "JsonMapping.h"

#include <limits>
#include <utility>

namespace faxover::orchestrator::api {

namespace {

constexpr std::int64_t kMostPciId = std::numeric_limits<std::uint16_t>::max();
// A week: no estimate of an outage is longer; more means a corrupt document.
constexpr std::int64_t kMostOutageMilliseconds = 7LL * 24 * 3600 * 1000;

const auto kBoardMapping = mappingOf<BoardView>(
    field("host", &BoardView::host, Text{Presence::Required}),
    field("pciAddress", &BoardView::pciAddress, Text{Presence::Required}),
    field("model", &BoardView::model, Text{}),
    field("vendorId", &BoardView::vendorId, Whole<std::uint16_t>{0, kMostPciId, Presence::Optional}),
    field("deviceId", &BoardView::deviceId, Whole<std::uint16_t>{0, kMostPciId, Presence::Optional}),
    field("trunkGroup", &BoardView::trunkGroup, Text{}),
    field("driver", &BoardView::driver, Text{}),
    field("holder", &BoardView::holder, Text{}),
    field("state", &BoardView::state, Text{Presence::Required}),
    field("detail", &BoardView::detail, Text{}));

const auto kMoveMapping = mappingOf<PlannedMove>(
    field("service", &PlannedMove::service, Text{Presence::Required}),
    field("how", &PlannedMove::how, Text{Presence::Required}),
    field("from", &PlannedMove::from, Text{}),
    field("to", &PlannedMove::to, Text{}),
    field("fromBoard", &PlannedMove::fromBoard, Text{}),
    field("toBoard", &PlannedMove::toBoard, Text{}),
    field("reason", &PlannedMove::reason, Text{}),
    field("expectedOutageMs", &PlannedMove::expectedOutage, Milliseconds{kMostOutageMilliseconds}),
    field("outageBasis", &PlannedMove::outageBasis, Text{}));

}  // namespace

std::string toJson(const std::vector<BoardView>& boards, JsonStyle style) {
    return kBoardMapping.writeArray(boards, style);
}

std::string toJson(const std::vector<PlannedMove>& moves, JsonStyle style) {
    return kMoveMapping.writeArray(moves, style);
}

Result<std::vector<BoardView>> boardsFromJson(std::string_view text) {
    return guarded("boards", [&]() -> Result<std::vector<BoardView>> {
        BOOST_OUTCOME_TRY(array, parseJsonArray(text, "boards"));
        return kBoardMapping.readArray(*array, "boards");
    });
}

Result<std::vector<PlannedMove>> planFromJson(std::string_view text) {
    return guarded("plan", [&]() -> Result<std::vector<PlannedMove>> {
        BOOST_OUTCOME_TRY(array, parseJsonArray(text, "plan"));
        return kMoveMapping.readArray(*array, "plan");
    });
}

}  // namespace faxover::orchestrator::api
