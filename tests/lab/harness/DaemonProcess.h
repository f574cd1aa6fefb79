#pragma once
// A real `faxover daemon` over the shared lab, for the end-to-end tests: its own policy (the lab's
// three hosts fenced by fence_faxlab, one protected guest), store and API socket in a temporary
// directory. Stopped (SIGKILL if need be) when the object goes, whatever the test did.
#include "LabHarness.h"
#include "faxover/orchestrator/api/ApiClient.h"

#include <boost/process.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

namespace faxover::labtest {

class DaemonProcess {
public:
    // Writes the policy protecting domain `domain` on the lab's hosts; does not start anything.
    DaemonProcess(const lab::Lab& lab, const std::string& domain);
    ~DaemonProcess();
    DaemonProcess(const DaemonProcess&) = delete;
    DaemonProcess& operator=(const DaemonProcess&) = delete;

    void start();      // and wait until its API answers
    void kill9();      // kill -9, as a crash would
    void terminate();  // SIGTERM and wait

    orchestrator::api::ApiClient& api() { return *client_; }
    // The service's state and host as the daemon reports them ("" when the API does not answer).
    std::string serviceState();
    std::string serviceHost();
    std::string log() const;  // everything it printed, for failure messages
    bool logContains(const std::string& text) const { return log().find(text) != std::string::npos; }

private:
    std::filesystem::path dir_;
    std::unique_ptr<boost::process::child> child_;
    std::unique_ptr<orchestrator::api::ApiClient> client_;
    int starts_ = 0;
};

}  // namespace faxover::labtest
