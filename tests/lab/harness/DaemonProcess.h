#pragma once
// A real `faxover daemon` over a lab, for the end-to-end tests and the benches: its own policy (the
// lab's hosts fenced by fence_faxlab, one protected guest), store and API socket in a temporary
// directory. Stopped (SIGKILL if need be) when the object goes, whatever the caller did. Failures
// throw std::runtime_error with the daemon's output in the message.
#include "LabHarness.h"
#include "faxover/orchestrator/api/ApiClient.h"

#include <boost/process.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace faxover::lab {

class DaemonProcess {
public:
    // The service's settings after its name and domain, as YAML lines indented by four spaces.
    static constexpr const char* kDefaultServiceLines = "    telephony: sr140\n    max_restart: 1\n    max_relocate: 2\n";

    // Writes the policy protecting domain `domain` (service `lab-fax`) on the lab's hosts, with
    // `sections` (top-level YAML, e.g. `licences:`) after the services; does not start anything.
    DaemonProcess(const Lab& lab, const std::string& domain, const std::string& serviceLines = kDefaultServiceLines,
                  const std::string& sections = "");
    ~DaemonProcess();
    DaemonProcess(const DaemonProcess&) = delete;
    DaemonProcess& operator=(const DaemonProcess&) = delete;

    // Arguments added to `faxover daemon ...` from the next start() on (e.g. --hook-listen ADDR:PORT).
    void addArguments(const std::vector<std::string>& arguments);
    void start();      // and wait until its API answers
    void kill9();      // kill -9, as a crash would
    void terminate();  // SIGTERM and wait

    int pid() const;  // of the running (or last started) daemon; 0 before start()
    // Starts a second `faxover daemon` on this one's policy and store (with an API socket of its own)
    // and returns how it ended; killed (exit code -1) if it still runs after `limit`.
    CommandOutput runSecondOnSameStore(std::chrono::seconds limit);
    orchestrator::api::ApiClient& api() { return *client_; }
    // The service's state and host as the daemon reports them ("" when the API does not answer).
    std::string serviceState();
    std::string serviceHost();
    std::string log() const;  // everything it printed, for failure messages
    // What the running (or last started) daemon wrote to stdout: its state-change log.
    std::string currentLog() const;
    bool logContains(const std::string& text) const { return log().find(text) != std::string::npos; }

private:
    std::filesystem::path dir_;
    std::vector<std::string> extraArguments_;
    std::unique_ptr<boost::process::child> child_;
    std::unique_ptr<orchestrator::api::ApiClient> client_;
    int starts_ = 0;
};

}  // namespace faxover::lab
