#include "read/Diagnostics.h"

#include <algorithm>

namespace faxover::policy::read {

namespace {

constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

bool isUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The parent of a dotted path: services[1].recovery -> services[1] -> services -> "".
std::string parentOf(const std::string& key) {
    const auto cut = key.find_last_of(".[");
    return cut == std::string::npos ? std::string() : key.substr(0, cut);
}

}  // namespace

Diagnostics::Diagnostics(std::string sourceName, std::string_view text)
    : sourceName_(std::move(sourceName)), text_(text) {
    // yaml-cpp does not count a byte order mark in line 0's columns.
    lineStarts_.push_back(text_.starts_with(kUtf8ByteOrderMark) ? kUtf8ByteOrderMark.size() : 0);
    for (std::size_t i = 0; i < text_.size(); ++i) {
        if (text_[i] == '\n') lineStarts_.push_back(i + 1);
    }
}

SourcePosition Diagnostics::positionOf(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.line < 0 || mark.column < 0) return {};
    // yaml-cpp counts bytes from 0; editors count characters from 1.
    const auto line = static_cast<std::size_t>(mark.line);
    if (line >= lineStarts_.size()) return {mark.line + 1, mark.column + 1};
    const std::size_t start = lineStarts_[line];
    const std::size_t end = std::min(text_.size(), start + static_cast<std::size_t>(mark.column));
    int characters = 0;
    for (std::size_t i = start; i < end; ++i) {
        if (!isUtf8Continuation(text_[i])) ++characters;
    }
    return {mark.line + 1, characters + 1};
}

void Diagnostics::report(const YAML::Mark& mark, std::string key, std::string message, PolicyErrorKind kind) {
    const SourcePosition position = positionOf(mark);
    errors_.push_back(PolicyError{kind, sourceName_, position.line, position.column, std::move(key), std::move(message)});
}

void Diagnostics::report(SourcePosition position, std::string key, std::string message, PolicyErrorKind kind) {
    errors_.push_back(PolicyError{kind, sourceName_, position.line, position.column,
                                  std::move(key), std::move(message)});
}

void Diagnostics::reportAt(const std::string& key, std::string message) {
    for (std::string where = key; !where.empty(); where = parentOf(where)) {
        if (auto position = whereWritten(where)) {
            report(*position, key, std::move(message));
            return;
        }
    }
    report(SourcePosition{}, key, std::move(message));
}

void Diagnostics::warnAt(const std::string& key, std::string message) {
    std::string where = key;
    while (!where.empty() && !whereWritten(where)) where = parentOf(where);
    const SourcePosition position = whereWritten(where).value_or(SourcePosition{});
    warnings_.push_back(
        PolicyError{PolicyErrorKind::Warning, sourceName_, position.line, position.column, key, std::move(message)});
}

void Diagnostics::remember(const std::string& key, const YAML::Mark& mark) {
    written_.try_emplace(key, positionOf(mark));
}

std::optional<SourcePosition> Diagnostics::whereWritten(const std::string& key) const {
    auto found = written_.find(key);
    if (found == written_.end()) return std::nullopt;
    return found->second;
}

std::vector<PolicyError> Diagnostics::takeErrors() {
    std::stable_sort(errors_.begin(), errors_.end(), [](const PolicyError& a, const PolicyError& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return std::move(errors_);
}

}  // namespace faxover::policy::read
