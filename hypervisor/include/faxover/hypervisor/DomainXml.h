#pragma once
// Libvirt domain XML read and edited through a DOM (Poco::XML), never by string splicing.
#include "faxover/hypervisor/PciAddress.h"
#include "faxover/hypervisor/Result.h"
#include "faxover/hypervisor/Types.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faxover::hv {

struct PciHostdev {
    PciAddress source;
    bool managed = false;  // libvirt binds it to vfio at start and back at stop
};

struct DiskInfo {
    std::string device;      // disk, cdrom, floppy, lun
    std::string type;        // file, block, network, volume
    std::string sourcePath;  // file or dev; for network disks the protocol:name
    std::string target;      // vda, sda, ...
    bool readOnly = false;
    bool shareable = false;
};

struct VirtioChannel {
    std::string name;        // target name, e.g. org.faxover.agent.0
    std::string sourcePath;  // unix socket path on the host, empty when libvirt chooses it
};

struct Watchdog {
    std::string model;   // i6300esb, ib700, itco
    std::string action;  // reset, poweroff, shutdown, pause, none, dump, inject-nmi
};

class DomainXml {
public:
    // Parses a <domain> document; InvalidArgument with the parser's line:column otherwise.
    static Result<DomainXml> parse(std::string_view xml);

    DomainXml(DomainXml&&) noexcept;
    DomainXml& operator=(DomainXml&&) noexcept;
    ~DomainXml();

    std::string toString() const;

    std::string name() const;
    void setName(const std::string& name);
    std::string uuid() const;  // "" when absent
    void setUuid(const std::string& uuid);
    std::string type() const;  // kvm, qemu, ...
    // <memory> in KiB, whatever unit the XML uses (parse() rejected unknown units); 0 when absent.
    std::uint64_t memoryKiB() const;
    // <vcpu> count; 1 when absent, as libvirt assumes.
    unsigned vcpus() const;

    // The <hostdev mode='subsystem' type='pci'> devices: where a fax board is. An SR-IOV VF given
    // as <interface type='hostdev'> is not among them (pciHostdevInterfaces()): a fax board is
    // never a network interface, and a NIC's VF must never be mistaken for one and moved.
    std::vector<PciHostdev> pciHostdevs() const;
    // The <interface type='hostdev'> devices (SR-IOV VFs) with a PCI source. They block live
    // migration like any PCI hostdev, but Faxover never rewrites them.
    std::vector<PciHostdev> pciHostdevInterfaces() const;
    // Points the PCI hostdev whose source is `from` at `to`, changing nothing else (its guest-side
    // <address>, driver, rom, alias stay). NoSuchDevice when no PCI hostdev has source `from`;
    // OperationInvalid when another PCI hostdev or hostdev interface already has source `to`
    // (libvirt refuses that definition: "Hostdev already exists in the domain configuration").
    Result<void> rewritePciHostdevSource(const PciAddress& from, const PciAddress& to);

    std::vector<DiskInfo> disks() const;

    std::vector<VirtioChannel> virtioChannels() const;
    // Adds <channel type='unix'> with a virtio target; OperationInvalid when the name exists.
    Result<void> addVirtioChannel(const std::string& name, const std::string& socketPath = {});
    Result<void> removeVirtioChannel(const std::string& name);

    std::optional<Watchdog> watchdog() const;
    // Adds or replaces the (single) watchdog device.
    void setWatchdog(const Watchdog& watchdog);
    Result<void> removeWatchdog();

    // Source path of the first <serial type='file'>, "" when none; and its setter.
    std::string serialFilePath() const;
    Result<void> setSerialFilePath(const std::string& path);

private:
    struct Impl;
    explicit DomainXml(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// A <device> document from virNodeDeviceGetXMLDesc with a pci capability.
Result<PciDevice> parsePciNodeDevice(std::string_view xml);

// Why this domain cannot be live-migrated, from its XML and state. Disks whose source path starts
// with one of `sharedStoragePrefixes` (or are network/shareable/read-only) count as shared.
Migratability assessMigratability(const DomainXml& domain, DomainState state,
                                  const std::vector<std::string>& sharedStoragePrefixes);

}  // namespace faxover::hv
