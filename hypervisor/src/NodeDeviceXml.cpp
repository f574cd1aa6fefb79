// Libvirt node device XML (virNodeDeviceGetXMLDesc) of a PCI device, read through Poco's DOM.
#include "faxover/hypervisor/DomainXml.h"

#include "XmlDocument.h"

#include <Poco/DOM/AutoPtr.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>

#include <charconv>

namespace faxover::hv {
namespace {

using Poco::AutoPtr;
using Poco::XML::Document;
using Poco::XML::Element;

Error invalidXml(const std::string& message) {
    return Error{ErrorKind::InvalidArgument, "node device XML: " + message};
}

std::string childText(const Element& parent, const std::string& tag) {
    const Element* child = parent.getChildElement(tag);
    return child == nullptr ? std::string{} : child->innerText();
}

const Element* pciCapability(const Element& device) {
    for (const Poco::XML::Node* node = device.firstChild(); node != nullptr; node = node->nextSibling()) {
        if (node->nodeType() == Poco::XML::Node::ELEMENT_NODE && node->nodeName() == "capability" &&
            static_cast<const Element*>(node)->getAttribute("type") == "pci") {
            return static_cast<const Element*>(node);
        }
    }
    return nullptr;
}

// Libvirt writes the address fields in decimal: <bus>3</bus>, <slot>31</slot>.
Result<std::uint64_t> decimalField(const Element& capability, const std::string& tag) {
    const std::string text = childText(capability, tag);
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 10);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
        return invalidXml("<" + tag + ">" + text + "</" + tag + "> is not a number");
    }
    return value;
}

Result<PciAddress> readAddress(const Element& capability) {
    BOOST_OUTCOME_TRY(domain, decimalField(capability, "domain"));
    BOOST_OUTCOME_TRY(bus, decimalField(capability, "bus"));
    BOOST_OUTCOME_TRY(slot, decimalField(capability, "slot"));
    BOOST_OUTCOME_TRY(function, decimalField(capability, "function"));
    auto address = PciAddress::fromFields(domain, bus, slot, function);
    if (!address) return invalidXml("PCI address: " + address.error().message);
    return address;
}

// <vendor id='0x8086'>: a 16-bit PCI ID in hex, the 0x optional as for libvirt's own parser.
Result<std::uint16_t> pciId(const Element& capability, const std::string& tag) {
    const Element* element = capability.getChildElement(tag);
    if (element == nullptr) return invalidXml("no <" + tag + "> in the pci capability");
    std::string_view text = element->getAttribute("id");
    if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
    std::uint16_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
        return invalidXml("<" + tag + " id='" + element->getAttribute("id") + "'> is not a 16-bit hex ID");
    }
    return value;
}

}  // namespace

Result<PciDevice> parsePciNodeDevice(std::string_view xml) {
    BOOST_OUTCOME_TRY(document, parseXmlDocument(xml, "node device XML"));
    const Element& device = *document->documentElement();
    if (device.nodeName() != "device") return invalidXml("root element is <" + device.nodeName() + ">, not <device>");
    const std::string name = childText(device, "name");
    const Element* capability = pciCapability(device);
    if (capability == nullptr) return invalidXml("'" + name + "' has no capability of type pci");

    PciDevice pci;
    pci.nodeDeviceName = name;
    BOOST_OUTCOME_TRY(address, readAddress(*capability));
    pci.address = address;
    BOOST_OUTCOME_TRY(vendorId, pciId(*capability, "vendor"));
    pci.vendorId = vendorId;
    BOOST_OUTCOME_TRY(productId, pciId(*capability, "product"));
    pci.productId = productId;
    // Names come from the host's pci.ids and are left out for IDs it does not know.
    pci.vendorName = childText(*capability, "vendor");
    pci.productName = childText(*capability, "product");
    if (const Element* driver = device.getChildElement("driver")) pci.driver = childText(*driver, "name");
    return pci;
}

}  // namespace faxover::hv
