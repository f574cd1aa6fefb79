// Licensing end to end (issue #4): the real daemon is killed with -9 at random points of a
// failover, again and again (3 runs in `make test`, 20 in `make soak`), and restarted on its
// store; every run must end with exactly one QEMU process for the VM across the hosts and a ledger
// whose one holder is where it runs, with the licence applied there. Which host runs the VM is
// read from the hosts' QEMU processes.
#include "DaemonProcess.h"
#include "LabTestSupport.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

namespace faxover::labtest {

using lab::DaemonProcess;

namespace {


std::vector<std::string> hostsRunningQemu(const lab::Lab& lab) {
    std::vector<std::string> hosts;
    for (const auto& host : lab.hosts())
        if (!lab.qemuPids(host.name).empty()) hosts.push_back(host.name);
    return hosts;
}

// A licence apply step that records each activation, as a product's licensing tool would.
std::string writeApplyStep(const std::filesystem::path& dir) {
    const auto path = dir / "apply-licence";
    std::ofstream(path) << "#!/bin/sh\necho \"$FAXOVER_EVENT $FAXOVER_SERVICE $FAXOVER_HOST\" >> " << (dir / "applied").string()
                        << "\necho applied on $FAXOVER_HOST\n";
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path.string();
}

// The ledger as the daemon reports it: "" when it cannot say, else "HOST" or "HOST (not applied)",
// or "N holders" when there is not exactly one.
std::string ledgerHolder(DaemonProcess& daemon) {
    auto licences = daemon.api().licences();
    if (!licences || licences.value().size() != 1) return "";
    const auto& holders = licences.value().front().holders;
    if (holders.size() != 1) return std::to_string(holders.size()) + " holders";
    return holders.front().host + (holders.front().applied ? "" : " (not applied)");
}

bool hostHealthy(DaemonProcess& daemon, const std::string& name) {
    auto status = daemon.api().status();
    if (!status) return false;
    for (const auto& host : status.value().hosts)
        if (host.name == name) return host.health == "ok" && host.fence.empty();
    return false;
}

unsigned environmentNumber(const char* name, unsigned fallback) {
    const char* given = std::getenv(name);
    return given != nullptr ? static_cast<unsigned>(std::strtoul(given, nullptr, 10)) : fallback;
}

// Each run takes about 12 s: a few in every CI run keep the test honest, the soak runs 20.
unsigned runCount() { return environmentNumber("FAXOVER_LAB_LICENCE_RUNS", 3); }
unsigned labSeed() { return environmentNumber("FAXOVER_LAB_SEED", 20261122u); }

}  // namespace

TEST_CASE("licence: kill -9 at random points of failovers ends every run with one copy holding the seat", "[lab][daemon][licence]") {
    LabSession session;
    REQUIRE(session.lab.hosts().size() >= 3);
    const std::string domain = "labtest-licence-kill";
    auto guest = runGuest(session, session.hostName(0), lab::Guest::Diskless, domain);
    const auto stepDir = std::filesystem::temp_directory_path() / ("faxover-lab-licence-" + std::to_string(::getpid()));
    std::filesystem::create_directories(stepDir);
    OnExit removeStepDir([&] { std::filesystem::remove_all(stepDir); });
    const std::string sections = "licences:\n  - id: lab-lic\n    product: hylafax-enterprise\n"
                                 "    key_file: /etc/faxover/licences/lab.key\n    seats: 1\n    apply: {command: " +
                                 writeApplyStep(stepDir) + "}\n";
    // Hosts are restored before the guest guard removes the VM, and the daemon stops first.
    std::vector<std::string> poweredOff;
    OnExit restoreHosts([&] {
        for (const auto& host : poweredOff) {
            session.lab.powerOn(host);
            session.lab.startLibvirtd(host);
        }
    });
    DaemonProcess daemon(session.lab, domain,
                         std::string(DaemonProcess::kDefaultServiceLines) + "    licence: lab-lic\n", sections);
    daemon.start();
    REQUIRE(eventually([&] { return daemon.serviceState() == "ok" && ledgerHolder(daemon) == session.hostName(0); }, 15s));

    const unsigned seed = labSeed();
    const unsigned runs = runCount();
    REQUIRE(runs > 0);
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> killAfterMs(0, 6000);
    std::ostringstream summary;
    for (unsigned run = 1; run <= runs; ++run) {
        const std::string victim = daemon.serviceHost();
        REQUIRE(!victim.empty());
        const int delay = killAfterMs(random);
        const auto cut = std::chrono::steady_clock::now();
        session.lab.powerOff(victim);
        poweredOff.push_back(victim);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        daemon.kill9();
        daemon.start();
        const bool recovered = eventually([&] {
            const std::string host = daemon.serviceHost();
            return daemon.serviceState() == "ok" && !host.empty() && host != victim && ledgerHolder(daemon) == host;
        }, 60s);
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - cut);
        INFO("run " << run << " (seed " << seed << "): killed " << delay << " ms after the power cut of " << victim
                    << "\n" << daemon.log());
        REQUIRE(recovered);
        std::this_thread::sleep_for(1s);  // a second copy, if any, would be running by now
        const std::string host = daemon.serviceHost();
        CHECK(hostsRunningQemu(session.lab) == std::vector<std::string>{host});
        CHECK(ledgerHolder(daemon) == host);
        summary << "  run " << run << ": " << victim << " off, daemon killed at +" << delay << " ms, ok on " << host
                << " with its seat after " << took.count() << " ms\n";

        // The powered-off host comes back for the next runs (fenced hosts return in real life too).
        session.lab.powerOn(victim);
        session.lab.startLibvirtd(victim);
        std::erase(poweredOff, victim);
        REQUIRE(eventually([&] { return isReachable(*session.hypervisor, victim); }, 20s));
        REQUIRE(eventually([&] { return hostHealthy(daemon, victim); }, 20s));
    }
    std::ifstream applied(stepDir / "applied");
    const std::string activations((std::istreambuf_iterator<char>(applied)), std::istreambuf_iterator<char>());
    const auto count = std::count(activations.begin(), activations.end(), '\n');
    std::cout << "licence kill -9 test: " << runs << " runs (seed " << seed << "), one copy and one seat after each; "
              << count << " licence activations\n" << summary.str();
    CHECK(count >= static_cast<long>(runs));  // every failover applied the licence on its new host at least once
}

}  // namespace faxover::labtest
