#pragma once
// Pieces every JSON document of the API is written and read with: ordered objects, stringifying,
// reading lists, and a last guard that turns anything Poco throws into BadRequest.
#include "JsonFields.h"
#include "faxover/orchestrator/api/Json.h"

#include <Poco/Exception.h>

#include <sstream>
#include <string>
#include <vector>

namespace faxover::orchestrator::api {

// Keys in the order they are set, so documents read like docs/cli.md shows them.
inline Poco::JSON::Object::Ptr orderedObject() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

template <class Document>
std::string stringify(const Document& document, JsonStyle style = JsonStyle::Compact) {
    std::ostringstream text;
    document->stringify(text, style == JsonStyle::Indented ? 2 : 0);
    return text.str();
}

// A list of views as a JSON array of the objects `toObject` makes of them.
template <class View, class ToObject>
std::string arrayJson(const std::vector<View>& views, ToObject toObject, JsonStyle style) {
    if (views.empty()) return "[]";  // Poco indents an empty array over three lines
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& view : views) array->add(toObject(view));
    return stringify(array, style);
}

// Reads every element of `array` with `read`; elements are named path[index] in errors.
template <class T, class Read>
Result<std::vector<T>> readList(const Poco::JSON::Array& array, const std::string& path, Read read) {
    std::vector<T> values;
    for (std::size_t index = 0; index < array.size(); ++index) {
        BOOST_OUTCOME_TRY(element, JsonFields::at(array, path, index));
        BOOST_OUTCOME_TRY(value, read(element));
        values.push_back(std::move(value));
    }
    return values;
}

// Reads every element of the array field `key` with `read`.
template <class T, class Read>
Result<std::vector<T>> listFrom(const JsonFields& fields, const std::string& key, Read read) {
    BOOST_OUTCOME_TRY(array, fields.requiredArray(key));
    return readList<T>(*array, fields.pathOf(key), read);
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
