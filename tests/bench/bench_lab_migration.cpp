// Lab start-up time and live-migration figures for the Linux lab guest, over several rounds.
//   bench_lab_migration [LAB_STARTS] [MIGRATIONS]     defaults: 3 lab starts, 10 migrations
#include "LabHarness.h"
#include "faxover/hypervisor/LibvirtHypervisor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace faxover;
using Clock = std::chrono::steady_clock;

namespace {

struct Series {
    const char* name;
    const char* unit;
    std::vector<double> values;
    void print() const {
        if (values.empty()) return;
        auto sorted = values;
        std::sort(sorted.begin(), sorted.end());
        std::printf("%-28s n=%-3zu min %8.2f  median %8.2f  max %8.2f %s\n", name, sorted.size(), sorted.front(),
                    sorted[sorted.size() / 2], sorted.back(), unit);
    }
};

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

bool consoleShowsHeartbeat(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str().find("faxlab-heartbeat") != std::string::npos;
}

template <class T>
T orThrow(hv::Result<T> result) {
    if (!result) throw std::runtime_error(result.error().message);
    return std::move(result).value();
}
void orThrow(hv::Result<void> result) {
    if (!result) throw std::runtime_error(result.error().message);
}

}  // namespace

int main(int argc, char** argv) {
    const int labStarts = argc > 1 ? std::stoi(argv[1]) : 3;
    const int migrations = argc > 2 ? std::stoi(argv[2]) : 10;
    Series labUp{"lab up (2 hosts)", "s", {}};
    Series boot{"guest boot to heartbeat", "s", {}};
    Series total{"migration total time", "ms", {}};
    Series downtime{"migration downtime (QEMU)", "ms", {}};
    Series transferred{"migration data", "MiB", {}};
    try {
        lab::runLabScript({"down"});
        for (int round = 0; round < labStarts; ++round) {
            const auto start = Clock::now();
            lab::Lab lab = lab::Lab::start(2);
            labUp.values.push_back(secondsSince(start));
            if (round + 1 < labStarts) continue;  // the last lab stays up for the migrations

            hv::LibvirtHypervisor hypervisor;
            for (const auto& host : lab.hosts()) orThrow(hypervisor.addHost(host.config()));
            if (!hypervisor.waitUntilReachable(hv::Duration(15000))) throw std::runtime_error("hosts unreachable");
            const std::string guest = "bench-guest";
            orThrow(hypervisor.defineDomain(lab.host(0).name, lab::Lab::guestXml(lab::Guest::Linux, guest)));
            const auto bootStart = Clock::now();
            orThrow(hypervisor.startDomain(lab.host(0).name, guest));
            const std::string console = lab.consolePath(lab.host(0).name, guest);
            while (!consoleShowsHeartbeat(console)) {
                if (secondsSince(bootStart) > 60) throw std::runtime_error("guest did not boot");
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            boot.values.push_back(secondsSince(bootStart));

            for (int i = 0; i < migrations; ++i) {
                const std::string& from = lab.host(i % 2).name;
                const std::string& to = lab.host((i + 1) % 2).name;
                const auto result = orThrow(hypervisor.migrateLive(from, to, guest, {}, {}));
                total.values.push_back(static_cast<double>(result.totalTime.count()));
                if (result.downtime) downtime.values.push_back(static_cast<double>(result.downtime->count()));
                transferred.values.push_back(static_cast<double>(result.dataTransferred) / (1024.0 * 1024.0));
            }
            const std::string& last = lab.host(migrations % 2).name;
            orThrow(hypervisor.destroyDomain(last, guest));
            orThrow(hypervisor.undefineDomain(last, guest));
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench_lab_migration: %s\n", error.what());
        return 1;
    }
    std::printf("Linux lab guest: 128 MiB, 1 vCPU, TCG; hosts in namespaces on one machine\n");
    for (const auto* series : {&labUp, &boot, &total, &downtime, &transferred}) series->print();
    return 0;
}
