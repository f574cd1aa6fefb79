// The wire parsers against hostile input: random bytes, mutated valid documents and deep nesting
// (the licence documents and --since instants of issue #4, the board documents of issue #5 included).
// Each must answer (a value or BadRequest), never throw or crash.
#include "api_test_support.h"
#include "faxover/orchestrator/api/Json.h"

#include <catch2/catch.hpp>

#include <random>

using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;
using faxover::orchestrator::engine::AdminCommand;
using faxover::orchestrator::engine::Verb;
using faxover::orchestrator::ErrorKind;

namespace {

constexpr int kIterations = 3000;

// Feeds `text` to every parser; each answer must be a value or a BadRequest error.
void feedAllParsers(const std::string& text) {
    auto status = clusterStatusFromJson(text);
    auto command = adminCommandFromJson(text);
    auto reply = commandReplyFromJson(text);
    auto error = errorFromJson(text);
    auto time = parseIsoUtc(text);
    auto licences = licencesFromJson(text);
    auto audit = licenceAuditFromJson(text);
    auto permission = startPermissionFromJson(text);
    auto instant = parseIsoInstant(text);
    auto boards = boardsFromJson(text);
    auto plan = planFromJson(text);
    if (!status) REQUIRE(status.error().kind == ErrorKind::BadRequest);
    if (!command) REQUIRE(command.error().kind == ErrorKind::BadRequest);
    if (!reply) REQUIRE(reply.error().kind == ErrorKind::BadRequest);
    if (!error) REQUIRE(error.error().kind == ErrorKind::BadRequest);
    if (!time) REQUIRE(time.error().kind == ErrorKind::BadRequest);
    if (!licences) REQUIRE(licences.error().kind == ErrorKind::BadRequest);
    if (!audit) REQUIRE(audit.error().kind == ErrorKind::BadRequest);
    if (!permission) REQUIRE(permission.error().kind == ErrorKind::BadRequest);
    if (!instant) REQUIRE(instant.error().kind == ErrorKind::BadRequest);
    if (!boards) REQUIRE(boards.error().kind == ErrorKind::BadRequest);
    if (!plan) REQUIRE(plan.error().kind == ErrorKind::BadRequest);
}

std::string randomBytes(std::mt19937& random, std::size_t most) {
    std::uniform_int_distribution<std::size_t> length(0, most);
    std::uniform_int_distribution<int> byte(0, 255);
    std::string text(length(random), '\0');
    for (auto& character : text) character = static_cast<char>(byte(random));
    return text;
}

// Bytes drawn from JSON's own alphabet, which gets much further into the parser than noise.
std::string randomJsonish(std::mt19937& random, std::size_t most) {
    static const std::string alphabet = "{}[]\":,0123456789.-+eEtrufalsn \\/\"\t\nabcxyz";
    std::uniform_int_distribution<std::size_t> length(0, most);
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::string text(length(random), ' ');
    for (auto& character : text) character = alphabet[pick(random)];
    return text;
}

// `valid` with a few bytes replaced, deleted or inserted.
std::string mutated(std::mt19937& random, std::string valid) {
    std::uniform_int_distribution<int> edits(1, 4);
    std::uniform_int_distribution<int> kind(0, 2);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int edit = edits(random); edit > 0 && !valid.empty(); --edit) {
        std::uniform_int_distribution<std::size_t> where(0, valid.size() - 1);
        const std::size_t at = where(random);
        switch (kind(random)) {
            case 0: valid[at] = static_cast<char>(byte(random)); break;
            case 1: valid.erase(at, 1); break;
            default: valid.insert(at, 1, static_cast<char>(byte(random))); break;
        }
    }
    return valid;
}

}  // namespace

TEST_CASE("random bytes never crash the wire parsers", "[api][fuzz]") {
    std::mt19937 random(20240501);
    for (int iteration = 0; iteration < kIterations; ++iteration) {
        feedAllParsers(randomBytes(random, 256));
        feedAllParsers(randomJsonish(random, 128));
    }
}

TEST_CASE("mutated valid documents never crash the wire parsers", "[api][fuzz]") {
    std::mt19937 random(7480);
    const std::vector<std::string> valid = {
        toJson(sampleStatus()),
        toJson(AdminCommand{Verb::Migrate, "fax-a", "lab2", "admin:root"}),
        toJson(CommandReply{"accepted"}),
        toJson(faxover::orchestrator::Error{ErrorKind::Refused, "already migrating"}),
        toIsoUtc(sampleNow()),
        toJson(sampleLicences()),
        toJson(sampleAudit()),
        toJson(StartPermission{true, "ok", {"fax-a", "4dea22b3-1d52-d8f3-2516-782e98ab3fa0"}}),
        "2024-05-01T14:03:04.5+02:00",
        toJson(sampleBoards()),
        toJson(samplePlan()),
    };
    for (int iteration = 0; iteration < kIterations; ++iteration) {
        feedAllParsers(mutated(random, valid[static_cast<std::size_t>(iteration) % valid.size()]));
    }
}

TEST_CASE("deeply nested JSON is refused, not recursed into", "[api][fuzz]") {
    for (const std::size_t depth : {64u, 4096u, 60000u}) {
        const std::string arrays = std::string(depth, '[') + std::string(depth, ']');
        const std::string objects = [&] {
            std::string text;
            for (std::size_t level = 0; level < depth; ++level) text += R"({"a":)";
            return text + "1" + std::string(depth, '}');
        }();
        for (const auto& text : {arrays, objects, R"({"services":)" + arrays + "}"}) {
            auto status = clusterStatusFromJson(text);
            REQUIRE_FALSE(status);
            CHECK(status.error().kind == ErrorKind::BadRequest);
            auto licences = licencesFromJson(text);
            REQUIRE_FALSE(licences);
            CHECK(licences.error().kind == ErrorKind::BadRequest);
            auto plan = planFromJson(text);
            REQUIRE_FALSE(plan);
            CHECK(plan.error().kind == ErrorKind::BadRequest);
        }
    }
}
