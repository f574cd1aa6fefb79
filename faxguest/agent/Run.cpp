#include "Run.h"

#include <boost/asio/io_context.hpp>
#include <boost/process/args.hpp>
#include <boost/process/async.hpp>
#include <boost/process/child.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <system_error>

namespace faxover::faxguest::agent {
namespace {

namespace bp = boost::process;
constexpr std::size_t kMostOutput = 64 * 1024;
constexpr std::chrono::seconds kAfterKill{1};

std::string lastLine(const std::string& text) {
    std::size_t end = text.find_last_not_of("\r\n \t");
    if (end == std::string::npos) return "";
    const std::size_t start = text.rfind('\n', end);
    return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

}  // namespace

RunResult runProgram(const Argv& argv, std::chrono::milliseconds timeout) {
    RunResult result;
    if (argv.empty()) {
        result.output = "no program given";
        return result;
    }
    // Boost.Process with an io_context: the output is read and the exit seen asynchronously, and
    // run_for() bounds the whole run.
    boost::asio::io_context io;
    std::future<std::string> output;
    bool exited = false;
    std::optional<bp::child> child;
    try {
        child.emplace(bp::exe = argv[0], bp::args = std::vector<std::string>(argv.begin() + 1, argv.end()),
                      bp::std_in < bp::null, (bp::std_out & bp::std_err) > output, io,
                      bp::on_exit = [&](int code, const std::error_code&) {
                          exited = true;
                          result.exitCode = code;
                      },
                      bp::extend::on_exec_setup([](auto&) { ::setpgid(0, 0); }));
    } catch (const std::system_error& e) {
        result.output = std::string("cannot start ") + argv[0] + ": " + e.what();
        return result;
    }
    result.started = true;
    io.run_for(timeout);
    if (!exited) {
        result.timedOut = true;
        ::kill(-child->id(), SIGKILL);
        io.restart();
        io.run_for(kAfterKill);
    }
    // The group may have left something holding the output open: kill what is left of it.
    ::kill(-child->id(), SIGKILL);
    if (output.valid() && output.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        try {
            result.output = output.get().substr(0, kMostOutput);
        } catch (const std::exception&) {
            result.output.clear();
        }
    }
    if (!exited) child->detach();
    return result;
}

std::string describe(const RunResult& run, std::chrono::milliseconds timeout) {
    if (!run.started) return run.output;
    if (run.timedOut) return "timed out after " + std::to_string(timeout.count()) + " ms";
    const std::string last = lastLine(run.output);
    return "exit " + std::to_string(run.exitCode) + (last.empty() ? "" : ": " + last);
}

std::vector<ProcessInfo> findProcesses(const std::string& name) {
    std::vector<ProcessInfo> found;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
        const std::string pid = entry.path().filename().string();
        if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream commFile(entry.path() / "comm");
        std::string comm;
        if (!std::getline(commFile, comm) || comm != name.substr(0, 15)) continue;
        // /proc/PID/stat: "PID (COMM) STATE ...", COMM may hold spaces and parentheses.
        std::ifstream statFile(entry.path() / "stat");
        std::string stat;
        std::getline(statFile, stat);
        const std::size_t close = stat.rfind(')');
        const char state = (close != std::string::npos && close + 2 < stat.size()) ? stat[close + 2] : '?';
        ProcessInfo info{static_cast<pid_t>(std::stol(pid)), state, {}};
        std::ifstream cmdline(entry.path() / "cmdline");
        for (std::string argument; std::getline(cmdline, argument, '\0');) info.arguments.push_back(argument);
        found.push_back(std::move(info));
    }
    return found;
}

std::string livePids(const std::string& name, const std::function<bool(const ProcessInfo&)>& accept) {
    std::string pids;
    for (const ProcessInfo& process : findProcesses(name)) {
        if (process.state == 'Z' || (accept && !accept(process))) continue;
        pids += (pids.empty() ? "pid " : ", ") + std::to_string(process.pid);
        if (process.state == 'T') pids += " (stopped)";
    }
    return pids;
}

}  // namespace faxover::faxguest::agent
