// The board documents (issue #5) <-> JSON: the fax boards as `faxover boards` shows them, and the
// dry run of an admin command (`POST /v1/plan`). Same rules as Json.cpp: writers emit every
// field, readers require what a value cannot do without and take the rest as empty when absent.
#include "JsonSupport.h"

#include <array>
#include <limits>
#include <utility>

namespace faxover::orchestrator::api {

namespace {

using Poco::JSON::Object;

constexpr std::int64_t kMostPciId = std::numeric_limits<std::uint16_t>::max();
// A week: no estimate of an outage is longer; more means a corrupt document.
constexpr std::int64_t kMostOutageMilliseconds = 7LL * 24 * 3600 * 1000;

Object::Ptr boardObject(const BoardView& board) {
    Object::Ptr object = orderedObject();
    object->set("host", board.host);
    object->set("pciAddress", board.pciAddress);
    object->set("model", board.model);
    object->set("vendorId", static_cast<int>(board.vendorId));
    object->set("deviceId", static_cast<int>(board.deviceId));
    object->set("trunkGroup", board.trunkGroup);
    object->set("driver", board.driver);
    object->set("holder", board.holder);
    object->set("state", board.state);
    object->set("detail", board.detail);
    return object;
}

Object::Ptr moveObject(const PlannedMove& move) {
    Object::Ptr object = orderedObject();
    object->set("service", move.service);
    object->set("how", move.how);
    object->set("from", move.from);
    object->set("to", move.to);
    object->set("fromBoard", move.fromBoard);
    object->set("toBoard", move.toBoard);
    object->set("reason", move.reason);
    // null, not absent, when unknown: a script sees the same keys in every move.
    if (move.expectedOutage) {
        object->set("expectedOutageMs", static_cast<Poco::Int64>(move.expectedOutage->count()));
    } else {
        object->set("expectedOutageMs", Poco::Dynamic::Var());
    }
    object->set("outageBasis", move.outageBasis);
    return object;
}

// Copies the optional string fields named in `fields` into their places.
template <std::size_t Count>
Result<void> readOptionalStrings(const JsonFields& fields,
                                     const std::array<std::pair<const char*, std::string*>, Count>& places) {
    for (const auto& [key, into] : places) {
        BOOST_OUTCOME_TRY(value, fields.optionalString(key));
        *into = std::move(value);
    }
    return ok();
}

Result<BoardView> boardFrom(const JsonFields& fields) {
    BoardView board;
    BOOST_OUTCOME_TRY(host, fields.requiredString("host"));
    BOOST_OUTCOME_TRY(pciAddress, fields.requiredString("pciAddress"));
    BOOST_OUTCOME_TRY(state, fields.requiredString("state"));
    BOOST_OUTCOME_TRY(vendorId, fields.optionalInteger("vendorId", 0, kMostPciId));
    BOOST_OUTCOME_TRY(deviceId, fields.optionalInteger("deviceId", 0, kMostPciId));
    board.host = std::move(host);
    board.pciAddress = std::move(pciAddress);
    board.state = std::move(state);
    board.vendorId = static_cast<std::uint16_t>(vendorId.value_or(0));
    board.deviceId = static_cast<std::uint16_t>(deviceId.value_or(0));
    BOOST_OUTCOME_TRY(readOptionalStrings<5>(fields, {{{"model", &board.model},
                                                        {"trunkGroup", &board.trunkGroup},
                                                        {"driver", &board.driver},
                                                        {"holder", &board.holder},
                                                        {"detail", &board.detail}}}));
    return board;
}

Result<PlannedMove> moveFrom(const JsonFields& fields) {
    PlannedMove move;
    BOOST_OUTCOME_TRY(service, fields.requiredString("service"));
    BOOST_OUTCOME_TRY(how, fields.requiredString("how"));
    BOOST_OUTCOME_TRY(outage, fields.optionalInteger("expectedOutageMs", 0, kMostOutageMilliseconds));
    move.service = std::move(service);
    move.how = std::move(how);
    if (outage) move.expectedOutage = std::chrono::milliseconds(*outage);
    BOOST_OUTCOME_TRY(readOptionalStrings<6>(fields, {{{"from", &move.from},
                                                        {"to", &move.to},
                                                        {"fromBoard", &move.fromBoard},
                                                        {"toBoard", &move.toBoard},
                                                        {"reason", &move.reason},
                                                        {"outageBasis", &move.outageBasis}}}));
    return move;
}

}  // namespace

std::string toJson(const std::vector<BoardView>& boards, JsonStyle style) {
    return arrayJson(boards, boardObject, style);
}

std::string toJson(const std::vector<PlannedMove>& moves, JsonStyle style) {
    return arrayJson(moves, moveObject, style);
}

Result<std::vector<BoardView>> boardsFromJson(std::string_view text) {
    return guarded("boards", [&]() -> Result<std::vector<BoardView>> {
        BOOST_OUTCOME_TRY(array, parseJsonArray(text, "boards"));
        return readList<BoardView>(*array, "boards", boardFrom);
    });
}

Result<std::vector<PlannedMove>> planFromJson(std::string_view text) {
    return guarded("plan", [&]() -> Result<std::vector<PlannedMove>> {
        BOOST_OUTCOME_TRY(array, parseJsonArray(text, "plan"));
        return readList<PlannedMove>(*array, "plan", moveFrom);
    });
}

}  // namespace faxover::orchestrator::api
