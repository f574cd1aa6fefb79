// The admin override file (docs/hook.md, "Override"): bounded, explained, and strict about its form.
#include "faxover/hook/Overrides.h"

#include <catch2/catch.hpp>

using namespace faxover::hook;
using Catch::Matchers::Contains;

namespace {
// 2026-11-22T12:00:00Z
const WallClock::time_point kNow = WallClock::from_time_t(1795348800);
}  // namespace

TEST_CASE("hook overrides: a valid line, with the reason's spaces and a zone offset", "[hook]") {
    auto file = parseOverrides(
        "# orchestrator site down, see ticket 42\n"
        "\n"
        "fax-01 until=2026-11-22T18:00:00Z reason=site A power cut, ticket 42 (alice)\n"
        "6f0a3c7e-2b1d-4d8a-9a4e-5c1f0e2b7d31 until=2026-11-22T14:30:00+01:00 reason=bob\n",
        kNow);
    CHECK(file.ignored.empty());
    REQUIRE(file.valid.size() == 2);
    CHECK(file.valid[0].domain == "fax-01");
    CHECK(file.valid[0].reason == "site A power cut, ticket 42 (alice)");
    CHECK(file.valid[0].line == 3);
    CHECK(file.valid[0].until == kNow + std::chrono::hours(6));
    CHECK(file.valid[1].until == kNow + std::chrono::minutes(90));  // 14:30+01:00 is 13:30Z
}

TEST_CASE("hook overrides: expired, malformed and too long lines are ignored, each with why", "[hook]") {
    auto file = parseOverrides(
        "fax-01 until=2026-11-22T11:59:59Z reason=yesterday's outage\n"
        "fax-01\n"
        "fax-01 reason=no end\n"
        "fax-01 until=2026-11-22T18:00:00Z\n"
        "fax-01 until=2026-11-22T18:00:00Z reason=\n"
        "fax-01 until=tomorrow reason=x\n"
        "fax-01 until=2026-11-22T18:00:00 reason=no zone\n"
        "fax-01 until=2026-11-24T12:00:00Z reason=a whole weekend\n",
        kNow);
    CHECK(file.valid.empty());
    REQUIRE(file.ignored.size() == 8);
    CHECK_THAT(file.ignored[0], Contains("line 1: expired at 2026-11-22T11:59:59Z"));
    CHECK_THAT(file.ignored[1], Contains("line 2: malformed"));
    CHECK_THAT(file.ignored[2], Contains("line 3: malformed"));
    CHECK_THAT(file.ignored[3], Contains("line 4: no reason="));
    CHECK_THAT(file.ignored[4], Contains("line 5: no reason="));
    CHECK_THAT(file.ignored[5], Contains("line 6: until='tomorrow' is not an ISO 8601 time"));
    CHECK_THAT(file.ignored[6], Contains("line 7: until='2026-11-22T18:00:00'"));
    CHECK_THAT(file.ignored[7], Contains("line 8: until=2026-11-24T12:00:00Z is more than 24 h ahead"));
}
