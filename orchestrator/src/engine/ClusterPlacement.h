#pragma once
// Where services can go during one decision: the cluster view (room, boards and services per
// host) and the choice of target hosts. Internal to the engine.
#include "BoardBook.h"
#include "DecisionContext.h"
#include "faxover/orchestrator/engine/Placement.h"

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace faxover::orchestrator::engine {

class ClusterPlacement {
public:
    ClusterPlacement(DecisionContext& context, const BoardBook& boards);

    // Where the service could go now (and the board it would get there), never `exclude`; an empty
    // host and the reason when nowhere. `only`, when set, restricts the choice to that host.
    Placement pickTarget(const policy::ServicePolicy& service, const std::string& exclude, std::string& why,
                         const std::string& only = "");
    // A host nearer the front of the service's preferences than `current`, healthy and with room.
    Placement betterPreferredHost(const policy::ServicePolicy& service, const std::string& current);
    // What placing `service` asks for: its size, its board, never `exclude`.
    ServiceToPlace placementRequest(const policy::ServicePolicy& service, const std::string& exclude) const;
    // Places many services at once, by priority (planPlacement()).
    PlacementPlan plan(const std::vector<ServiceToPlace>& requests);

private:
    // The placement view of the whole cluster, built on first use and then brought up to date with
    // the actions decided since (context_.actions()), so placing many services costs one pass over
    // all services and no part has to tell placement what it decided.
    const ClusterView& clusterView();
    ClusterView buildClusterView() const;
    void reserveInView(const Action& action);
    bool eligible(const HostObservation& host, std::string& why) const;

    DecisionContext& context_;
    const BoardBook& boards_;
    std::optional<ClusterView> view_;
    std::unordered_map<std::string, std::size_t> viewSlot_;  // host -> index in view_->hosts
    std::size_t actionsSeen_ = 0;                            // decided actions already in the view
};

}  // namespace faxover::orchestrator::engine
