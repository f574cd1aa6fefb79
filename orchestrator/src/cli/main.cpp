// faxover: the command-line entry point. Subcommands grow with the product (daemon, status,
// migrate, failover, ... arrive with issue #3).
#include "faxover/hypervisor/LibvirtHypervisor.h"
#include "faxover/orchestrator/HostArgument.h"
#include "faxover/orchestrator/Inventory.h"
#include "faxover/orchestrator/PolicyCheck.h"

#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr int kExitUsage = 2;

void printUsage(std::ostream& out) {
    out << "usage: faxover inventory HOST...\n"
           "       faxover policy check FILE...\n"
           "       faxover --version\n"
           "HOST is NAME=URI[@MIGRATION_ADDRESS], e.g. lab1=qemu+tcp://198.18.0.11/system@198.18.0.11\n"
           "inventory: connects to each host through libvirt and prints reachability, capacity,\n"
           "           domains (with whether each can live-migrate) and PCI devices.\n"
           "exit status: 0 all hosts read, 1 some host unreachable or unreadable, 2 usage error\n"
           "policy check: validates policy files (docs/policy.md); 'faxover policy --help' for more.\n";
}

int runInventory(const std::vector<std::string>& arguments) {
    if (arguments.empty()) {
        std::cerr << "faxover inventory: name at least one HOST\n";
        printUsage(std::cerr);
        return kExitUsage;
    }
    faxover::hv::LibvirtHypervisor hypervisor;
    std::vector<std::string> names;
    for (const auto& argument : arguments) {
        auto host = faxover::orchestrator::parseHostArgument(argument);
        if (!host) {
            std::cerr << "faxover inventory: " << host.error().message << "\n";
            return kExitUsage;
        }
        if (auto added = hypervisor.addHost(host.value()); !added) {
            std::cerr << "faxover inventory: " << added.error().message << "\n";
            return kExitUsage;
        }
        names.push_back(host.value().name);
    }
    hypervisor.waitUntilReachable(faxover::hv::Duration(10000));
    return faxover::orchestrator::printInventory(hypervisor, names, std::cout) == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> arguments(argv + 1, argv + argc);
    if (arguments.empty() || arguments.front() == "--help" || arguments.front() == "-h") {
        printUsage(arguments.empty() ? std::cerr : std::cout);
        return arguments.empty() ? kExitUsage : 0;
    }
    if (arguments.front() == "--version") {
        std::cout << "faxover 0.1.0\n";
        return 0;
    }
    if (arguments.front() == "inventory") return runInventory({arguments.begin() + 1, arguments.end()});
    if (arguments.front() == "policy") {
        return faxover::orchestrator::runPolicyCommand({arguments.begin() + 1, arguments.end()}, std::cout, std::cerr);
    }
    std::cerr << "faxover: unknown command '" << arguments.front() << "'\n";
    printUsage(std::cerr);
    return kExitUsage;
}
