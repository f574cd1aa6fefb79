#include "faxover/policies/Duration.h"
#include "policy_test_support.h"

using faxover::policy::formatDuration;
using faxover::policy::parseDuration;
using std::chrono::milliseconds;

TEST_CASE("durations are a whole number and one unit: ms, s, m, h", "[policy]") {
    CHECK(parseDuration("2000ms") == milliseconds(2000));
    CHECK(parseDuration("2s") == milliseconds(2000));
    CHECK(parseDuration("1m") == milliseconds(60000));
    CHECK(parseDuration("1h") == milliseconds(3600000));
    CHECK(parseDuration("0s") == milliseconds(0));
    CHECK(parseDuration("007s") == milliseconds(7000));
}

TEST_CASE("anything else is not a duration", "[policy]") {
    for (const char* text : {"", "2000", "s", "ms", "2 s", " 2s", "2s ", "2.5s", "-2s", "+2s", "2S", "2sec", "1m30s",
                             "2d", "0x10s", "2msms", "1e3ms", "１s", "2\ns"}) {
        INFO("'" << text << "'");
        CHECK_FALSE(parseDuration(text).has_value());
    }
}

TEST_CASE("absurdly long durations are refused instead of overflowing", "[policy]") {
    CHECK_FALSE(parseDuration("999999999999999h").has_value());
    CHECK_FALSE(parseDuration("99999999999999999999ms").has_value());
    CHECK(parseDuration("876000h").has_value());  // 100 years is the limit
}

TEST_CASE("durations are written in their largest exact unit", "[policy]") {
    CHECK(formatDuration(milliseconds(1500)) == "1500ms");
    CHECK(formatDuration(milliseconds(2000)) == "2s");
    CHECK(formatDuration(milliseconds(90000)) == "90s");
    CHECK(formatDuration(milliseconds(120000)) == "2m");
    CHECK(formatDuration(milliseconds(7200000)) == "2h");
    CHECK(formatDuration(milliseconds(0)) == "0ms");
    for (auto value : {1, 999, 1000, 59999, 60000, 3600000, 86400000}) {
        CHECK(parseDuration(formatDuration(milliseconds(value))) == milliseconds(value));
    }
}

TEST_CASE("a duration key names the grammar and the range when it refuses a value", "[policy]") {
    using namespace faxover::policy::test;
    const std::string yaml = std::string(kMinimalPolicy) + "monitoring:\n  interval: 2000\n";
    auto error = onlyError(yaml);
    CHECK(error.toString() ==
          "p.yaml:8:13: monitoring.interval: expected a duration from 100ms to 10m: a whole number and a unit ms, "
          "s, m or h, such as 500ms, 2s or 1m; found '2000' (a number with no unit)");
}
