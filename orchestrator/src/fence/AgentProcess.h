#pragma once
// One run of a fence agent program: stdin given up front, stdout and stderr captured together,
// killed with its whole process group at the deadline. Private to the fence module.
#include "faxover/hypervisor/Result.h"

#include <chrono>
#include <map>
#include <string>

namespace faxover::orchestrator::fence {

struct AgentRun {
    bool timedOut = false;
    int exitStatus = -1;   // meaningful only when !timedOut
    std::string output{};  // stdout and stderr, interleaved as the agent wrote them
};

// Starts `program` (an absolute path) with no arguments, `input` on its stdin and `extraEnvironment`
// added to the inherited environment, in a process group of its own. Returns when it has exited or
// at `deadline`, whichever comes first; in both cases nothing of the group is left running.
// Errors: InvalidArgument when the program cannot be started (not executable, input too long).
hv::Result<AgentRun> runAgentProcess(const std::string& program, const std::string& input,
                                     const std::map<std::string, std::string>& extraEnvironment,
                                     std::chrono::steady_clock::time_point deadline);

}  // namespace faxover::orchestrator::fence
