#pragma once
// How hosts are probed and when silence becomes a failure. Two named profiles exist; a policy picks
// one and may override any value. docs/policy.md explains the numbers.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faxover::policy {

// A default-constructed profile is the "default" profile.
struct MonitoringProfile {
    std::string profile = "default";            // the named profile these values started from
    std::chrono::milliseconds interval{1000};   // one probe per host every interval
    std::chrono::milliseconds timeout{500};     // a probe not answered within this has failed
    int warnCount = 2;                          // consecutive failed probes before the host is suspect
                                                // (a warning: log line, mail, hook)
    int failoverCount = 5;                      // consecutive failed probes before the host is failed
    int failoverCountAfterRestart = 10;         // the same, until the host has answered once since
                                                // the orchestrator started

    bool operator==(const MonitoringProfile&) const = default;
};

// The IPFX Failover Server's numbers (2000 ms / 1000 ms / 5 / 15 / 30): decides in about 30 s.
MonitoringProfile ipfxCompatibleProfile();
// Faxover's own (1000 ms / 500 ms / 2 / 5 / 10): decides in about 5 s, rides out 4 s of silence.
MonitoringProfile defaultProfile();

// The profile with that name, if there is one.
std::optional<MonitoringProfile> monitoringProfileNamed(std::string_view name);
// Every profile name, in the order documented.
std::vector<std::string> monitoringProfileNames();

}  // namespace faxover::policy
