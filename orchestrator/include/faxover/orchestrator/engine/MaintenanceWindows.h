#pragma once
// Which maintenance window, if any, applies to a host at an instant. Pure: the instant is passed in.
#include "faxover/policies/Policy.h"

#include <chrono>
#include <optional>
#include <string>

namespace faxover::orchestrator::engine {

struct ActiveWindow {
    std::string name{};
    policy::MaintenanceAction action = policy::MaintenanceAction::Drain;
};

// The first window of the policy (in file order) that covers `host` at `now`; Drain wins over
// SuspendMonitoring when several are open, since draining is the stronger promise to the admin.
std::optional<ActiveWindow> activeMaintenance(const policy::Policy& policy, const std::string& host,
                                              std::chrono::system_clock::time_point now);

}  // namespace faxover::orchestrator::engine
