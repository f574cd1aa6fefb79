// What reading a host's PCI devices costs: the monitor does it every round when the policy has fax
// boards (docs/boards.md). Against a real lab libvirtd, which lists this machine's own PCI devices
// (read only: nothing is detached). Prints figures; asserts nothing.
//   bench_lab_pci_inventory [CALLS]     default 50
#include "LabHarness.h"
#include "faxover/hypervisor/LibvirtHypervisor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

using namespace faxover;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    const int calls = argc > 1 ? std::max(1, std::stoi(argv[1])) : 50;
    try {
        lab::runLabScript({"down"});
        lab::Lab lab = lab::Lab::start(1);
        hv::LibvirtHypervisor hypervisor(hv::ConnectionSettings{});
        if (!hypervisor.addHost(lab.host(0).config())) throw std::runtime_error("add host");
        if (!hypervisor.waitUntilReachable(hv::Duration(15000))) throw std::runtime_error("host unreachable");
        const std::string host = lab.host(0).name;
        std::vector<double> times;
        std::size_t devices = 0;
        for (int i = 0; i < calls; ++i) {
            const auto start = Clock::now();
            auto listed = hypervisor.pciDevices(host);
            times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
            if (!listed) throw std::runtime_error("pciDevices: " + listed.error().message);
            devices = listed.value().size();
        }
        std::sort(times.begin(), times.end());
        std::printf("pciDevices() over qemu+tcp: %zu PCI devices, n=%d  min %.2f  median %.2f  max %.2f ms\n", devices,
                    calls, times.front(), times[times.size() / 2], times.back());
    } catch (const std::exception& error) {  // the Lab's destructor has taken the lab down
        std::fprintf(stderr, "bench_lab_pci_inventory: %s\n", error.what());
        return 1;
    }
    return 0;
}
