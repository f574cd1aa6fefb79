#pragma once
// Pieces every JSON document of the API is written and read with: ordered objects, stringifying,
// and a last guard that turns anything Poco throws into BadRequest.
#include "JsonFields.h"
#include "faxover/orchestrator/api/Json.h"

#include <Poco/Exception.h>

#include <sstream>
#include <string>

namespace faxover::orchestrator::api {

// Keys in the order they are set, so documents read like docs/cli.md shows them.
inline Poco::JSON::Object::Ptr orderedObject() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

template <class Document>
std::string stringify(const Document& document, JsonStyle style = JsonStyle::Compact) {
    std::ostringstream text;
    document->stringify(text, style == JsonStyle::Indented ? 2 : 0);
    return text.str();
}

// Runs a document reader; anything Poco throws past the typed checks becomes BadRequest too.
template <class Read>
auto guarded(const char* document, Read read) -> decltype(read()) {
    try {
        return read();
    } catch (const Poco::Exception& error) {
        return Error{ErrorKind::BadRequest, std::string(document) + ": " + error.displayText()};
    } catch (const std::exception& error) {
        return Error{ErrorKind::BadRequest, std::string(document) + ": " + error.what()};
    }
}

}  // namespace faxover::orchestrator::api
