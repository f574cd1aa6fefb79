#pragma once
// The real FenceAgent: runs a fence-agents style program (fence_ipmilan, fence_redfish, the lab's
// fence_faxlab, ...) with Boost.Process. Options go on the agent's stdin as key=value lines, the
// password among them, so nothing secret ever shows in `ps`.
#include "faxover/orchestrator/ports/FenceAgent.h"

#include <map>
#include <string>

namespace faxover::orchestrator::fence {

class ProcessFenceAgent final : public ports::FenceAgent {
public:
    // `extraEnvironment` is added to the daemon's own environment for every agent run (the lab
    // passes FAXLAB_ROOT this way); a variable named here replaces the inherited one.
    explicit ProcessFenceAgent(std::map<std::string, std::string> extraEnvironment = {});

    // action=off, then action=status, both within level.timeout together. On timeout the agent and
    // every process in its process group are killed with SIGKILL before this returns.
    hv::Result<ports::FenceConfirmation> powerOff(const policy::HostPolicy& host,
                                                  const policy::FenceLevel& level) override;

private:
    std::map<std::string, std::string> extraEnvironment_;
};

}  // namespace faxover::orchestrator::fence
