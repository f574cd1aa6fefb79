#include "faxover/orchestrator/engine/HostHealth.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace faxover::orchestrator::engine {

std::string HealthTransition::describe() const {
    return host + ": " + toString(from) + " -> " + toString(to) + " (missed " + std::to_string(missed) + "): " + reason;
}

HostHealthTracker::HostHealthTracker(std::string host, policy::MonitoringProfile profile)
    : host_(std::move(host)), profile_(std::move(profile)) {}

int HostHealthTracker::failAfter() const {
    return heardFrom_ ? profile_.failoverCount : profile_.failoverCountAfterRestart;
}

namespace {

// Unknown is a connection that gave no listing this round (not connected yet, a listing that failed
// or came late), not one known to be down.
std::string libvirtDown(hv::Reachability libvirt) {
    return libvirt == hv::Reachability::Unknown ? "libvirt did not answer this round" : "libvirt connection down";
}

}  // namespace

std::optional<HealthTransition> HostHealthTracker::observe(const ProbeRound& round) {
    const bool libvirtUp = round.libvirt == hv::Reachability::Reachable;
    const bool tcpUp = round.tcpAnswered;
    const HostHealthState before = state_;
    const MissingSignal missingBefore = missing_;
    bool recovered = false;
    std::string reason;

    if (libvirtUp && tcpUp) {
        heardFrom_ = true;
        missed_ = 0;
        state_ = HostHealthState::Ok;
        missing_ = MissingSignal::None;
        recovered = before == HostHealthState::Failed;
        reason = recovered                              ? "recovered: libvirt and TCP both answer again"
                 : before == HostHealthState::Unknown ? "libvirt and TCP both answer"
                                                        : "libvirt and TCP both answer again";
    } else if (libvirtUp || tcpUp) {
        // One signal: the host is alive. It never advances toward failure and breaks a run of
        // missed rounds, but it does not end a failure either: that takes a fully answered round.
        heardFrom_ = true;
        missed_ = 0;
        if (state_ != HostHealthState::Failed) {
            state_ = HostHealthState::Degraded;
            missing_ = libvirtUp ? MissingSignal::Tcp : MissingSignal::Libvirt;
            reason = libvirtUp ? "management address does not answer TCP, libvirt connection up"
                               : libvirtDown(round.libvirt) + ", management address answers TCP";
        }
    } else {
        if (missed_ < std::numeric_limits<int>::max()) ++missed_;
        if (state_ != HostHealthState::Failed) {
            const int failAt = failAfter();
            const std::string silent = "libvirt and TCP both silent for " + std::to_string(missed_) +
                                       (missed_ == 1 ? " round" : " rounds");
            const std::string restart = heardFrom_ ? "" : " (not heard from since the orchestrator started)";
            if (missed_ >= failAt && round.ownConnectivityConfirmed) {
                state_ = HostHealthState::Failed;
                missing_ = MissingSignal::None;
                reason = silent + "; fails at " + std::to_string(failAt) + restart;
            } else if (missed_ >= profile_.warnCount) {
                state_ = HostHealthState::Suspect;
                missing_ = MissingSignal::None;
                reason =
                    silent + "; suspect at " + std::to_string(profile_.warnCount) + ", fails at " +
                    std::to_string(failAt) + restart +
                    (round.ownConnectivityConfirmed ? ""
                                                    : "; not failed while the orchestrator may be the one cut off");
            }
            // Below warnCount a missed round changes nothing visible: the state stays as it was.
        }
    }

    const bool changed = state_ != before || (state_ == HostHealthState::Degraded && missing_ != missingBefore);
    roundsInState_ = state_ != before ? 1 : std::min(roundsInState_ + 1, std::numeric_limits<int>::max() - 1);
    if (!changed) return std::nullopt;
    return HealthTransition{host_, before, state_, missed_, recovered, std::move(reason)};
}

}  // namespace faxover::orchestrator::engine
