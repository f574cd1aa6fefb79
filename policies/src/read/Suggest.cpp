#include "read/Suggest.h"

#include <algorithm>

namespace faxover::policy::read {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Words much longer than any key are never close to one; stop early rather than fill a big table.
constexpr std::size_t kLongestComparedWord = 64;

}  // namespace

std::size_t editDistance(std::string_view a, std::string_view b) {
    if (a.size() > kLongestComparedWord || b.size() > kLongestComparedWord) return std::max(a.size(), b.size());
    const std::size_t rows = a.size() + 1;
    const std::size_t columns = b.size() + 1;
    std::vector<std::size_t> d(rows * columns);
    auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * columns + j]; };
    for (std::size_t i = 0; i < rows; ++i) at(i, 0) = i;
    for (std::size_t j = 0; j < columns; ++j) at(0, j) = j;
    for (std::size_t i = 1; i < rows; ++i) {
        for (std::size_t j = 1; j < columns; ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            const bool swapped = i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]);
            if (swapped) at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
        }
    }
    return at(rows - 1, columns - 1);
}

namespace {

bool startsWithIgnoringCase(std::string_view text, std::string_view prefix) {
    if (prefix.size() > text.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (lower(text[i]) != lower(prefix[i])) return false;
    }
    return true;
}

// An abbreviation that fits one candidate only.
std::optional<std::string> onlyCandidateStartingWith(std::string_view word, const std::vector<std::string>& candidates) {
    constexpr std::size_t kShortestAbbreviation = 3;
    if (word.size() < kShortestAbbreviation) return std::nullopt;
    std::optional<std::string> match;
    for (const auto& candidate : candidates) {
        if (!startsWithIgnoringCase(candidate, word)) continue;
        if (match) return std::nullopt;
        match = candidate;
    }
    return match;
}

}  // namespace

std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string>& candidates) {
    const std::size_t allowed = word.size() <= 3 ? 1 : 2;
    std::optional<std::string> best;
    std::size_t bestDistance = allowed + 1;
    for (const auto& candidate : candidates) {
        const std::size_t distance = editDistance(word, candidate);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = candidate;
        }
    }
    return best;
}

std::optional<std::string> closestKey(std::string_view word, const std::vector<std::string>& candidates) {
    auto close = closestMatch(word, candidates);
    return close ? close : onlyCandidateStartingWith(word, candidates);
}

}  // namespace faxover::policy::read
