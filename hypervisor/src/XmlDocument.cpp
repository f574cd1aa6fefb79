#include "XmlDocument.h"

#include <Poco/DOM/DOMParser.h>
#include <Poco/Exception.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/XMLReader.h>

#include <string>

namespace faxover::hv {
namespace {

// Poco appends " in line L column C" to the parser's own words; our message puts the position first.
std::string parserWords(const Poco::XML::SAXParseException& error) {
    std::string words = error.message();
    const std::string position =
        " in line " + std::to_string(error.getLineNumber()) + " column " + std::to_string(error.getColumnNumber());
    if (words.ends_with(position)) words.resize(words.size() - position.size());
    return words;
}

}  // namespace

Result<Poco::AutoPtr<Poco::XML::Document>> parseXmlDocument(std::string_view xml, std::string_view what) {
    try {
        Poco::XML::DOMParser parser;
        // Extension namespaces (qemu:commandline, libosinfo metadata) must come back exactly as
        // written; without namespace processing prefixes and xmlns attributes stay plain text.
        parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, false);
        // The XML may come from a caller: an entity must never make us read a file or a URL.
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
        return Poco::AutoPtr<Poco::XML::Document>(parser.parseMemory(xml.data(), xml.size()));
    } catch (const Poco::XML::SAXParseException& error) {
        // Expat counts columns from 0; editors and xmllint count from 1.
        return Error{ErrorKind::InvalidArgument, std::string(what) + " line " + std::to_string(error.getLineNumber()) +
                                                     " column " + std::to_string(error.getColumnNumber() + 1) + ": " +
                                                     parserWords(error)};
    } catch (const Poco::Exception& error) {
        return Error{ErrorKind::InvalidArgument, std::string(what) + ": " + error.displayText()};
    }
}

}  // namespace faxover::hv
