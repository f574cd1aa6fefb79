// The README's first command: two real libvirt hosts on this machine, a real Linux guest booted
// on one and live-migrated to the other, with a progress bar and the measured times.
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

int runDemo() {
    std::cout << "== Faxover lab demo: live migration between two real libvirt hosts ==\n";
    lab::runLabScript({"down"});  // a lab left behind by an interrupted run is cleaned, never reused
    auto labStart = Clock::now();
    lab::Lab lab = lab::Lab::start(2);
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

    orDie(hypervisor.destroyDomain(destination, kGuest), "destroy guest");
    orDie(hypervisor.undefineDomain(destination, kGuest), "undefine guest");
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
