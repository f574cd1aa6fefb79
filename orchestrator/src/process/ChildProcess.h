#pragma once
// One run of an external program (a fence agent, a licence step, a telco hook): stdin given up front, stdout
// and stderr captured together, killed with its whole process group at the deadline. Private to
// the orchestrator library.
#include "faxover/hypervisor/Result.h"
#include "faxover/policies/Policy.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace faxover::orchestrator::process {

struct ChildRun {
    bool timedOut = false;
    int exitStatus = -1;   // meaningful only when !timedOut
    std::string output{};  // stdout and stderr, interleaved as the program wrote them
};

// Starts `program` (an absolute path) with `arguments`, `input` on its stdin and
// `extraEnvironment` added to the inherited environment, in a process group of its own. Returns
// when it has exited or at `deadline`, whichever comes first; in both cases nothing of the group
// is left running. `what` names the program in errors ("fence agent", "licence step"). Every one of
// `secrets` is replaced in the output it returns (Redaction.h): no caller can log or audit one.
// Errors: InvalidArgument when the program cannot be started (not executable, input too long).
hv::Result<ChildRun> runChildProcess(const std::string& what, const std::string& program,
                                     const std::vector<std::string>& arguments, const std::string& input,
                                     const std::map<std::string, std::string>& extraEnvironment,
                                     std::chrono::steady_clock::time_point deadline,
                                     const std::vector<std::string>& secrets = {});

// The last non-empty line of a program's output, for one-line messages.
std::string lastLine(const std::string& output);

// Runs a policy's CommandStep (a licence step, a telco hook) with `environment` added and no
// stdin, killed at the step's timeout. `what` names it ("licence fax1 apply step"). The last line
// of its output on success; errors: Timeout, OperationFailed (non-zero exit, with the status and
// the last line), InvalidArgument (not found in PATH, not executable). `secrets` as above.
hv::Result<std::string> runCommandStep(const std::string& what, const policy::CommandStep& step,
                                       const std::map<std::string, std::string>& environment,
                                       const std::vector<std::string>& secrets = {});

}  // namespace faxover::orchestrator::process
