#include "faxover/orchestrator/engine/Placement.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace faxover::orchestrator::engine {

std::string UnplacedService::explain() const {
    std::string text = "no host for " + service + ":";
    for (std::size_t i = 0; i < reasons.size(); ++i) text += (i == 0 ? " " : "; ") + reasons[i];
    return text;
}

const Placement* PlacementPlan::placementOf(const std::string& service) const {
    for (const auto& placement : placements)
        if (placement.service == service) return &placement;
    return nullptr;
}

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// A host during planning: its view plus what this plan has consumed so far.
struct Slot {
    const PlacementHost* view = nullptr;
    const policy::HostPolicy* policy = nullptr;  // nullptr: not in the policy, never used
    std::size_t site = kNone;                    // index into the planner's site list
    std::uint64_t freeMemoryMiB = 0;
    int freeVcpus = 0;
    std::size_t serviceCount = 0;  // there now plus placed by this plan
    std::vector<std::string> boardTakenBy{};  // per board of the view: the service this plan gave it to
};

// Lower is better: a host not tried in this recovery before one that was (pve's "try the others
// first"), then preferred host (tier 0, by position), preferred site (tier 1, by position), any
// other (tier 2); then most free memory. Slots are visited in name order, so the first of equal
// keys wins the name tie.
using Rank = std::tuple<bool, int, std::size_t, std::uint64_t>;

// The first label the service requires that the host lacks (or has with another value), as a
// reason, or "" when the host carries them all.
std::string missingLabel(const Slot& slot, const policy::ServicePolicy& service) {
    for (const auto& [key, value] : service.requiredLabels) {
        auto it = slot.policy->labels.find(key);
        if (it == slot.policy->labels.end()) return "lacks label " + key + "=" + value;
        if (it->second != value) return "label " + key + " is '" + it->second + "', needs '" + value + "'";
    }
    return "";
}

// Why one board does not suit a service, "" when it does.
std::string boardMisfit(const Slot& slot, std::size_t board, const ServiceToPlace& service) {
    const PlacementBoard& candidate = slot.view->boards[board];
    const BoardNeed& need = *service.board;
    if (!slot.boardTakenBy[board].empty()) return "reserved for " + slot.boardTakenBy[board];
    if (!candidate.unavailable.empty()) return candidate.unavailable;
    if (!candidate.holder.empty() && candidate.holder != service.policy.name) return "reserved for " + candidate.holder;
    if (!need.models.empty() && std::find(need.models.begin(), need.models.end(), candidate.model) == need.models.end()) {
        std::string wanted;
        for (const auto& model : need.models) wanted += (wanted.empty() ? "" : " or ") + model;
        return "is " + candidate.model + ", needs " + wanted;
    }
    if (!need.trunkGroup.empty() && candidate.trunkGroup != need.trunkGroup)
        return "on trunk group " + (candidate.trunkGroup.empty() ? std::string("(none)") : candidate.trunkGroup) +
               ", needs " + need.trunkGroup;
    return "";
}

// The first board of the host that suits the service, kNone when none does.
std::size_t fittingBoard(const Slot& slot, const ServiceToPlace& service) {
    for (std::size_t board = 0; board < slot.view->boards.size(); ++board)
        if (boardMisfit(slot, board, service).empty()) return board;
    return kNone;
}

// "no fax board", or every board of the host with why it does not suit.
std::string boardsMisfit(const Slot& slot, const ServiceToPlace& service) {
    if (slot.view->boards.empty()) return "no fax board";
    std::string text = "no fax board fits:";
    for (std::size_t board = 0; board < slot.view->boards.size(); ++board)
        text += (board == 0 ? " " : ", ") + slot.view->boards[board].pciAddress + " " + boardMisfit(slot, board, service);
    return text;
}

bool servicesLimitReached(const Slot& slot) {
    const auto& limit = slot.policy->capacity.services;
    return limit && slot.serviceCount >= static_cast<std::size_t>(std::max(*limit, 0));
}

