#pragma once
// "Did you mean ...?" for misspelt keys and values.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faxover::policy::read {

// Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one each
// (optimal string alignment), ignoring ASCII case.
std::size_t editDistance(std::string_view a, std::string_view b);

// The closest candidate within 2 edits (1 for words of 3 letters or fewer, where 2 edits would
// suggest almost anything), the first such on a tie.
std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string>& candidates);

// For keys: closestMatch, or failing that the only candidate the word abbreviates (at least 3
// letters: "migration" for migration_address). Values are not guessed this way: 'live' could be
// an abbreviation or a mistake, and the message already lists every allowed value.
std::optional<std::string> closestKey(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace faxover::policy::read
