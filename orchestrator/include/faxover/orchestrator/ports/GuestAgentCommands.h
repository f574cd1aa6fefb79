#pragma once
// The port through which the runtime sends a command to the Faxover guest agent in a fax VM
// (docs/guest-agent.md): restart the fax service when the engine's fax-health steps ask for it,
// quiesce before a planned move and resume after it. The real implementation writes the
// protocol's command line on the agent's channel and waits for its reply; scenario tests use a
// simulated agent. Blocking: called from a worker, never while deciding.
#include "faxover/hypervisor/Result.h"

#include <chrono>
#include <string>

namespace faxover::orchestrator::ports {

enum class GuestAgentCommand { RestartService, Quiesce, Resume };

struct GuestAgentRequest {
    GuestAgentCommand command = GuestAgentCommand::Resume;
    std::string service{};
    std::string host{};    // where the domain runs
    std::string domain{};  // as the policy names it
    // How long the agent may take: for quiesce, how long running calls may go on before the move.
    std::chrono::milliseconds timeout{0};
};

class GuestAgentCommands {
public:
    virtual ~GuestAgentCommands() = default;
    // The agent's reply detail on success. Errors: Timeout (no reply within the request's timeout
    // plus a margin), OperationFailed (the agent answered not ok: its detail), NotSupported (no agent
    // channel for this domain), HostUnreachable.
    virtual hv::Result<std::string> run(const GuestAgentRequest& request) = 0;
};

}  // namespace faxover::orchestrator::ports
