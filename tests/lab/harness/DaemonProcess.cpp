#include "DaemonProcess.h"

#include <boost/process/extend.hpp>

#include <sys/prctl.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace faxover::lab {

namespace bp = boost::process;
using namespace std::chrono_literals;

namespace {
std::string readFile(const std::filesystem::path& path) {
    std::ifstream file(path);
    return std::string(std::istreambuf_iterator<char>(file), {});
}
}  // namespace

DaemonProcess::DaemonProcess(const Lab& lab, const std::string& domain, const std::string& serviceLines,
                             const std::string& sections) {
    // One directory per object: a bench runs several daemons, one after the other, in one process.
    static std::atomic<int> instances{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("faxover-lab-daemon-" + std::to_string(::getpid()) + "-" + std::to_string(++instances));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::ofstream policy(dir_ / "policy.yaml");
    policy << "version: 1\nhosts:\n";
    for (const auto& host : lab.hosts()) {
        policy << "  - name: " << host.name << "\n    uri: " << host.uri << "\n    migration_address: " << host.address
               << "\n    fence:\n      method: agent\n      command: " << Lab::fenceAgentPath()
               << "\n      timeout: 30s\n      parameters:\n        plug: " << host.name << "\n";
    }
    policy << "services:\n  - name: lab-fax\n    domain: " << domain << "\n" << serviceLines << sections;
    client_ = std::make_unique<orchestrator::api::ApiClient>(
        orchestrator::api::ApiEndpoint{orchestrator::api::ApiEndpoint::Transport::UnixSocket,
                                       (dir_ / "api.sock").string()});
}

DaemonProcess::~DaemonProcess() {
    if (child_ && child_->running()) kill9();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

void DaemonProcess::addArguments(const std::vector<std::string>& arguments) {
    extraArguments_.insert(extraArguments_.end(), arguments.begin(), arguments.end());
}

void DaemonProcess::start() {
    ++starts_;  // each run logs to its own files: a restart must not erase what the killed one said
    std::vector<std::string> arguments{"daemon", "--policy", (dir_ / "policy.yaml").string(), "--store",
                                       (dir_ / "faxover.db").string(), "--api", "unix:" + (dir_ / "api.sock").string()};
    arguments.insert(arguments.end(), extraArguments_.begin(), extraArguments_.end());
    child_ = std::make_unique<bp::child>(
        bp::exe = FAXOVER_BINARY, bp::args = arguments,
        bp::std_out > (dir_ / ("daemon-" + std::to_string(starts_) + ".log")).string(),
        bp::std_err > (dir_ / ("daemon-" + std::to_string(starts_) + ".err")).string(), bp::std_in < bp::null,
        // A test killed by its timeout (SIGKILL) runs no destructor: its daemon must not live on,
        // fencing the shared lab's hosts under the next test.
        bp::extend::on_exec_setup = [](auto&) { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (client_->status()) return;
        if (!child_->running()) break;
        std::this_thread::sleep_for(100ms);
    }
    throw std::runtime_error("faxover daemon did not come up:\n" + log());
}

void DaemonProcess::kill9() {
    ::kill(child_->id(), SIGKILL);
    child_->wait();
}

void DaemonProcess::terminate() {
    ::kill(child_->id(), SIGTERM);
    child_->wait();
}

CommandOutput DaemonProcess::runSecondOnSameStore(std::chrono::seconds limit) {
    const auto out = dir_ / "second.log";
    const auto err = dir_ / "second.err";
    bp::child second(bp::exe = FAXOVER_BINARY,
                     bp::args = {"daemon", "--policy", (dir_ / "policy.yaml").string(), "--store",
                                 (dir_ / "faxover.db").string(), "--api", "unix:" + (dir_ / "second.sock").string()},
                     bp::std_out > out.string(), bp::std_err > err.string(), bp::std_in < bp::null,
                     bp::extend::on_exec_setup = [](auto&) { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    CommandOutput result;
    if (second.wait_for(limit)) {
        result.exitCode = second.exit_code();
    } else {
        ::kill(second.id(), SIGKILL);
        second.wait();
        result.exitCode = -1;
    }
    result.out = readFile(out);
    result.err = readFile(err);
    return result;
}

int DaemonProcess::pid() const { return child_ ? child_->id() : 0; }

std::string DaemonProcess::serviceState() {
    auto status = client_->status();
    return status && !status.value().services.empty() ? status.value().services.front().state : "";
}

std::string DaemonProcess::serviceHost() {
    auto status = client_->status();
    return status && !status.value().services.empty() ? status.value().services.front().host : "";
}

std::string DaemonProcess::log() const {
    std::ostringstream text;
    for (int run = 1; run <= starts_; ++run) {
        for (const char* kind : {".log", ".err"}) {
            const std::string name = "daemon-" + std::to_string(run) + kind;
            // Not `text << file.rdbuf()`: an empty file sets failbit on `text` and hides the rest.
            text << "---- " << name << "\n" << readFile(dir_ / name);
        }
    }
    return text.str();
}

std::string DaemonProcess::currentLog() const {
    return starts_ == 0 ? "" : readFile(dir_ / ("daemon-" + std::to_string(starts_) + ".log"));
}

}  // namespace faxover::lab
