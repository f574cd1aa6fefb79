#pragma once
// How SqliteStore keeps a list of names in one TEXT column: one name a line ("" for none). Names
// are letters, digits, `.`, `_`, `-` (docs/policy.md, conventions), so the round trip is exact.
#include <algorithm>
#include <string>
#include <vector>

namespace faxover::orchestrator::store {

inline std::string joinedLines(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : "\n") + name;
    return text;
}

inline std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> names;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        names.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return names;
}

}  // namespace faxover::orchestrator::store
