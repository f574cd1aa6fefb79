#pragma once
// The port through which the runtime powers a failed host off with an external fence agent
// (fence_ipmilan, fence_redfish, the lab's fence_faxlab, ...). The real implementation runs the
// program with Boost.Process; scenario tests use a simulated one. Blocking: the runtime calls it
// from a worker, never from the thread that decides.
#include "faxover/hypervisor/Result.h"
#include "faxover/policies/Policy.h"

#include <string>

namespace faxover::orchestrator::ports {

// What one successful "off" achieved, for the log and the audit trail.
struct FenceConfirmation {
    std::string evidence{};  // e.g. "fence_faxlab: off exit 0; status exit 2 (Status: OFF)"
};

class FenceAgent {
public:
    virtual ~FenceAgent() = default;

    // Runs `level` (method Agent) against `host`: action=off, then action=status. Succeeds only
    // when the status query reports the host off (fence-agents convention: exit status 2).
    // Options go on stdin as key=value lines (the level's parameters, plug defaulting to nothing,
    // password read from level.passwordFile), never on the command line where `ps` shows them.
    // Errors:
    //   Timeout          the agent ran longer than level.timeout (it is killed)
    //   OperationFailed  non-zero exit of off, or status not reporting off; message carries the
    //                    agent's exit status and the last line of its output
    //   InvalidArgument  program not found or not executable, password file unreadable
    virtual hv::Result<FenceConfirmation> powerOff(const policy::HostPolicy& host,
                                                   const policy::FenceLevel& level) = 0;
};

}  // namespace faxover::orchestrator::ports
