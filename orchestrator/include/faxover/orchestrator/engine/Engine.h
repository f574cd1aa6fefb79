#pragma once
// The engine: one pure, deterministic decision per call (no clock, I/O, thread or libvirt).
// docs/engine.md states the rules; tests/scenarios replays them against the simulated hypervisor.
#include "faxover/orchestrator/engine/Decision.h"

namespace faxover::orchestrator::engine {

// A service is back to "stable" (its restart and relocation counters reset) after running this
// long without trouble: Pacemaker's failure-timeout, so a VM that crashes once a month never
// exhausts max_restart, while one that crashes at boot does.
inline constexpr std::chrono::minutes kStableAfter{10};

Decision decide(const EngineInput& input);

// Why `host` cannot be put in maintenance now (fenced, being fenced, failed, suspect, or not seen
// yet since the daemon started), "" when it can. The runtime refuses `maintenance enable` with it.
std::string maintenanceRefusal(const HostObservation& host);

}  // namespace faxover::orchestrator::engine
