#include "faxover/orchestrator/engine/PlannedShutdown.h"

namespace faxover::orchestrator::engine {

namespace {

policy::ShutdownPolicy resolved(const PlannedShutdown& planned, const policy::MonitoringProfile& monitoring) {
    if (monitoring.shutdownPolicy != policy::ShutdownPolicy::Conditional) return monitoring.shutdownPolicy;
    // pve's conditional: a host that comes back soon is waited for, one that does not is failed over.
    return planned.kind == PlannedKind::Reboot ? policy::ShutdownPolicy::Freeze : policy::ShutdownPolicy::Failover;
}

}  // namespace

PlanNow planNow(const PlannedShutdown& planned, const policy::MonitoringProfile& monitoring, WallTime now) {
    PlanNow plan;
    plan.policy = resolved(planned, monitoring);
    plan.reboot = planned.kind == PlannedKind::Reboot;
    plan.graceEnds = planned.announced + monitoring.shutdownGrace;
    plan.withinGrace = now < plan.graceEnds;
    return plan;
}

std::string describePlan(const PlannedShutdown& planned, const policy::MonitoringProfile& monitoring) {
    return std::string("planned ") + toString(planned.kind) + " (" + toString(resolved(planned, monitoring)) + ")";
}

}  // namespace faxover::orchestrator::engine
