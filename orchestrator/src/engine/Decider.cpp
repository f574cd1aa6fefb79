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

Decider::Decider(const EngineInput& input)
    : in_(input), policy_(*input.policy), seats_(input.ledger), boards_(input.boards) {
    services_.reserve(std::max(policy_.services.size(), in_.services.size()));
    hostPolicies_.reserve(policy_.hosts.size());
    hosts_.reserve(in_.hosts.size());
    for (const auto& service : policy_.services) services_[service.name].policy = &service;
    for (const auto& [name, memory] : in_.memory) services_[name].remembered = &memory;
    for (const auto& [name, seen] : in_.services) {
        ServiceIndex& index = services_[name];
        index.observed = &seen;
        for (const auto& copy : seen.copies)
            if (copy.active() && std::find(index.activeHosts.begin(), index.activeHosts.end(), copy.host) ==
                                     index.activeHosts.end())
                index.activeHosts.push_back(copy.host);
        std::sort(index.activeHosts.begin(), index.activeHosts.end());
    }
    for (const auto& host : policy_.hosts) hostPolicies_.emplace(host.name, &host);
    for (const auto& [name, seen] : in_.hosts) hosts_.emplace(name, &seen);
    // The few services whose telephony needs a look (Boards.cpp), found without a lookup per service.
    for (const auto& [name, index] : services_) {
        if (index.policy == nullptr) continue;
        const bool board = index.policy->telephony == policy::TelephonyMode::Board;
        const bool seen = index.observed != nullptr &&
                          (!index.observed->pciHostdevs.empty() || (index.observed->guest && !index.observed->guest->telephony.empty()));
        const bool alerted = index.remembered != nullptr && !index.remembered->telephonyAlert.empty();
        if (board || seen || alerted) telephonySubjects_.push_back(index.policy);
    }
    std::sort(telephonySubjects_.begin(), telephonySubjects_.end());  // the policy's order: one vector
}

Decision Decider::run() {
    for (const auto& service : policy_.services)
        if (indexOf(service.name)->remembered == nullptr) memoryOf(service.name).since = in_.now;  // first seen now
    for (const auto& action : in_.inFlight)
        if (!action.service.empty() && occupiesService(action.kind)) busy_.insert(action.service);
    for (const auto& finished : in_.finished)
        if (servicePolicy(finished.action.service) != nullptr) applyFinished(finished);
    adoptRunningBoards();
    for (const auto& command : in_.commands) out_.verdicts.push_back(applyCommand(command));
    for (const auto* service : telephonySubjects_) alertOnTelephonyDisagreement(*service);
    for (const auto& service : policy_.services)
        if (!busy(service.name) && !commanded_.contains(service.name)) evaluate(service);
    placeWaitingServices();
    settleLedger();
    settleBoards();
    out_.seats = seats_;
    out_.boards = boards_;
    // Only what changed leaves the engine (a memory written back unchanged is not a change).
    std::erase_if(out_.memory, [&](const auto& entry) {
        auto before = in_.memory.find(entry.first);
        return before != in_.memory.end() && before->second == entry.second;
    });
    return std::move(out_);
}

const Decider::ServiceIndex* Decider::indexOf(std::string_view service) const {
    auto it = services_.find(service);
    return it == services_.end() ? nullptr : &it->second;
}

const ServiceMemory& Decider::current(const std::string& service) const {
    static const ServiceMemory kNeverSeen{};
    const ServiceIndex* index = indexOf(service);
    if (index == nullptr) return kNeverSeen;
    if (index->written != nullptr) return *index->written;
    return index->remembered != nullptr ? *index->remembered : kNeverSeen;
}

ServiceMemory& Decider::memoryOf(const std::string& service) {
    auto it = services_.find(service);
    if (it != services_.end() && it->second.written != nullptr) return *it->second.written;
    const ServiceMemory before = current(service);
    auto& [key, memory] = *out_.memory.insert_or_assign(service, before).first;
    if (it == services_.end()) it = services_.try_emplace(key).first;  // keyed by the map's own string
    it->second.written = &memory;
    return memory;
}

