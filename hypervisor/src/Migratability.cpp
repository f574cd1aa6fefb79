// Whether libvirt could live-migrate a domain, decided from its XML before anyone asks libvirt.
#include "faxover/hypervisor/DomainXml.h"

#include <algorithm>
#include <filesystem>

namespace faxover::hv {
namespace {

using Kind = MigrationBlocker::Kind;

std::optional<MigrationBlocker> stateBlocker(DomainState state) {
    if (state == DomainState::Running) return std::nullopt;
    if (state == DomainState::Paused) return MigrationBlocker{Kind::Paused, "domain is paused"};
    return MigrationBlocker{Kind::NotRunning, std::string("domain is not running (") + toString(state) + ")"};
}

// Libvirt refuses to live-migrate a domain with a PCI hostdev: the device's state lives in
// hardware that QEMU cannot copy.
MigrationBlocker hostdevBlocker(const PciHostdev& hostdev) {
    return MigrationBlocker{Kind::PciHostdev, "PCI hostdev " + hostdev.source.toString() +
                                                  (hostdev.managed ? " (managed)" : " (unmanaged)")};
}

// An SR-IOV VF given as <interface type='hostdev'> is a PCI hostdev to libvirt, and refused
// the same way. (libvirt can migrate one inside a <teaming> failover pair by unplugging it first;
// Faxover does not use that, so it stays a blocker.)
MigrationBlocker hostdevInterfaceBlocker(const PciHostdev& hostdevInterface) {
    return MigrationBlocker{Kind::PciHostdev, "PCI hostdev " + hostdevInterface.source.toString() +
                                                  " (network interface, SR-IOV VF)"};
}

// Compared component by component after normalising, so that /srv/shared covers
// /srv/shared/vm.qcow2 but neither /srv/shared-local/vm.qcow2 nor /srv/shared/../local/vm.qcow2.
bool isUnder(const std::string& path, const std::string& directory) {
    // An empty entry in the configuration must not make every disk count as shared.
    if (directory.empty()) return false;
    const auto normalPath = std::filesystem::path(path).lexically_normal();
    auto normalDirectory = std::filesystem::path(directory).lexically_normal();
    if (!normalDirectory.has_filename()) normalDirectory = normalDirectory.parent_path();  // "/srv/shared/"
    const auto [directoryEnd, pathPosition] =
        std::mismatch(normalDirectory.begin(), normalDirectory.end(), normalPath.begin(), normalPath.end());
    return directoryEnd == normalDirectory.end();
}

// Storage only this host can reach: the destination would see a missing disk.
bool isLocal(const DiskInfo& disk, const std::vector<std::string>& sharedStoragePrefixes) {
    if (disk.type != "file" && disk.type != "block") return false;  // network disks are shared by nature
    if (disk.device != "disk" && disk.device != "lun") return false;
    if (disk.readOnly || disk.shareable) return false;
    return std::none_of(sharedStoragePrefixes.begin(), sharedStoragePrefixes.end(),
                        [&disk](const std::string& prefix) { return isUnder(disk.sourcePath, prefix); });
}

MigrationBlocker diskBlocker(const DiskInfo& disk) {
    return MigrationBlocker{Kind::LocalDisk, "local disk " + disk.target + " (" + disk.sourcePath + ")"};
}

}  // namespace

Migratability assessMigratability(const DomainXml& domain, DomainState state,
                                  const std::vector<std::string>& sharedStoragePrefixes) {
    Migratability migratability;
    if (auto blocker = stateBlocker(state)) migratability.blockers.push_back(*blocker);
    for (const PciHostdev& hostdev : domain.pciHostdevs()) migratability.blockers.push_back(hostdevBlocker(hostdev));
    for (const PciHostdev& hostdevInterface : domain.pciHostdevInterfaces()) {
        migratability.blockers.push_back(hostdevInterfaceBlocker(hostdevInterface));
    }
    for (const DiskInfo& disk : domain.disks()) {
        if (isLocal(disk, sharedStoragePrefixes)) migratability.blockers.push_back(diskBlocker(disk));
    }
    return migratability;
}

}  // namespace faxover::hv
