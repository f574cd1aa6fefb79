// How fast the hypervisor layer notices host faults in the lab, and reconnects after them.
//   bench_lab_detection [ROUNDS]     default 3
#include "LabHarness.h"
#include "faxover/hypervisor/LibvirtHypervisor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace faxover;
using Clock = std::chrono::steady_clock;

namespace {

bool reachable(hv::Hypervisor& hypervisor, const std::string& host) {
    auto status = hypervisor.hostStatus(host);
    return status && status.value().reachability == hv::Reachability::Reachable;
}

// Milliseconds from `fault` (the lab command injecting it) until `condition` holds, polled every
// 10 ms; throws after 30 s. Timed from before the command: power-off itself takes a second or two
// to reap the host's processes, and the layer may notice during that time.
double millisecondsUntil(const std::function<void()>& fault, const std::function<bool()>& condition) {
    const auto start = Clock::now();
    fault();
    while (!condition()) {
        if (Clock::now() - start > std::chrono::seconds(30)) throw std::runtime_error("condition not reached in 30 s");
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void print(const char* name, std::vector<double> values) {
    std::sort(values.begin(), values.end());
    std::printf("%-34s n=%-2zu min %7.0f  median %7.0f  max %7.0f ms\n", name, values.size(), values.front(),
                values[values.size() / 2], values.back());
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::stoi(argv[1]) : 3;
    std::vector<double> powerOff, libvirtdCrash, cut, healed, poweredOn;
    try {
        lab::runLabScript({"down"});
        lab::Lab lab = lab::Lab::start(2);
        hv::ConnectionSettings settings;  // the product's defaults: keepalive 1 s x 2, backoff 250 ms..4 s
        hv::LibvirtHypervisor hypervisor(settings);
        for (const auto& host : lab.hosts()) {
            if (!hypervisor.addHost(host.config())) throw std::runtime_error("add host");
        }
        if (!hypervisor.waitUntilReachable(hv::Duration(15000))) throw std::runtime_error("hosts unreachable");
        const std::string host = lab.host(1).name;
        const auto down = [&] { return !reachable(hypervisor, host); };
        const auto up = [&] { return reachable(hypervisor, host); };
        for (int round = 0; round < rounds; ++round) {
            powerOff.push_back(millisecondsUntil([&] { lab.powerOff(host); }, down));
            poweredOn.push_back(millisecondsUntil([&] { lab.powerOn(host); }, up));
            libvirtdCrash.push_back(millisecondsUntil([&] { lab.crashLibvirtd(host); }, down));
            millisecondsUntil([&] { lab.startLibvirtd(host); }, up);
            cut.push_back(millisecondsUntil([&] { lab.cutNetwork(host); }, down));
            healed.push_back(millisecondsUntil([&] { lab.healNetwork(host); }, up));
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench_lab_detection: %s\n", error.what());
        return 1;
    }
    std::printf("default ConnectionSettings: keepalive every 1 s, closed after 2 unanswered; reconnect 250 ms..4 s\n");
    print("power-off -> unreachable", powerOff);
    print("libvirtd crash -> unreachable", libvirtdCrash);
    print("network cut -> unreachable", cut);
    print("power-on -> reachable", poweredOn);
    print("network heal -> reachable", healed);
    return 0;
}
