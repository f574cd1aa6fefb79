// Libvirt domain XML read and edited through Poco's DOM.
//
// The document is the only state: every getter reads it, every edit changes it in place, so what
// toString() returns is the caller's document with exactly the requested edits, comments and
// unknown elements included. Only parsing and serialising can throw (Poco::Exception) and both
// are caught here; the edits below only create nodes of this document and insert or remove them
// among the children of their own parent, which Poco's DOM never rejects.
#include "faxover/hypervisor/DomainXml.h"

#include "XmlDocument.h"

#include <Poco/DOM/AutoPtr.h>
#include <Poco/DOM/DOMWriter.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/Text.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <utility>

namespace faxover::hv {

using Poco::AutoPtr;
using Poco::XML::Document;
using Poco::XML::Element;
using Poco::XML::Node;

struct DomainXml::Impl {
    AutoPtr<Document> document;

    Element& domain() const { return *document->documentElement(); }
    Element* devices() const { return domain().getChildElement("devices"); }
    Element& name() const { return *domain().getChildElement("name"); }  // parse() made sure it exists
};

namespace {

Error invalidXml(const std::string& message) {
    return Error{ErrorKind::InvalidArgument, "domain XML: " + message};
}

// ---- element helpers --------------------------------------------------------------------------

// Direct children only: libvirt nests elements of the same name at different depths (a hostdev's
// guest <address> next to the host <address> inside its <source>).
std::vector<Element*> childElements(const Element* parent, const std::string& tag) {
    std::vector<Element*> children;
    if (parent == nullptr) return children;
    for (Node* node = parent->firstChild(); node != nullptr; node = node->nextSibling()) {
        if (node->nodeType() == Node::ELEMENT_NODE && node->nodeName() == tag) {
            children.push_back(static_cast<Element*>(node));
        }
    }
    return children;
}

Element* firstChildElement(const Element* parent, const std::string& tag) {
    return parent == nullptr ? nullptr : parent->getChildElement(tag);
}

std::string attributeOf(const Element* element, const std::string& name) {
    return element == nullptr ? std::string{} : element->getAttribute(name);
}

// Libvirt fills in these attributes when they are left out; we must read them the same way.
std::string attributeOr(const Element& element, const std::string& name, const std::string& libvirtDefault) {
    return element.hasAttribute(name) ? element.getAttribute(name) : libvirtDefault;
}

AutoPtr<Element> newElement(Document& document, const std::string& tag,
                            std::initializer_list<std::pair<std::string, std::string>> attributes) {
    AutoPtr<Element> element = document.createElement(tag);
    for (const auto& [name, value] : attributes) element->setAttribute(name, value);
    return element;
}

void setText(Element& element, const std::string& text) {
    while (Node* child = element.firstChild()) element.removeChild(child);
    AutoPtr<Poco::XML::Text> content = element.ownerDocument()->createTextNode(text);
    element.appendChild(content);
}

bool isWhitespace(const Node& node) {
    if (node.nodeType() != Node::TEXT_NODE) return false;
    const std::string& text = node.nodeValue();
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// The whitespace text right before `node` is its indentation.
Node* indentationOf(const Node& node) {
    Node* previous = node.previousSibling();
    return previous != nullptr && isWhitespace(*previous) ? previous : nullptr;
}

Element* lastChildElement(const Element& parent) {
    for (Node* node = parent.lastChild(); node != nullptr; node = node->previousSibling()) {
        if (node->nodeType() == Node::ELEMENT_NODE) return static_cast<Element*>(node);
    }
    return nullptr;
}

// Inserts `element` after `anchor` on a line of its own, indented like `anchor`.
void insertAfter(Element& parent, Element& element, Node& anchor) {
    Node* next = anchor.nextSibling();
    if (const Node* indentation = indentationOf(anchor)) {
        AutoPtr<Poco::XML::Text> copy = parent.ownerDocument()->createTextNode(indentation->nodeValue());
        parent.insertBefore(copy, next);
    }
    parent.insertBefore(&element, next);
}

// A new child goes after the last one of its kind, or else after the last element: never between
// others, so the existing devices keep their order (and with it their guest addresses).
void placeChild(Element& parent, Element& child) {
    const auto sameKind = childElements(&parent, child.nodeName());
    Element* anchor = sameKind.empty() ? lastChildElement(parent) : sameKind.back();
    if (anchor == nullptr) {
        parent.appendChild(&child);
    } else {
        insertAfter(parent, child, *anchor);
    }
}

// Removes `element` together with its indentation, so no blank line is left behind.
void removeElement(Element& element) {
    Node* parent = element.parentNode();
    if (Node* indentation = indentationOf(element)) parent->removeChild(indentation);
    parent->removeChild(&element);
}

// ---- PCI addresses in domain XML --------------------------------------------------------------

// Libvirt reads these attributes with strtoul base 0: "0x03" is hex, "3" decimal, "010" octal.
std::optional<std::uint64_t> parseLibvirtNumber(std::string_view text) {
    int base = 10;
    if (text.starts_with("0x") || text.starts_with("0X")) {
        base = 16;
        text.remove_prefix(2);
    } else if (text.size() > 1 && text.front() == '0') {
        base = 8;
        text.remove_prefix(1);
    }
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

Result<std::uint64_t> addressField(const Element& address, const std::string& name) {
    if (!address.hasAttribute(name)) return 0;  // libvirt leaves a missing field at 0
    const auto value = parseLibvirtNumber(address.getAttribute(name));
    if (!value) return invalidXml("PCI address " + name + "='" + address.getAttribute(name) + "' is not a number");
    return *value;
}

Result<PciAddress> readPciAddress(const Element& address) {
    BOOST_OUTCOME_TRY(domain, addressField(address, "domain"));
    BOOST_OUTCOME_TRY(bus, addressField(address, "bus"));
    BOOST_OUTCOME_TRY(slot, addressField(address, "slot"));
    BOOST_OUTCOME_TRY(function, addressField(address, "function"));
    auto pciAddress = PciAddress::fromFields(domain, bus, slot, function);
    if (!pciAddress) return invalidXml("PCI address: " + pciAddress.error().message);
    return pciAddress;
}

std::string libvirtHex(unsigned value, int digits) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%0*x", digits, value);
    return text;
}

// As libvirt prints them: domain='0x0000' bus='0x03' slot='0x00' function='0x0'.
void writePciAddress(Element& address, const PciAddress& pciAddress) {
    address.setAttribute("domain", libvirtHex(pciAddress.domain, 4));
    address.setAttribute("bus", libvirtHex(pciAddress.bus, 2));
    address.setAttribute("slot", libvirtHex(pciAddress.slot, 2));
    address.setAttribute("function", libvirtHex(pciAddress.function, 1));
}

// ---- devices ----------------------------------------------------------------------------------

std::vector<Element*> pciHostdevElements(const Element* devices) {
    std::vector<Element*> pciHostdevs;
    for (Element* hostdev : childElements(devices, "hostdev")) {
        if (attributeOr(*hostdev, "mode", "subsystem") == "subsystem" && hostdev->getAttribute("type") == "pci") {
            pciHostdevs.push_back(hostdev);
        }
    }
    return pciHostdevs;
}

Element* hostSourceAddress(const Element& pciHostdev) {
    return firstChildElement(firstChildElement(&pciHostdev, "source"), "address");
}

// <interface type='hostdev'> whose <source><address> is PCI (libvirt writes type='pci' there).
std::vector<Element*> pciHostdevInterfaceElements(const Element* devices) {
    std::vector<Element*> interfaces;
    for (Element* candidate : childElements(devices, "interface")) {
        const Element* address = candidate->getAttribute("type") == "hostdev" ? hostSourceAddress(*candidate) : nullptr;
        if (address != nullptr && attributeOr(*address, "type", "pci") == "pci") interfaces.push_back(candidate);
    }
    return interfaces;
}

// Parse-time check, so that later reads of a PCI hostdev cannot fail.
Result<void> checkPciHostdevs(const Element* devices) {
    for (const Element* hostdev : pciHostdevElements(devices)) {
        const Element* address = hostSourceAddress(*hostdev);
        if (address == nullptr) return invalidXml("PCI hostdev without <source><address>");
        if (auto readable = readPciAddress(*address); !readable) return readable.error();
    }
    for (const Element* hostdevInterface : pciHostdevInterfaceElements(devices)) {
        if (auto readable = readPciAddress(*hostSourceAddress(*hostdevInterface)); !readable) return readable.error();
    }
    return ok();
}

// Parsed and checked already by parse(), so reading them again cannot fail.
PciHostdev readCheckedPciHostdev(const Element& hostdev) {
    return PciHostdev{readPciAddress(*hostSourceAddress(hostdev)).value(), hostdev.getAttribute("managed") == "yes"};
}

std::string diskSourcePath(const Element& disk, const std::string& type) {
    const Element* source = firstChildElement(&disk, "source");
    if (source == nullptr) return {};  // an empty cdrom drive
    if (type == "file") return source->getAttribute("file");
    if (type == "block") return source->getAttribute("dev");
    if (type == "dir") return source->getAttribute("dir");
    if (type == "network") return source->getAttribute("protocol") + ":" + source->getAttribute("name");
    if (type == "volume") return source->getAttribute("pool") + "/" + source->getAttribute("volume");
    return {};
}

DiskInfo readDisk(const Element& disk) {
    DiskInfo info;
    info.device = attributeOr(disk, "device", "disk");
    info.type = attributeOr(disk, "type", "file");
    info.sourcePath = diskSourcePath(disk, info.type);
    info.target = attributeOf(firstChildElement(&disk, "target"), "dev");
    info.readOnly = firstChildElement(&disk, "readonly") != nullptr;
    info.shareable = firstChildElement(&disk, "shareable") != nullptr;
    return info;
}

// Channels of any backend (unix, pty, spicevmc) count as long as the guest sees a virtio port.
Element* virtioTarget(const Element& channel) {
    Element* target = firstChildElement(&channel, "target");
    return target != nullptr && target->getAttribute("type") == "virtio" ? target : nullptr;
}

Element* findVirtioChannel(const Element* devices, const std::string& name) {
    for (Element* channel : childElements(devices, "channel")) {
        const Element* target = virtioTarget(*channel);
        if (target != nullptr && target->getAttribute("name") == name) return channel;
    }
    return nullptr;
}

Element* firstFileSerial(const Element* devices) {
    for (Element* serial : childElements(devices, "serial")) {
        if (serial->getAttribute("type") == "file") return serial;
    }
    return nullptr;
}

// Libvirt prints the first serial port a second time as <console><target type='serial'>; left
// with the old path it would describe a file the guest no longer writes.
Element* consoleMirroring(const Element* devices, const std::string& serialPath) {
    for (Element* console : childElements(devices, "console")) {
        if (console->getAttribute("type") == "file" &&
            attributeOf(firstChildElement(console, "target"), "type") == "serial" &&
            attributeOf(firstChildElement(console, "source"), "path") == serialPath) {
            return console;
        }
    }
    return nullptr;
}

// <devices> may be absent from a valid domain; a device added to it creates the element.
Element& devicesOf(Element& domain) {
    if (Element* devices = domain.getChildElement("devices")) return *devices;
    AutoPtr<Element> devices = domain.ownerDocument()->createElement("devices");
    placeChild(domain, *devices);
    return *devices;
}

Element& sourceOf(Element& device) {
    if (Element* source = device.getChildElement("source")) return *source;
    AutoPtr<Element> source = device.ownerDocument()->createElement("source");
    device.insertBefore(source, device.firstChild());
    return *source;
}

// libvirt's memory units (docs: formatdomain "Memory Allocation"): decimal for KB/MB/..., binary
// for k/KiB/M/MiB/...; KiB when no unit is given.
std::optional<std::uint64_t> bytesPerUnit(const std::string& unit) {
    static const std::map<std::string, std::uint64_t, std::less<>> units = {
        {"b", 1},          {"bytes", 1},      {"KB", 1000},         {"k", 1024},          {"KiB", 1024},
        {"MB", 1000000},   {"M", 1ull << 20}, {"MiB", 1ull << 20},  {"GB", 1000000000},   {"G", 1ull << 30},
        {"GiB", 1ull << 30}, {"TB", 1000000000000}, {"T", 1ull << 40}, {"TiB", 1ull << 40}};
    const auto found = units.find(unit.empty() ? "KiB" : unit);
    if (found == units.end()) return std::nullopt;
    return found->second;
}

// A whole decimal number filling all of `text`, or nullopt.
template <class Number>
std::optional<Number> wholeNumber(const std::string& text) {
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

Result<std::uint64_t> readMemoryKiB(const Element& domain) {
    const Element* memory = domain.getChildElement("memory");
    if (memory == nullptr) return std::uint64_t{0};
    const auto amount = wholeNumber<std::uint64_t>(memory->innerText());
    if (!amount) return invalidXml("<memory> is not a whole number: '" + memory->innerText() + "'");
    const auto perUnit = bytesPerUnit(memory->getAttribute("unit"));
    if (!perUnit) return invalidXml("<memory> has unknown unit '" + memory->getAttribute("unit") + "'");
    // libvirt refuses sizes that do not fit in 64 bits of bytes; so do we, rather than wrap.
    if (*amount > std::numeric_limits<std::uint64_t>::max() / *perUnit) {
        return invalidXml("<memory> " + memory->innerText() + " " + memory->getAttribute("unit") + " is too large");
    }
    return *amount * *perUnit / 1024;
}

// <vcpu> count; 1 when absent, as libvirt assumes.
Result<unsigned> readVcpus(const Element& domain) {
    const Element* vcpu = domain.getChildElement("vcpu");
    if (vcpu == nullptr) return 1u;
    const auto count = wholeNumber<unsigned>(vcpu->innerText());
    if (!count || *count == 0) return invalidXml("<vcpu> is not a positive whole number: '" + vcpu->innerText() + "'");
    return *count;
}

}  // namespace

// ---- DomainXml --------------------------------------------------------------------------------

DomainXml::DomainXml(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DomainXml::DomainXml(DomainXml&&) noexcept = default;
DomainXml& DomainXml::operator=(DomainXml&&) noexcept = default;
DomainXml::~DomainXml() = default;

Result<DomainXml> DomainXml::parse(std::string_view xml) {
    BOOST_OUTCOME_TRY(document, parseXmlDocument(xml, "domain XML"));
    const Element& root = *document->documentElement();
    if (root.nodeName() != "domain") return invalidXml("root element is <" + root.nodeName() + ">, not <domain>");
    if (root.getChildElement("name") == nullptr) return invalidXml("<domain> has no <name>");
    BOOST_OUTCOME_TRYV(checkPciHostdevs(root.getChildElement("devices")));
    BOOST_OUTCOME_TRYV(readMemoryKiB(root));
    BOOST_OUTCOME_TRYV(readVcpus(root));
    return DomainXml(std::make_unique<Impl>(Impl{std::move(document)}));
}

std::string DomainXml::toString() const {
    std::ostringstream text;
    try {
        // No declaration and no pretty-printing: the document's own whitespace is its layout.
        Poco::XML::DOMWriter writer;
        writer.writeNode(text, impl_->document);
    } catch (const Poco::Exception&) {
        // Poco's writer throws only for malformed event sequences (unbalanced elements, a second
        // root), which walking a parsed DOM cannot produce. Should it happen anyway, an empty
        // document makes the next libvirt call fail with a clear message instead of terminating
        // the daemon.
        return {};
    }
    return text.str();
}

std::string DomainXml::name() const {
    return impl_->name().innerText();
}

void DomainXml::setName(const std::string& name) {
    setText(impl_->name(), name);
}

std::string DomainXml::uuid() const {
    const Element* uuid = impl_->domain().getChildElement("uuid");
    return uuid == nullptr ? std::string{} : uuid->innerText();
}

void DomainXml::setUuid(const std::string& uuid) {
    Element& domain = impl_->domain();
    Element* element = domain.getChildElement("uuid");
    if (uuid.empty()) {
        // No <uuid> at all makes libvirt generate a fresh one, which is what a clone needs.
        if (element != nullptr) removeElement(*element);
        return;
    }
    if (element == nullptr) {
        AutoPtr<Element> created = impl_->document->createElement("uuid");
        insertAfter(domain, *created, impl_->name());  // where libvirt puts it
        element = created;
    }
    setText(*element, uuid);
}

std::string DomainXml::type() const {
    return impl_->domain().getAttribute("type");
}

std::uint64_t DomainXml::memoryKiB() const {
    // parse() already read it once, so it cannot fail here.
    return readMemoryKiB(impl_->domain()).value();
}

unsigned DomainXml::vcpus() const {
    return readVcpus(impl_->domain()).value();  // checked by parse()
}

// parse() rejected documents with an unreadable PCI hostdev and edits only write valid addresses,
// so the reads below cannot fail.
std::vector<PciHostdev> DomainXml::pciHostdevs() const {
    std::vector<PciHostdev> hostdevs;
    for (const Element* hostdev : pciHostdevElements(impl_->devices())) hostdevs.push_back(readCheckedPciHostdev(*hostdev));
    return hostdevs;
}

std::vector<PciHostdev> DomainXml::pciHostdevInterfaces() const {
    std::vector<PciHostdev> interfaces;
    for (const Element* hostdevInterface : pciHostdevInterfaceElements(impl_->devices())) {
        interfaces.push_back(readCheckedPciHostdev(*hostdevInterface));
    }
    return interfaces;
}

Result<void> DomainXml::rewritePciHostdevSource(const PciAddress& from, const PciAddress& to) {
    const auto checked = PciAddress::fromFields(to.domain, to.bus, to.slot, to.function);
    if (!checked) return Error{ErrorKind::InvalidArgument, "new PCI hostdev source: " + checked.error().message};
    const auto hostdevs = pciHostdevElements(impl_->devices());
    const auto matching = std::find_if(hostdevs.begin(), hostdevs.end(),
                                       [&](const Element* hostdev) { return readCheckedPciHostdev(*hostdev).source == from; });
    if (matching == hostdevs.end()) {
        return Error{ErrorKind::NoSuchDevice, "domain '" + name() + "' has no PCI hostdev " + from.toString()};
    }
    if (from == to) return ok();
    for (const PciHostdev& other : pciHostdevs()) {
        if (other.source == to) {
            return Error{ErrorKind::OperationInvalid,
                         "domain '" + name() + "' already has PCI hostdev " + to.toString() + ": libvirt refuses a second"};
        }
    }
    for (const PciHostdev& hostdevInterface : pciHostdevInterfaces()) {
        if (hostdevInterface.source == to) {
            return Error{ErrorKind::OperationInvalid, "domain '" + name() + "' already passes " + to.toString() +
                                                          " through as a hostdev interface: libvirt refuses a second"};
        }
    }
    writePciAddress(*hostSourceAddress(**matching), to);
    return ok();
}

std::vector<DiskInfo> DomainXml::disks() const {
    std::vector<DiskInfo> disks;
    for (const Element* disk : childElements(impl_->devices(), "disk")) disks.push_back(readDisk(*disk));
    return disks;
}

std::vector<VirtioChannel> DomainXml::virtioChannels() const {
    std::vector<VirtioChannel> channels;
    for (const Element* channel : childElements(impl_->devices(), "channel")) {
        if (const Element* target = virtioTarget(*channel)) {
            channels.push_back(
                VirtioChannel{target->getAttribute("name"), attributeOf(firstChildElement(channel, "source"), "path")});
        }
    }
    return channels;
}

Result<void> DomainXml::addVirtioChannel(const std::string& name, const std::string& socketPath) {
    if (name.empty()) return Error{ErrorKind::InvalidArgument, "virtio channel needs a name"};
    if (findVirtioChannel(impl_->devices(), name) != nullptr) {
        return Error{ErrorKind::OperationInvalid, "domain '" + this->name() + "' already has virtio channel '" + name + "'"};
    }
    Document& document = *impl_->document;
    AutoPtr<Element> channel = newElement(document, "channel", {{"type", "unix"}});
    // mode='bind' without a path lets libvirt choose the socket under its channel directory.
    AutoPtr<Element> source = newElement(document, "source", {{"mode", "bind"}});
    if (!socketPath.empty()) source->setAttribute("path", socketPath);
    AutoPtr<Element> target = newElement(document, "target", {{"type", "virtio"}, {"name", name}});
    channel->appendChild(source);
    channel->appendChild(target);
    placeChild(devicesOf(impl_->domain()), *channel);
    return ok();
}

Result<void> DomainXml::removeVirtioChannel(const std::string& name) {
    Element* channel = findVirtioChannel(impl_->devices(), name);
    if (channel == nullptr) {
        return Error{ErrorKind::NoSuchDevice, "domain '" + this->name() + "' has no virtio channel '" + name + "'"};
    }
    removeElement(*channel);
    return ok();
}

std::optional<Watchdog> DomainXml::watchdog() const {
    const Element* watchdog = firstChildElement(impl_->devices(), "watchdog");
    if (watchdog == nullptr) return std::nullopt;
    return Watchdog{watchdog->getAttribute("model"), attributeOr(*watchdog, "action", "reset")};
}

void DomainXml::setWatchdog(const Watchdog& watchdog) {
    Element& devices = devicesOf(impl_->domain());
    if (Element* existing = devices.getChildElement("watchdog")) {
        if (existing->getAttribute("model") != watchdog.model) {
            // The old model's bus address (PCI for i6300esb, ISA for ib700) does not fit the new
            // one; without it libvirt assigns a fitting address.
            if (Element* address = existing->getChildElement("address")) removeElement(*address);
        }
        existing->setAttribute("model", watchdog.model);
        existing->setAttribute("action", watchdog.action);
        return;
    }
    AutoPtr<Element> created =
        newElement(*impl_->document, "watchdog", {{"model", watchdog.model}, {"action", watchdog.action}});
    placeChild(devices, *created);
}

Result<void> DomainXml::removeWatchdog() {
    Element* watchdog = firstChildElement(impl_->devices(), "watchdog");
    if (watchdog == nullptr) return Error{ErrorKind::NoSuchDevice, "domain '" + name() + "' has no watchdog"};
    removeElement(*watchdog);
    return ok();
}

std::string DomainXml::serialFilePath() const {
    return attributeOf(firstChildElement(firstFileSerial(impl_->devices()), "source"), "path");
}

Result<void> DomainXml::setSerialFilePath(const std::string& path) {
    if (path.empty()) return Error{ErrorKind::InvalidArgument, "serial file path must not be empty"};
    Element* serial = firstFileSerial(impl_->devices());
    if (serial == nullptr) {
        return Error{ErrorKind::NoSuchDevice, "domain '" + name() + "' has no serial port of type file"};
    }
    Element& source = sourceOf(*serial);
    if (Element* console = consoleMirroring(impl_->devices(), source.getAttribute("path"))) {
        sourceOf(*console).setAttribute("path", path);
    }
    source.setAttribute("path", path);
    return ok();
}

}  // namespace faxover::hv
