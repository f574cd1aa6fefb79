#pragma once
// Typed reads from a parsed Poco JSON object. Each failure is BadRequest naming the field by
// its path from the document's root ("services[2].since"), so a client or a log says what to fix.
#include "faxover/orchestrator/Error.h"
#include "faxover/orchestrator/api/AdminApi.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faxover::orchestrator::api {

// Parses `text` as a JSON object; `document` names it in errors ("status", "command", ...).
Result<Poco::JSON::Object::Ptr> parseJsonObject(std::string_view text, const char* document);
// The same for a document that is a JSON array (the licence lists).
Result<Poco::JSON::Array::Ptr> parseJsonArray(std::string_view text, const char* document);

class JsonFields {
public:
    JsonFields(Poco::JSON::Object::Ptr object, std::string path);

    Result<std::string> requiredString(const std::string& key) const;
    Result<std::string> optionalString(const std::string& key) const;  // missing or null: ""
    Result<bool> requiredBool(const std::string& key) const;
    Result<bool> optionalBool(const std::string& key) const;  // missing or null: false
    Result<std::optional<double>> optionalFraction(const std::string& key) const;  // 0..1
    // A JSON integer (not 3.0, not true) from `least` to `most`.
    Result<std::int64_t> requiredInteger(const std::string& key, std::int64_t least, std::int64_t most) const;
    // The same, or nullopt when the field is missing or null.
    Result<std::optional<std::int64_t>> optionalInteger(const std::string& key, std::int64_t least,
                                                            std::int64_t most) const;
    Result<std::vector<std::string>> requiredStringList(const std::string& key) const;
    Result<WallTime> requiredTime(const std::string& key) const;
    Result<std::optional<WallTime>> optionalTime(const std::string& key) const;  // missing or null: nullopt
    Result<Poco::JSON::Object::Ptr> requiredObject(const std::string& key) const;
    Result<Poco::JSON::Object::Ptr> optionalObject(const std::string& key) const;  // missing or null: a null Ptr
    Result<Poco::JSON::Array::Ptr> requiredArray(const std::string& key) const;

    // The element at `index` of the array field `key`, as an object.
    Result<JsonFields> element(const Poco::JSON::Array& array, const std::string& key, std::size_t index) const;
    // The element at `index` of an array found at `path` ("licences" for a top-level one), as an object.
    static Result<JsonFields> at(const Poco::JSON::Array& array, const std::string& path, std::size_t index);

    std::string pathOf(const std::string& key) const;

private:
    Error invalid(const std::string& key, const std::string& problem) const;

    Poco::JSON::Object::Ptr object_;
    std::string path_;
};

}  // namespace faxover::orchestrator::api
