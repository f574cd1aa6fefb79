#pragma once
// YAML text -> validated Policy, or every error found. No exception leaves these functions.
#include "faxover/policies/Policy.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faxover::policy {

enum class PolicyErrorKind {
    Invalid,         // the YAML is well-formed but breaks a rule of the format
    YamlSyntax,      // the text is not YAML; reading stopped there
    FileUnreadable,  // loadPolicyFile could not read the file (line and column are 0)
    Warning,         // valid, but probably not what the admin meant (a service no host can take)
};

struct PolicyError {
    PolicyErrorKind kind = PolicyErrorKind::Invalid;
    std::string file{};
    int line = 0;    // 1-based; 0 when the error is about the whole file
    int column = 0;  // 1-based, in characters as editors count them
    std::string key{};      // dotted path, e.g. services[1].recovery (list indexes count from 0)
    std::string message{};  // what was expected, the allowed values, what was found

    // "file:line:column: key: message" ("...: key: warning: message" for a warning); the key part is
    // left out when empty, the position when 0.
    std::string toString() const;
    bool operator==(const PolicyError&) const = default;
};

// Either a policy (no errors) or the errors (no policy), in the order of their position in the file.
// Warnings come with a policy, never stop one.
struct PolicyLoad {
    std::optional<Policy> policy{};
    std::vector<PolicyError> errors{};
    std::vector<PolicyError> warnings{};

    bool ok() const { return policy.has_value(); }
    explicit operator bool() const { return ok(); }
};

PolicyLoad loadPolicyText(std::string_view yaml, std::string_view sourceName);
// Reads the file (at most kMaxPolicyFileBytes) and loads it with the path as source name.
PolicyLoad loadPolicyFile(const std::string& path);

// 4 MiB: about 60,000 services written as the examples are, checked in about 4 s with about 330 MiB
// at the peak (bench_policy, docs/policy.md "Size"). A larger file is refused before it is parsed,
// so the cap also bounds what a check may cost.
inline constexpr std::size_t kMaxPolicyFileBytes = 4 * 1024 * 1024;

}  // namespace faxover::policy
