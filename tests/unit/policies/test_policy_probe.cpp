// The TCP liveness probe's address and port: defaults from the URI, explicit values, errors.
#include "faxover/policies/PolicyWriter.h"
#include "policy_test_support.h"

using namespace faxover::policy;
using namespace faxover::policy::test;

namespace {

// One host with the given uri (line 4) and extra host keys from line 5 on.
std::string hostWith(std::string_view uri, std::string_view extraHostKeys = "") {
    return "version: 1\n"
           "hosts:\n"
           "  - name: hv1\n"
           "    uri: " + std::string(uri) + "\n" +
           std::string(extraHostKeys) +
           "    migration_address: 10.0.0.11\n"
           "    fence: {method: manual}\n";
}

HostPolicy onlyHost(const std::string& yaml) {
    const Policy policy = loadValid(yaml);
    REQUIRE(policy.hosts.size() == 1);
    return policy.hosts.front();
}

}  // namespace

TEST_CASE("probe: the address defaults to the host part of the uri, the port to 22", "[policy]") {
    struct Case {
        const char* uri;
        const char* address;
    };
    for (const Case& c : {Case{"qemu+tcp://198.18.0.11/system", "198.18.0.11"},
                          Case{"qemu+ssh://root@h1.example:2222/system", "h1.example"},
                          Case{"qemu+tls://h1.example:16514/system?no_verify=1", "h1.example"},
                          Case{"qemu+tcp://[fd00::11]:16509/system", "[fd00::11]"},
                          Case{"qemu+ssh://admin@[fd00::12]/system", "[fd00::12]"}}) {
        INFO(c.uri);
        const HostPolicy host = onlyHost(hostWith(c.uri));
        CHECK(host.probeAddress == c.address);
        CHECK(host.probePort == 22);
    }
}

TEST_CASE("probe: a local uri probes 127.0.0.1", "[policy]") {
    const HostPolicy host = onlyHost("version: 1\nhosts:\n  - name: hv1\n    uri: qemu:///system\n"
                                     "    fence: {method: manual}\n");
    CHECK(host.probeAddress == "127.0.0.1");
    CHECK(host.probePort == 22);
}

TEST_CASE("probe: an explicit address and port win over the defaults", "[policy]") {
    const HostPolicy both = onlyHost(hostWith("qemu+tcp://198.18.0.11/system", "    probe: {address: 10.0.0.11, port: 16509}\n"));
    CHECK(both.probeAddress == "10.0.0.11");
    CHECK(both.probePort == 16509);

    const HostPolicy portOnly = onlyHost(hostWith("qemu+tcp://198.18.0.11/system", "    probe: {port: 2222}\n"));
    CHECK(portOnly.probeAddress == "198.18.0.11");
    CHECK(portOnly.probePort == 2222);

    const HostPolicy empty = onlyHost(hostWith("qemu+tcp://198.18.0.11/system", "    probe:\n"));
    CHECK(empty.probeAddress == "198.18.0.11");
    CHECK(empty.probePort == 22);
}

TEST_CASE("probe: the port is 1 to 65535", "[policy]") {
    for (const char* port : {"0", "65536", "-1", "ssh", "22.5"}) {
        INFO(port);
        auto error = onlyError(hostWith("qemu+tcp://198.18.0.11/system", "    probe: {port: " + std::string(port) + "}\n"));
        CHECK(error.line == 5);
        CHECK(error.column == 19);  // the value, after "    probe: {port: "
        CHECK(error.key == "hosts[0].probe.port");
        CHECK_THAT(error.message, Catch::StartsWith("expected a whole number from 1 to 65535; found '"));
    }
}

TEST_CASE("probe: the address is an address, not a URI or address:port", "[policy]") {
    for (const char* address : {"tcp://10.0.0.11", "10.0.0.11:22", "\"\""}) {
        INFO(address);
        auto error = onlyError(hostWith("qemu+tcp://198.18.0.11/system", "    probe: {address: " + std::string(address) + "}\n"));
        CHECK(error.line == 5);
        CHECK(error.key == "hosts[0].probe.address");
        CHECK_THAT(error.message, Catch::StartsWith("expected a host name or IP address, with no scheme or port; found"));
    }
}

TEST_CASE("probe: unknown keys are errors with a suggestion", "[policy]") {
    auto error = onlyError(hostWith("qemu+tcp://198.18.0.11/system", "    probe: {adress: 10.0.0.11}\n"));
    CHECK(error.toString() == "p.yaml:5:13: hosts[0].probe.adress: unknown key; expected one of address, port; found "
                              "'adress' (did you mean 'address'?)");
    auto notMapping = onlyError(hostWith("qemu+tcp://198.18.0.11/system", "    probe: 10.0.0.11\n"));
    CHECK(notMapping.key == "hosts[0].probe");
    CHECK_THAT(notMapping.message, Catch::StartsWith("expected a mapping with keys address, port; found '10.0.0.11'"));
}

TEST_CASE("probe: a remote uri with no usable host needs an explicit address", "[policy]") {
    auto error = onlyError(hostWith("qemu+ssh://root@/system"));
    CHECK(error.line == 3);
    CHECK(error.key == "hosts[0].probe.address");
    CHECK(error.message == "missing required key (the uri names no host to probe: ''); expected a host name or IP "
                           "address, with no scheme or port");
    // Saying where to probe makes the same host valid.
    const HostPolicy host = onlyHost(hostWith("qemu+ssh://root@/system", "    probe: {address: hv1.example}\n"));
    CHECK(host.probeAddress == "hv1.example");
}

TEST_CASE("probe: address and port survive a write and a reload", "[policy]") {
    const Policy policy = loadValid(hostWith("qemu+ssh://root@h1.example:2222/system", "    probe: {port: 7}\n"));
    const std::string written = formatPolicy(policy);
    INFO(written);
    CHECK_THAT(written, Catch::Contains("    probe:\n      address: \"h1.example\"\n      port: 7\n"));
    CHECK(loadValid(written) == policy);
}
