// The rules for one service that nothing else decided for this round: asked to be off, held by an admin, running
// twice, running (stay, or leave a drained or degraded host, or fail back), or not running
// (Recovery). docs/engine.md states them.
#include "ServiceRules.h"

#include "faxover/orchestrator/engine/Engine.h"

#include <string>

namespace faxover::orchestrator::engine {

namespace {
// Live migrations that may fail in a row before the engine stops trying on its own (an admin's
// `migrate` starts the count again): a migration that keeps failing would otherwise be retried
// every round, loading the network and the guest for nothing.
constexpr int kMaxMigrationFailures = 3;
}  // namespace

ServiceRules::ServiceRules(DecisionContext& context, SeatBook& seats, ClusterPlacement& placement, Moves& moves,
                           Recovery& recovery, RequestedStates& requested, FaxHealth& faxHealth)
    : context_(context), seats_(seats), placement_(placement), moves_(moves), recovery_(recovery),
      requested_(requested), faxHealth_(faxHealth) {}

void ServiceRules::evaluate(const policy::ServicePolicy& service) {
    // An admin's vm stop or disable outranks everything else, error and two copies included.
    if (context_.current(service.name).requested != RequestedState::Started) return requested_.holdOff(service, "daemon");
    if (heldByAdmin(context_.current(service.name).state)) return seats_.keepSeatWhileHeld(service);
    const auto& copies = context_.activeCopies(service.name);
    if (copies.size() > 1) {
        std::string where;
        for (const auto& host : copies) where += (where.empty() ? "" : " and ") + host;
        context_.setState(service.name, ServiceState::Error, "running on " + where + " at once: an admin must stop one",
                          true);
        return;
    }
    if (copies.size() == 1) return evaluateRunning(service, copies.front());
    recovery_.evaluateNotRunning(service);
}

void ServiceRules::evaluateRunning(const policy::ServicePolicy& service, const std::string& hostName) {
    const HostObservation& where = *context_.host(hostName);
    const std::string previous = context_.current(service.name).host;
    const bool moved = previous != hostName;
    if (moved || !context_.current(service.name).target.empty()) {
        ServiceMemory& memory = context_.memoryOf(service.name);
        memory.host = hostName;
        memory.target.clear();
        memory.lastStartFailed = false;
    }
    forgetReturnsTo(service, hostName, where);

    if (where.health == HostHealthState::Suspect) {
        context_.setState(service.name, ServiceState::Suspect, "host " + hostName + " is suspect");
    } else if (!seats_.licensedOn(service, hostName)) {
        return;  // not ok until it holds its seat here with the licence applied
    } else if (context_.current(service.name).state != ServiceState::Ok || moved) {
        context_.setState(service.name, ServiceState::Ok,
                          moved && !previous.empty()
                              ? "found running on " + hostName + " (last known on " + previous + ")"
                              : "running on " + hostName);
    }
    resetCountersWhenStable(service);

    // Reasons to move it while it runs: drain, a degraded host, failback.
    std::string why;
    const auto plan = context_.plan(where);
    if (where.maintenance) {
        why = "maintenance of " + hostName;
    } else if (plan && plan->drains()) {
        why = context_.describePlan(where) + " of " + hostName;
    } else if (where.health == HostHealthState::Degraded && where.libvirt == hv::Reachability::Reachable &&
               where.roundsInState >= context_.hostPolicy(hostName)->monitoring.warnCount &&
               moves_.liveMigrationBlocker(service).empty()) {
        why = "host " + hostName + " degraded: its management address does not answer";
    }
    const int migrationFailures = context_.current(service.name).migrationFailures;
    if (!why.empty()) {
        if (migrationFailures >= kMaxMigrationFailures) {
            context_.setState(service.name, ServiceState::Ok,
                              "cannot leave " + hostName + " (" + why + "): " + std::to_string(migrationFailures) +
                                  " live migrations failed; waiting for an admin",
                              true);
            return;
        }
        std::string none;
        const Placement target = placement_.pickTarget(service, hostName, none);
        if (target.host.empty()) {
            context_.setState(service.name, ServiceState::Ok, "cannot leave " + hostName + " (" + why + "): " + none,
                              true);
            return;
        }
        // A host drained for its planned shutdown gets its services back when it returns, as pve's migrate does.
        if ((where.maintenance || (plan && plan->drains())) && service.returnAfterMaintenance)
            context_.memoryOf(service.name).maintenanceHost = hostName;
        return moves_.move(service, hostName, target, why, "daemon");
    }
    // Its VM runs on a live host and nothing moves it: what its guest agent says of the fax service.
    const bool hostAlive = where.health == HostHealthState::Ok || where.health == HostHealthState::Degraded;
    if (hostAlive && context_.current(service.name).state == ServiceState::Ok && faxHealth_.evaluate(service, hostName))
        return;
    if (migrationFailures >= kMaxMigrationFailures) return;
    if (returnAfterMaintenance(service, hostName)) return;
    if (service.failback && moves_.liveMigrationBlocker(service).empty()) failBack(service, hostName);
}

void ServiceRules::forgetReturnsTo(const policy::ServicePolicy& service, const std::string& hostName,
                                   const HostObservation& where) {
    const ServiceMemory& seen = context_.current(service.name);
    // Back where it came from, by a return or any other way: nothing more to return to.
    const bool backFromFailover = seen.failedOverFrom == hostName;
    const bool backFromMaintenance = seen.maintenanceHost == hostName && !where.maintenance;
    if (!backFromFailover && !backFromMaintenance) return;
    ServiceMemory& memory = context_.memoryOf(service.name);
    if (backFromFailover) memory.failedOverFrom.clear();
    if (backFromMaintenance) memory.maintenanceHost.clear();
}

bool ServiceRules::returnAfterMaintenance(const policy::ServicePolicy& service, const std::string& hostName) {
    const std::string home = context_.current(service.name).maintenanceHost;
    if (home.empty() || home == hostName || !service.returnAfterMaintenance) return false;
    const HostObservation* left = context_.host(home);
    if (left == nullptr || left->maintenance || left->planned) return false;  // still in maintenance, or no longer in the policy
    std::string notNow;
    const Placement back = placement_.pickTarget(service, hostName, notNow, home);
    if (back.host.empty()) return false;  // not healthy or no room yet: it stays, and is tried again next round
    moves_.move(service, hostName, back, "maintenance of " + home + " ended: back to " + home, "daemon");
    return true;
}

void ServiceRules::failBack(const policy::ServicePolicy& service, const std::string& hostName) {
    const Placement better = placement_.betterPreferredHost(service, hostName);
    if (!better.host.empty())
        return moves_.move(service, hostName, better, "failback to preferred host " + better.host, "daemon");
    // No preferences: back to the host it ran on before the failover, once that host can take it.
    const std::string before = context_.current(service.name).failedOverFrom;
    if (!service.preferredHosts.empty() || !service.preferredSites.empty() || before.empty()) return;
    std::string notNow;
    const Placement back = placement_.pickTarget(service, hostName, notNow, before);
    if (!back.host.empty())
        moves_.move(service, hostName, back, "failback to " + before + ", where it ran before the failover", "daemon");
}

void ServiceRules::resetCountersWhenStable(const policy::ServicePolicy& service) {
    const ServiceMemory& seen = context_.current(service.name);
    if (seen.state != ServiceState::Ok || (seen.restarts == 0 && seen.relocations == 0 && seen.triedHosts.empty()))
        return;
    if (context_.now() - seen.since < kStableAfter) return;
    ServiceMemory& memory = context_.memoryOf(service.name);
    memory.forgetRecovery();
    context_.log(Event::aboutService(service.name, "stable on " + memory.host + " for " +
                                                       std::to_string(kStableAfter.count()) +
                                                       " min: restart and relocation counts reset"));
}

}  // namespace faxover::orchestrator::engine
