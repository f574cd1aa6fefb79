#include "SimGuestAgents.h"

#include <chrono>

namespace faxover::scenario {

namespace {
using orchestrator::ports::GuestAgentCommand;
}  // namespace

SimGuestAgents::Agent* SimGuestAgents::agentOf(const std::string& host, const std::string& domain, std::string* name) {
    auto info = hypervisor_.domainInfo(host, domain);
    if (!info) return nullptr;
    auto it = agents_.find(info.value().name);
    if (it == agents_.end()) return nullptr;
    if (name != nullptr) *name = it->first;
    return &it->second;
}

std::optional<orchestrator::engine::GuestHealth> SimGuestAgents::check(const std::string& host,
                                                                        const std::string& domain) {
    Agent* agent = agentOf(host, domain);
    if (agent == nullptr) return std::nullopt;
    orchestrator::engine::GuestHealth health;
    // No heartbeat this round: agentAnswered false, and, as GuestAgents does, the time of the last one.
    health.lastHeartbeatNs = agent->lastHeartbeatNs;
    if (agent->silent) return health;
    const bool down = agent->faxDown || agent->brokenOn.contains(host);
    health.agentAnswered = true;
    health.faxServiceUp = !down;
    health.checks = {{"hylafax.faxq", !down, down ? "not running" : "pid 2101"}, {"hylafax.hfaxd", true, "pid 2102"}};
    health.detail = down ? "hylafax.faxq: not running" : "";
    health.quiesced = agent->quiesced;
    health.agentVersion = "faxguest-agent 1";
    health.product = "hylafax 6.0.7";
    health.lastHeartbeatNs = agent->lastHeartbeatNs =
        std::chrono::duration_cast<std::chrono::nanoseconds>(wall_.now().time_since_epoch()).count();
    return health;
}

hv::Result<std::string> SimGuestAgents::run(const orchestrator::ports::GuestAgentRequest& request) {
    std::string name;
    Agent* agent = agentOf(request.host, request.domain, &name);
    if (agent == nullptr)
        return hv::Error{hv::ErrorKind::NotSupported, "no guest agent channel for " + request.domain + " on " + request.host};
    if (agent->silent) return hv::Error{hv::ErrorKind::Timeout, "the guest agent of " + name + " did not answer"};
    switch (request.command) {
    case GuestAgentCommand::RestartService:
        if (restartFailures_ > 0) {
            --restartFailures_;
            return hv::Error{hv::ErrorKind::OperationFailed, "restart_command exited 1: faxq: cannot open modem"};
        }
        agent->faxDown = false;  // the restart works; a fault of the host (brokenOn) stays
        return std::string("restart_command exited 0: HylaFAX restarted");
    case GuestAgentCommand::Quiesce:
        if (quiesceFailures_ > 0) {
            --quiesceFailures_;
            return hv::Error{hv::ErrorKind::Timeout, "calls still running after the quiesce timeout"};
        }
        agent->quiesced = true;
        return std::string("modems busy, no call running");
    case GuestAgentCommand::Resume:
        agent->quiesced = false;
        return std::string("modems ready");
    }
    return hv::Error{hv::ErrorKind::Internal, "unknown agent command"};
}

}  // namespace faxover::scenario
