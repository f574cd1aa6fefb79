// PCI addresses in the text forms libvirt, sysfs and lspci share, and the one place their field
// ranges are checked.
#include "faxover/hypervisor/PciAddress.h"

#include <charconv>
#include <cstdio>
#include <optional>
#include <utility>

namespace faxover::hv {
namespace {

constexpr std::uint64_t maxDomain = 0xffffffff;
constexpr std::uint64_t maxBus = 0xff;
constexpr std::uint64_t maxSlot = 0x1f;  // 32 devices per bus
constexpr std::uint64_t maxFunction = 7;

Error invalid(std::string message) {
    return Error{ErrorKind::InvalidArgument, std::move(message)};
}

// Exactly `minDigits`..`maxDigits` hex digits and nothing else: no sign, no 0x, no blanks.
std::optional<std::uint64_t> parseHexDigits(std::string_view digits, std::size_t minDigits, std::size_t maxDigits) {
    if (digits.size() < minDigits || digits.size() > maxDigits) return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, 16);
    if (error != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
    return value;
}

std::string hex(std::uint64_t value) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
    return text;
}

// The text split at its separators; fields are still unchecked text.
struct AddressFields {
    std::string_view domain = "0000";  // optional in the text: lspci leaves it out for domain 0
    std::string_view bus;
    std::string_view slot;
    std::string_view function;
};

std::optional<AddressFields> splitAddress(std::string_view text) {
    const auto dot = text.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    AddressFields fields;
    fields.function = text.substr(dot + 1);
    auto rest = text.substr(0, dot);

    const auto slotColon = rest.rfind(':');
    if (slotColon == std::string_view::npos) return std::nullopt;
    fields.slot = rest.substr(slotColon + 1);
    rest = rest.substr(0, slotColon);

    const auto busColon = rest.rfind(':');
    fields.bus = busColon == std::string_view::npos ? rest : rest.substr(busColon + 1);
    if (busColon != std::string_view::npos) fields.domain = rest.substr(0, busColon);
    return fields;
}

}  // namespace

std::string PciAddress::toString() const {
    char text[40];
    std::snprintf(text, sizeof text, "%04x:%02x:%02x.%x", static_cast<unsigned>(domain), static_cast<unsigned>(bus),
                  static_cast<unsigned>(slot), static_cast<unsigned>(function));
    return text;
}

std::string PciAddress::nodeDeviceName() const {
    char text[40];
    std::snprintf(text, sizeof text, "pci_%04x_%02x_%02x_%x", static_cast<unsigned>(domain), static_cast<unsigned>(bus),
                  static_cast<unsigned>(slot), static_cast<unsigned>(function));
    return text;
}

Result<PciAddress> PciAddress::parse(std::string_view text) {
    const auto rejection = [&text] {
        return invalid("PCI address '" + std::string(text) + "': expected DDDD:BB:SS.F in hex, e.g. 0000:03:00.0");
    };
    const auto fields = splitAddress(text);
    if (!fields) return rejection();
    // Domains wider than four digits exist (Intel VMD uses 10000 and up); the other fields have
    // the fixed widths sysfs and lspci print.
    const auto domain = parseHexDigits(fields->domain, 4, 8);
    const auto bus = parseHexDigits(fields->bus, 2, 2);
    const auto slot = parseHexDigits(fields->slot, 2, 2);
    const auto function = parseHexDigits(fields->function, 1, 1);
    if (!domain || !bus || !slot || !function) return rejection();

    auto address = fromFields(*domain, *bus, *slot, *function);
    if (!address) return invalid("PCI address '" + std::string(text) + "': " + address.error().message);
    return address;
}

Result<PciAddress> PciAddress::fromFields(std::uint64_t domain, std::uint64_t bus, std::uint64_t slot,
                                          std::uint64_t function) {
    if (domain > maxDomain) return invalid("domain " + hex(domain) + " is above " + hex(maxDomain));
    if (bus > maxBus) return invalid("bus " + hex(bus) + " is above " + hex(maxBus));
    if (slot > maxSlot) return invalid("slot " + hex(slot) + " is above " + hex(maxSlot));
    if (function > maxFunction) return invalid("function " + hex(function) + " is above " + hex(maxFunction));
    return PciAddress{static_cast<std::uint32_t>(domain), static_cast<std::uint8_t>(bus),
                      static_cast<std::uint8_t>(slot), static_cast<std::uint8_t>(function)};
}

}  // namespace faxover::hv
