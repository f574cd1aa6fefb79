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

const std::set<std::string> kKeys = {"orchestrator", "host", "timeout_ms", "cache", "override", "log"};

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

bool validHostName(const std::string& name) {
    if (name.empty() || name.size() > 253) return false;
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
    return true;
}

}  // namespace

Result<HookConfig> parseConfig(const std::string& text) {
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file(new Poco::Util::PropertyFileConfiguration);
    try {
        std::istringstream in(text);
        file->load(in);
    } catch (const Poco::Exception& error) {
        return "cannot read it: " + error.displayText();
    }
    std::vector<std::string> keys;
    file->keys(keys);
    for (const auto& key : keys)
        if (!kKeys.contains(key))
            return "unknown key '" + key + "' (known: orchestrator, host, timeout_ms, cache, override, log)";

    HookConfig config;
    const std::string urls = Poco::trim(file->getString("orchestrator", ""));
    if (urls.empty()) return std::string("orchestrator: missing (e.g. orchestrator = http://10.0.0.5:8471)");
    Poco::StringTokenizer parts(urls, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& part : parts) {
        auto url = orchestratorUrl(part);
        if (!url) return url.error();
        config.orchestrators.push_back(url.value().text);
    }

    config.host = Poco::trim(file->getString("host", ""));
    if (config.host.empty()) return std::string("host: missing (this host's name as the policy knows it)");
    if (!validHostName(config.host)) return "host: '" + config.host + "' is not a host name";

    if (file->hasProperty("timeout_ms")) {
        const std::string value = Poco::trim(file->getString("timeout_ms"));
        int ms = 0;
        if (!Poco::NumberParser::tryParse(value, ms) || ms < 100 || ms > 60000)
            return "timeout_ms: '" + value + "' must be a whole number of milliseconds from 100 to 60000";
        config.timeout = std::chrono::milliseconds(ms);
    }
    for (auto [key, target] : {std::pair{"cache", &config.cachePath}, std::pair{"override", &config.overridePath},
                               std::pair{"log", &config.logPath}}) {
        if (!file->hasProperty(key)) continue;
        const std::string value = Poco::trim(file->getString(key));
        if (value.empty() || value.front() != '/')
            return std::string(key) + ": '" + value + "' must be an absolute path";
        *target = value;
    }
    return config;
}

}  // namespace faxover::hook
