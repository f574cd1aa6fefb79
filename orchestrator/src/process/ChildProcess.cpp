#include "ChildProcess.h"
#include "Redaction.h"

#include "faxover/policies/Duration.h"

#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/env.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/environment.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <boost/process/pipe.hpp>
#include <boost/process/search_path.hpp>

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <optional>
#include <system_error>

namespace faxover::orchestrator::process {
namespace {

namespace bp = boost::process;
using Clock = std::chrono::steady_clock;

// The whole input is written before the agent starts, so it must fit the pipe's buffer (64 KiB on
// Linux): then no write can block on an agent that does not read, and none can raise SIGPIPE on one
// that has already exited. Fence options are a few hundred bytes.
constexpr std::size_t kLongestInput = 32 * 1024;
constexpr std::chrono::milliseconds kPollSlice{20};

// True once the child has exited, without reaping it: while it is a zombie its pid, which is also
// its process group's id, cannot be reused, so killing the group afterwards cannot hit a stranger.
bool hasExited(pid_t pid) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return true;
    return info.si_pid == pid;
}

enum class PipeState { Data, Idle, Closed };

// Appends what the pipe holds now, waiting at most `wait` for something to arrive. Closed once
// every writer is gone.
PipeState readAvailable(int fd, std::chrono::milliseconds wait, std::string& output) {
    pollfd ready{fd, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(wait.count())) <= 0) return PipeState::Idle;
    std::array<char, 4096> buffer{};
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got > 0) {
        output.append(buffer.data(), static_cast<std::size_t>(got));
        return PipeState::Data;
    }
    return (got < 0 && errno == EINTR) ? PipeState::Idle : PipeState::Closed;
}

// In the forked child before exec: every descriptor above stderr closes at exec. An agent that
// outlives a killed daemon must not hold its API socket or store open (seen in the lab: the
// restarted daemon found its old socket still answering). Marked close-on-exec rather than closed
// so that Boost.Process's own exec-error pipe keeps working; bp::limit_handles (Boost 1.74) lost
// the agent's output.
void closeInheritedDescriptorsOnExec() {
#ifdef CLOSE_RANGE_CLOEXEC
    if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
#endif
    const long limit = std::min(::sysconf(_SC_OPEN_MAX), 65536L);
    for (int descriptor = 3; descriptor < limit; ++descriptor) {
        const int flags = ::fcntl(descriptor, F_GETFD);
        if (flags >= 0) ::fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC);
    }
}

bp::environment environmentWith(const std::map<std::string, std::string>& extra) {
    bp::environment environment = boost::this_process::environment();
    // set(), not operator[]: Boost 1.74's find() behind operator[] compares the name with every
    // entry for the name's length and reads past the shorter ones (ASan caught it).
    for (const auto& [name, value] : extra) environment.set(name, value);
    return environment;
}

}  // namespace

hv::Result<ChildRun> runChildProcess(const std::string& what, const std::string& program,
                                     const std::vector<std::string>& arguments, const std::string& input,
                                     const std::map<std::string, std::string>& extraEnvironment,
                                     Clock::time_point deadline, const std::vector<std::string>& secrets) {
    if (input.size() > kLongestInput) {
        return hv::Error{hv::ErrorKind::InvalidArgument,
                         what + " " + program + ": input too long (" + std::to_string(input.size()) + " bytes)"};
    }
    bp::pipe toAgent;
    bp::pipe fromAgent;
    toAgent.write(input.data(), static_cast<int>(input.size()));
    ::close(toAgent.native_sink());  // the agent reads the input, then end of file
    toAgent.assign_sink(-1);

    // Optional, not default-constructed: a default bp::child's destructor would waitpid(-1) and
    // could reap some other child of the daemon.
    std::optional<bp::child> child;
    try {
        child.emplace(bp::exe = program, bp::args = arguments, bp::std_in < toAgent, (bp::std_out & bp::std_err) > fromAgent,
                          environmentWith(extraEnvironment),
                          // Its own process group, so a timeout kills whatever the agent started too;
                          // and nothing of the daemon's leaks into it.
                          bp::extend::on_exec_setup([](auto&) {
                              ::setpgid(0, 0);
                              closeInheritedDescriptorsOnExec();
                          }));
    } catch (const std::system_error& e) {
        return hv::Error{hv::ErrorKind::InvalidArgument, what + " " + program + " cannot be started: " + e.what()};
    }
    const pid_t pid = child->id();

    ChildRun run;
    const int output = fromAgent.native_source();
    PipeState pipe = PipeState::Idle;
    while (!hasExited(pid)) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            run.timedOut = true;
            break;
        }
        const auto slice = std::min(left, kPollSlice);
        if (pipe != PipeState::Closed) {
            pipe = readAvailable(output, slice, run.output);
        } else {
            ::poll(nullptr, 0, static_cast<int>(slice.count()));  // output closed early: wait for the exit
        }
    }
    // On a timeout this is the kill; after a normal exit it removes anything the agent left behind,
    // which could otherwise hold the output pipe open.
    ::kill(-pid, SIGKILL);
    std::error_code ignored;
    child->wait(ignored);  // reaps: a killed agent dies at once
    // Whatever the agent wrote before it exited is in the pipe now; a writer that escaped the group
    // (setsid) may keep it open, so stop at the first moment it is empty rather than at end of file.
    while (pipe != PipeState::Closed) {
        pipe = readAvailable(output, std::chrono::milliseconds(0), run.output);
        if (pipe == PipeState::Idle) break;
    }
    if (!run.timedOut) run.exitStatus = child->exit_code();
    run.output = redact(std::move(run.output), secrets);
    return run;
}

std::string lastLine(const std::string& output) {
    const std::size_t end = output.find_last_not_of(" \t\r\n");
    if (end == std::string::npos) return "";
    const std::size_t newline = output.find_last_of('\n', end);
    const std::size_t start = newline == std::string::npos ? 0 : newline + 1;
    return output.substr(start, end + 1 - start);
}

hv::Result<std::string> runCommandStep(const std::string& what, const policy::CommandStep& step,
                                       const std::map<std::string, std::string>& environment,
                                       const std::vector<std::string>& secrets) {
    std::string program = step.command;
    if (program.front() != '/') program = boost::process::search_path(step.command).string();
    if (program.empty()) return hv::Error{hv::ErrorKind::InvalidArgument, what + ": " + step.command + " not found in PATH"};
    const auto deadline = std::chrono::steady_clock::now() + step.timeout;
    BOOST_OUTCOME_TRY(run, runChildProcess(what, program, step.arguments, "", environment, deadline, secrets));
    const std::string said = lastLine(run.output);
    if (run.timedOut)
        return hv::Error{hv::ErrorKind::Timeout, what + ": still running after " + policy::formatDuration(step.timeout) +
                                                     "; killed" + (said.empty() ? "" : ": " + said)};
    if (run.exitStatus != 0)
        return hv::Error{hv::ErrorKind::OperationFailed,
                         what + ": exit " + std::to_string(run.exitStatus) + (said.empty() ? "" : ": " + said)};
    return said.empty() ? step.command + " exit 0" : said;
}

}  // namespace faxover::orchestrator::process
