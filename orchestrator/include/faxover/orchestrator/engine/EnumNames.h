#pragma once
// One table per enum: the name each enumerator has in logs, the store, the API and the CLI. Every
// layer prints with the enum's toString() and reads back with its ...Named() (Names.cpp), so a
// name is spelled once; test_enum_names.cpp checks that each table is complete and round-trips.
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace faxover::orchestrator::engine {

template <class Enum>
struct EnumName {
    Enum value;
    const char* name;
};

template <class Enum, std::size_t N>
using EnumNames = std::array<EnumName<Enum>, N>;

// `value`'s name in `names`, or `otherwise` for a value the table lacks (a cast gone wrong).
template <class Enum, std::size_t N>
constexpr const char* nameIn(const EnumNames<Enum, N>& names, Enum value, const char* otherwise) {
    for (const auto& entry : names)
        if (entry.value == value) return entry.name;
    return otherwise;
}

template <class Enum, std::size_t N>
constexpr std::optional<Enum> valueIn(const EnumNames<Enum, N>& names, std::string_view name) {
    for (const auto& entry : names)
        if (name == entry.name) return entry.value;
    return std::nullopt;
}

}  // namespace faxover::orchestrator::engine
