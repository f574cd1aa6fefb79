// Whether a host can be put in maintenance (docs/cli.md, maintenance; issue 12 defect 8). Like
// Proxmox VE, Faxover refuses it for a host that is down or may be: maintenance means "drain it
// while it runs", and a host that is fenced, failed or suspect has nothing to drain. Its services
// are recovering by the failover rules, which maintenance must not change halfway.
#include "faxover/orchestrator/engine/Engine.h"

namespace faxover::orchestrator::engine {

std::string maintenanceRefusal(const HostObservation& host) {
    const std::string prefix = "maintenance of " + host.name + " refused: ";
    const std::string after = "; its services recover by failover. Enable maintenance once it is back and ok";
    switch (host.fence) {
    case FenceStatus::None:
        break;
    case FenceStatus::InProgress:
        return prefix + "it is being fenced" + after;
    case FenceStatus::AwaitingAdmin:
        return prefix + "it failed and waits for 'faxover fence confirm " + host.name + "'" + after;
    case FenceStatus::Confirmed:
        return prefix + "it is fenced (confirmed powered off)" + after;
    }
    switch (host.health) {
    case HostHealthState::Failed:
        return prefix + "it has failed (powered off or cut off: libvirt and TCP silent)" + after;
    case HostHealthState::Suspect:
        return prefix + "it is suspect (libvirt and TCP silent); wait until it answers or fails";
    case HostHealthState::Unknown:
        return prefix + "it has not answered since the daemon started; wait until it does";
    case HostHealthState::Ok:
    case HostHealthState::Degraded:
        break;
    }
    return "";
}

}  // namespace faxover::orchestrator::engine
