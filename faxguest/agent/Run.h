#pragma once
// Running programs and finding processes, for the checks and the commands.
#include "Config.h"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace faxover::faxguest::agent {

struct RunResult {
    bool started = false;   // false: `output` says why it could not start
    bool timedOut = false;  // killed (its whole process group) at the timeout
    int exitCode = -1;
    std::string output{};   // stdout and stderr together, the first 64 KiB
};

// Runs `argv` (no shell) with stdin from /dev/null, in a process group of its own, for at most
// `timeout`.
RunResult runProgram(const Argv& argv, std::chrono::milliseconds timeout);

// "exit 3: last line of output", "timed out after 2000 ms", "cannot start: ..."
std::string describe(const RunResult& run, std::chrono::milliseconds timeout);

struct ProcessInfo {
    pid_t pid = 0;
    char state = '?';  // from /proc/PID/stat: R, S, T (stopped), Z (zombie), ...
    std::vector<std::string> arguments{};  // /proc/PID/cmdline, the program first
};

// The processes whose /proc/PID/comm is `name` (the kernel keeps its first 15 characters).
std::vector<ProcessInfo> findProcesses(const std::string& name);

// "pid 12, 14 (stopped)" for the live (not zombie) processes of that name that `accept` takes;
// "" when there is none.
std::string livePids(const std::string& name, const std::function<bool(const ProcessInfo&)>& accept = {});

}  // namespace faxover::faxguest::agent
