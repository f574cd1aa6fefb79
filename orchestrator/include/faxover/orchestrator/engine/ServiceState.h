#pragma once
// The state of a protected service as admins see it, in the words of the IPFX failover console that
// fax admins know; docs/engine.md says when each applies.
#include <optional>
#include <string_view>

namespace faxover::orchestrator::engine {

enum class ServiceState {
    Unknown,     // not yet seen since the orchestrator started (or resumed by an admin)
    Ok,          // runs on a healthy host
    Suspect,     // runs (or ran) on a host that is suspect or whose libvirtd is unreachable: watched, not moved
    Failure,     // not running and must recover: waiting for fencing, or for a host that fits
    Fenced,      // its host is fenced (confirmed off); waiting for a host that fits
    Migrating,   // a live migration (or a cold move) is under way
    Recovering,  // a start is under way (restart in place or on another host)
    Suspended,   // an admin paused monitoring; nothing is done to it
    Stopped,     // an admin stopped monitoring and sync; nothing is done to it
    Error,       // recovery gave up (limits reached, two copies seen); needs an admin
    ShuttingDown,  // its VM is being shut down because an admin asked (vm stop, disable)
    VmStopped,     // its VM is off because an admin asked (vm stop); never restarted by recovery
    Disabled,      // its VM is off and out of service (disable); never restarted by recovery
    Frozen,        // its host is down for a planned reboot (shutdown policy freeze): it waits for it
};

const char* toString(ServiceState state);  // "ok", "failure", ...
std::optional<ServiceState> serviceStateNamed(std::string_view name);

// What an admin wants of the VM, apart from monitoring (persisted; docs/engine.md, rule 2).
enum class RequestedState {
    Started,   // running: recovery restarts it wherever the policy allows (the default)
    Stopped,   // off until `vm start`
    Disabled,  // off until `enable`
};
const char* toString(RequestedState requested);  // "started", "stopped", "disabled"
std::optional<RequestedState> requestedStateNamed(std::string_view name);

// States in which the engine takes no automatic action for the service.
inline bool heldByAdmin(ServiceState state) {
    return state == ServiceState::Suspended || state == ServiceState::Stopped || state == ServiceState::Error;
}

}  // namespace faxover::orchestrator::engine
