// The README's first command: two real libvirt hosts on this machine, a real Linux guest booted
// on one and live-migrated to the other, with a progress bar and the measured times.
#include "DaemonProcess.h"
#include "LabHarness.h"
#include "faxover/hypervisor/LibvirtHypervisor.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

using namespace faxover;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kGuest = "faxover-demo";

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string readText(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Last "faxlab-heartbeat N" line the guest printed, or "" before it has printed one.
std::string lastHeartbeatLine(const std::string& consolePath) {
    const std::string text = readText(consolePath);
    const auto at = text.rfind("faxlab-heartbeat");
    if (at == std::string::npos) return {};
    return text.substr(at, text.find_first_of("\r\n", at) - at);
}

bool waitForHeartbeat(const std::string& consolePath, const std::string& notThisOne, double timeoutSeconds) {
    const auto start = Clock::now();
    while (secondsSince(start) < timeoutSeconds) {
        const std::string line = lastHeartbeatLine(consolePath);
        if (!line.empty() && line != notThisOne) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

void drawProgress(const hv::MigrationProgress& progress) {
    constexpr int width = 30;
    const double fraction = progress.fraction();
    const int filled = static_cast<int>(fraction * width);
    std::printf("\r  [%s%s] %5.1f%%  %6.1f MiB sent  %5.2f s", std::string(filled, '#').c_str(),
                std::string(width - filled, '.').c_str(), fraction * 100.0,
                static_cast<double>(progress.dataProcessed) / (1024.0 * 1024.0),
                static_cast<double>(progress.elapsed.count()) / 1000.0);
    std::fflush(stdout);
}

template <class T>
T orDie(hv::Result<T> result, const char* step) {
    if (!result) throw std::runtime_error(std::string(step) + ": " + result.error().message);
    return std::move(result).value();
}
void orDie(hv::Result<void> result, const char* step) {
    if (!result) throw std::runtime_error(std::string(step) + ": " + result.error().message);
}

// Act two: `faxover daemon` protects the guest; its host loses power; the daemon fences it (the
// lab's fence agent) and starts the guest on another host. Its log lines are shown as they come.
void protectWithDaemon(const lab::Lab& lab, const std::string& host) {
    std::cout << "\nStarting faxover daemon to protect " << kGuest << " (policy: 3 hosts, fence_faxlab) ...\n";
    lab::DaemonProcess daemon(lab, kGuest);
    daemon.start();
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (daemon.serviceState() != "ok" && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::cout << "  daemon reports " << kGuest << " " << daemon.serviceState() << " on " << daemon.serviceHost() << "\n";

    std::cout << "Powering " << host << " off (link down, every process killed) ...\n";
    const std::size_t shown = daemon.currentLog().size();
    const auto powerOff = Clock::now();
    lab.powerOff(host);
    std::size_t printed = shown;
    auto showNewLines = [&] {  // whole lines only: the daemon may be writing one
        const std::string log = daemon.currentLog();
        const auto end = log.rfind('\n');
        if (end == std::string::npos || end + 1 <= printed) return;
        std::istringstream lines(log.substr(printed, end + 1 - printed));
        for (std::string line; std::getline(lines, line);) std::cout << "  | " << line << "\n";
        printed = end + 1;
    };
    std::string now;
    while (secondsSince(powerOff) < 30) {
        showNewLines();
        if (daemon.serviceState() == "ok" && !(now = daemon.serviceHost()).empty() && now != host) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    showNewLines();
    if (now.empty() || now == host) throw std::runtime_error("the daemon did not recover the guest:\n" + daemon.log());
    std::printf("  %s runs on %s %.1f s after the power cut (fenced first: never two copies)\n", kGuest,
                now.c_str(), secondsSince(powerOff));
    const std::string console = lab.consolePath(now, kGuest);
    if (waitForHeartbeat(console, "", 60))
        std::printf("  the fax VM booted again on %s: %s\n", now.c_str(), lastHeartbeatLine(console).c_str());
    daemon.terminate();
    lab.powerOn(host);
}

int runDemo() {
    std::cout << "== Faxover lab demo: live migration, then the daemon failing a dead host over ==\n";
    lab::runLabScript({"down"});  // a lab left behind by an interrupted run is cleaned, never reused
    auto labStart = Clock::now();
    lab::Lab lab = lab::Lab::start(3);
    std::printf("Lab up in %.1f s:\n", secondsSince(labStart));
    for (const auto& host : lab.hosts()) std::cout << "  " << host.name << "  " << host.uri << "\n";

    hv::LibvirtHypervisor hypervisor;
    for (const auto& host : lab.hosts()) orDie(hypervisor.addHost(host.config()), "add host");
    if (!hypervisor.waitUntilReachable(hv::Duration(15000))) throw std::runtime_error("lab hosts not reachable");
    const std::string source = lab.host(0).name;
    const std::string destination = lab.host(1).name;

    std::cout << "Booting a Linux guest (TCG) on " << source << " ...\n";
    const auto bootStart = Clock::now();
    orDie(hypervisor.defineDomain(source, lab::Lab::guestXml(lab::Guest::Linux, kGuest)), "define guest");
    orDie(hypervisor.startDomain(source, kGuest), "start guest");
    const std::string sourceConsole = lab.consolePath(source, kGuest);
    if (!waitForHeartbeat(sourceConsole, "", 60)) throw std::runtime_error("guest did not boot; see " + sourceConsole);
    std::printf("  guest up in %.1f s, its console says: %s\n", secondsSince(bootStart),
                lastHeartbeatLine(sourceConsole).c_str());

    const auto verdict = orDie(hypervisor.checkMigratable(source, kGuest), "check migratability");
    std::cout << "Migratable: " << (verdict.possible() ? "yes" : verdict.explain()) << "\n";
    std::cout << "Live-migrating " << kGuest << " " << source << " -> " << destination << "\n";
    hv::MigrationOptions options;
    options.maxDowntime = hv::Duration(300);
    options.progressInterval = hv::Duration(100);
    const auto result = orDie(hypervisor.migrateLive(source, destination, kGuest, options, drawProgress), "migrate");
    std::printf("\n  total time %.2f s, downtime %s, %.1f MiB transferred\n",
                static_cast<double>(result.totalTime.count()) / 1000.0,
                result.downtime ? (std::to_string(result.downtime->count()) + " ms").c_str() : "not reported",
                static_cast<double>(result.dataTransferred) / (1024.0 * 1024.0));

    const auto onDestination = orDie(hypervisor.domainInfo(destination, kGuest), "read guest on destination");
    const auto onSource = hypervisor.domainInfo(source, kGuest);
    std::cout << "On " << destination << ": " << hv::toString(onDestination.state) << "; on " << source << ": "
              << (onSource ? hv::toString(onSource.value().state) : "gone") << "\n";
    const std::string destinationConsole = lab.consolePath(destination, kGuest);
    if (!waitForHeartbeat(destinationConsole, "", 10)) throw std::runtime_error("no heartbeat after migration");
    std::cout << "  the same guest keeps counting on " << destination << ": " << lastHeartbeatLine(destinationConsole)
              << "\n";

    protectWithDaemon(lab, destination);
    for (const auto& host : lab.hosts()) {
        (void)hypervisor.destroyDomain(host.name, kGuest);
        (void)hypervisor.undefineDomain(host.name, kGuest);
    }
    std::cout << "Tearing the lab down.\n";
    return 0;
}

}  // namespace

int main() {
    try {
        return runDemo();
    } catch (const std::exception& error) {
        std::cerr << "\ndemo failed: " << error.what() << "\n";
        return 1;
    }
}
