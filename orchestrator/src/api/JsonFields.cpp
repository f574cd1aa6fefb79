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

// Parses `text` as a JSON object or array (Ptr says which). Poco reports a bare scalar ("42",
// "null") as "Attempt to set value on an empty stack"; say what is wrong in the reader's terms.
template <class Ptr>
Result<Ptr> parseJsonAs(std::string_view text, const char* document, const char* expected) {
    const auto wrongShape = [&] {
        return Error{ErrorKind::BadRequest, std::string(document) + ": expected " + expected};
    };
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text[first] != '{' && text[first] != '[') return wrongShape();
    try {
        Poco::JSON::Parser parser;
        parser.setDepth(kMaxJsonDepth);
        const Poco::Dynamic::Var root = parser.parse(std::string(text));
        if (root.type() != typeid(Ptr)) return wrongShape();
        return root.extract<Ptr>();
    } catch (const Poco::Exception& error) {
        return Error{ErrorKind::BadRequest,
                         std::string(document) + ": malformed JSON: " + error.displayText()};
    } catch (const std::exception& error) {
        return Error{ErrorKind::BadRequest, std::string(document) + ": malformed JSON: " + error.what()};
    }
}

}  // namespace

Result<Poco::JSON::Object::Ptr> parseJsonObject(std::string_view text, const char* document) {
    return parseJsonAs<Poco::JSON::Object::Ptr>(text, document, "a JSON object");
}

Result<Poco::JSON::Array::Ptr> parseJsonArray(std::string_view text, const char* document) {
    return parseJsonAs<Poco::JSON::Array::Ptr>(text, document, "a JSON array");
}

JsonFields::JsonFields(Poco::JSON::Object::Ptr object, std::string path) : object_(std::move(object)), path_(std::move(path)) {}

std::string JsonFields::pathOf(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

Error JsonFields::invalid(const std::string& key, const std::string& problem) const {
    return Error{ErrorKind::BadRequest, pathOf(key) + ": " + problem};
}

Result<std::string> JsonFields::requiredString(const std::string& key) const {
    const Poco::Dynamic::Var value = object_->get(key);
    if (value.isEmpty()) return invalid(key, "missing (expected a string)");
    if (!value.isString()) return invalid(key, "expected a string");
    return value.extract<std::string>();
}

Result<std::string> JsonFields::optionalString(const std::string& key) const {
    if (object_->get(key).isEmpty()) return std::string{};
    return requiredString(key);
}

Result<bool> JsonFields::requiredBool(const std::string& key) const {
    const Poco::Dynamic::Var value = object_->get(key);
    if (value.isEmpty()) return invalid(key, "missing (expected true or false)");
    if (!value.isBoolean()) return invalid(key, "expected true or false");
    return value.extract<bool>();
}

Result<bool> JsonFields::optionalBool(const std::string& key) const {
    if (object_->get(key).isEmpty()) return false;
    return requiredBool(key);
}

Result<std::optional<double>> JsonFields::optionalFraction(const std::string& key) const {
    const Poco::Dynamic::Var value = object_->get(key);
    if (value.isEmpty()) return std::optional<double>{};
    if (value.isBoolean() || !value.isNumeric()) return invalid(key, "expected a number from 0 to 1");
    const double fraction = value.convert<double>();
    if (!std::isfinite(fraction) || fraction < 0.0 || fraction > 1.0) return invalid(key, "expected a number from 0 to 1");
    return std::optional<double>{fraction};
}

Result<std::int64_t> JsonFields::requiredInteger(const std::string& key, std::int64_t least,
                                                    std::int64_t most) const {
    const Poco::Dynamic::Var value = object_->get(key);
    const std::string range = "expected a whole number from " + std::to_string(least) + " to " + std::to_string(most);
    if (value.isEmpty()) return invalid(key, "missing (" + range + ")");
    if (value.isBoolean() || !value.isInteger()) return invalid(key, range);
    std::int64_t number = 0;
    try {
        number = value.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {
        return invalid(key, range);  // an unsigned 64-bit value past what int64 holds
    }
    if (number < least || number > most) return invalid(key, range);
    return number;
}

Result<std::optional<std::int64_t>> JsonFields::optionalInteger(const std::string& key, std::int64_t least,
                                                                    std::int64_t most) const {
    if (object_->get(key).isEmpty()) return std::optional<std::int64_t>{};
    BOOST_OUTCOME_TRY(number, requiredInteger(key, least, most));
    return std::optional<std::int64_t>{number};
}

Result<std::vector<std::string>> JsonFields::requiredStringList(const std::string& key) const {
    BOOST_OUTCOME_TRY(array, requiredArray(key));
    std::vector<std::string> strings;
    for (std::size_t index = 0; index < array->size(); ++index) {
        const Poco::Dynamic::Var value = array->get(static_cast<unsigned>(index));
        if (!value.isString()) return invalid(key + "[" + std::to_string(index) + "]", "expected a string");
        strings.push_back(value.extract<std::string>());
    }
    return strings;
}

Result<WallTime> JsonFields::requiredTime(const std::string& key) const {
    BOOST_OUTCOME_TRY(text, requiredString(key));
    auto time = parseIsoUtc(text);
    if (!time) return invalid(key, time.error().message);
    return time.value();
}

Result<std::optional<WallTime>> JsonFields::optionalTime(const std::string& key) const {
    if (object_->get(key).isEmpty()) return std::optional<WallTime>{};
    BOOST_OUTCOME_TRY(time, requiredTime(key));
    return std::optional<WallTime>{time};
}

Result<Poco::JSON::Object::Ptr> JsonFields::optionalObject(const std::string& key) const {
    if (object_->get(key).isEmpty()) return Poco::JSON::Object::Ptr{};
    return requiredObject(key);
}

Result<Poco::JSON::Object::Ptr> JsonFields::requiredObject(const std::string& key) const {
    const Poco::Dynamic::Var value = object_->get(key);
    if (value.isEmpty()) return invalid(key, "missing (expected an object)");
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) return invalid(key, "expected an object");
    return value.extract<Poco::JSON::Object::Ptr>();
}

Result<Poco::JSON::Array::Ptr> JsonFields::requiredArray(const std::string& key) const {
    const Poco::Dynamic::Var value = object_->get(key);
    if (value.isEmpty()) return invalid(key, "missing (expected an array)");
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) return invalid(key, "expected an array");
    return value.extract<Poco::JSON::Array::Ptr>();
}

Result<JsonFields> JsonFields::element(const Poco::JSON::Array& array, const std::string& key,
                                           std::size_t index) const {
    return at(array, pathOf(key), index);
}

Result<JsonFields> JsonFields::at(const Poco::JSON::Array& array, const std::string& path, std::size_t index) {
    const std::string indexed = path + "[" + std::to_string(index) + "]";
    const Poco::Dynamic::Var value = array.get(static_cast<unsigned>(index));
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
        return Error{ErrorKind::BadRequest, indexed + ": expected an object"};
    }
    return JsonFields(value.extract<Poco::JSON::Object::Ptr>(), indexed);
}

}  // namespace faxover::orchestrator::api
