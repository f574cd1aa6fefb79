#pragma once
// The orchestrator's answer to GET /v1/hook/may-start (docs/hook.md):
// 200 {"allowed": bool, "reason": "one line", "protected": ["name-or-uuid", ...]}.
#include "faxover/hook/Result.h"

#include <string>
#include <vector>

namespace faxover::hook {

struct MayStartAnswer {
    bool allowed = false;
    std::string reason{};
    std::vector<std::string> protectedDomains{};  // every protected domain, names and UUIDs
};

// Anything but a 200 with that JSON is an error: the hook then decides as if the orchestrator could
// not be reached (a garbled answer is no answer).
Result<MayStartAnswer> parseMayStartAnswer(int httpStatus, const std::string& body);

}  // namespace faxover::hook
