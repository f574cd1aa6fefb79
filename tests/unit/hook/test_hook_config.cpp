// The hook's configuration file (docs/hook.md, "Configuration").
#include "faxover/hook/Config.h"

#include <catch2/catch.hpp>

using namespace faxover::hook;
using Catch::Matchers::Contains;

TEST_CASE("hook config: every key, two orchestrators in order", "[hook]") {
    auto config = parseConfig(
        "# enrolled by ansible\n"
        "orchestrator = http://10.0.0.5:8471, http://10.0.0.6:8471/\n"
        "host = fax-host-1\n"
        "timeout_ms = 1500\n"
        "cache = /var/lib/faxover/protected\n"
        "override = /etc/faxover/override\n"
        "log = /var/log/faxover-hook.log\n");
    INFO((config ? "" : config.error()));
    REQUIRE(config);
    CHECK(config.value().orchestrators == std::vector<std::string>{"http://10.0.0.5:8471", "http://10.0.0.6:8471"});
    CHECK(config.value().host == "fax-host-1");
    CHECK(config.value().timeout == std::chrono::milliseconds(1500));
    CHECK(config.value().cachePath == "/var/lib/faxover/protected");
    CHECK(config.value().overridePath == "/etc/faxover/override");
    CHECK(config.value().logPath == "/var/log/faxover-hook.log");
}

TEST_CASE("hook config: defaults for the optional keys", "[hook]") {
    auto config = parseConfig("orchestrator=http://198.18.0.1:18471\nhost=lab2\n");
    REQUIRE(config);
    CHECK(config.value().timeout == std::chrono::milliseconds(2000));
    CHECK(config.value().cachePath == "/var/lib/libvirt/faxover/protected");
    CHECK(config.value().overridePath == "/etc/libvirt/hooks/faxover-override.conf");
    CHECK(config.value().logPath == "/var/log/libvirt/faxover-hook.log");
}

TEST_CASE("hook config: bad input is refused with the key and the reason", "[hook]") {
    const std::string good = "orchestrator = http://10.0.0.5:8471\nhost = h1\n";
    auto refused = [](const std::string& text) {
        auto config = parseConfig(text);
        REQUIRE_FALSE(config);
        return config.error();
    };
    CHECK_THAT(refused("host = h1\n"), Contains("orchestrator: missing"));
    CHECK_THAT(refused("orchestrator = http://10.0.0.5:8471\n"), Contains("host: missing"));
    CHECK_THAT(refused("orchestrator = https://10.0.0.5:8471\nhost = h1\n"), Contains("must start with http://"));
    CHECK_THAT(refused("orchestrator = http://10.0.0.5:8471/v1\nhost = h1\n"), Contains("must have no path"));
    CHECK_THAT(refused("orchestrator = 10.0.0.5\nhost = h1\n"), Contains("orchestrator:"));
    CHECK_THAT(refused(good + "host_name = h2\n"), Contains("unknown key 'host_name'"));
    CHECK_THAT(refused(good + "timeout_ms = 2s\n"), Contains("timeout_ms: '2s'"));
    CHECK_THAT(refused(good + "timeout_ms = 50\n"), Contains("from 100 to 60000"));
    CHECK_THAT(refused(good + "cache = relative/path\n"), Contains("cache: 'relative/path' must be an absolute path"));
    CHECK_THAT(refused("orchestrator = http://10.0.0.5:8471\nhost = h 1\n"), Contains("is not a host name"));
}

TEST_CASE("hook config: an error names the file and the line of the setting", "[hook]") {
    const std::string good = "# enrolled by hand\norchestrator = http://10.0.0.5:8471\nhost = h1\n";
    auto error = [](const std::string& text, const std::string& source) {
        auto config = parseConfig(text, source);
        REQUIRE_FALSE(config);
        return config.error();
    };
    CHECK(error(good + "timeout_ms = 50\n", "/etc/libvirt/hooks/faxover-hook.conf") ==
          "/etc/libvirt/hooks/faxover-hook.conf:4: timeout_ms: '50' must be a whole number of milliseconds from 100 "
          "to 60000");
    CHECK_THAT(error(good + "  cache:relative\n", "hook.conf"), Contains("hook.conf:4: cache: 'relative'"));
    CHECK_THAT(error(good + "host_name = h2\n", "hook.conf"), Contains("hook.conf:4: unknown key 'host_name'"));
    CHECK_THAT(error(good + "timeout_ms = 50\n", ""), Contains("line 4: timeout_ms"));
    // A missing setting has no line.
    CHECK(error("host = h1\n", "hook.conf").starts_with("hook.conf: orchestrator: missing"));
}

TEST_CASE("hook config: a broken file still says where its files are, where those lines are valid", "[hook]") {
    HookConfig fallback;
    const HookConfig salvaged = salvagePaths("timeout_ms = 50\ncache = /srv/faxover/protected\nlog = relative\n", fallback);
    CHECK(salvaged.cachePath == "/srv/faxover/protected");
    CHECK(salvaged.logPath == fallback.logPath);  // not absolute: the default stays
    CHECK(salvaged.overridePath == fallback.overridePath);
}
