// ProcessFenceAgent against real agents: small shell scripts written for each test, following the
// fence-agents conventions (options on stdin, status exit 0 = ON, 2 = OFF, 1 = error).
#include "faxover/orchestrator/fence/ProcessFenceAgent.h"
#include "faxover/orchestrator/fence/SecretFiles.h"
#include "process/OwnedProcesses.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

using faxover::hv::ErrorKind;
using faxover::orchestrator::fence::ProcessFenceAgent;
using namespace faxover::policy;
using namespace std::chrono_literals;

namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& path) {
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// A temporary directory holding one agent script, fence_test, and what it records.
class AgentDir {
public:
    AgentDir() {
        std::string pattern = (fs::temp_directory_path() / "faxover-fence-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~AgentDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    AgentDir(const AgentDir&) = delete;
    AgentDir& operator=(const AgentDir&) = delete;

    // Writes fence_test: it records its argv, environment marker and stdin to `record`, then runs
    // `offBody` or `statusBody` (shell) for action=off / action=status.
    std::string writeAgent(const std::string& offBody, const std::string& statusBody) const {
        const fs::path agent = path_ / "fence_test";
        std::ofstream script(agent);
        script << "#!/bin/sh\n"
                  "input=$(cat)\n"
                  "action=$(printf '%s\\n' \"$input\" | sed -n 's/^action=//p')\n"
                  "{ printf 'argv=[%s]\\n' \"$*\"; printf 'env=[%s]\\n' \"$FAXLAB_ROOT\"; printf '%s\\n' \"$input\"; }"
                  " >> " << record() << "\n"
                  "case $action in\n"
                  "  off) " << offBody << " ;;\n"
                  "  status) " << statusBody << " ;;\n"
                  "esac\n"
                  "echo \"unexpected action $action\" >&2; exit 1\n";
        script.close();
        fs::permissions(agent, fs::perms::owner_all);
        return agent.string();
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    std::string record() const { return file("record"); }
    std::string directory() const { return path_.string(); }

private:
    fs::path path_{};
};

HostPolicy hostNamed(const std::string& name) {
    HostPolicy host;
    host.name = name;
    host.uri = "qemu+tcp://198.18.0.11/system";
    return host;
}

FenceLevel agentLevel(const std::string& command, std::chrono::milliseconds timeout = 5s) {
    FenceLevel level;
    level.method = FenceMethod::Agent;
    level.command = command;
    level.parameters = {{"ip", "10.0.1.11"}, {"plug", "lab1"}, {"username", "admin"}};
    level.timeout = timeout;
    return level;
}

constexpr const char* kOffSucceeds = "echo 'Success: Powered OFF'; exit 0";
constexpr const char* kStatusOff = "echo 'Status: OFF'; exit 2";

// Running and not a zombie: a killed agent whose parent has not reaped it yet is gone too.
bool isRunning(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    const auto afterName = line.rfind(')');
    return afterName != std::string::npos && line.size() > afterName + 2 && line[afterName + 2] != 'Z' &&
           line[afterName + 2] != 'X';
}

}  // namespace

TEST_CASE("fence agent: off, then status reporting OFF, is a confirmed fence", "[fence]") {
    AgentDir dir;
    ProcessFenceAgent agent;
    auto fenced = agent.powerOff(hostNamed("hv1"), agentLevel(dir.writeAgent(kOffSucceeds, kStatusOff)));
    REQUIRE(fenced);
    CHECK(fenced.value().evidence == "fence_test: off exit 0; status exit 2 (Status: OFF)");
    // Both actions ran, in order, with the level's options on stdin.
    CHECK(readFile(dir.record()) == "argv=[]\nenv=[]\naction=off\nip=10.0.1.11\nplug=lab1\nusername=admin\n"
                                    "argv=[]\nenv=[]\naction=status\nip=10.0.1.11\nplug=lab1\nusername=admin\n");
}

TEST_CASE("fence agent: the password arrives on stdin, never on the command line", "[fence]") {
    AgentDir dir;
    std::ofstream(dir.file("hv1.password")) << "s3cret pass\n";
    FenceLevel level = agentLevel(dir.writeAgent(kOffSucceeds, kStatusOff));
    level.passwordFile = dir.file("hv1.password");
    ProcessFenceAgent agent(std::map<std::string, std::string>{{"FAXLAB_ROOT", "/run/faxlab"}});
    REQUIRE(agent.powerOff(hostNamed("hv1"), level));
    const std::string record = readFile(dir.record());
    CHECK(record == "argv=[]\nenv=[/run/faxlab]\naction=off\nip=10.0.1.11\nplug=lab1\nusername=admin\n"
                    "password=s3cret pass\n"
                    "argv=[]\nenv=[/run/faxlab]\naction=status\nip=10.0.1.11\nplug=lab1\nusername=admin\n"
                    "password=s3cret pass\n");
}

TEST_CASE("fence agent: secrets it echoes never reach the message that is logged and audited", "[fence]") {
    AgentDir dir;
    std::ofstream(dir.file("hv1.password")) << "s3cret pass\n";
    // An IPMI tool echoing its command line, password and all, then failing.
    FenceLevel level = agentLevel(dir.writeAgent(
        "echo \"ipmitool -I lanplus -H 10.0.1.11 -U admin -P s3cret pass -k 0badc0de chassis power off\" >&2; exit 1",
        kStatusOff));
    level.passwordFile = dir.file("hv1.password");
    level.parameters.emplace("kg_key", "0badc0de");
    ProcessFenceAgent agent;
    auto fenced = agent.powerOff(hostNamed("hv1"), level);
    REQUIRE_FALSE(fenced);
    CHECK_THAT(fenced.error().message, Catch::EndsWith("-U admin -P [redacted] -k [redacted] chassis power off"));
    CHECK_THAT(fenced.error().message, !Catch::Contains("s3cret") && !Catch::Contains("0badc0de"));
}

TEST_CASE("fence agent: a failing off names program, host, action, status and the agent's words", "[fence]") {
    AgentDir dir;
    ProcessFenceAgent agent;
    auto fenced = agent.powerOff(hostNamed("hv1"),
                                 agentLevel(dir.writeAgent("echo 'connecting'; echo 'Failed: BMC unreachable' >&2; exit 1",
                                                           kStatusOff)));
    REQUIRE_FALSE(fenced);
    CHECK(fenced.error().kind == ErrorKind::OperationFailed);
    CHECK(fenced.error().host == "hv1");
    CHECK_THAT(fenced.error().message, Catch::Contains("fence_test") && Catch::Contains("host hv1") &&
                                           Catch::Contains("action=off") && Catch::Contains("status 1") &&
                                           Catch::EndsWith("Failed: BMC unreachable"));
    // No status query after a failed off.
    CHECK_THAT(readFile(dir.record()), !Catch::Contains("action=status"));
}

TEST_CASE("fence agent: status still reporting ON after off is a failure", "[fence]") {
    AgentDir dir;
    ProcessFenceAgent agent;
    auto fenced = agent.powerOff(hostNamed("hv2"), agentLevel(dir.writeAgent(kOffSucceeds, "echo 'Status: ON'; exit 0")));
    REQUIRE_FALSE(fenced);
    CHECK(fenced.error().kind == ErrorKind::OperationFailed);
    CHECK(fenced.error().message ==
          "fence agent " + dir.file("fence_test") +
              " on host hv2: action=status exited with status 0 (the host is still ON after off): Status: ON");
}

TEST_CASE("fence agent: a status error is a failure too", "[fence]") {
    AgentDir dir;
    ProcessFenceAgent agent;
    auto fenced = agent.powerOff(hostNamed("hv1"), agentLevel(dir.writeAgent(kOffSucceeds, "echo 'Failed: no answer'; exit 1")));
    REQUIRE_FALSE(fenced);
    CHECK(fenced.error().kind == ErrorKind::OperationFailed);
    CHECK_THAT(fenced.error().message, Catch::Contains("action=status exited with status 1 (expected 2, meaning OFF)"));
}

TEST_CASE("fence agent: an agent running past the timeout is killed with what it started", "[fence]") {
    AgentDir dir;
    const std::string pids = dir.file("pids");
    // The agent starts a helper (as real agents start ipmitool) and both hang.
    const std::string hang = "sleep 30 & echo $! > " + pids + "; echo $$ >> " + pids + "; echo 'Powering off...'; wait";
    ProcessFenceAgent agent;
    const auto started = std::chrono::steady_clock::now();
    auto fenced = agent.powerOff(hostNamed("hv1"), agentLevel(dir.writeAgent(hang, kStatusOff), 700ms));
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(fenced);
    CHECK(fenced.error().kind == ErrorKind::Timeout);
    CHECK_THAT(fenced.error().message, Catch::Contains("fence_test") && Catch::Contains("host hv1") &&
                                           Catch::Contains("action=off") && Catch::Contains("700ms") &&
                                           Catch::EndsWith("Powering off..."));
    CHECK(took >= 650ms);
    CHECK(took < 700ms + 1s);

    std::ifstream pidFile(pids);
    pid_t helper = 0, script = 0;
    REQUIRE(pidFile >> helper >> script);
    // SIGKILL is delivered at once but the helper, reparented, may take a moment to be reaped.
    for (int wait = 0; wait < 50 && (isRunning(helper) || isRunning(script)); ++wait) std::this_thread::sleep_for(10ms);
    CHECK_FALSE(isRunning(script));
    CHECK_FALSE(isRunning(helper));
}

TEST_CASE("fence agent: a program found neither in PATH nor at its path", "[fence]") {
    ProcessFenceAgent agent;
    auto byName = agent.powerOff(hostNamed("hv1"), agentLevel("fence_faxover_no_such_agent"));
    REQUIRE_FALSE(byName);
    CHECK(byName.error().kind == ErrorKind::InvalidArgument);
    CHECK(byName.error().message == "fence agent fence_faxover_no_such_agent for host hv1 not found in PATH");

    auto byPath = agent.powerOff(hostNamed("hv1"), agentLevel("/nonexistent/fence_x"));
    REQUIRE_FALSE(byPath);
    CHECK(byPath.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(byPath.error().message, Catch::Contains("/nonexistent/fence_x") && Catch::Contains("hv1"));
}

TEST_CASE("fence agent: a program name is looked up in PATH", "[fence]") {
    AgentDir dir;
    dir.writeAgent(kOffSucceeds, kStatusOff);
    const char* oldPath = std::getenv("PATH");
    const std::string saved = oldPath ? oldPath : "";
    ::setenv("PATH", (dir.directory() + ":" + saved).c_str(), 1);
    ProcessFenceAgent agent;
    auto fenced = agent.powerOff(hostNamed("hv1"), agentLevel("fence_test"));
    ::setenv("PATH", saved.c_str(), 1);
    REQUIRE(fenced);
    CHECK(fenced.value().evidence == "fence_test: off exit 0; status exit 2 (Status: OFF)");
}

TEST_CASE("fence agent: an unreadable password file stops before the agent runs", "[fence]") {
    AgentDir dir;
    FenceLevel level = agentLevel(dir.writeAgent(kOffSucceeds, kStatusOff));
    level.passwordFile = dir.file("missing.password");
    ProcessFenceAgent agent;
    auto fenced = agent.powerOff(hostNamed("hv1"), level);
    REQUIRE_FALSE(fenced);
    CHECK(fenced.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(fenced.error().message, Catch::Contains(dir.file("missing.password")) && Catch::Contains("hv1"));
    CHECK_FALSE(fs::exists(dir.record()));
}

TEST_CASE("fence agent: an option value with a line break is refused", "[fence]") {
    AgentDir dir;
    FenceLevel level = agentLevel(dir.writeAgent(kOffSucceeds, kStatusOff));
    level.parameters["plug"] = "lab1\naction=on";
    ProcessFenceAgent agent;
    auto fenced = agent.powerOff(hostNamed("hv1"), level);
    REQUIRE_FALSE(fenced);
    CHECK(fenced.error().kind == ErrorKind::InvalidArgument);
    CHECK_FALSE(fs::exists(dir.record()));
}

TEST_CASE("fence agent: the agent inherits no descriptor of the daemon", "[fence]") {
    // An agent that outlives a killed daemon must not keep its API socket or store open (found in
    // the lab: a restarted daemon saw its old socket still answering).
    AgentDir dir;
    constexpr int kDaemonDescriptor = 77;
    const int opened = ::open(dir.directory().c_str(), O_RDONLY);  // no O_CLOEXEC, like a Poco socket
    REQUIRE(opened >= 0);
    REQUIRE(::dup2(opened, kDaemonDescriptor) == kDaemonDescriptor);
    ::close(opened);
    const std::string listing = dir.file("fds");
    ProcessFenceAgent agent;
    auto fenced = agent.powerOff(hostNamed("hv1"),
                                 agentLevel(dir.writeAgent("ls /proc/$$/fd > " + listing + "; exit 0", kStatusOff)));
    ::close(kDaemonDescriptor);
    REQUIRE(fenced);
    std::istringstream descriptors(readFile(listing));
    std::vector<std::string> open;
    for (std::string descriptor; std::getline(descriptors, descriptor);) open.push_back(descriptor);
    INFO(readFile(listing));
    CHECK_FALSE(open.empty());
    CHECK(std::find(open.begin(), open.end(), std::to_string(kDaemonDescriptor)) == open.end());
}

TEST_CASE("fence agent: password and key files others may read are named in a warning", "[fence]") {
    AgentDir dir;
    const std::string open = dir.file("open.pw");
    const std::string closed = dir.file("closed.pw");
    const std::string key = dir.file("lic.key");
    for (const auto& path : {open, closed, key}) std::ofstream(path) << "secret\n";
    fs::permissions(open, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
    fs::permissions(closed, fs::perms::owner_read | fs::perms::owner_write);
    fs::permissions(key, fs::perms::owner_read | fs::perms::group_read);
    Policy policy;
    policy.hosts = {hostNamed("hv1"), hostNamed("hv2")};
    policy.hosts[0].fence = {agentLevel("fence_ipmilan")};
    policy.hosts[0].fence[0].passwordFile = open;
    policy.hosts[1].fence = {agentLevel("fence_ipmilan")};
    policy.hosts[1].fence[0].passwordFile = closed;
    policy.licences = {Licence{"lic", "datafax", key, 1}};
    CHECK(faxover::orchestrator::fence::secretFileWarnings(policy) ==
          std::vector<std::string>{"host hv1: fence password file " + open +
                                       " is readable by group and others (mode 0644); chmod 600 it",
                                   "licence lic: key file " + key + " is readable by group (mode 0440); chmod 600 it"});
}

TEST_CASE("fence agent: an agent and what it starts carry their owner, whose processes a restarted daemon ends", "[fence]") {
    // A daemon killed with -9 leaves its running agent behind (its own process group). Here the
    // agent runs on a thread instead of in a killed process; what is found and ended is the same.
    AgentDir dir;
    const std::string pids = dir.file("pids");
    const std::string owner = dir.file("faxover.db");
    const std::string hang = "sleep 30 & echo $! > " + pids + "; echo $$ >> " + pids + "; wait";
    ProcessFenceAgent agent({{faxover::orchestrator::process::kOwnerVariable, owner}});
    faxover::hv::Result<faxover::orchestrator::ports::FenceConfirmation> fenced = faxover::hv::Error{};
    std::thread running([&] { fenced = agent.powerOff(hostNamed("hv1"), agentLevel(dir.writeAgent(hang, kStatusOff), 20s)); });

    // Another daemon's agent (another store) must not be touched.
    AgentDir other;
    const std::string otherPid = other.file("pid");
    REQUIRE(std::system(("FAXOVER_OWNER=" + other.file("faxover.db") + " setsid sleep 30 >/dev/null 2>&1 & echo $! > " +
                         otherPid).c_str()) == 0);

    // Once both pids are written the script waits on its helper: before that, the short-lived
    // commands that read its input (`$(cat)`, `sed`) carry the owner too, and a loaded machine
    // would catch one of them alive.
    const auto pidLines = [&] {
        std::ifstream file(pids);
        pid_t first = 0, second = 0;
        return static_cast<bool>(file >> first >> second);
    };
    for (int wait = 0; wait < 1000 && !pidLines(); ++wait) std::this_thread::sleep_for(10ms);
    REQUIRE(pidLines());
    std::vector<faxover::orchestrator::process::OwnedProcess> found;
    for (int wait = 0; wait < 500 && found.size() != 2; ++wait) {
        found = faxover::orchestrator::process::findOwnedProcesses(owner);
        if (found.size() != 2) std::this_thread::sleep_for(10ms);
    }
    REQUIRE(found.size() == 2);  // the agent script and the helper it started
    for (const auto& process : found) CHECK(process.fenceHost == "hv1");

    const auto ended = faxover::orchestrator::process::endOwnedProcesses(owner, 5s);
    running.join();
    CHECK(ended.size() == 2);
    REQUIRE_FALSE(fenced);  // its agent was killed under it
    CHECK(faxover::orchestrator::process::findOwnedProcesses(owner).empty());
    std::ifstream pidFile(pids);
    pid_t helper = 0, script = 0;
    REQUIRE(pidFile >> helper >> script);
    for (int wait = 0; wait < 50 && (isRunning(helper) || isRunning(script)); ++wait) std::this_thread::sleep_for(10ms);
    CHECK_FALSE(isRunning(helper));
    CHECK_FALSE(isRunning(script));

    pid_t stranger = 0;
    REQUIRE((std::ifstream(otherPid) >> stranger));
    CHECK(isRunning(stranger));
    ::kill(stranger, SIGKILL);
}
