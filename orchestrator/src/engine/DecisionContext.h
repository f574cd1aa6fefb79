#pragma once
// The working state one decide() call shares between the engine's parts (Decider.h lists them):
// what it was given, the indexes built over that, each service's memory as this decision has
// left it so far, the actions and log lines decided so far, and which services are busy. Every
// part receives it explicitly; what a part alone needs (seats, boards, the cluster view, the
// services waiting for a host) it keeps itself. Internal to the engine.
#include "faxover/orchestrator/engine/Decision.h"
#include "faxover/orchestrator/engine/OwnConnectivity.h"
#include "faxover/orchestrator/engine/PlannedShutdown.h"

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace faxover::orchestrator::engine {

class DecisionContext {
public:
    explicit DecisionContext(const EngineInput& input);

    const EngineInput& input() const { return in_; }
    const policy::Policy& policy() const { return policy_; }
    WallTime now() const { return in_.now; }
    // Whether the orchestrator may trust a host's silence: nothing is fenced while it is not.
    const OwnConnectivity& connectivity() const { return connectivity_; }

    // Everything the decision knows about one service, found with one lookup: a decision touches
    // each of 10,000 services several times. Keys view strings owned by the input and the policy,
    // which outlive the decision.
    struct ServiceIndex {
        const policy::ServicePolicy* policy = nullptr;    // nullptr: not in the policy
        const ServiceObservation* observed = nullptr;     // nullptr: nothing seen
        const ServiceMemory* remembered = nullptr;        // the input's memory; nullptr: never seen
        ServiceMemory* written = nullptr;                 // this decision's copy in the decision's memory
        std::vector<std::string> activeHosts{};           // hosts listing it active, sorted
    };
    const std::unordered_map<std::string_view, ServiceIndex>& services() const { return services_; }
    const ServiceIndex* indexOf(std::string_view service) const;

    // The policy's entries by name (nullptr when absent): Policy::find* are linear scans.
    const policy::ServicePolicy* servicePolicy(const std::string& name) const;
    const policy::HostPolicy* hostPolicy(const std::string& name) const;
    const HostObservation* host(const std::string& name) const;
    const ServiceObservation& observed(const std::string& service) const;
    // What the host's announced planned shutdown or reboot means now; nullopt when it announced none.
    std::optional<PlanNow> plan(const HostObservation& host) const;
    std::string describePlan(const HostObservation& host) const;  // "planned reboot (freeze)", "" without one
    // The host's resolved monitoring profile; the cluster's for a host no longer in the policy.
    const policy::MonitoringProfile& monitoringOf(const std::string& host) const;
    const std::vector<std::string>& activeCopies(const std::string& service) const;

    // A service's memory: current() reads (this decision's version if it wrote one, else the
    // input's), memoryOf() writes (copying it into the decision first). The decision carries only
    // what it wrote, so a steady cluster of 10,000 services copies nothing.
    const ServiceMemory& current(const std::string& service) const;
    ServiceMemory& memoryOf(const std::string& service);
    void setState(const std::string& service, ServiceState state, const std::string& reason, bool alert = false);

    // Services with an action in flight or decided now that occupies them (occupiesService()).
    bool busy(const std::string& service) const { return busy_.contains(service); }
    // Decides an action; an action that occupies its service makes it busy for the rest of the decision.
    void act(Action action);
    const std::vector<Action>& actions() const { return out_.actions; }
    // Stamped with the decision's time: the engine has no clock.
    void log(Event event) {
        event.time = in_.now;
        out_.log.push_back(std::move(event));
    }
    void verdict(CommandVerdict verdict) { out_.verdicts.push_back(std::move(verdict)); }

    // The decision, with the seat and board books' results; only memory that changed leaves the engine.
    Decision finish(Ledger seats, std::vector<LedgerChange> ledger, BoardLedger boards);

private:
    const EngineInput& in_;
    const policy::Policy& policy_;
    OwnConnectivity connectivity_;
    Decision out_;
    std::set<std::string> busy_;
    std::unordered_map<std::string_view, ServiceIndex> services_;
    std::unordered_map<std::string_view, const policy::HostPolicy*> hostPolicies_;
    std::unordered_map<std::string_view, const HostObservation*> hosts_;
};

}  // namespace faxover::orchestrator::engine
