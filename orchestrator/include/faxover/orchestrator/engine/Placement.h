#pragma once
// Where services that must (re)start go. Part of the engine: a pure, deterministic function of the
// policy and a cluster view; it overcommits nothing and says, per host, why a service fits nowhere.
// docs/engine.md explains the rules.
#include "faxover/policies/Policy.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace faxover::orchestrator::engine {

// A fax board of a host as placement sees it.
struct PlacementBoard {
    std::string pciAddress{};
    std::string model{};       // the mapped model's name
    std::string trunkGroup{};
    std::string holder{};       // the service it is reserved for, "" when none
    std::string unavailable{};  // "" unless it cannot be used at all: "missing from ...", "going back ..."
    bool operator==(const PlacementBoard&) const = default;
};

// What a board-mode service needs on its target host.
struct BoardNeed {
    std::vector<std::string> models{};  // any of these; empty: any model
    std::string trunkGroup{};           // "" when any
    bool operator==(const BoardNeed&) const = default;
};

// One host as the engine sees it when placing. Names are unique within a view; the site, the
// services limit and anti-affinity come from the policy.
struct PlacementHost {
    std::string name{};
    bool eligible = false;              // may take services: ok, not draining, not in maintenance
    std::string ineligibleReason{};     // shown when not eligible: "failed", "draining", ...
    std::uint64_t freeMemoryMiB = 0;    // what Faxover may still use: HostCapacity.memoryMiB applied
    int freeVcpus = 0;                  // likewise, HostCapacity.vcpus applied
    std::vector<std::string> services{};  // protected services placed there now (names)
    std::vector<PlacementBoard> boards{};  // its fax boards, in the policy's order
};

struct ClusterView {
    std::vector<PlacementHost> hosts{};
};

// One service that must (re)start somewhere.
struct ServiceToPlace {
    policy::ServicePolicy policy{};
    std::uint64_t memoryMiB = 0;
    int vcpus = 0;
    std::vector<std::string> excludedHosts{};  // never these (e.g. the failed one), whatever else holds
    std::vector<std::string> triedHosts{};     // tried in this recovery: only when no untried host fits
    std::optional<BoardNeed> board{};          // board telephony: only a host with a free fitting board
};

struct Placement {
    std::string service{};
    std::string host{};
    std::string board{};  // the free board it gets there (board telephony), "" otherwise
    bool operator==(const Placement&) const = default;
};

// A service that fits nowhere: it stays down. One reason per obstacle, hosts in name order,
// e.g. "lab2: needs 2048 MiB, 512 MiB free", "lab3: anti-affinity with fax-b".
struct UnplacedService {
    std::string service{};
    std::vector<std::string> reasons{};
    std::string explain() const;  // "no host fits fax-a: lab2: needs ...; lab3: anti-affinity with fax-b"
    bool operator==(const UnplacedService&) const = default;
};

struct PlacementPlan {
    std::vector<Placement> placements{};  // in the order decided: priority high to low, then name
    std::vector<UnplacedService> unplaced{};  // in the same order

    const Placement* placementOf(const std::string& service) const;  // nullptr when unplaced
    bool operator==(const PlacementPlan&) const = default;
};

// Places `services` on the hosts of `view`:
//   - only eligible hosts that are in the policy and not excluded for that service;
//   - only hosts carrying every label the service requires (required_labels, key: value);
//   - the service must fit: memory, vCPUs, and the host's HostCapacity.services limit;
//   - anti-affinity: never on a host running (or given in this plan) a service that either
//     service names in its antiAffinity list;
//   - preference: preferredHosts in order, then hosts of preferredSites in order, then any other;
//     ties broken by most free memory, then host name;
//   - board telephony: the host must have a free board of a model and trunk group the service
//     accepts; the first such board in the policy's order is given to it;
//   - higher priority places first (ties by name), consuming capacity as it goes.
// The result depends only on the arguments' contents, not on the order of view.hosts or services.
// A service listed twice is placed once; the second listing is unplaced.
PlacementPlan planPlacement(const policy::Policy& policy, const ClusterView& view,
                            const std::vector<ServiceToPlace>& services);

}  // namespace faxover::orchestrator::engine
