#include "faxover/hook/Config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <cctype>
#include <set>
#include <sstream>

namespace faxover::hook {

namespace {

using Properties = Poco::AutoPtr<Poco::Util::PropertyFileConfiguration>;

Result<Properties> loadProperties(const std::string& text) {
    Properties file(new Poco::Util::PropertyFileConfiguration);
    try {
        std::istringstream in(text);
        file->load(in);
    } catch (const Poco::Exception& error) {
        return error.displayText();
    }
    return file;
}

const std::set<std::string> kKeys = {"orchestrator", "host", "timeout_ms", "cache", "override", "log", "planned_kind"};

struct Url {
    std::string text;
};

// "http://ADDR:PORT" with nothing after the authority: the hook adds its own path.
Result<Url> orchestratorUrl(const std::string& text) {
    Poco::URI uri;
    try {
        uri = Poco::URI(text);
    } catch (const Poco::Exception& error) {
        return std::string("orchestrator: '" + text + "' is not a URL (" + error.displayText() + ")");
    }
    if (uri.getScheme() != "http") return std::string("orchestrator: '" + text + "' must start with http://");
    if (uri.getHost().empty()) return std::string("orchestrator: '" + text + "' has no host");
    if (uri.getPath() != "" && uri.getPath() != "/")
        return std::string("orchestrator: '" + text + "' must have no path");
    if (!uri.getRawQuery().empty() || !uri.getFragment().empty() || !uri.getUserInfo().empty())
        return std::string("orchestrator: '" + text + "' must be only http://ADDRESS:PORT");
    return Url{"http://" + uri.getAuthority()};
}

// Where `key` is set in `text`: "SOURCE:LINE: " (the last line setting it: the reader keeps the
// last), "line LINE: " without a source, "SOURCE: " when no line sets it. Poco's reader does not say.
std::string whereSet(const std::string& text, const std::string& source, const std::string& key) {
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    int found = 0;
    while (std::getline(lines, line)) {
        ++number;
        const std::string trimmed = Poco::trimLeft(line);
        if (!trimmed.starts_with(key)) continue;
        const std::string rest = Poco::trimLeft(trimmed.substr(key.size()));
        if (!rest.empty() && (rest.front() == '=' || rest.front() == ':')) found = number;
    }
    if (found == 0) return source.empty() ? "" : source + ": ";
    return (source.empty() ? "line " : source + ":") + std::to_string(found) + ": ";
}

bool isAbsolutePath(const std::string& value) { return !value.empty() && value.front() == '/'; }

// The settings that name files, with where each goes in `config`.
std::vector<std::pair<std::string, std::string*>> pathSettings(HookConfig& config) {
    return {{"cache", &config.cachePath}, {"override", &config.overridePath}, {"log", &config.logPath}};
}

bool validHostName(const std::string& name) {
    if (name.empty() || name.size() > 253) return false;
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
    return true;
}

}  // namespace

Result<HookConfig> parseConfig(const std::string& text, const std::string& source) {
    auto file = loadProperties(text);
    if (!file) return (source.empty() ? "" : source + ": ") + "cannot read it: " + file.error();
    const auto at = [&](const std::string& key) { return whereSet(text, source, key); };
    std::vector<std::string> keys;
    file.value()->keys(keys);
    for (const auto& key : keys)
        if (!kKeys.contains(key))
            return at(key) + "unknown key '" + key + "' (known: orchestrator, host, timeout_ms, cache, override, log, planned_kind)";

    HookConfig config;
    const Properties& settings = file.value();
    const std::string urls = Poco::trim(settings->getString("orchestrator", ""));
    if (urls.empty()) return at("orchestrator") + "orchestrator: missing (e.g. orchestrator = http://10.0.0.5:8471)";
    Poco::StringTokenizer parts(urls, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& part : parts) {
        auto url = orchestratorUrl(part);
        if (!url) return at("orchestrator") + url.error();
        config.orchestrators.push_back(url.value().text);
    }

    config.host = Poco::trim(settings->getString("host", ""));
    if (config.host.empty()) return at("host") + "host: missing (this host's name as the policy knows it)";
    if (!validHostName(config.host)) return at("host") + "host: '" + config.host + "' is not a host name";

    if (settings->hasProperty("timeout_ms")) {
        const std::string value = Poco::trim(settings->getString("timeout_ms"));
        int ms = 0;
        if (!Poco::NumberParser::tryParse(value, ms) || ms < 100 || ms > 60000)
            return at("timeout_ms") + "timeout_ms: '" + value +
                   "' must be a whole number of milliseconds from 100 to 60000";
        config.timeout = std::chrono::milliseconds(ms);
    }
    if (settings->hasProperty("planned_kind")) {
        config.plannedKind = Poco::trim(settings->getString("planned_kind"));
        if (config.plannedKind != "auto" && config.plannedKind != "shutdown" && config.plannedKind != "reboot")
            return at("planned_kind") + "planned_kind: '" + config.plannedKind + "' must be auto, shutdown or reboot";
    }
    for (auto [key, target] : pathSettings(config)) {
        if (!settings->hasProperty(key)) continue;
        const std::string value = Poco::trim(settings->getString(key));
        if (!isAbsolutePath(value)) return at(key) + key + ": '" + value + "' must be an absolute path";
        *target = value;
    }
    return config;
}

HookConfig salvagePaths(const std::string& text, HookConfig fallback) {
    auto file = loadProperties(text);
    if (!file) return fallback;
    for (auto [key, target] : pathSettings(fallback)) {
        const std::string value = Poco::trim(file.value()->getString(key, ""));
        if (isAbsolutePath(value)) *target = value;
    }
    return fallback;
}

}  // namespace faxover::hook
