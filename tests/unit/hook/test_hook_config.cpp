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
