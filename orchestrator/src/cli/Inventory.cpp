#include "faxover/orchestrator/Inventory.h"

#include <iomanip>
#include <sstream>

namespace faxover::orchestrator {

namespace {

std::string hex4(unsigned value) {
    std::ostringstream text;
    text << std::hex << std::setw(4) << std::setfill('0') << value;
    return text.str();
}

bool printHost(hv::Hypervisor& hypervisor, const std::string& host, std::ostream& out) {
    const auto status = hypervisor.hostStatus(host);
    out << "host " << host << ": ";
    if (!status || status.value().reachability != hv::Reachability::Reachable) {
        out << "UNREACHABLE (" << (status ? status.value().reason : status.error().message) << ")\n";
        return false;
    }
    const auto inventory = hypervisor.nodeInventory(host);
    if (!inventory) {
        out << "ERROR " << inventory.error().message << "\n";
        return false;
    }
    const auto& node = inventory.value();
    out << "reachable, hostname " << node.hostname << ", " << node.cpus << " CPUs, " << node.memoryKiB / 1024
        << " MiB memory (" << node.freeMemoryKiB / 1024 << " MiB free)\n";

    const auto domains = hypervisor.listDomains(host);
    if (!domains) {
        out << "  domains: ERROR " << domains.error().message << "\n";
        return false;
    }
    for (const auto& domain : domains.value()) {
        out << "  domain " << domain.name << " " << domain.uuid << " " << hv::toString(domain.state) << " ("
            << domain.reasonText << ")" << (domain.persistent ? "" : " transient");
        if (domain.active()) {
            const auto verdict = hypervisor.checkMigratable(host, domain.name);
            out << ", " << (!verdict ? verdict.error().message
                                     : verdict.value().possible() ? "live-migratable" : verdict.value().explain());
        }
        out << "\n";
    }
    const auto devices = hypervisor.pciDevices(host);
    if (!devices) {
        out << "  PCI: ERROR " << devices.error().message << "\n";
        return false;
    }
    for (const auto& device : devices.value()) {
        out << "  pci " << device.address.toString() << " " << hex4(device.vendorId) << ":" << hex4(device.productId)
            << " driver=" << (device.driver.empty() ? "(none)" : device.driver) << " " << device.vendorName << " "
            << device.productName << "\n";
    }
    return true;
}

}  // namespace

int printInventory(hv::Hypervisor& hypervisor, const std::vector<std::string>& hosts, std::ostream& out) {
    int failed = 0;
    for (const auto& host : hosts) failed += printHost(hypervisor, host, out) ? 0 : 1;
    return failed;
}

}  // namespace faxover::orchestrator
