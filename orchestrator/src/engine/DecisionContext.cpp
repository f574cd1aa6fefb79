#include "DecisionContext.h"

#include <algorithm>

namespace faxover::orchestrator::engine {

DecisionContext::DecisionContext(const EngineInput& input)
    : in_(input),
      policy_(*input.policy),
      connectivity_(assessOwnConnectivity(policy_, input.hosts, input.witnessAnswered)) {
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
    for (const auto& action : in_.inFlight)
        if (!action.service.empty() && occupiesService(action.kind)) busy_.insert(action.service);
}

const DecisionContext::ServiceIndex* DecisionContext::indexOf(std::string_view service) const {
    auto it = services_.find(service);
    return it == services_.end() ? nullptr : &it->second;
}

const ServiceMemory& DecisionContext::current(const std::string& service) const {
    static const ServiceMemory kNeverSeen{};
    const ServiceIndex* index = indexOf(service);
    if (index == nullptr) return kNeverSeen;
    if (index->written != nullptr) return *index->written;
    return index->remembered != nullptr ? *index->remembered : kNeverSeen;
}

ServiceMemory& DecisionContext::memoryOf(const std::string& service) {
    auto it = services_.find(service);
    if (it != services_.end() && it->second.written != nullptr) return *it->second.written;
    const ServiceMemory before = current(service);
    auto& [key, memory] = *out_.memory.insert_or_assign(service, before).first;
    if (it == services_.end()) it = services_.try_emplace(key).first;  // keyed by the map's own string
    it->second.written = &memory;
    return memory;
}

const HostObservation* DecisionContext::host(const std::string& name) const {
    auto it = hosts_.find(name);
    return it == hosts_.end() ? nullptr : it->second;
}

const policy::ServicePolicy* DecisionContext::servicePolicy(const std::string& name) const {
    const ServiceIndex* index = indexOf(name);
    return index == nullptr ? nullptr : index->policy;
}

const policy::HostPolicy* DecisionContext::hostPolicy(const std::string& name) const {
    auto it = hostPolicies_.find(name);
    return it == hostPolicies_.end() ? nullptr : it->second;
}

const policy::MonitoringProfile& DecisionContext::monitoringOf(const std::string& host) const {
    const policy::HostPolicy* own = hostPolicy(host);
    return own != nullptr ? own->monitoring : policy_.monitoring;
}

std::optional<PlanNow> DecisionContext::plan(const HostObservation& host) const {
    if (!host.planned) return std::nullopt;
    return planNow(*host.planned, monitoringOf(host.name), in_.now);
}

std::string DecisionContext::describePlan(const HostObservation& host) const {
    return host.planned ? engine::describePlan(*host.planned, monitoringOf(host.name)) : "";
}

const ServiceObservation& DecisionContext::observed(const std::string& service) const {
    static const ServiceObservation kNothingSeen{};
    const ServiceIndex* index = indexOf(service);
    return index == nullptr || index->observed == nullptr ? kNothingSeen : *index->observed;
}

const std::vector<std::string>& DecisionContext::activeCopies(const std::string& service) const {
    static const std::vector<std::string> kNowhere{};
    const ServiceIndex* index = indexOf(service);
    return index == nullptr ? kNowhere : index->activeHosts;
}

void DecisionContext::setState(const std::string& service, ServiceState state, const std::string& reason, bool alert) {
    if (const ServiceMemory& seen = current(service); seen.state == state && seen.reason == reason) return;
    ServiceMemory& memory = memoryOf(service);
    const std::string change = memory.state == state
                                   ? std::string(toString(state))
                                   : std::string(toString(memory.state)) + " -> " + toString(state);
    if (memory.state != state) memory.since = in_.now;
    memory.state = state;
    memory.reason = reason;
    log(Event::aboutService(service, change + ": " + reason)
            .with("state", toString(state))
            .with("reason", reason)
            .alertIf(alert));
}

void DecisionContext::act(Action action) {
    if (!action.service.empty() && occupiesService(action.kind)) busy_.insert(action.service);
    out_.actions.push_back(std::move(action));
}

Decision DecisionContext::finish(Ledger seats, std::vector<LedgerChange> ledger, BoardLedger boards) {
    out_.seats = std::move(seats);
    out_.ledger = std::move(ledger);
    out_.boards = std::move(boards);
    // Only what changed leaves the engine (a memory written back unchanged is not a change).
    std::erase_if(out_.memory, [&](const auto& entry) {
        auto before = in_.memory.find(entry.first);
        return before != in_.memory.end() && before->second == entry.second;
    });
    return std::move(out_);
}

}  // namespace faxover::orchestrator::engine
