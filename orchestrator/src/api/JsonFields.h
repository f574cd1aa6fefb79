#pragma once
// Typed reads from a parsed Poco JSON object. Each failure is InvalidArgument naming the field by
// its path from the document's root ("services[2].since"), so a client or a log says what to fix.
#include "faxover/hypervisor/Result.h"
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
hv::Result<Poco::JSON::Object::Ptr> parseJsonObject(std::string_view text, const char* document);
// The same for a document that is a JSON array (the licence lists).
hv::Result<Poco::JSON::Array::Ptr> parseJsonArray(std::string_view text, const char* document);

class JsonFields {
public:
    JsonFields(Poco::JSON::Object::Ptr object, std::string path);

    hv::Result<std::string> requiredString(const std::string& key) const;
    hv::Result<std::string> optionalString(const std::string& key) const;  // missing or null: ""
    hv::Result<bool> requiredBool(const std::string& key) const;
    hv::Result<std::optional<double>> optionalFraction(const std::string& key) const;  // 0..1
    // A JSON integer (not 3.0, not true) from `least` to `most`.
    hv::Result<std::int64_t> requiredInteger(const std::string& key, std::int64_t least, std::int64_t most) const;
    // The same, or nullopt when the field is missing or null.
    hv::Result<std::optional<std::int64_t>> optionalInteger(const std::string& key, std::int64_t least,
                                                            std::int64_t most) const;
    hv::Result<std::vector<std::string>> requiredStringList(const std::string& key) const;
    hv::Result<WallTime> requiredTime(const std::string& key) const;
    hv::Result<Poco::JSON::Object::Ptr> requiredObject(const std::string& key) const;
    hv::Result<Poco::JSON::Array::Ptr> requiredArray(const std::string& key) const;

    // The element at `index` of the array field `key`, as an object.
    hv::Result<JsonFields> element(const Poco::JSON::Array& array, const std::string& key, std::size_t index) const;
    // The element at `index` of an array found at `path` ("licences" for a top-level one), as an object.
    static hv::Result<JsonFields> at(const Poco::JSON::Array& array, const std::string& path, std::size_t index);

    std::string pathOf(const std::string& key) const;

private:
    hv::Error invalid(const std::string& key, const std::string& problem) const;

    Poco::JSON::Object::Ptr object_;
    std::string path_;
};

}  // namespace faxover::orchestrator::api
