#pragma once
#include "faxover/hypervisor/Result.h"

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace faxover::hv {

// A PCI address as libvirt and lspci write it: DDDD:BB:SS.F (domain, bus, slot, function).
struct PciAddress {
    std::uint32_t domain = 0;
    std::uint8_t bus = 0;
    std::uint8_t slot = 0;
    std::uint8_t function = 0;

    // "0000:03:00.0"
    std::string toString() const;
    // libvirt's node device name: "pci_0000_03_00_0"
    std::string nodeDeviceName() const;
    // Accepts "0000:03:00.0" and "03:00.0" (domain 0); rejects anything else with InvalidArgument.
    static Result<PciAddress> parse(std::string_view text);
    // From fields read one by one (libvirt XML attributes, node device elements); InvalidArgument
    // when one is out of the PCI range: bus > 0xff, slot > 0x1f, function > 7.
    static Result<PciAddress> fromFields(std::uint64_t domain, std::uint64_t bus, std::uint64_t slot,
                                         std::uint64_t function);

    auto operator<=>(const PciAddress&) const = default;
};

}  // namespace faxover::hv
