#include "LabHarness.h"

#include "faxover/hypervisor/DomainXml.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/process.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace faxover::lab {
namespace bp = boost::process;

std::string Lab::scriptPath() { return FAXOVER_LAB_SCRIPT; }

std::string Lab::fenceAgentPath() {
    return (std::filesystem::path(FAXOVER_LAB_SCRIPT).parent_path() / "fence_faxlab").string();
}

CommandOutput runProgram(const std::string& program, const std::vector<std::string>& arguments,
                         const std::string& input) {
    boost::asio::io_context io;
    std::future<std::string> out;
    std::future<std::string> err;
    auto run = [&](auto&& standardInput) {
        bp::child child(bp::exe = program, bp::args = arguments, std::forward<decltype(standardInput)>(standardInput),
                        bp::std_out > out, bp::std_err > err, bp::env["FAXLAB_RELAY"] = FAXOVER_LAB_RELAY,
                        bp::env["FAXLAB_REAPER"] = FAXOVER_LAB_REAPER,
                        bp::env["FAXLAB_HOOK"] = FAXOVER_LAB_HOOK, bp::env["FAXLAB_AGENT"] = FAXOVER_LAB_AGENT, io);
        io.run();
        child.wait();
        return CommandOutput{child.exit_code(), out.get(), err.get()};
    };
    // No input: stdin closed from the start, nothing written (a program that never reads it cannot
    // make our write fail).
    if (input.empty()) return run(bp::std_in.close());
    return run(bp::std_in < boost::asio::buffer(input));
}

CommandOutput runLabScript(const std::vector<std::string>& arguments) {
    return runProgram(Lab::scriptPath(), arguments);
}

namespace {

std::string joined(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
    return text;
}

std::string runOrThrow(const std::vector<std::string>& arguments) {
    const CommandOutput result = runLabScript(arguments);
    if (result.exitCode != 0) {
        throw std::runtime_error("faxover-lab " + joined(arguments) + " failed (exit " +
                                 std::to_string(result.exitCode) + "): " + result.err);
    }
    return result.out;
}

// Lines "HOST name uri address", as `up` and `hosts` print them.
std::vector<LabHost> parseHosts(const std::string& output) {
    std::vector<LabHost> hosts;
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::string tag;
        LabHost host;
        if (words >> tag >> host.name >> host.uri >> host.address && tag == "HOST") hosts.push_back(host);
    }
    if (hosts.empty()) throw std::runtime_error("faxover-lab listed no hosts:\n" + output);
    return hosts;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

template <class T>
T valueOrThrow(hv::Result<T> result) {
    if (!result) throw std::runtime_error(result.error().message);
    return std::move(result).value();
}

}  // namespace

Lab Lab::start(unsigned hostCount) {
    return Lab(parseHosts(runOrThrow({"up", std::to_string(hostCount)})), true);
}

Lab Lab::attach() {
    // An earlier test killed by its timeout runs no destructor: its hosts may still be off, cut or
    // relayed. Put the lab back as `up` left it, or build it again, and say which.
    const CommandOutput repaired = runLabScript({"repair"});
    if (repaired.exitCode == 0) {
        if (!repaired.out.empty()) std::cerr << "lab: repaired what an earlier test left:\n" << repaired.out;
        return Lab(parseHosts(runOrThrow({"hosts"})), false, repaired.out);
    }
    if (repaired.exitCode != kLabBeyondRepair) {
        throw std::runtime_error("faxover-lab repair failed (exit " + std::to_string(repaired.exitCode) +
                                 "): " + repaired.err);
    }
    const CommandOutput listed = runLabScript({"hosts"});
    const std::size_t count = listed.exitCode == 0 ? parseHosts(listed.out).size() : kSharedLabHosts;
    const std::string rebuilt = "lab: rebuilding the shared lab with " + std::to_string(count) + " hosts: " + repaired.err;
    std::cerr << rebuilt;
    runOrThrow({"down"});
    return Lab(parseHosts(runOrThrow({"up", std::to_string(count)})), false, rebuilt);
}

Lab::Lab(Lab&& other) noexcept
    : hosts_(std::move(other.hosts_)), owned_(std::exchange(other.owned_, false)), repairs_(std::move(other.repairs_)) {}

