#pragma once
// Typed reads from a parsed Poco JSON object. Each failure is InvalidArgument naming the field by
// its path from the document's root ("services[2].since"), so a client or a log says what to fix.
#include "faxover/hypervisor/Result.h"
#include "faxover/orchestrator/api/AdminApi.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <string_view>

namespace faxover::orchestrator::api {

// Parses `text` as a JSON object; `document` names it in errors ("status", "command", ...).
hv::Result<Poco::JSON::Object::Ptr> parseJsonObject(std::string_view text, const char* document);

class JsonFields {
public:
    JsonFields(Poco::JSON::Object::Ptr object, std::string path);

    hv::Result<std::string> requiredString(const std::string& key) const;
    hv::Result<std::string> optionalString(const std::string& key) const;  // missing or null: ""
    hv::Result<bool> requiredBool(const std::string& key) const;
    hv::Result<std::optional<double>> optionalFraction(const std::string& key) const;  // 0..1
    hv::Result<WallTime> requiredTime(const std::string& key) const;
    hv::Result<Poco::JSON::Object::Ptr> requiredObject(const std::string& key) const;
    hv::Result<Poco::JSON::Array::Ptr> requiredArray(const std::string& key) const;

    // The element at `index` of the array field `key`, as an object.
    hv::Result<JsonFields> element(const Poco::JSON::Array& array, const std::string& key, std::size_t index) const;

private:
    std::string pathOf(const std::string& key) const;
    hv::Error invalid(const std::string& key, const std::string& problem) const;

    Poco::JSON::Object::Ptr object_;
    std::string path_;
};

}  // namespace faxover::orchestrator::api
