#include "RequestQuery.h"

#include "faxover/orchestrator/api/Json.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>

namespace faxover::orchestrator::api {

namespace {

// As policy host names are (policies/src/read/Syntax.h).
constexpr std::size_t kMostHostName = 63;
// libvirt takes long domain names; past this a name is noise, not a domain.
constexpr std::size_t kMostDomainName = 255;

Error invalid(const std::string& parameter, const std::string& problem) {
    return Error{ErrorKind::BadRequest, parameter + ": " + problem};
}

bool hostNameCharacter(char character) {
    return std::isalnum(static_cast<unsigned char>(character)) != 0 || character == '.' || character == '_' ||
           character == '-';
}

bool isHostName(const std::string& text) {
    return !text.empty() && text.size() <= kMostHostName &&
           std::isalnum(static_cast<unsigned char>(text.front())) != 0 &&
           std::all_of(text.begin(), text.end(), hostNameCharacter);
}

// 8-4-4-4-12 hexadecimal digits, as libvirt writes <uuid>.
bool isUuid(const std::string& text) {
    constexpr std::string_view kShape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    if (text.size() != kShape.size()) return false;
    for (std::size_t i = 0; i < kShape.size(); ++i) {
        const bool hex = std::isxdigit(static_cast<unsigned char>(text[i])) != 0;
        if (kShape[i] == 'x' ? !hex : text[i] != '-') return false;
    }
    return true;
}

// Printable, no '/' (libvirt refuses it in names), and short.
bool isDomainName(const std::string& text) {
    return !text.empty() && text.size() <= kMostDomainName && std::none_of(text.begin(), text.end(), [](char c) {
               const auto byte = static_cast<unsigned char>(c);
               return byte < 0x20 || byte == 0x7f || c == '/';
           });
}

std::string valueOf(const QueryParameters& parameters, const std::string& key) {
    const auto found = parameters.find(key);
    return found == parameters.end() ? std::string{} : found->second;
}

}  // namespace

Result<QueryParameters> queryParameters(const std::string& uri) {
    QueryParameters parameters;
    try {
        for (auto& [key, value] : Poco::URI(uri).getQueryParameters()) {
            if (!parameters.emplace(key, value).second) return invalid(key, "given twice");
        }
    } catch (const Poco::Exception& error) {
        return Error{ErrorKind::BadRequest, "malformed query string: " + error.displayText()};
    }
    return parameters;
}

Result<std::optional<WallTime>> auditSince(const QueryParameters& parameters) {
    const auto found = parameters.find("since");
    if (found == parameters.end()) return std::optional<WallTime>{};
    auto since = parseIsoInstant(found->second);
    if (!since) {
        // A '+' left raw in a URL arrives as a space in some clients' hands, or in ours.
        return invalid("since", since.error().message + "; in a URL write an offset's '+' as %2B");
    }
    return std::optional<WallTime>{since.value()};
}

Result<StartQuery> startQuery(const QueryParameters& parameters) {
    StartQuery query{valueOf(parameters, "host"), valueOf(parameters, "uuid"), valueOf(parameters, "name"), {}};
    if (query.host.empty()) return invalid("host", "missing: name the asking host as the policy does (?host=lab1)");
    if (!isHostName(query.host)) {
        return invalid("host", "expected a host name of the policy (a letter or digit, then letters, digits, '.', "
                               "'_' or '-'; at most 63)");
    }
    if (query.uuid.empty() && query.name.empty()) {
        return Error{ErrorKind::BadRequest, "uuid, name: give the domain's uuid or name (or both)"};
    }
    if (!query.uuid.empty() && !isUuid(query.uuid)) {
        return invalid("uuid", "expected a UUID like 4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
    }
    if (!query.name.empty() && !isDomainName(query.name)) {
        return invalid("name", "expected a domain name (1 to 255 printable characters, no '/')");
    }
    return query;
}

}  // namespace faxover::orchestrator::api