// The planner's working state. Per-service marks are "stamps" (the service's sequence number in a
// per-slot array) so that deciding one service costs one pass over the hosts with integer checks.
class Planner {
public:
    Planner(const policy::Policy& policy, const ClusterView& view, const std::vector<ServiceToPlace>& services) {
        std::unordered_map<std::string, const policy::HostPolicy*> hostPolicies;
        for (const auto& host : policy.hosts) hostPolicies.emplace(host.name, &host);
        std::map<std::string, std::size_t> sites;

        for (const auto& host : view.hosts) {
            Slot slot;
            slot.view = &host;
            if (auto it = hostPolicies.find(host.name); it != hostPolicies.end()) {
                slot.policy = it->second;
                slot.site = sites.emplace(slot.policy->site, sites.size()).first->second;
            }
            slot.freeMemoryMiB = host.freeMemoryMiB;
            slot.freeVcpus = host.freeVcpus;
            slot.serviceCount = host.services.size();
            slot.boardTakenBy.assign(host.boards.size(), "");
            slots_.push_back(slot);
        }
        std::sort(slots_.begin(), slots_.end(),
                  [](const Slot& a, const Slot& b) { return a.view->name < b.view->name; });
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            slotIndex_.emplace(slots_[i].view->name, i);
            for (const auto& name : slots_[i].view->services) placedOn_[name].push_back(i);
        }
        siteIds_ = std::move(sites);
        siteRank_.assign(siteIds_.size(), kNone);
        siteStamp_.assign(siteIds_.size(), kNone);
        excludedStamp_.assign(slots_.size(), kNone);
        triedStamp_.assign(slots_.size(), kNone);
        conflictStamp_.assign(slots_.size(), kNone);
        preferredStamp_.assign(slots_.size(), kNone);
        preferredRank_.assign(slots_.size(), 0);

        // Anti-affinity holds both ways: "B is named by A" is looked up when placing B.
        for (const auto& service : policy.services)
            for (const auto& other : service.antiAffinity) namedBy_[other].insert(service.name);
        for (const auto& service : services)
            for (const auto& other : service.policy.antiAffinity) namedBy_[other].insert(service.policy.name);
    }

    // Places one service, or explains why it fits nowhere.
    void place(const ServiceToPlace& service, PlacementPlan& plan) {
        const std::size_t stamp = sequence_++;
        const auto conflicts = conflictsOf(service.policy);
        mark(service, conflicts, stamp);

        std::size_t best = kNone;
        Rank bestRank{};
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            const Slot& slot = slots_[i];
            if (!slot.view->eligible || slot.policy == nullptr || excludedStamp_[i] == stamp ||
                conflictStamp_[i] == stamp || servicesLimitReached(slot) || slot.freeMemoryMiB < service.memoryMiB ||
                slot.freeVcpus < service.vcpus || !missingLabel(slot, service.policy).empty() ||
                (service.board && fittingBoard(slot, service) == kNone))
                continue;
            const Rank rank = rankOf(i, stamp);
            if (best == kNone || rank < bestRank) {
                best = i;
                bestRank = rank;
            }
        }
        const std::string& name = service.policy.name;
        if (best == kNone) {
            plan.unplaced.push_back(explain(service, conflicts, stamp));
            return;
        }
        Slot& slot = slots_[best];
        slot.freeMemoryMiB -= service.memoryMiB;
        slot.freeVcpus -= service.vcpus;
        ++slot.serviceCount;
        placedOn_[name].push_back(best);
        std::string board;
        if (service.board) {
            const std::size_t given = fittingBoard(slot, service);
            slot.boardTakenBy[given] = name;
            board = slot.view->boards[given].pciAddress;
        }
        plan.placements.push_back({name, slot.view->name, board});
    }

