// Admin verbs that concern one service. Host verbs (maintenance, fence confirm) change host
// observations and are the runtime's; unknown names are refused by the runtime before this.
#include "AdminCommands.h"

namespace faxover::orchestrator::engine {

namespace {

CommandVerdict refuse(std::string message) { return {false, std::move(message)}; }
CommandVerdict accept(std::string message) { return {true, std::move(message)}; }

}  // namespace

AdminCommands::AdminCommands(DecisionContext& context, SeatBook& seats, ClusterPlacement& placement, Moves& moves,
                             Recovery& recovery)
    : context_(context), seats_(seats), placement_(placement), moves_(moves), recovery_(recovery) {}

CommandVerdict AdminCommands::apply(const AdminCommand& command) {
    const policy::ServicePolicy* service = context_.servicePolicy(command.service);
    if (service == nullptr) return refuse("unknown service '" + command.service + "'");
    const std::string& name = service->name;
    ServiceMemory& memory = context_.memoryOf(name);
    const std::string state = toString(memory.state);
    if (context_.busy(name)) return refuse(name + " is " + state + " (" + memory.reason + "); wait until that ends");
    const std::string by = " by " + command.actor;

    switch (command.verb) {
    case Verb::Suspend:
        if (memory.state == ServiceState::Suspended) return refuse(name + " is already suspended");
        commanded_.insert(name);
        context_.setState(name, ServiceState::Suspended, "monitoring suspended" + by);
        return accept(name + ": monitoring suspended; nothing will be done to it until 'faxover resume " + name + "'");
    case Verb::Stop:
        if (memory.state == ServiceState::Stopped) return refuse(name + " is already stopped");
        commanded_.insert(name);
        context_.setState(name, ServiceState::Stopped, "monitoring and sync stopped" + by);
        return accept(name + ": monitoring and sync stopped; the VM is left as it is");
    case Verb::Resume:
        if (!heldByAdmin(memory.state))
            return refuse(name + " is " + state + ", not suspended, stopped or in error: nothing to resume");
        memory.forgetRecovery();
        memory.migrationFailures = 0;
        context_.setState(name, ServiceState::Unknown, "resumed" + by);
        return accept(name + ": monitoring resumed");  // evaluated later in this decision
    case Verb::Migrate:
        return migrate(*service, command);
    case Verb::Failover:
        return failover(*service, command);
    case Verb::Failback:
        return failback(*service, command);
    case Verb::Demote:
        {
        CommandVerdict verdict = seats_.demote(*service, command.actor);
        if (verdict.accepted) commanded_.insert(name);
        return verdict;
    }
    default:
        return refuse("not a service command");  // host verbs are the runtime's
    }
}

CommandVerdict AdminCommands::migrate(const policy::ServicePolicy& service, const AdminCommand& command) {
    const std::string& name = service.name;
    ServiceMemory& memory = context_.memoryOf(name);
    if (heldByAdmin(memory.state))
        return refuse(name + " is " + toString(memory.state) + "; 'faxover resume " + name + "' first");
    const auto& copies = context_.activeCopies(name);
    if (copies.size() != 1)
        return refuse(name + " is not running on one reachable host (" + toString(memory.state) + ": " +
                      memory.reason + "); nothing to migrate");
    const std::string& source = copies.front();
    if (const std::string blocker = moves_.liveMigrationBlocker(service); !blocker.empty())
        return refuse("cannot live-migrate " + name + ": " + blocker + "; 'faxover failover " + name +
                      "' moves it cold");
    if (command.host == source) return refuse(name + " already runs on " + source);
    std::string why;
    const Placement target = placement_.pickTarget(service, source, why, command.host);
    if (target.host.empty()) return refuse("cannot migrate " + name + ": " + why);
    memory.migrationFailures = 0;
    commanded_.insert(name);
    moves_.move(service, source, target, "migration requested by " + command.actor, command.actor);
    return accept(name + ": live migration " + source + " -> " + target.host + " started");
}

CommandVerdict AdminCommands::failover(const policy::ServicePolicy& service, const AdminCommand& command) {
    const std::string& name = service.name;
    ServiceMemory& memory = context_.memoryOf(name);
    if (memory.state == ServiceState::Suspended || memory.state == ServiceState::Stopped)
        return refuse(name + " is " + toString(memory.state) + "; 'faxover resume " + name + "' first");
    const auto& copies = context_.activeCopies(name);
    if (copies.size() > 1) return refuse(name + " runs on several hosts (" + memory.reason + "); stop one first");
    if (copies.empty()) {
        // Its recovery picks the host, by the policy's rules; an admin who wants another one moves
        // it there once it runs.
        if (!command.host.empty())
            return refuse(name + " is not running; 'faxover failover " + name +
                          "' without a host restarts its recovery, then 'faxover failover " + name + " " +
                          command.host + "' moves it");
        if (memory.state != ServiceState::Error)
            return refuse(name + " is not running and recovers by itself (" + toString(memory.state) + ": " +
                          memory.reason + ")");
        // Out of error: a fresh set of restarts and relocations, decided now like any recovery.
        memory.forgetRecovery();
        memory.migrationFailures = 0;
        context_.setState(name, ServiceState::Failure, "failover requested by " + command.actor);
        commanded_.insert(name);
        recovery_.evaluateNotRunning(service);
        return accept(name + ": recovery restarted with fresh restart and relocation limits");
    }
    const std::string& source = copies.front();
    if (command.host == source) return refuse(name + " already runs on " + source);
    std::string why;
    const Placement target = placement_.pickTarget(service, source, why, command.host);
    if (target.host.empty()) return refuse("cannot fail over " + name + ": " + why);
    commanded_.insert(name);
    moves_.move(service, source, target, "failover requested by " + command.actor, command.actor);
    const bool live = context_.actions().back().kind == ActionKind::LiveMigrate;
    return accept(name + ": " + (live ? "live migration " : "cold move ") + source + " -> " + target.host +
                  (target.board.empty() ? "" : " (board " + target.board + ")") + " started");
}

CommandVerdict AdminCommands::failback(const policy::ServicePolicy& service, const AdminCommand& command) {
    const std::string& name = service.name;
    ServiceMemory& memory = context_.memoryOf(name);
    if (service.preferredHosts.empty() && service.preferredSites.empty())
        return refuse(name + " has no preferred hosts or sites to fail back to");
    if (heldByAdmin(memory.state))
        return refuse(name + " is " + toString(memory.state) + "; 'faxover resume " + name + "' first");
    const auto& copies = context_.activeCopies(name);
    if (copies.size() != 1) return refuse(name + " is not running on one reachable host; nothing to fail back");
    if (const std::string blocker = moves_.liveMigrationBlocker(service); !blocker.empty())
        return refuse("cannot live-migrate " + name + ": " + blocker + "; use 'faxover failover " + name +
                      " HOST'");
    const Placement better = placement_.betterPreferredHost(service, copies.front());
    if (better.host.empty())
        return refuse(name + " already runs on " + copies.front() + ", the most preferred host that can take it now");
    memory.migrationFailures = 0;
    commanded_.insert(name);
    moves_.move(service, copies.front(), better, "failback requested by " + command.actor, command.actor);
    return accept(name + ": failback " + copies.front() + " -> " + better.host + " started");
}

}  // namespace faxover::orchestrator::engine
