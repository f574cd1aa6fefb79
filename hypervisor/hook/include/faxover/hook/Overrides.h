#pragma once
// The admin override (docs/hook.md): lines `DOMAIN-or-UUID until=ISO-8601-TIME reason=FREE TEXT` in
// the override file. It lets a protected domain start while the orchestrator cannot be reached, and
// never against an answer of a reachable orchestrator. Every line must carry an end (at most
// kMaxOverride ahead) and a reason, so that each use is bounded and explained in the hook's log.
#include <chrono>
#include <string>
#include <vector>

namespace faxover::hook {

using WallClock = std::chrono::system_clock;

inline constexpr std::chrono::hours kMaxOverride{24};

struct Override {
    std::string domain{};  // a domain name or UUID
    WallClock::time_point until{};
    std::string untilText{};  // as written, for messages
    std::string reason{};
    int line = 0;
};

struct OverrideFile {
    std::vector<Override> valid{};       // in force at `now`
    std::vector<std::string> ignored{};  // "line N: why", for expired, malformed or too long lines
};

OverrideFile parseOverrides(const std::string& text, WallClock::time_point now);

}  // namespace faxover::hook