Lab::~Lab() {
    if (owned_) runLabScript({"down"});
}

void Lab::powerOff(const std::string& host) const { runOrThrow({"poweroff", host}); }
void Lab::powerOn(const std::string& host) const { runOrThrow({"poweron", host}); }
void Lab::crashLibvirtd(const std::string& host) const { runOrThrow({"crash-libvirtd", host}); }
void Lab::stopLibvirtd(const std::string& host) const { runOrThrow({"stop-libvirtd", host}); }
void Lab::startLibvirtd(const std::string& host) const { runOrThrow({"start-libvirtd", host}); }
void Lab::cutNetwork(const std::string& host) const { runOrThrow({"cut", host}); }
void Lab::healNetwork(const std::string& host) const { runOrThrow({"heal", host}); }
void Lab::cutOrchestrator() const { runOrThrow({"cut-orchestrator"}); }
void Lab::healOrchestrator() const { runOrThrow({"heal-orchestrator"}); }
void Lab::degrade(const std::string& host, const std::string& rate) const { runOrThrow({"degrade", host, rate}); }
void Lab::undegrade(const std::string& host) const { runOrThrow({"undegrade", host}); }

std::string Lab::relay(const std::string& host, unsigned delayMs) const {
    const std::string output = runOrThrow({"relay", host, std::to_string(delayMs)});
    std::istringstream words(output);
    std::string tag;
    std::string name;
    std::string uri;
    if (!(words >> tag >> name >> uri) || tag != "RELAY" || name != host) {
        throw std::runtime_error("faxover-lab relay printed no RELAY line for " + host + ":\n" + output);
    }
    return uri;
}
void Lab::stall(const std::string& host) const { runOrThrow({"stall", host}); }
void Lab::unstall(const std::string& host) const { runOrThrow({"unstall", host}); }
void Lab::unrelay(const std::string& host) const { runOrThrow({"unrelay", host}); }

// Read from /proc here rather than through `faxover-lab qemu-pids`: samplers ask for every host
// every 100 ms, and three script runs per sample fall far behind on a busy machine. A QEMU of
// `host` is a qemu-system process in the host's network namespace (the lab's netns file).
std::vector<int> Lab::qemuPids(const std::string& host) const {
    struct stat hostNamespace {};
    const std::string netns = "/run/netns/faxlab-" + host;
    if (::stat(netns.c_str(), &hostNamespace) != 0) throw std::runtime_error("no lab host " + host + " (" + netns + ")");
    std::vector<int> pids;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream comm(entry.path() / "comm");
        std::string command;
        if (!std::getline(comm, command) || !command.starts_with("qemu-system")) continue;
        struct stat processNamespace {};
        if (::stat((entry.path() / "ns/net").c_str(), &processNamespace) != 0) continue;  // it just ended
        if (processNamespace.st_dev == hostNamespace.st_dev && processNamespace.st_ino == hostNamespace.st_ino)
            pids.push_back(std::stoi(name));
    }
    std::sort(pids.begin(), pids.end());
    return pids;
}

std::string Lab::consolePath(const std::string& host, const std::string& domain) const {
    std::string path = runOrThrow({"console", host, domain});
    while (!path.empty() && (path.back() == '\n' || path.back() == ' ')) path.pop_back();
    return path;
}

std::string Lab::hostPath(const std::string& host, const std::string& path) const {
    std::string mapped = runOrThrow({"host-path", host, path});
    while (!mapped.empty() && mapped.back() == '\n') mapped.pop_back();
    return mapped;
}

std::string Lab::guestXml(Guest guest, const std::string& name) {
    const std::string file = guest == Guest::Linux ? "linux.xml" : "diskless.xml";
    auto xml = valueOrThrow(hv::DomainXml::parse(readFile(std::string(FAXOVER_LAB_GUESTS_DIR) + "/" + file)));
    xml.setName(name);
    if (!xml.serialFilePath().empty()) {
        valueOrThrow(xml.setSerialFilePath("/var/lib/libvirt/qemu/" + name + ".console"));
    }
    return xml.toString();
}

}  // namespace faxover::lab
