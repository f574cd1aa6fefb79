#include "faxover/policies/Duration.h"

#include <array>
#include <cstdint>

namespace faxover::policy {

namespace {

struct Unit {
    std::string_view suffix{};
    std::int64_t milliseconds = 0;
};

// Longest suffix first, so "ms" is not read as "m" followed by garbage.
constexpr std::array<Unit, 4> kUnits{{{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}}};

// About 100 years: far beyond any sensible policy value, far below int64 overflow.
constexpr std::int64_t kMaxMilliseconds = 100LL * 366 * 24 * 3'600'000;

std::optional<std::int64_t> parseDigits(std::string_view digits) {
    if (digits.empty() || digits.size() > 15) return std::nullopt;  // 15 digits cannot overflow
    std::int64_t value = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

}  // namespace

std::optional<std::chrono::milliseconds> parseDuration(std::string_view text) {
    for (const Unit& unit : kUnits) {
        if (text.size() <= unit.suffix.size() || !text.ends_with(unit.suffix)) continue;
        auto number = parseDigits(text.substr(0, text.size() - unit.suffix.size()));
        if (!number) return std::nullopt;
        if (*number > kMaxMilliseconds / unit.milliseconds) return std::nullopt;
        return std::chrono::milliseconds(*number * unit.milliseconds);
    }
    return std::nullopt;
}

std::string formatDuration(std::chrono::milliseconds duration) {
    const std::int64_t ms = duration.count();
    for (auto unit = kUnits.rbegin(); unit != kUnits.rend(); ++unit) {
        if (ms != 0 && ms % unit->milliseconds == 0) {
            return std::to_string(ms / unit->milliseconds) + std::string(unit->suffix);
        }
    }
    return std::to_string(ms) + "ms";
}

}  // namespace faxover::policy
