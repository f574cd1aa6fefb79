#pragma once
// How hosts are probed and when silence becomes a failure. Two named profiles exist; a policy picks
// one and may override any value. docs/policy.md explains the numbers.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faxover::policy {

// What a host's announced, planned shutdown or reboot does to its services (docs/engine.md,
// "Planned host shutdown"; the names are Proxmox VE's shutdown_policy).
enum class ShutdownPolicy {
    Conditional,  // a reboot is Freeze, a shutdown is Failover (the default)
    Failover,     // its VMs, once its hook reports them stopped, restart elsewhere without a fence
    Freeze,       // its services wait for it (not failed, not fenced) up to shutdown_grace
    Migrate,      // its VMs are live-migrated away on the announcement, as for maintenance
};
const char* toString(ShutdownPolicy policy);  // "conditional", "failover", "freeze", "migrate"
std::vector<std::string> shutdownPolicyNames();  // in the enum's order

// A default-constructed profile is the "default" profile.
struct MonitoringProfile {
    std::string profile = "default";            // the named profile these values started from
    std::chrono::milliseconds interval{500};    // one probe per host every interval
    std::chrono::milliseconds timeout{400};     // a probe not answered within this has failed
    int warnCount = 4;                          // consecutive failed probes before the host is suspect
                                                // (a warning: log line, mail, hook)
    int failoverCount = 7;                      // consecutive failed probes before the host is failed
    int failoverCountAfterRestart = 14;         // the same, until the host has answered once since
                                                // the orchestrator started
    // Not part of a named profile: choosing a profile keeps them.
    ShutdownPolicy shutdownPolicy = ShutdownPolicy::Conditional;
    // How long a host that announced a planned shutdown or reboot may stay silent before it is
    // treated as failed; never fenced before.
    std::chrono::milliseconds shutdownGrace{10 * 60 * 1000};

    bool operator==(const MonitoringProfile&) const = default;
};

// The IPFX Failover Server's numbers (2000 ms / 1000 ms / 5 / 15 / 30): decides in about 30 s.
MonitoringProfile ipfxCompatibleProfile();
// Faxover's own (500 ms / 400 ms / 4 / 7 / 14): decides in under 4 s, rides out 3 s of silence.
MonitoringProfile defaultProfile();

// The profile with that name, if there is one.
std::optional<MonitoringProfile> monitoringProfileNamed(std::string_view name);
// Every profile name, in the order documented.
std::vector<std::string> monitoringProfileNames();

}  // namespace faxover::policy
