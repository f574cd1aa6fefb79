#pragma once
// Helpers for the policy tests: load inline YAML under the source name "p.yaml" and look at the
// errors as the lines `faxover policy check` prints.
#include "faxover/policies/PolicyLoader.h"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace faxover::policy::test {

inline constexpr std::string_view kSource = "p.yaml";

// The smallest valid policy; tests append keys to it or replace parts of it.
inline constexpr std::string_view kMinimalPolicy =
    "version: 1\n"
    "hosts:\n"
    "  - name: hv1\n"
    "    uri: qemu+tcp://10.0.0.11/system\n"
    "    migration_address: 10.0.0.11\n"
    "    fence: {method: manual}\n";

inline PolicyLoad load(std::string_view yaml) { return loadPolicyText(yaml, kSource); }

inline std::vector<std::string> errorLines(const PolicyLoad& loaded) {
    std::vector<std::string> lines;
    for (const auto& error : loaded.errors) lines.push_back(error.toString());
    return lines;
}

inline std::vector<std::string> errorsOf(std::string_view yaml) { return errorLines(load(yaml)); }

// The policy, failing the test with every error line when it does not load.
inline Policy loadValid(std::string_view yaml) {
    const PolicyLoad loaded = load(yaml);
    INFO(yaml);
    for (const auto& line : errorLines(loaded)) UNSCOPED_INFO(line);
    REQUIRE(loaded.ok());
    REQUIRE(loaded.errors.empty());
    return *loaded.policy;
}

// The single error the YAML yields, failing the test when there is not exactly one.
inline PolicyError onlyError(std::string_view yaml) {
    const PolicyLoad loaded = load(yaml);
    INFO(yaml);
    for (const auto& line : errorLines(loaded)) UNSCOPED_INFO(line);
    REQUIRE_FALSE(loaded.ok());
    REQUIRE(loaded.errors.size() == 1);
    return loaded.errors.front();
}

}  // namespace faxover::policy::test