private:
    // Every service the one being placed must not share a host with, by either side's list.
    std::vector<std::string> conflictsOf(const policy::ServicePolicy& service) const {
        std::set<std::string> names(service.antiAffinity.begin(), service.antiAffinity.end());
        if (auto it = namedBy_.find(service.name); it != namedBy_.end())
            names.insert(it->second.begin(), it->second.end());
        names.erase(service.name);
        return {names.begin(), names.end()};
    }

    std::size_t indexOf(const std::string& host) const {
        auto it = slotIndex_.find(host);
        return it == slotIndex_.end() ? kNone : it->second;
    }

    void mark(const ServiceToPlace& service, const std::vector<std::string>& conflicts, std::size_t stamp) {
        for (const auto& host : service.excludedHosts)
            if (auto i = indexOf(host); i != kNone) excludedStamp_[i] = stamp;
        for (const auto& host : service.triedHosts)
            if (auto i = indexOf(host); i != kNone) triedStamp_[i] = stamp;
        for (const auto& other : conflicts)
            if (auto it = placedOn_.find(other); it != placedOn_.end())
                for (std::size_t i : it->second) conflictStamp_[i] = stamp;
        const auto& hosts = service.policy.preferredHosts;
        for (std::size_t position = 0; position < hosts.size(); ++position) {
            const std::size_t i = indexOf(hosts[position]);
            if (i != kNone && preferredStamp_[i] != stamp) {  // the first mention counts
                preferredStamp_[i] = stamp;
                preferredRank_[i] = position;
            }
        }
        const auto& sites = service.policy.preferredSites;
        for (std::size_t position = 0; position < sites.size(); ++position) {
            auto it = siteIds_.find(sites[position]);
            if (it != siteIds_.end() && siteStamp_[it->second] != stamp) {
                siteStamp_[it->second] = stamp;
                siteRank_[it->second] = position;
            }
        }
    }

    Rank rankOf(std::size_t i, std::size_t stamp) const {
        const Slot& slot = slots_[i];
        const std::uint64_t memoryKey = ~slot.freeMemoryMiB;  // more free memory ranks lower
        const bool tried = triedStamp_[i] == stamp;
        if (preferredStamp_[i] == stamp) return {tried, 0, preferredRank_[i], memoryKey};
        if (siteStamp_[slot.site] == stamp) return {tried, 1, siteRank_[slot.site], memoryKey};
        return {tried, 2, 0, memoryKey};
    }

    // Why the service fits nowhere: one line per obstacle, hosts in name order. Excluded, not in
    // the policy and not eligible stop there; the others are all listed so an admin sees
    // everything in the way.
    UnplacedService explain(const ServiceToPlace& service, const std::vector<std::string>& conflicts,
                            std::size_t stamp) const {
        UnplacedService unplaced{service.policy.name, {}};
        auto& reasons = unplaced.reasons;
        if (slots_.empty()) reasons.push_back("no hosts in the cluster view");
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            const Slot& slot = slots_[i];
            const std::string& name = slot.view->name;
            if (excludedStamp_[i] == stamp) {
                reasons.push_back(name + ": excluded");
                continue;
            }
            if (slot.policy == nullptr) {
                reasons.push_back(name + ": not in the policy");
                continue;
            }
            if (!slot.view->eligible) {
                reasons.push_back(name + ": not eligible" +
                                  (slot.view->ineligibleReason.empty() ? "" : " (" + slot.view->ineligibleReason + ")"));
                continue;
            }
            if (service.board && fittingBoard(slot, service) == kNone)
                reasons.push_back(name + ": " + boardsMisfit(slot, service));
            if (const std::string label = missingLabel(slot, service.policy); !label.empty())
                reasons.push_back(name + ": " + label);
            if (conflictStamp_[i] == stamp) {
                std::string text = name + ": anti-affinity with ";
                bool first = true;
                for (const auto& other : conflicts) {
                    auto it = placedOn_.find(other);
                    if (it == placedOn_.end() || std::find(it->second.begin(), it->second.end(), i) == it->second.end())
                        continue;
                    text += (first ? "" : ", ") + other;
                    first = false;
                }
                reasons.push_back(std::move(text));
            }
            if (servicesLimitReached(slot))
                reasons.push_back(name + ": services limit " + std::to_string(*slot.policy->capacity.services) +
                                  " reached");
            if (slot.freeMemoryMiB < service.memoryMiB)
                reasons.push_back(name + ": needs " + std::to_string(service.memoryMiB) + " MiB, " +
                                  std::to_string(slot.freeMemoryMiB) + " MiB free");
            if (slot.freeVcpus < service.vcpus)
                reasons.push_back(name + ": needs " + std::to_string(service.vcpus) + " vCPUs, " +
                                  std::to_string(slot.freeVcpus) + " free");
        }
        return unplaced;
    }

    std::vector<Slot> slots_{};  // in host-name order
    std::unordered_map<std::string, std::size_t> slotIndex_{};
    std::unordered_map<std::string, std::vector<std::size_t>> placedOn_{};  // service -> slots holding it
    std::map<std::string, std::set<std::string>> namedBy_{};                // service -> services naming it
    std::map<std::string, std::size_t> siteIds_{};
    std::vector<std::size_t> siteRank_{}, siteStamp_{};
    std::vector<std::size_t> excludedStamp_{}, triedStamp_{}, conflictStamp_{}, preferredStamp_{}, preferredRank_{};
    std::size_t sequence_ = 0;
};

}  // namespace

PlacementPlan planPlacement(const policy::Policy& policy, const ClusterView& view,
                            const std::vector<ServiceToPlace>& services) {
    std::vector<const ServiceToPlace*> order;
    order.reserve(services.size());
    for (const auto& service : services) order.push_back(&service);
    std::stable_sort(order.begin(), order.end(), [](const ServiceToPlace* a, const ServiceToPlace* b) {
        if (a->policy.priority != b->policy.priority) return a->policy.priority > b->policy.priority;
        return a->policy.name < b->policy.name;
    });

    Planner planner(policy, view, services);
    PlacementPlan plan;
    std::set<std::string> seen;
    for (const ServiceToPlace* service : order) {
        if (!seen.insert(service->policy.name).second) {
            plan.unplaced.push_back({service->policy.name, {"listed twice to place; placed once"}});
            continue;
        }
        planner.place(*service, plan);
    }
    return plan;
}

}  // namespace faxover::orchestrator::engine
