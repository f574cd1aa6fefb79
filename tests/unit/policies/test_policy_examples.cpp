// Every file in policies/examples/ must load: they are what admins copy.
#include "faxover/policies/PolicyWriter.h"
#include "policy_test_support.h"

#include <filesystem>

using namespace faxover::policy;
using namespace std::chrono_literals;

namespace {

std::string example(const char* name) { return std::string(FAXOVER_POLICY_EXAMPLES_DIR) + "/" + name; }

Policy loadExample(const char* name) {
    const PolicyLoad loaded = loadPolicyFile(example(name));
    for (const auto& error : loaded.errors) UNSCOPED_INFO(error.toString());
    REQUIRE(loaded.ok());
    return *loaded.policy;
}

}  // namespace

TEST_CASE("every example policy loads without errors", "[policy]") {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(FAXOVER_POLICY_EXAMPLES_DIR)) {
        if (entry.path().extension() != ".yaml") continue;
        INFO(entry.path());
        const PolicyLoad loaded = loadPolicyFile(entry.path().string());
        for (const auto& error : loaded.errors) UNSCOPED_INFO(error.toString());
        CHECK(loaded.ok());
        ++count;
    }
    CHECK(count >= 3);
}

TEST_CASE("example: a HylaFAX pair with the default profile", "[policy]") {
    const Policy policy = loadExample("hylafax-pair.yaml");
    REQUIRE(policy.hosts.size() == 2);
    REQUIRE(policy.services.size() == 1);
    CHECK(policy.monitoring == defaultProfile());
    CHECK(policy.services[0].telephony == TelephonyMode::Sr140);
    CHECK(policy.services[0].failback);
    CHECK(policy.hosts[0].fence.at(0).passwordFile == "/etc/faxover/secrets/hv1-ipmi.password");
    CHECK(policy.hosts[0].fence.at(0).parameters.count("password") == 0);
}

TEST_CASE("example: a site with DR, a board-mode service and the ipfx-compatible profile", "[policy]") {
    const Policy policy = loadExample("site-with-dr.yaml");
    CHECK(policy.monitoring == ipfxCompatibleProfile());
    REQUIRE(policy.hosts.size() == 4);
    CHECK(policy.findHost("dr1")->site == "dr");
    CHECK(policy.findHost("dr1")->monitoring.interval == 3s);
    CHECK(policy.findHost("dr1")->monitoring.failoverCount == 15);
    const ServicePolicy* inbound = policy.findService("fax-inbound");
    REQUIRE(inbound != nullptr);
    CHECK(inbound->telephony == TelephonyMode::Board);
    CHECK(inbound->domain.kind == DomainRef::Kind::Uuid);
    CHECK(policy.boardModels.at(0).vendorId == 0x12e4);
    CHECK(policy.boardModels.at(1).vendorId == 0x12c7);
    CHECK(inbound->trunkGroup == "pstn-main");
    CHECK(inbound->boardModels == std::vector<std::string>{"brooktrout-trufax", "dialogic-brooktrout"});
    REQUIRE(inbound->telcoHook.has_value());
    CHECK(inbound->telcoHook->command == "/usr/local/sbin/pri-reroute");
    CHECK(inbound->telcoHook->timeout == 60s);
    CHECK(inbound->shutdownTimeout == 3min);
    CHECK(policy.findHost("main2")->boards.at(0).trunkGroup == "pstn-main");
}

TEST_CASE("example: the lab's three hosts fenced by fence_faxlab", "[policy]") {
    const Policy policy = loadExample("lab.yaml");
    REQUIRE(policy.hosts.size() == 3);
    for (int i = 1; i <= 3; ++i) {
        const auto& host = policy.hosts[static_cast<std::size_t>(i - 1)];
        CHECK(host.name == "lab" + std::to_string(i));
        CHECK(host.uri == "qemu+tcp://198.18.0.1" + std::to_string(i) + "/system");
        CHECK(host.migrationAddress == "198.18.0.1" + std::to_string(i));
        REQUIRE(host.fence.size() == 1);
        CHECK(host.fence[0].method == FenceMethod::Agent);
        CHECK(host.fence[0].command == "fence_faxlab");
        CHECK(host.fence[0].parameters.at("plug") == host.name);
    }
}

TEST_CASE("every example survives a write and a reload unchanged", "[policy]") {
    for (const char* name : {"hylafax-pair.yaml", "site-with-dr.yaml", "lab.yaml"}) {
        INFO(name);
        const Policy policy = loadExample(name);
        const std::string written = formatPolicy(policy);
        INFO(written);
        const PolicyLoad reloaded = loadPolicyText(written, "written.yaml");
        for (const auto& error : reloaded.errors) UNSCOPED_INFO(error.toString());
        REQUIRE(reloaded.ok());
        CHECK(*reloaded.policy == policy);
    }
}
