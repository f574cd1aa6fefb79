#include "faxover/orchestrator/fence/ProcessFenceAgent.h"

#include "AgentOptions.h"
#include "process/ChildProcess.h"
#include "process/OwnedProcesses.h"

#include "faxover/policies/Duration.h"

#include <chrono>
#include <filesystem>

namespace faxover::orchestrator::fence {
namespace {

using Clock = std::chrono::steady_clock;

// fence-agents exit statuses for action=status.
constexpr int kStatusOn = 0;
constexpr int kStatusOff = 2;

using process::ChildRun;

// The agent's own last words, for the one-line message.
std::string lastLine(const std::string& output) {
    std::string line = process::lastLine(output);
    return line.empty() ? "no output" : line;
}

// One run of `action`, sharing the level's deadline with the other runs.
hv::Result<ChildRun> runAction(const std::string& program, const policy::FenceLevel& level, const std::string& action,
                               const std::string& host, const std::map<std::string, std::string>& environment,
                               Clock::time_point deadline) {
    BOOST_OUTCOME_TRY(input, agentInput(level, action, host));
    BOOST_OUTCOME_TRY(run, process::runChildProcess("fence agent", program, {}, input, environment, deadline,
                                                    agentSecrets(level)));
    if (run.timedOut) {
        return hv::Error{hv::ErrorKind::Timeout,
                         "fence agent " + level.command + " on host " + host + ": action=" + action +
                             " still running at the level's timeout (" + policy::formatDuration(level.timeout) +
                             "); killed: " + lastLine(run.output),
                         host};
    }
    return run;
}

}  // namespace

ProcessFenceAgent::ProcessFenceAgent(std::map<std::string, std::string> extraEnvironment)
    : extraEnvironment_(std::move(extraEnvironment)) {}

hv::Result<ports::FenceConfirmation> ProcessFenceAgent::powerOff(const policy::HostPolicy& host,
                                                                 const policy::FenceLevel& level) {
    const std::string& name = host.name;
    if (level.method != policy::FenceMethod::Agent) {
        return hv::Error{hv::ErrorKind::InvalidArgument,
                         std::string("fence level of method ") + policy::toString(level.method) + " for host " + name +
                             " is not an agent level",
                         name};
    }
    BOOST_OUTCOME_TRY(program, findAgentProgram(level, name));
    const auto deadline = Clock::now() + level.timeout;
    const auto failed = [&](const std::string& action, const ChildRun& run, const std::string& expected) {
        return hv::Error{hv::ErrorKind::OperationFailed,
                         "fence agent " + level.command + " on host " + name + ": action=" + action +
                             " exited with status " + std::to_string(run.exitStatus) + " (" + expected +
                             "): " + lastLine(run.output),
                         name};
    };

    // Which host it fences, for a restarted daemon that finds it still running (OwnedProcesses.h).
    auto environment = extraEnvironment_;
    environment[process::kFenceHostVariable] = name;
    BOOST_OUTCOME_TRY(off, runAction(program, level, "off", name, environment, deadline));
    if (off.exitStatus != 0) return failed("off", off, "expected 0");
    BOOST_OUTCOME_TRY(status, runAction(program, level, "status", name, environment, deadline));
    if (status.exitStatus != kStatusOff) {
        return failed("status", status,
                      status.exitStatus == kStatusOn ? "the host is still ON after off" : "expected 2, meaning OFF");
    }
    const std::string agentName = std::filesystem::path(program).filename().string();
    return ports::FenceConfirmation{agentName + ": off exit 0; status exit 2 (" + lastLine(status.output) + ")"};
}

}  // namespace faxover::orchestrator::fence
