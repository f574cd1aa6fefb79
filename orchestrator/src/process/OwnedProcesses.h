#pragma once
// Finding what a killed daemon left running. Every fence agent the daemon starts carries
// FAXOVER_OWNER=OWNER (the store's absolute path: one daemon per store) in its environment, which
// whatever it starts inherits; a kill -9 of the daemon does not end them, as they run in process
// groups of their own. A restarted daemon ends them before it may fence again, so that two agents
// never drive one BMC. Private to the orchestrator library.
#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>

namespace faxover::orchestrator::process {

inline constexpr const char* kOwnerVariable = "FAXOVER_OWNER";
inline constexpr const char* kFenceHostVariable = "FAXOVER_FENCE_HOST";

struct OwnedProcess {
    pid_t pid = 0;
    pid_t group = 0;
    std::string command{};  // its name, from /proc/PID/comm
    std::string fenceHost{};  // FAXOVER_FENCE_HOST, "" when not set
};

// Every process whose environment says FAXOVER_OWNER=owner (read from /proc/PID/environ).
std::vector<OwnedProcess> findOwnedProcesses(const std::string& owner);

// Kills the process groups of every owned process (the group alone when it is not this daemon's
// own), then waits up to `patience` for them to be gone. Returns what it found; an empty owner
// finds nothing.
std::vector<OwnedProcess> endOwnedProcesses(const std::string& owner, std::chrono::milliseconds patience);

}  // namespace faxover::orchestrator::process
