// Commands to a service's guest agent (ports/GuestAgentCommands.h), run on the executor like the
// other steps: restarting the fax service when the engine's fax-health escalation asks, and
// quiesce and resume around a planned move (docs/engine.md, "Fax health"). Without an agent link
// (RuntimePorts::guestAgents null) each is skipped with a line saying why.
#include "ActionSteps.h"
#include "RuntimeState.h"

namespace faxover::orchestrator::runtime {

namespace {

constexpr const char* kNoLink = "the daemon has no guest agent link";
// How long the agent's restart of the fax service may take; the agent's own restart_command
// timeout (docs/guest-agent.md) ends it first.
constexpr std::chrono::milliseconds kRestartTimeout{60000};

const char* moveName(const engine::Action& action) {
    return action.kind == engine::ActionKind::LiveMigrate ? "live migration" : "cold move";
}

}  // namespace

hv::Result<std::string> Runtime::State::restartFaxService(const engine::Action& action, const ActionContext& context) {
    if (ports.guestAgents == nullptr)
        return hv::Error{hv::ErrorKind::NotSupported, std::string("skipped: ") + kNoLink};
    return ports.guestAgents->run({ports::GuestAgentCommand::RestartService, action.service, action.host,
                                   context.domain, kRestartTimeout});
}

void Runtime::State::quiesceBefore(const engine::Action& action, const ActionContext& context) {
    const std::string before = std::string(" before the ") + moveName(action) + " to " + action.host;
    engine::Event event = engine::Event::aboutService(action.service, "");
    if (ports.guestAgents == nullptr) {
        event.message = "not quiesced" + before + ": " + kNoLink;
        event.severity = engine::Severity::Warning;
    } else if (auto quiesced = ports.guestAgents->run({ports::GuestAgentCommand::Quiesce, action.service, action.source,
                                                      context.domain, context.quiesceTimeout})) {
        event.message = "fax service quiesced on " + action.source + before + ": " + quiesced.value();
    } else {
        // The move goes on: holding a drain or a failback on a guest that does not answer would
        // keep the VM where an admin or the policy says it must not stay (docs/engine.md).
        event.message = "quiesce on " + action.source + " failed" + before + ": " + quiesced.error().message +
                        "; the move goes on, running calls may be cut";
        event.severity = engine::Severity::Warning;
    }
    enqueue([this, reported = std::move(event).with("fax", "quiesce")]() mutable { report(std::move(reported)); });
}

void Runtime::State::resumeAfter(const engine::Action& action, const ActionContext& context, bool moved) {
    // Where the VM is now: the target after the move, the source after a failed one.
    const std::string& where = moved ? action.host : action.source;
    if (ports.guestAgents == nullptr) return;  // nothing was quiesced: quiesceBefore said why
    engine::Event event = engine::Event::aboutService(action.service, "");
    if (auto resumed = ports.guestAgents->run(
            {ports::GuestAgentCommand::Resume, action.service, where, context.domain, context.quiesceTimeout})) {
        event.message = "fax service resumed on " + where + ": " + resumed.value();
    } else {
        event.message = "resume on " + where + " failed: " + resumed.error().message +
                        "; outbound jobs may stay held until an admin resumes them";
        event.severity = engine::Severity::Alert;
    }
    enqueue([this, reported = std::move(event).with("fax", "resume")]() mutable { report(std::move(reported)); });
}

}  // namespace faxover::orchestrator::runtime
