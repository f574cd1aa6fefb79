#include "cli/SinceArgument.h"

#include "faxover/orchestrator/api/Json.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <utility>

namespace faxover::orchestrator {

namespace {

using namespace std::chrono;

constexpr std::array kUnits = {std::pair{'s', 1LL}, std::pair{'m', 60LL}, std::pair{'h', 3600LL},
                               std::pair{'d', 86400LL}, std::pair{'w', 604800LL}};
// 100 years of seconds and then some: past this a span is a typo, and the arithmetic stays safe.
constexpr long long kMostSpanSeconds = 4'000'000'000LL;

// "24h" -> 86400 s; nothing when `text` is not NUMBER UNIT.
std::optional<seconds> spanOf(std::string_view text) {
    if (text.size() < 2) return std::nullopt;
    const char unit = text.back();
    const std::string_view number = text.substr(0, text.size() - 1);
    long long count = 0;
    const auto [end, problem] = std::from_chars(number.data(), number.data() + number.size(), count);
    if (problem != std::errc{} || end != number.data() + number.size() || count < 0) return std::nullopt;
    for (const auto& [name, unitSeconds] : kUnits) {
        if (name == unit && count <= kMostSpanSeconds / unitSeconds) return seconds{count * unitSeconds};
    }
    return std::nullopt;
}

// Digits then one letter: meant as a span, so a failure is explained as one.
bool looksLikeSpan(std::string_view text) {
    return !text.empty() && std::isalpha(static_cast<unsigned char>(text.back())) != 0 &&
           std::all_of(text.begin(), text.end() - 1, [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

Result<AuditSince> parseSinceArgument(std::string_view text) {
    if (const auto span = spanOf(text)) return AuditSince{*span};
    auto instant = api::parseIsoInstant(text);
    if (instant) return AuditSince{instant.value()};
    // Say what the input most looks like it tried to be.
    const std::string why = looksLikeSpan(text)
                                ? "'" + std::string(text) + "' is not a span like 24h or 7d (a whole number, then s, m, h, d or w; at most about 100 years)"
                                : instant.error().message;
    return Error{ErrorKind::BadRequest,
                     "--since " + why + "; accepted: 2024-05-01, 2024-05-01T12:00Z, 2024-05-01T14:00+02:00, 24h, 7d"};
}

std::optional<api::WallTime> resolveSince(const AuditSince& since, api::WallTime now) {
    if (const auto* instant = std::get_if<api::WallTime>(&since)) return *instant;
    if (const auto* span = std::get_if<seconds>(&since)) return now - *span;
    return std::nullopt;
}

}  // namespace faxover::orchestrator
