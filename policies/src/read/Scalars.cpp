#include "read/Scalars.h"

#include "faxover/policies/Duration.h"
#include "read/Suggest.h"
#include "read/Syntax.h"

#include <algorithm>

namespace faxover::policy::read {

namespace {

void reportExpected(Diagnostics& diagnostics, const Field& field, std::string_view expected) {
    diagnostics.report(field.mark(), field.path, "expected " + std::string(expected) + "; found " + describe(field.node));
}

std::optional<std::int64_t> parseInteger(std::string_view text) {
    const bool negative = !text.empty() && text.front() == '-';
    if (negative) text.remove_prefix(1);
    if (text.empty() || text.size() > 15) return std::nullopt;  // 15 digits cannot overflow
    std::int64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return negative ? -value : value;
}

}  // namespace

std::optional<std::string> readText(Diagnostics& diagnostics, const Field& field, std::string_view expected) {
    if (!field.node.IsScalar() || field.node.Scalar().empty()) {
        reportExpected(diagnostics, field, expected);
        return std::nullopt;
    }
    return field.node.Scalar();
}

std::optional<std::string> readTextWhere(Diagnostics& diagnostics, const Field& field, std::string_view expected,
                                         bool (*valid)(std::string_view)) {
    auto text = readText(diagnostics, field, expected);
    if (text && !valid(*text)) {
        reportExpected(diagnostics, field, expected);
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> readNetworkAddress(Diagnostics& diagnostics, const Field& field, std::string_view expected) {
    auto text = readText(diagnostics, field, expected);
    if (text && !isNetworkAddress(*text)) {
        reportExpected(diagnostics, field, expected);
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> readName(Diagnostics& diagnostics, const Field& field) {
    auto text = readText(diagnostics, field, kNameGrammar);
    if (text && !isName(*text)) {
        reportExpected(diagnostics, field, kNameGrammar);
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> readAbsolutePath(Diagnostics& diagnostics, const Field& field, std::string_view example) {
    const std::string expected = "an absolute path such as " + std::string(example);
    auto text = readText(diagnostics, field, expected);
    if (text && !isAbsolutePath(*text)) {
        reportExpected(diagnostics, field, expected);
        return std::nullopt;
    }
    return text;
}

std::optional<std::int64_t> readInteger(Diagnostics& diagnostics, const Field& field, std::int64_t min,
                                        std::int64_t max) {
    const std::string expected = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    auto value = field.node.IsScalar() ? parseInteger(field.node.Scalar()) : std::nullopt;
    if (!value || *value < min || *value > max) {
        reportExpected(diagnostics, field, expected);
        return std::nullopt;
    }
    return value;
}

std::optional<std::chrono::milliseconds> readDuration(Diagnostics& diagnostics, const Field& field,
                                                      std::chrono::milliseconds min, std::chrono::milliseconds max) {
    const std::string expected = "a duration from " + formatDuration(min) + " to " + formatDuration(max) +
                                 ": a whole number and a unit ms, s, m or h, such as 500ms, 2s or 1m";
    auto value = field.node.IsScalar() ? parseDuration(field.node.Scalar()) : std::nullopt;
    if (!value || *value < min || *value > max) {
        std::string found = describe(field.node);
        if (field.node.IsScalar() && parseInteger(field.node.Scalar())) found += " (a number with no unit)";
        diagnostics.report(field.mark(), field.path, "expected " + expected + "; found " + found);
        return std::nullopt;
    }
    return value;
}

std::optional<bool> readSwitch(Diagnostics& diagnostics, const Field& field) {
    if (field.node.IsScalar()) {
        const std::string& text = field.node.Scalar();
        if (text == "on" || text == "true" || text == "yes") return true;
        if (text == "off" || text == "false" || text == "no") return false;
    }
    reportExpected(diagnostics, field, "on or off (true/false and yes/no also work)");
    return std::nullopt;
}

std::optional<std::size_t> readChoiceIndex(Diagnostics& diagnostics, const Field& field,
                                           const std::vector<std::string>& names) {
    if (field.node.IsScalar()) {
        auto found = std::find(names.begin(), names.end(), field.node.Scalar());
        if (found != names.end()) return static_cast<std::size_t>(found - names.begin());
    }
    std::string message = "expected one of " + joinNames(names) + "; found " + describe(field.node);
    if (field.node.IsScalar()) {
        if (auto suggestion = closestMatch(field.node.Scalar(), names)) message += " (did you mean '" + *suggestion + "'?)";
    }
    diagnostics.report(field.mark(), field.path, std::move(message));
    return std::nullopt;
}

std::vector<NamedItem> readNameList(Diagnostics& diagnostics, const Field& field, std::string_view expected) {
    std::vector<NamedItem> items;
    for (const Field& item : listItems(diagnostics, field, expected)) {
        auto name = readName(diagnostics, item);
        if (!name) continue;
        auto same = [&](const NamedItem& seen) { return seen.name == *name; };
        if (std::any_of(items.begin(), items.end(), same)) {
            diagnostics.report(item.mark(), item.path, "'" + *name + "' is listed twice");
            continue;
        }
        items.push_back(NamedItem{*name, item.path});
    }
    return items;
}

std::vector<std::string> namesOf(const std::vector<NamedItem>& items) {
    std::vector<std::string> names;
    for (const auto& item : items) names.push_back(item.name);
    return names;
}

bool isCommand(std::string_view text) {
    const auto programCharacter = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '.' || c == '+';
    };
    if (text.empty() || text.find_first_of(" \t") != std::string_view::npos) return false;
    return text.front() == '/' ? isAbsolutePath(text) : std::all_of(text.begin(), text.end(), programCharacter);
}

}  // namespace faxover::policy::read
