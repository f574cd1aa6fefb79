#include "JsonFields.h"

#include "faxover/orchestrator/api/Json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <typeinfo>

namespace faxover::orchestrator::api {

namespace {

// Nesting deeper than any document here carries; the parser's limit keeps hostile input from
// recursing deep.
constexpr std::size_t kMaxJsonDepth = 16;

}  // namespace

hv::Result<Poco::JSON::Object::Ptr> parseJsonObject(std::string_view text, const char* document) {
    // Poco reports a bare scalar ("42", "null") as "Attempt to set value on an empty stack"; say
    // what is wrong in the reader's terms instead.
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] != '{' && text[first] != '[') {
        return hv::Error{hv::ErrorKind::InvalidArgument, std::string(document) + ": expected a JSON object"};
    }
    try {
        Poco::JSON::Parser parser;
        parser.setDepth(kMaxJsonDepth);
        const Poco::Dynamic::Var root = parser.parse(std::string(text));
        if (root.type() != typeid(Poco::JSON::Object::Ptr)) {
            return hv::Error{hv::ErrorKind::InvalidArgument, std::string(document) + ": expected a JSON object"};
        }
        return root.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& error) {
        return hv::Error{hv::ErrorKind::InvalidArgument,
                         std::string(document) + ": malformed JSON: " + error.displayText()};
    } catch (const std::exception& error) {
        return hv::Error{hv::ErrorKind::InvalidArgument, std::string(document) + ": malformed JSON: " + error.what()};
    }
}

JsonFields::JsonFields(Poco::JSON::Object::Ptr object, std::string path) : object_(std::move(object)), path_(std::move(path)) {}

std::string JsonFields::pathOf(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

hv::Error JsonFields::invalid(const std::string& key, const std::string& problem) const {
    return hv::Error{hv::ErrorKind::InvalidArgument, pathOf(key) + ": " + problem};
}

hv::Result<std::string> JsonFields::requiredString(const std::string& key) const {
    const Poco::Dynamic::Var value = object_->get(key);
    if (value.isEmpty()) return invalid(key, "missing (expected a string)");
    if (!value.isString()) return invalid(key, "expected a string");
    return value.extract<std::string>();
}

hv::Result<std::string> JsonFields::optionalString(const std::string& key) const {
    if (object_->get(key).isEmpty()) return std::string{};
    return requiredString(key);
}

hv::Result<bool> JsonFields::requiredBool(const std::string& key) const {
    const Poco::Dynamic::Var value = object_->get(key);
    if (value.isEmpty()) return invalid(key, "missing (expected true or false)");
    if (!value.isBoolean()) return invalid(key, "expected true or false");
    return value.extract<bool>();
}

hv::Result<std::optional<double>> JsonFields::optionalFraction(const std::string& key) const {
    const Poco::Dynamic::Var value = object_->get(key);
    if (value.isEmpty()) return std::optional<double>{};
    if (value.isBoolean() || !value.isNumeric()) return invalid(key, "expected a number from 0 to 1");
    const double fraction = value.convert<double>();
    if (!std::isfinite(fraction) || fraction < 0.0 || fraction > 1.0) return invalid(key, "expected a number from 0 to 1");
    return std::optional<double>{fraction};
}

hv::Result<WallTime> JsonFields::requiredTime(const std::string& key) const {
    BOOST_OUTCOME_TRY(text, requiredString(key));
    auto time = parseIsoUtc(text);
    if (!time) return invalid(key, time.error().message);
    return time.value();
}

hv::Result<Poco::JSON::Object::Ptr> JsonFields::requiredObject(const std::string& key) const {
    const Poco::Dynamic::Var value = object_->get(key);
    if (value.isEmpty()) return invalid(key, "missing (expected an object)");
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) return invalid(key, "expected an object");
    return value.extract<Poco::JSON::Object::Ptr>();
}

hv::Result<Poco::JSON::Array::Ptr> JsonFields::requiredArray(const std::string& key) const {
    const Poco::Dynamic::Var value = object_->get(key);
    if (value.isEmpty()) return invalid(key, "missing (expected an array)");
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) return invalid(key, "expected an array");
    return value.extract<Poco::JSON::Array::Ptr>();
}

hv::Result<JsonFields> JsonFields::element(const Poco::JSON::Array& array, const std::string& key,
                                           std::size_t index) const {
    const std::string indexed = key + "[" + std::to_string(index) + "]";
    const Poco::Dynamic::Var value = array.get(static_cast<unsigned>(index));
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) return invalid(indexed, "expected an object");
    return JsonFields(value.extract<Poco::JSON::Object::Ptr>(), pathOf(indexed));
}

}  // namespace faxover::orchestrator::api
