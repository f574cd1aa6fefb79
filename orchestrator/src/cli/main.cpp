// faxover: the command-line entry point. Local commands (inventory, policy check) run here; the
// admin commands (status, migrate, failover, ...) go to the daemon through its local API.
#include "faxover/hypervisor/LibvirtHypervisor.h"
#include "faxover/orchestrator/AdminCli.h"
#include "faxover/orchestrator/Completion.h"
#include "faxover/orchestrator/Daemon.h"
#include "faxover/orchestrator/HostArgument.h"
#include "faxover/orchestrator/Inventory.h"
#include "faxover/orchestrator/PolicyCheck.h"
#include "faxover/orchestrator/api/ApiEndpoint.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr int kExitUsage = 2;

void printUsage(std::ostream& out) {
    out << "usage: faxover daemon --policy FILE [--store PATH] [--api ADDRESS [--insecure-tcp]] [--hook-listen ADDRESS:PORT]\n"
           "       faxover inventory HOST...\n"
           "       faxover policy check FILE...\n"
           "       faxover completion bash\n"
           "       faxover help COMMAND...   (the same as faxover COMMAND... --help)\n"
           "       faxover --version\n";
    faxover::orchestrator::printAdminUsage(out);
    out << "HOST is NAME=URI[@MIGRATION_ADDRESS], e.g. lab1=qemu+tcp://198.18.0.11/system@198.18.0.11\n"
           "inventory: connects to each host through libvirt and prints reachability, capacity,\n"
           "           domains (with whether each can live-migrate) and PCI devices.\n"
           "           exit status: 0 all hosts read, 1 some host unreachable or unreadable, 2 usage error\n"
           "policy check: validates policy files (docs/policy.md); 'faxover policy --help' for more.\n"
           "daemon: monitors the policy's hosts and recovers its services (docs/daemon.md); SIGHUP reloads.\n"
           "docs/cli.md describes every command.\n";
}

int runInventory(const std::vector<std::string>& arguments) {
    if (std::find(arguments.begin(), arguments.end(), "--help") != arguments.end() ||
        std::find(arguments.begin(), arguments.end(), "-h") != arguments.end()) {
        std::cout << "usage: faxover inventory HOST...\n"
                     "HOST is NAME=URI[@MIGRATION_ADDRESS], e.g. lab1=qemu+tcp://198.18.0.11/system@198.18.0.11\n"
                     "Connects to each host through libvirt and prints reachability, capacity, domains (with\n"
                     "whether each can live-migrate) and PCI devices.\n"
                     "Exit status: 0 all hosts read, 1 some host unreachable or unreadable, 2 usage error.\n";
        return 0;
    }
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

int runAdmin(const std::vector<std::string>& arguments) {
    const char* fromEnvironment = std::getenv("FAXOVER_API");
    const std::string defaultAddress = fromEnvironment != nullptr && *fromEnvironment != '\0'
                                           ? fromEnvironment
                                           : faxover::orchestrator::api::kDefaultApiAddress;
    faxover::orchestrator::CliConsole console{std::cin, std::cout, std::cerr, ::isatty(STDIN_FILENO) == 1,
                                              ::isatty(STDOUT_FILENO) == 1};
    return faxover::orchestrator::runAdminCli(arguments, defaultAddress, console);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> arguments(argv + 1, argv + argc);
    // `faxover help COMMAND...` is `faxover COMMAND... --help`.
    if (!arguments.empty() && arguments.front() == "help") {
        arguments.erase(arguments.begin());
        arguments.push_back("--help");
    }
    if (arguments.empty() || arguments.front() == "--help" || arguments.front() == "-h") {
        printUsage(arguments.empty() ? std::cerr : std::cout);
        return arguments.empty() ? kExitUsage : 0;
    }
    if (arguments.front() == "completion") return faxover::orchestrator::runCompletion({arguments.begin() + 1, arguments.end()});
    if (arguments.front() == "--version") {
        std::cout << "faxover 0.1.0\n";
        return 0;
    }
    if (arguments.front() == "inventory") return runInventory({arguments.begin() + 1, arguments.end()});
    if (arguments.front() == "policy") {
        return faxover::orchestrator::runPolicyCommand({arguments.begin() + 1, arguments.end()}, std::cout, std::cerr);
    }
    if (arguments.front() == "daemon") {
        return faxover::orchestrator::runDaemon({arguments.begin() + 1, arguments.end()}, std::cout, std::cerr);
    }
    // Admin options may come first too ("faxover --json status", "faxover --since 7d license audit").
    const bool adminOption = arguments.front() == "--json" || arguments.front().rfind("--api", 0) == 0 ||
                             arguments.front().rfind("--since", 0) == 0 || arguments.front().rfind("--format", 0) == 0;
    if (adminOption || faxover::orchestrator::isAdminCommand(arguments.front())) return runAdmin(arguments);
    std::cerr << "faxover: unknown command '" << arguments.front() << "'\n";
    printUsage(std::cerr);
    return kExitUsage;
}
