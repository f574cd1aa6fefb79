#include "Decider.h"

#include "faxover/orchestrator/engine/Engine.h"

#include <algorithm>

namespace faxover::orchestrator::engine {

namespace {
// Live migrations that may fail in a row before the engine stops trying on its own (an admin's
// `migrate` starts the count again): a migration that keeps failing would otherwise be retried
// every round, loading the network and the guest for nothing.
constexpr int kMaxMigrationFailures = 3;
}  // namespace

Decision decide(const EngineInput& input) { return Decider(input).run(); }

Decider::Decider(const EngineInput& input) : in_(input), policy_(*input.policy) {}

Decision Decider::run() {
    for (const auto& service : policy_.services) {
        auto it = in_.memory.find(service.name);
        ServiceMemory memory = it != in_.memory.end() ? it->second : ServiceMemory{};
        if (it == in_.memory.end()) memory.since = in_.now;
        out_.memory.emplace(service.name, std::move(memory));
    }
    for (const auto& action : in_.inFlight)
        if (!action.service.empty()) busy_.insert(action.service);
    for (const auto& finished : in_.finished)
        if (policy_.findService(finished.action.service) != nullptr) applyFinished(finished);
    for (const auto& command : in_.commands) out_.verdicts.push_back(applyCommand(command));
    for (const auto& service : policy_.services)
        if (!busy(service.name) && !commanded_.contains(service.name)) evaluate(service);
    placeWaitingServices();
    return std::move(out_);
}

void Decider::applyFinished(const FinishedAction& finished) {
    const Action& action = finished.action;
    ServiceMemory& memory = memoryOf(action.service);
    memory.target.clear();
    const std::string failure = finished.message.empty() ? "" : ": " + finished.message;
    switch (action.kind) {
    case ActionKind::Fence:
        return;  // the runtime's fence executor reports through HostObservation::fence
    case ActionKind::Start:
        memory.host = action.host;
        if (finished.succeeded) setState(action.service, ServiceState::Ok, "started on " + action.host);
        else setState(action.service, ServiceState::Failure, "start on " + action.host + " failed" + failure, true);
        return;
    case ActionKind::LiveMigrate:
    case ActionKind::ColdMove: {
        const bool live = action.kind == ActionKind::LiveMigrate;
        if (finished.succeeded) {
            memory.host = action.host;
            memory.migrationFailures = 0;
            setState(action.service, ServiceState::Ok,
                     std::string(live ? "live-migrated" : "moved cold") + " from " + action.source);
            return;
        }
        memory.host = action.source;
        if (live) ++memory.migrationFailures;
        // Where it runs now is for the next evaluation to see: a failed live migration leaves it on
        // the source; a failed cold move may have stopped it there.
        setState(action.service, live ? ServiceState::Ok : ServiceState::Failure,
                 std::string(live ? "live migration" : "cold move") + " to " + action.host + " failed" + failure,
                 true);
        return;
    }
    }
}

void Decider::evaluate(const policy::ServicePolicy& service) {
    if (heldByAdmin(memoryOf(service.name).state)) return;
    const auto copies = activeCopies(service.name);
    if (copies.size() > 1) {
        std::string where;
        for (const auto& host : copies) where += (where.empty() ? "" : " and ") + host;
        setState(service.name, ServiceState::Error, "running on " + where + " at once: an admin must stop one", true);
        return;
    }
    if (copies.size() == 1) return evaluateRunning(service, copies.front());
    evaluateNotRunning(service);
}

void Decider::evaluateRunning(const policy::ServicePolicy& service, const std::string& hostName) {
    ServiceMemory& memory = memoryOf(service.name);
    const HostObservation& where = *host(hostName);
    const bool moved = memory.host != hostName;
    const std::string previous = memory.host;
    memory.host = hostName;
    memory.target.clear();

    if (where.health == HostHealthState::Suspect) {
        setState(service.name, ServiceState::Suspect, "host " + hostName + " is suspect");
    } else if (memory.state != ServiceState::Ok || moved) {
        setState(service.name, ServiceState::Ok,
                 moved && !previous.empty() ? "found running on " + hostName + " (last known on " + previous + ")"
                                            : "running on " + hostName);
    }
    resetCountersWhenStable(service);

    // Reasons to move it while it runs: drain, a degraded host, failback.
    std::string why;
    if (where.maintenance) {
        why = "maintenance of " + hostName;
    } else if (where.health == HostHealthState::Degraded && where.libvirt == hv::Reachability::Reachable &&
               where.roundsInState >= policy_.findHost(hostName)->monitoring.warnCount &&
               liveMigrationBlocker(service).empty()) {
        why = "host " + hostName + " degraded: its management address does not answer";
    }
    if (!why.empty()) {
        if (memory.migrationFailures >= kMaxMigrationFailures) {
            setState(service.name, ServiceState::Ok,
                     "cannot leave " + hostName + " (" + why + "): " + std::to_string(memory.migrationFailures) +
                         " live migrations failed; waiting for an admin",
                     true);
            return;
        }
        std::string none;
        const std::string target = pickTarget(service, hostName, none);
        if (target.empty()) {
            setState(service.name, ServiceState::Ok, "cannot leave " + hostName + " (" + why + "): " + none, true);
            return;
        }
        return move(service, hostName, target, why, "daemon");
    }
    if (service.failback && memory.migrationFailures < kMaxMigrationFailures && liveMigrationBlocker(service).empty()) {
        const std::string better = betterPreferredHost(service, hostName);
        if (!better.empty()) move(service, hostName, better, "failback to preferred host " + better, "daemon");
    }
}

void Decider::resetCountersWhenStable(const policy::ServicePolicy& service) {
    ServiceMemory& memory = memoryOf(service.name);
    if (memory.state != ServiceState::Ok || (memory.restarts == 0 && memory.relocations == 0)) return;
    if (in_.now - memory.since < kStableAfter) return;
    memory.restarts = 0;
    memory.relocations = 0;
    out_.log.push_back({"service " + service.name, "stable on " + memory.host + " for " +
                                                       std::to_string(kStableAfter.count()) +
                                                       " min: restart and relocation counts reset"});
}

// ---- shared helpers

const HostObservation* Decider::host(const std::string& name) const {
    auto it = in_.hosts.find(name);
    return it == in_.hosts.end() ? nullptr : &it->second;
}

const ServiceObservation& Decider::observed(const std::string& service) const {
    static const ServiceObservation kNothingSeen{};
    auto it = in_.services.find(service);
    return it == in_.services.end() ? kNothingSeen : it->second;
}

std::vector<std::string> Decider::activeCopies(const std::string& service) const {
    std::vector<std::string> hosts;
    for (const auto& copy : observed(service).copies)
        if (copy.active() && std::find(hosts.begin(), hosts.end(), copy.host) == hosts.end())
            hosts.push_back(copy.host);
    std::sort(hosts.begin(), hosts.end());
    return hosts;
}

bool Decider::busy(const std::string& service) const { return busy_.contains(service); }

void Decider::setState(const std::string& service, ServiceState state, const std::string& reason, bool alert) {
    ServiceMemory& memory = memoryOf(service);
    if (memory.state == state && memory.reason == reason) return;
    const std::string change = memory.state == state
                                   ? std::string(toString(state))
                                   : std::string(toString(memory.state)) + " -> " + toString(state);
    if (memory.state != state) memory.since = in_.now;
    memory.state = state;
    memory.reason = reason;
    out_.log.push_back({"service " + service, change + ": " + reason, alert});
}

void Decider::alert(const std::string& subject, const std::string& message) {
    out_.log.push_back({subject, message, true});
}

void Decider::act(Action action) {
    if (!action.service.empty()) busy_.insert(action.service);
    out_.actions.push_back(std::move(action));
}

void Decider::requestFence(const std::string& hostName, const std::string& service) {
    const HostObservation* target = host(hostName);
    if (target == nullptr || target->fence != FenceStatus::None || !fenceAsked_.insert(hostName).second) return;
    // Not act(): the service that asked is not busy, the fence is the host's.
    out_.actions.push_back(Action{ActionKind::Fence, service, hostName, "", service + " may still run there"});
}

std::string Decider::liveMigrationBlocker(const policy::ServicePolicy& service) const {
    if (service.telephony == policy::TelephonyMode::Board)
        return "telephony board: a passed-through fax board cannot live-migrate";
    if (service.recovery == policy::RecoveryMode::RestartOnly) return "recovery restart-only";
    return observed(service.name).liveMigrationBlocker;
}

void Decider::move(const policy::ServicePolicy& service, const std::string& from, const std::string& to,
                   const std::string& reason, const std::string& actor) {
    const std::string blocker = liveMigrationBlocker(service);
    const bool live = blocker.empty();
    memoryOf(service.name).target = to;
    act(Action{live ? ActionKind::LiveMigrate : ActionKind::ColdMove, service.name, to, from, reason, actor});
    setState(service.name, ServiceState::Migrating,
             reason + (live ? ": live migration " : ": cold move (" + blocker + ") ") + from + " -> " + to);
}

}  // namespace faxover::orchestrator::engine
