#pragma once
// Collects the errors found while a policy is read, and remembers where each key was written so
// that checks made after reading (references, uniqueness) can point at the right place.
#include "faxover/policies/PolicyLoader.h"

#include <yaml-cpp/mark.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faxover::policy::read {

struct SourcePosition {
    int line = 0;    // 1-based
    int column = 0;  // 1-based, characters
};

class Diagnostics {
public:
    // `text` must outlive this object: columns are counted in it.
    Diagnostics(std::string sourceName, std::string_view text);

    void report(const YAML::Mark& mark, std::string key, std::string message,
                PolicyErrorKind kind = PolicyErrorKind::Invalid);
    void report(SourcePosition position, std::string key, std::string message,
                PolicyErrorKind kind = PolicyErrorKind::Invalid);
    // At the place `key` (a dotted path) was written; at its closest written parent otherwise.
    void reportAt(const std::string& key, std::string message);

    // A warning at the place `key` was written (as reportAt): kept apart, it does not fail the load.
    void warnAt(const std::string& key, std::string message);
    std::vector<PolicyError> takeWarnings() { return std::move(warnings_); }

    void remember(const std::string& key, const YAML::Mark& mark);
    std::optional<SourcePosition> whereWritten(const std::string& key) const;
    bool written(const std::string& key) const { return whereWritten(key).has_value(); }

    SourcePosition positionOf(const YAML::Mark& mark) const;
    bool hasErrors() const { return !errors_.empty(); }
    // Sorted by position; reading order breaks ties.
    std::vector<PolicyError> takeErrors();

private:
    std::string sourceName_;
    std::string_view text_;
    std::vector<std::size_t> lineStarts_;  // byte offset of each line, as yaml-cpp counts lines
    std::map<std::string, SourcePosition, std::less<>> written_;
    std::vector<PolicyError> errors_;
    std::vector<PolicyError> warnings_;
};

}  // namespace faxover::policy::read