void Decider::applyFinished(const FinishedAction& finished) {
    const Action& action = finished.action;
    if (action.kind == ActionKind::ReleaseBoard || action.kind == ActionKind::RerouteTelco)
        return finishBoardAction(finished);  // beside the service: its memory is not the action's
    ServiceMemory& memory = memoryOf(action.service);
    memory.target.clear();
    const std::string failure = finished.message.empty() ? "" : ": " + finished.message;
    switch (action.kind) {
    case ActionKind::Fence:
        return;  // the runtime's fence executor reports through HostObservation::fence
    case ActionKind::ReleaseBoard:
    case ActionKind::RerouteTelco:
        return;  // finished above
    case ActionKind::ApplyLicence:
    case ActionKind::RevokeLicence:
        return finishLicenceStep(finished);
    case ActionKind::Start:
        if (finished.succeeded && !action.board.empty()) rerouteTelco(action, memory.host);
        memory.host = action.host;
        if (finished.succeeded) startedOn(action.service, action.host, "started on " + action.host);
        else setState(action.service, ServiceState::Failure, "start on " + action.host + " failed" + failure, true);
        return;
    case ActionKind::LiveMigrate:
    case ActionKind::ColdMove: {
        const bool live = action.kind == ActionKind::LiveMigrate;
        if (finished.succeeded) {
            if (!action.board.empty()) rerouteTelco(action, action.source);
            memory.host = action.host;
            memory.migrationFailures = 0;
            // A live migration keeps the guest (and the licence applied in it); a cold move boots it anew.
            const std::string how = std::string(live ? "live-migrated" : "moved cold") + " from " + action.source;
            moveSeats(action.service, action.host, !live, how);
            startedOn(action.service, action.host, how);
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
    if (heldByAdmin(current(service.name).state)) return keepSeatWhileHeld(service);
    const auto& copies = activeCopies(service.name);
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
    const HostObservation& where = *host(hostName);
    const std::string previous = current(service.name).host;
    const bool moved = previous != hostName;
    if (moved || !current(service.name).target.empty()) {
        ServiceMemory& memory = memoryOf(service.name);
        memory.host = hostName;
        memory.target.clear();
    }

    if (where.health == HostHealthState::Suspect) {
        setState(service.name, ServiceState::Suspect, "host " + hostName + " is suspect");
    } else if (!licensedOn(service, hostName)) {
        return;  // not ok until it holds its seat here with the licence applied
    } else if (current(service.name).state != ServiceState::Ok || moved) {
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
               where.roundsInState >= hostPolicy(hostName)->monitoring.warnCount &&
               liveMigrationBlocker(service).empty()) {
        why = "host " + hostName + " degraded: its management address does not answer";
    }
    const int migrationFailures = current(service.name).migrationFailures;
    if (!why.empty()) {
        if (migrationFailures >= kMaxMigrationFailures) {
            setState(service.name, ServiceState::Ok,
                     "cannot leave " + hostName + " (" + why + "): " + std::to_string(migrationFailures) +
                         " live migrations failed; waiting for an admin",
                     true);
            return;
        }
        std::string none;
        const Placement target = pickTarget(service, hostName, none);
        if (target.host.empty()) {
            setState(service.name, ServiceState::Ok, "cannot leave " + hostName + " (" + why + "): " + none, true);
            return;
        }
        return move(service, hostName, target, why, "daemon");
    }
    if (service.failback && migrationFailures < kMaxMigrationFailures && liveMigrationBlocker(service).empty()) {
        const Placement better = betterPreferredHost(service, hostName);
        if (!better.host.empty()) move(service, hostName, better, "failback to preferred host " + better.host, "daemon");
    }
}

void Decider::resetCountersWhenStable(const policy::ServicePolicy& service) {
    const ServiceMemory& seen = current(service.name);
    if (seen.state != ServiceState::Ok || (seen.restarts == 0 && seen.relocations == 0)) return;
    if (in_.now - seen.since < kStableAfter) return;
    ServiceMemory& memory = memoryOf(service.name);
    memory.restarts = 0;
    memory.relocations = 0;
    out_.log.push_back({"service " + service.name, "stable on " + memory.host + " for " +
                                                       std::to_string(kStableAfter.count()) +
                                                       " min: restart and relocation counts reset"});
}

// ---- shared helpers

const HostObservation* Decider::host(const std::string& name) const {
    auto it = hosts_.find(name);
    return it == hosts_.end() ? nullptr : it->second;
}

const policy::ServicePolicy* Decider::servicePolicy(const std::string& name) const {
    const ServiceIndex* index = indexOf(name);
    return index == nullptr ? nullptr : index->policy;
}

const policy::HostPolicy* Decider::hostPolicy(const std::string& name) const {
    auto it = hostPolicies_.find(name);
    return it == hostPolicies_.end() ? nullptr : it->second;
}

const ServiceObservation& Decider::observed(const std::string& service) const {
    static const ServiceObservation kNothingSeen{};
    const ServiceIndex* index = indexOf(service);
    return index == nullptr || index->observed == nullptr ? kNothingSeen : *index->observed;
}

const std::vector<std::string>& Decider::activeCopies(const std::string& service) const {
    static const std::vector<std::string> kNowhere{};
    const ServiceIndex* index = indexOf(service);
    return index == nullptr ? kNowhere : index->activeHosts;
}

bool Decider::busy(const std::string& service) const { return busy_.contains(service); }

void Decider::setState(const std::string& service, ServiceState state, const std::string& reason, bool alert) {
    if (const ServiceMemory& seen = current(service); seen.state == state && seen.reason == reason) return;
    ServiceMemory& memory = memoryOf(service);
    const std::string change = memory.state == state
                                   ? std::string(toString(state))
                                   : std::string(toString(memory.state)) + " -> " + toString(state);
    if (memory.state != state) memory.since = in_.now;
    memory.state = state;
    memory.reason = reason;
    out_.log.push_back({"service " + service, change + ": " + reason, alert});
}

void Decider::act(Action action) {
    if (!action.service.empty() && occupiesService(action.kind)) busy_.insert(action.service);
    reserveInView(action);
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
    if (const Telephony& telephony = telephonyOf(service); telephony.board)
        return "telephony auto: fax board " + telephony.boardAddress + " (" + telephony.model->name +
               ") is passed through and cannot live-migrate";
    if (service.recovery == policy::RecoveryMode::RestartOnly) return "recovery restart-only";
    return observed(service.name).liveMigrationBlocker;
}

void Decider::move(const policy::ServicePolicy& service, const std::string& from, const Placement& to,
                   const std::string& reason, const std::string& actor) {
    const std::string blocker = liveMigrationBlocker(service);
    const bool live = blocker.empty();
    memoryOf(service.name).target = to.host;
    Action action{live ? ActionKind::LiveMigrate : ActionKind::ColdMove, service.name, to.host, from, reason, actor};
    std::string boards;
    if (!to.board.empty()) {
        action.board = to.board;
        action.fromBoard = telephonyOf(service).boardAddress;
        reserveBoard(service.name, to.host, to.board, reason + ": cold move from " + from);
        boards = ", board " + (action.fromBoard.empty() ? "?" : action.fromBoard) + " -> " + to.board;
    }
    act(std::move(action));
    setState(service.name, ServiceState::Migrating,
             reason + (live ? ": live migration " : ": cold move (" + blocker + ") ") + from + " -> " + to.host + boards);
}

}  // namespace faxover::orchestrator::engine
