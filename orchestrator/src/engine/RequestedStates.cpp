// The requested state of a service's VM: the admin verbs that set it and the rule that keeps a
// VM an admin stopped off, whatever recovery would do.
#include "RequestedStates.h"

#include "faxover/policies/Duration.h"

namespace faxover::orchestrator::engine {

namespace {

CommandVerdict refuse(std::string message) { return {false, std::move(message)}; }

std::string offWords(RequestedState requested) {
    return requested == RequestedState::Disabled ? "disabled" : "stopped by request (vm stop)";
}

ServiceState offState(RequestedState requested) {
    return requested == RequestedState::Disabled ? ServiceState::Disabled : ServiceState::VmStopped;
}

// Why it is off: the admin's words when a command decides it now, else what was asked.
std::string whyOff(RequestedState requested, const std::string& actor) {
    const bool disabled = requested == RequestedState::Disabled;
    if (actor == "daemon") return std::string("kept off as asked (") + (disabled ? "disable" : "vm stop") + ")";
    return (disabled ? "disabled by " : "stop requested by ") + actor;
}

}  // namespace

std::string startVerb(RequestedState requested) {
    return requested == RequestedState::Disabled ? "enable" : "vm start";
}

RequestedStates::RequestedStates(DecisionContext& context, Recovery& recovery)
    : context_(context), recovery_(recovery) {}

CommandVerdict RequestedStates::apply(const policy::ServicePolicy& service, const AdminCommand& command) {
    if (command.verb == Verb::VmStop || command.verb == Verb::Disable) return stop(service, command);
    return start(service, command);
}

CommandVerdict RequestedStates::stop(const policy::ServicePolicy& service, const AdminCommand& command) {
    const std::string& name = service.name;
    ServiceMemory& memory = context_.memoryOf(name);
    const RequestedState wanted = command.verb == Verb::Disable ? RequestedState::Disabled : RequestedState::Stopped;
    // Monitoring off means hands off the VM too (IPFX's suspend and stop).
    if (memory.state == ServiceState::Suspended || memory.state == ServiceState::Stopped)
        return refuse(name + " is " + toString(memory.state) + " (monitoring off); 'faxover resume " + name + "' first");
    if (memory.requested == wanted) return refuse(name + " is already " + offWords(wanted));
    if (memory.requested == RequestedState::Disabled)
        return refuse(name + " is disabled, its VM off; 'faxover enable " + name + "' starts it");
    memory.requested = wanted;
    memory.nextAttempt = {};  // the admin's stop goes now, whatever pace a recovery kept
    // A disable of a VM already off only changes how it comes back: nothing to shut down again.
    holdOff(service, command.actor);
    return {true, name + ": " + context_.current(name).reason + "; recovery leaves it off until 'faxover " +
                      startVerb(wanted) + " " + name + "'"};
}

CommandVerdict RequestedStates::start(const policy::ServicePolicy& service, const AdminCommand& command) {
    const std::string& name = service.name;
    ServiceMemory& memory = context_.memoryOf(name);
    const RequestedState from = command.verb == Verb::Enable ? RequestedState::Disabled : RequestedState::Stopped;
    if (memory.requested == RequestedState::Started)
        return refuse(name + " is not stopped by request (" + toString(memory.state) + "): nothing to start");
    if (memory.requested != from)
        return refuse(name + " is " + offWords(memory.requested) + "; 'faxover " + startVerb(memory.requested) + " " +
                      name + "' starts it");
    memory.requested = RequestedState::Started;
    memory.forgetRecovery();
    memory.migrationFailures = 0;
    context_.setState(name, ServiceState::Unknown,
                      std::string(from == RequestedState::Disabled ? "enabled by " : "start requested by ") +
                          command.actor);
    // The rules see it later in this decision: a start like any recovery, seat and placement
    // included, but not counted as a restart.
    recovery_.startRequested(name);
    return {true, name + ": requested started; it starts where it stopped, or where the policy allows"};
}

void RequestedStates::holdOff(const policy::ServicePolicy& service, const std::string& actor) {
    const ServiceMemory& memory = context_.current(service.name);
    const ServiceState off = offState(memory.requested);
    const std::string why = whyOff(memory.requested, actor);
    // A copy that a reachable host lists as running is shut down, one at a time. A failed
    // shutdown is tried again after the service's retry_delay (Outcomes.cpp).
    for (const auto& host : context_.activeCopies(service.name)) {
        const HostObservation* where = context_.host(host);
        if (where == nullptr || where->libvirt != hv::Reachability::Reachable) continue;
        if (memory.state == ServiceState::ShuttingDown && context_.now() < memory.nextAttempt) return;
        const std::string reason =
            (actor == "daemon" ? "running on " + host + " but " + why : why) + ": shutting down on " + host +
            " (graceful, forced after " + policy::formatDuration(service.shutdownTimeout) + ")";
        context_.memoryOf(service.name).host = host;
        context_.act(Action{ActionKind::Shutdown, service.name, host, "", reason, actor});
        context_.setState(service.name, ServiceState::ShuttingDown, reason);
        return;
    }
    std::string outOfSight;
    if (!recovery_.confirmDown(service, outOfSight)) {
        // Seen off already: its host going out of sight afterwards changes nothing to say (if it is
        // found running when the host answers, it is shut down then).
        if (memory.state == off) return;
        // It may still run there: its seat stays (docs/licensing.md, rule 1), and it is not fenced for
        // it, since nothing will start it elsewhere. Said when it starts to wait, not every round.
        const std::string waiting = outOfSight + " out of sight: shut down there once it answers";
        if (memory.state != ServiceState::ShuttingDown || memory.reason.find(waiting) == std::string::npos)
            context_.setState(service.name, ServiceState::ShuttingDown, why + "; " + waiting);
        return;
    }
    // Off for sure: said once, when it gets there (or when its host answers at last).
    if (memory.state != off) context_.setState(service.name, off, why + ": its VM is off");
}

}  // namespace faxover::orchestrator::engine
