#include "AgentOptions.h"

#include "process/Redaction.h"

#include <Poco/String.h>

#include <boost/process/search_path.hpp>

#include <unistd.h>

#include <fstream>

namespace faxover::orchestrator::fence {
namespace {

hv::Error invalid(const std::string& host, std::string message) {
    return hv::Error{hv::ErrorKind::InvalidArgument, std::move(message), host};
}

bool hasLineBreak(const std::string& text) { return text.find_first_of("\r\n") != std::string::npos; }

}  // namespace

hv::Result<std::string> findAgentProgram(const policy::FenceLevel& level, const std::string& host) {
    std::string path = level.command;
    if (path.empty()) return invalid(host, "fence level for host " + host + " names no agent program");
    if (path.front() != '/') {
        path = boost::process::search_path(level.command).string();
        if (path.empty()) {
            return invalid(host, "fence agent " + level.command + " for host " + host + " not found in PATH");
        }
    }
    if (::access(path.c_str(), X_OK) != 0) {
        return invalid(host, "fence agent " + path + " for host " + host + " is missing or not executable");
    }
    return path;
}

hv::Result<std::string> agentInput(const policy::FenceLevel& level, const std::string& action,
                                   const std::string& host) {
    std::string input = "action=" + action + "\n";
    for (const auto& [name, value] : level.parameters) {
        if (hasLineBreak(name) || hasLineBreak(value)) {
            return invalid(host, "fence agent " + level.command + " for host " + host + ": option " + name +
                                     " holds a line break");
        }
        input += name + "=" + value + "\n";
    }
    if (!level.passwordFile.empty()) {
        std::ifstream file(level.passwordFile);
        std::string password;
        if (!file || !std::getline(file, password)) {
            return invalid(host, "fence agent " + level.command + " for host " + host + ": cannot read password file " +
                                     level.passwordFile);
        }
        if (!password.empty() && password.back() == '\r') password.pop_back();
        input += "password=" + password + "\n";
    }
    return input;
}

std::vector<std::string> agentSecrets(const policy::FenceLevel& level) {
    std::vector<std::string> secrets;
    if (!level.passwordFile.empty()) secrets = process::secretsInFile(level.passwordFile);
    for (const auto& [name, value] : level.parameters) {
        const std::string lower = Poco::toLower(name);
        for (const char* word : {"pass", "secret", "token", "key", "community"})
            if (lower.find(word) != std::string::npos) secrets.push_back(value);
    }
    return secrets;
}

}  // namespace faxover::orchestrator::fence
