#pragma once
// The working state of one decide() call, shared by the files that make up the engine:
// Decider.cpp (outcomes and the per-service rules), Commands.cpp (admin verbs) and
// Recovery.cpp (fencing prerequisites and placement). Internal to the engine.
#include "faxover/orchestrator/engine/Decision.h"
#include "faxover/orchestrator/engine/Placement.h"

#include <set>
#include <string>
#include <vector>

namespace faxover::orchestrator::engine {

class Decider {
public:
    explicit Decider(const EngineInput& input);
    Decision run();

private:
    // ---- Decider.cpp
    void applyFinished(const FinishedAction& finished);
    void evaluate(const policy::ServicePolicy& service);
    void evaluateRunning(const policy::ServicePolicy& service, const std::string& host);
    void resetCountersWhenStable(const policy::ServicePolicy& service);

    // ---- Commands.cpp
    CommandVerdict applyCommand(const api::AdminCommand& command);
    CommandVerdict migrateCommand(const policy::ServicePolicy& service, const api::AdminCommand& command);
    CommandVerdict failoverCommand(const policy::ServicePolicy& service, const api::AdminCommand& command);
    CommandVerdict failbackCommand(const policy::ServicePolicy& service, const api::AdminCommand& command);

    // ---- Recovery.cpp
    void evaluateNotRunning(const policy::ServicePolicy& service);
    void placeWaitingServices();
    // Where the service could go now, never `exclude`; "" and the reason when nowhere.
    // `only`, when set, restricts the choice to that host.
    std::string pickTarget(const policy::ServicePolicy& service, const std::string& exclude, std::string& why,
                           const std::string& only = "");
    // A host nearer the front of the service's preferences than `current`, healthy and with room.
    std::string betterPreferredHost(const policy::ServicePolicy& service, const std::string& current);
    ClusterView clusterView() const;
    bool eligible(const HostObservation& host, std::string& why) const;

    // ---- shared helpers (Decider.cpp)
    ServiceMemory& memoryOf(const std::string& service) { return out_.memory[service]; }
    const HostObservation* host(const std::string& name) const;
    const ServiceObservation& observed(const std::string& service) const;
    std::vector<std::string> activeCopies(const std::string& service) const;
    bool busy(const std::string& service) const;
    void setState(const std::string& service, ServiceState state, const std::string& reason, bool alert = false);
    void alert(const std::string& subject, const std::string& message);
    void act(Action action);
    // Fences `hostName` once, on behalf of `service` (the first that needs it).
    void requestFence(const std::string& hostName, const std::string& service);
    // Live migration if the policy and the domain allow it, else a cold move.
    void move(const policy::ServicePolicy& service, const std::string& from, const std::string& to,
              const std::string& reason, const std::string& actor);
    std::string liveMigrationBlocker(const policy::ServicePolicy& service) const;

    const EngineInput& in_;
    const policy::Policy& policy_;
    Decision out_;
    std::set<std::string> busy_;          // services with an action in flight or started now
    std::set<std::string> fenceAsked_;    // hosts whose fencing this decision requested
    struct PlacementRequest {
        std::string service{};
        std::string exclude{};  // never this host (where it crashed too often)
        std::string reason{};
    };
    std::vector<PlacementRequest> toPlace_;  // services to start on a host placement picks
    std::set<std::string> commanded_;     // services an admin command moved in this decision
};

}  // namespace faxover::orchestrator::engine
