#include "OwnedProcesses.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

namespace faxover::orchestrator::process {
namespace {

std::string readWhole(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// NAME=value of a NUL-separated environment, "" when absent.
std::string variable(const std::string& environ, const std::string& name) {
    const std::string prefix = name + "=";
    std::istringstream entries(environ);
    for (std::string entry; std::getline(entries, entry, '\0');)
        if (entry.starts_with(prefix)) return entry.substr(prefix.size());
    return "";
}

bool exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

std::vector<OwnedProcess> findOwnedProcesses(const std::string& owner) {
    std::vector<OwnedProcess> found;
    if (owner.empty()) return found;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        const auto pid = static_cast<pid_t>(std::stol(name));
        if (pid == ::getpid()) continue;
        const std::string environ = readWhole(entry.path() / "environ");  // empty once it has exited
        if (variable(environ, kOwnerVariable) != owner) continue;
        std::string command = readWhole(entry.path() / "comm");
        if (!command.empty() && command.back() == '\n') command.pop_back();
        found.push_back({pid, ::getpgid(pid), command, variable(environ, kFenceHostVariable)});
    }
    return found;
}

std::vector<OwnedProcess> endOwnedProcesses(const std::string& owner, std::chrono::milliseconds patience) {
    const std::vector<OwnedProcess> found = findOwnedProcesses(owner);
    for (const auto& process : found) {
        // Its group holds whatever it started; never signal this daemon's own group.
        if (process.group > 1 && process.group != ::getpgrp()) ::kill(-process.group, SIGKILL);
        ::kill(process.pid, SIGKILL);
    }
    const auto deadline = std::chrono::steady_clock::now() + patience;
    for (const auto& process : found)
        while (exists(process.pid) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return found;
}

}  // namespace faxover::orchestrator::process
