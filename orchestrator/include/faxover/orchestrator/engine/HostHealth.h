#pragma once
// Host liveness from two independent signals, counted in probe rounds. Part of the engine: pure and
// deterministic (no clock, no I/O); the monitor that probes feeds one ProbeRound per host per
// interval and logs every HealthTransition it gets back. docs/engine.md explains the rules.
//
//   "A host is suspect after warn count missed checks and failed after failover count; one signal
//    alone never fails a host." (issue #3)
#include "faxover/hypervisor/Types.h"
#include "faxover/policies/MonitoringProfile.h"

#include <optional>
#include <string>
#include <string_view>

namespace faxover::orchestrator::engine {

// What one probe round saw of one host. A signal counts as answered only on positive evidence:
// Reachability::Unknown is not an answer.
struct ProbeRound {
    hv::Reachability libvirt = hv::Reachability::Unknown;  // the hypervisor layer's connection
    bool tcpAnswered = false;  // a TCP connect to the host's management address succeeded in time
    // False while the orchestrator cannot confirm its own connectivity (OwnConnectivity.h): a
    // silent round then proves nothing about the host, so it may make it suspect, never failed.
    bool ownConnectivityConfirmed = true;
};

enum class HostHealthState {
    Unknown,   // nothing answered yet since the orchestrator started
    Ok,        // both signals answered in the last round
    Degraded,  // exactly one signal answered in the last round: alive, not failing
    Suspect,   // at least warnCount consecutive rounds with both signals silent
    Failed,    // at least the failover count of such rounds; sticky until a fully answered round
};
const char* toString(HostHealthState state);  // "unknown", "ok", "degraded", "suspect", "failed"
std::optional<HostHealthState> hostHealthStateNamed(std::string_view name);

// The signal a degraded host lacks.
enum class MissingSignal { None, Libvirt, Tcp };

// One change, for exactly one log line. Emitted when the state changes, and also when a degraded
// host swaps which signal is missing (from == to == Degraded).
struct HealthTransition {
    std::string host{};
    HostHealthState from = HostHealthState::Unknown;
    HostHealthState to = HostHealthState::Unknown;
    int missed = 0;          // consecutive rounds with both signals silent, as of this round
    bool recovered = false;  // from Failed back to Ok: the engine handles a returning host
    std::string reason{};

    // "lab1: ok -> suspect (missed 2): libvirt and TCP both silent for 2 rounds; failed at 5"
    std::string describe() const;
    bool operator==(const HealthTransition&) const = default;
};

// One host's liveness. A value: copy it, compare it, keep one per host. Rounds are counted, not
// timed: the caller feeds one round per monitoring interval.
class HostHealthTracker {
public:
    HostHealthTracker(std::string host, policy::MonitoringProfile profile);

    // Folds one round in; returns the transition when something worth a log line changed.
    std::optional<HealthTransition> observe(const ProbeRound& round);

    const std::string& host() const { return host_; }
    HostHealthState state() const { return state_; }
    MissingSignal missing() const { return missing_; }  // None unless Degraded
    int missed() const { return missed_; }
    int roundsInState() const { return roundsInState_; }  // consecutive rounds in state(), this one included
    bool heardFrom() const { return heardFrom_; }  // some signal has answered since start
    // The missed rounds that fail the host now: failoverCountAfterRestart until heardFrom().
    int failAfter() const;

    bool operator==(const HostHealthTracker&) const = default;

private:
    std::string host_;
    policy::MonitoringProfile profile_;
    HostHealthState state_ = HostHealthState::Unknown;
    MissingSignal missing_ = MissingSignal::None;
    int missed_ = 0;
    int roundsInState_ = 0;
    bool heardFrom_ = false;
};

}  // namespace faxover::orchestrator::engine
