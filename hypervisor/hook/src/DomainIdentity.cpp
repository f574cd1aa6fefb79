#include "faxover/hook/DomainIdentity.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/Exception.h>
#include <Poco/SAX/XMLReader.h>
#include <Poco/String.h>

#include <regex>

namespace faxover::hook {

bool isUuid(const std::string& text) {
    static const std::regex shape("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    return std::regex_match(text, shape);
}

Result<DomainIdentity> readDomainXml(const std::string& xml) {
    Poco::XML::DOMParser parser;
    // Only libvirt writes to our stdin, but the hook never fetches anything an XML document names.
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
    Poco::AutoPtr<Poco::XML::Document> document;
    try {
        document = parser.parseString(xml);
    } catch (const Poco::Exception& error) {
        return "the domain XML is not well-formed: " + error.displayText();
    }
    const Poco::XML::Element* root = document->documentElement();
    if (root == nullptr || root->localName() != "domain") return std::string("the XML is not a <domain> document");
    DomainIdentity identity;
    if (const auto* name = root->getChildElement("name")) identity.name = Poco::trim(name->innerText());
    const auto* uuid = root->getChildElement("uuid");
    if (uuid == nullptr) return std::string("the domain XML has no <uuid>");
    identity.uuid = Poco::toLower(Poco::trim(uuid->innerText()));
    if (!isUuid(identity.uuid)) return "the domain XML's <uuid> '" + identity.uuid + "' is not a UUID";
    return identity;
}

}  // namespace faxover::hook
