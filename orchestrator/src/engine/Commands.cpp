// Admin verbs that concern one service. Host verbs (maintenance, fence confirm) change host
// observations and are the runtime's; unknown names are refused by the runtime before this.
#include "Decider.h"

namespace faxover::orchestrator::engine {

namespace {

CommandVerdict refuse(std::string message) { return {false, std::move(message)}; }
CommandVerdict accept(std::string message) { return {true, std::move(message)}; }

}  // namespace

CommandVerdict Decider::applyCommand(const AdminCommand& command) {
    const policy::ServicePolicy* service = servicePolicy(command.service);
    if (service == nullptr) return refuse("unknown service '" + command.service + "'");
    const std::string& name = service->name;
    ServiceMemory& memory = memoryOf(name);
    const std::string state = toString(memory.state);
    if (busy(name))
        return refuse(name + " is " + state + " (" + memory.reason + "); wait until that ends");
    const std::string by = " by " + command.actor;

    switch (command.verb) {
    case Verb::Suspend:
        if (memory.state == ServiceState::Suspended) return refuse(name + " is already suspended");
        commanded_.insert(name);
        setState(name, ServiceState::Suspended, "monitoring suspended" + by);
        return accept(name + ": monitoring suspended; nothing will be done to it until 'faxover resume " + name + "'");
    case Verb::Stop:
        if (memory.state == ServiceState::Stopped) return refuse(name + " is already stopped");
        commanded_.insert(name);
        setState(name, ServiceState::Stopped, "monitoring and sync stopped" + by);
        return accept(name + ": monitoring and sync stopped; the VM is left as it is");
    case Verb::Resume:
        if (!heldByAdmin(memory.state))
            return refuse(name + " is " + state + ", not suspended, stopped or in error: nothing to resume");
        memory.restarts = memory.relocations = memory.migrationFailures = 0;
        setState(name, ServiceState::Unknown, "resumed" + by);
        return accept(name + ": monitoring resumed");  // evaluated later in this decision
    case Verb::Migrate:
        return migrateCommand(*service, command);
    case Verb::Failover:
        return failoverCommand(*service, command);
    case Verb::Failback:
        return failbackCommand(*service, command);
    case Verb::Demote:
        return demoteCommand(*service, command);
    default:
        return refuse("not a service command");  // host verbs are the runtime's
    }
}

CommandVerdict Decider::migrateCommand(const policy::ServicePolicy& service, const AdminCommand& command) {
    const std::string& name = service.name;
    ServiceMemory& memory = memoryOf(name);
    if (heldByAdmin(memory.state))
        return refuse(name + " is " + toString(memory.state) + "; 'faxover resume " + name + "' first");
    const auto& copies = activeCopies(name);
    if (copies.size() != 1)
        return refuse(name + " is not running on one reachable host (" + toString(memory.state) + ": " +
                      memory.reason + "); nothing to migrate");
    const std::string& source = copies.front();
    if (const std::string blocker = liveMigrationBlocker(service); !blocker.empty())
        return refuse("cannot live-migrate " + name + ": " + blocker + "; 'faxover failover " + name +
                      "' moves it cold");
    if (command.host == source) return refuse(name + " already runs on " + source);
    std::string why;
    const Placement target = pickTarget(service, source, why, command.host);
    if (target.host.empty()) return refuse("cannot migrate " + name + ": " + why);
    memory.migrationFailures = 0;
    commanded_.insert(name);
    move(service, source, target, "migration requested by " + command.actor, command.actor);
    return accept(name + ": live migration " + source + " -> " + target.host + " started");
}

CommandVerdict Decider::failoverCommand(const policy::ServicePolicy& service, const AdminCommand& command) {
    const std::string& name = service.name;
    ServiceMemory& memory = memoryOf(name);
    if (memory.state == ServiceState::Suspended || memory.state == ServiceState::Stopped)
        return refuse(name + " is " + toString(memory.state) + "; 'faxover resume " + name + "' first");
    const auto& copies = activeCopies(name);
    if (copies.size() > 1) return refuse(name + " runs on several hosts (" + memory.reason + "); stop one first");
    if (copies.empty()) {
        if (memory.state != ServiceState::Error)
            return refuse(name + " is not running and recovers by itself (" + toString(memory.state) + ": " +
                          memory.reason + ")");
        // Out of error: a fresh set of restarts and relocations, decided now like any recovery.
        memory.restarts = memory.relocations = memory.migrationFailures = 0;
        setState(name, ServiceState::Failure, "failover requested by " + command.actor);
        commanded_.insert(name);
        evaluateNotRunning(service);
        return accept(name + ": recovery restarted with fresh restart and relocation limits");
    }
    const std::string& source = copies.front();
    std::string why;
    const Placement target = pickTarget(service, source, why, command.host);
    if (target.host.empty()) return refuse("cannot fail over " + name + ": " + why);
    commanded_.insert(name);
    move(service, source, target, "failover requested by " + command.actor, command.actor);
    const bool live = out_.actions.back().kind == ActionKind::LiveMigrate;
    return accept(name + ": " + (live ? "live migration " : "cold move ") + source + " -> " + target.host +
                  (target.board.empty() ? "" : " (board " + target.board + ")") + " started");
}

CommandVerdict Decider::failbackCommand(const policy::ServicePolicy& service, const AdminCommand& command) {
    const std::string& name = service.name;
    ServiceMemory& memory = memoryOf(name);
    if (service.preferredHosts.empty() && service.preferredSites.empty())
        return refuse(name + " has no preferred hosts or sites to fail back to");
    if (heldByAdmin(memory.state))
        return refuse(name + " is " + toString(memory.state) + "; 'faxover resume " + name + "' first");
    const auto& copies = activeCopies(name);
    if (copies.size() != 1) return refuse(name + " is not running on one reachable host; nothing to fail back");
    if (const std::string blocker = liveMigrationBlocker(service); !blocker.empty())
        return refuse("cannot live-migrate " + name + ": " + blocker + "; use 'faxover failover " + name +
                      " HOST'");
    const Placement better = betterPreferredHost(service, copies.front());
    if (better.host.empty())
        return refuse(name + " already runs on " + copies.front() + ", the most preferred host that can take it now");
    memory.migrationFailures = 0;
    commanded_.insert(name);
    move(service, copies.front(), better, "failback requested by " + command.actor, command.actor);
    return accept(name + ": failback " + copies.front() + " -> " + better.host + " started");
}

}  // namespace faxover::orchestrator::engine
