#pragma once
// The real faxguest-agent binary run with a config for one test or benchmark; killed and reaped
// when this goes out of scope.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace faxover::faxguest::test {

class AgentProcess {
public:
    explicit AgentProcess(const std::string& config) {
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            ::execl(FAXGUEST_AGENT_BINARY, FAXGUEST_AGENT_BINARY, config.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
    }
    ~AgentProcess() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    AgentProcess(const AgentProcess&) = delete;
    AgentProcess& operator=(const AgentProcess&) = delete;

    pid_t pid() const { return pid_; }

    // SIGTERM, then its exit status (-1 when it did not exit normally).
    int stop() {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

private:
    pid_t pid_ = 0;
};

}  // namespace faxover::faxguest::test
