#pragma once
// What a host's announced, planned shutdown or reboot means now (docs/engine.md, "Planned host
// shutdown"): the policy that applies to it and whether it is still inside its grace. Pure: the
// time is the decision's.
#include "faxover/orchestrator/engine/Decision.h"
#include "faxover/policies/Policy.h"

#include <string>

namespace faxover::orchestrator::engine {

struct PlanNow {
    policy::ShutdownPolicy policy = policy::ShutdownPolicy::Failover;  // never Conditional: resolved
    bool reboot = false;
    bool withinGrace = false;  // announced less than shutdown_grace ago
    WallTime graceEnds{};
    // Its services wait for it: freeze, within the grace.
    bool freezes() const { return withinGrace && policy == policy::ShutdownPolicy::Freeze; }
    // "Never fenced mid-boot": a rebooting host, or one whose services wait for it, is not fenced
    // within the grace, whatever the policy.
    bool holdsFence() const { return withinGrace && (reboot || policy == policy::ShutdownPolicy::Freeze); }
    // Its running VMs leave it now by live migration.
    bool drains() const { return policy == policy::ShutdownPolicy::Migrate; }
};

// Conditional resolved: a reboot freezes, a shutdown fails over.
PlanNow planNow(const PlannedShutdown& planned, const policy::MonitoringProfile& monitoring, WallTime now);
// "planned reboot (freeze)"
std::string describePlan(const PlannedShutdown& planned, const policy::MonitoringProfile& monitoring);

}  // namespace faxover::orchestrator::engine
