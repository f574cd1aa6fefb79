#pragma once
// Reading one scalar value against its grammar. Each reader reports a mismatch as
// "expected <what>; found <value>" at the value and returns nothing, so the caller keeps its default
// and reading goes on to find the next error.
#include "read/Fields.h"

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace faxover::policy::read {

// Any scalar's text ("expected <expected>" otherwise).
std::optional<std::string> readText(Diagnostics& diagnostics, const Field& field, std::string_view expected);
std::optional<std::string> readName(Diagnostics& diagnostics, const Field& field);
// Any scalar's text that `valid` accepts ("expected <expected>" otherwise).
std::optional<std::string> readTextWhere(Diagnostics& diagnostics, const Field& field, std::string_view expected,
                                         bool (*valid)(std::string_view));
// A host name or IP address with no scheme or port (isNetworkAddress).
std::optional<std::string> readNetworkAddress(Diagnostics& diagnostics, const Field& field, std::string_view expected);
std::optional<std::string> readAbsolutePath(Diagnostics& diagnostics, const Field& field, std::string_view example);
std::optional<std::int64_t> readInteger(Diagnostics& diagnostics, const Field& field, std::int64_t min,
                                        std::int64_t max);
std::optional<std::chrono::milliseconds> readDuration(Diagnostics& diagnostics, const Field& field,
                                                      std::chrono::milliseconds min, std::chrono::milliseconds max);
// on/off, true/false, yes/no.
std::optional<bool> readSwitch(Diagnostics& diagnostics, const Field& field);
// The index of the value among `names`; "expected one of a, b; found 'x'" (with a suggestion) otherwise.
std::optional<std::size_t> readChoiceIndex(Diagnostics& diagnostics, const Field& field,
                                           const std::vector<std::string>& names);

// One of a closed set of enum values, spelt as their toString().
template <class Enum>
std::optional<Enum> readChoice(Diagnostics& diagnostics, const Field& field, std::initializer_list<Enum> values) {
    std::vector<std::string> names;
    for (Enum value : values) names.emplace_back(toString(value));
    auto index = readChoiceIndex(diagnostics, field, names);
    if (!index) return std::nullopt;
    return *(values.begin() + static_cast<std::ptrdiff_t>(*index));
}

// A name read from a list, with where it was written (for reference checks).
struct NamedItem {
    std::string name{};
    std::string path{};
};
// A list of names, each checked by readName; a name listed twice is reported. Invalid items are
// left out after being reported.
std::vector<NamedItem> readNameList(Diagnostics& diagnostics, const Field& field, std::string_view expected);
std::vector<std::string> namesOf(const std::vector<NamedItem>& items);

// A program name looked up in PATH, or an absolute path; never a command line (fence agents,
// licence steps).
bool isCommand(std::string_view text);

}  // namespace faxover::policy::read
