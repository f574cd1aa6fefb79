#include "faxover/orchestrator/HostArgument.h"

#include <catch2/catch.hpp>

using faxover::orchestrator::parseHostArgument;

TEST_CASE("host argument with name, URI and migration address", "[cli]") {
    auto host = parseHostArgument("lab1=qemu+tcp://198.18.0.11/system@198.18.0.11");
    REQUIRE(host);
    CHECK(host.value().name == "lab1");
    CHECK(host.value().uri == "qemu+tcp://198.18.0.11/system");
    CHECK(host.value().migrationAddress == "198.18.0.11");
}

TEST_CASE("host argument keeps an ssh user inside the URI", "[cli]") {
    auto host = parseHostArgument("hv2=qemu+ssh://root@hv2.example/system");
    REQUIRE(host);
    CHECK(host.value().uri == "qemu+ssh://root@hv2.example/system");
    CHECK(host.value().migrationAddress.empty());
}

TEST_CASE("a bare URI names itself", "[cli]") {
    auto host = parseHostArgument("test:///default");
    REQUIRE(host);
    CHECK(host.value().name == "test:///default");
    CHECK(host.value().uri == "test:///default");
}

TEST_CASE("host arguments without a URI are refused with an example", "[cli]") {
    for (const char* bad : {"", "lab1", "lab1=", "=qemu"}) {
        auto host = parseHostArgument(bad);
        INFO(bad);
        REQUIRE_FALSE(host);
        CHECK_THAT(host.error().message, Catch::Contains("NAME=URI"));
    }
}
