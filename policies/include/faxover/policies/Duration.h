#pragma once
// Durations as a policy writes them: a whole number and a unit, no space: "500ms", "2s", "1m",
// "1h". Nothing else is a duration: no bare numbers (2000 what?), no fractions, no signs, no
// compound forms ("1m30s": write "90s").
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace faxover::policy {

// The duration that text spells, or nothing when it does not follow the grammar or exceeds
// about 100 years.
std::optional<std::chrono::milliseconds> parseDuration(std::string_view text);

// The shortest exact spelling: 90000ms -> "90s", 120000ms -> "2m", 1500ms -> "1500ms".
std::string formatDuration(std::chrono::milliseconds duration);

}  // namespace faxover::policy
