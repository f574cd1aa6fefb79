// Licence apply and revoke steps as real programs (shell scripts written by the test).
#include "faxover/orchestrator/licence/ProcessLicenceSteps.h"

#include "TempDir.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace {

namespace policy = faxover::policy;
namespace ports = faxover::orchestrator::ports;
namespace hv = faxover::hv;
using faxover::orchestrator::licence::ProcessLicenceSteps;

std::string script(faxover::test::TempDir& dir, const std::string& name, const std::string& body) {
    const std::string path = dir.file(name);
    std::ofstream(path) << "#!/bin/sh\n" << body;
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
}

std::string read(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

ports::LicenceStepRequest request(const policy::Licence& licence, ports::LicenceEvent event) {
    return {event, &licence, "fax-dr", "fax1", "fax-dr-vm", "lab3", "qemu+tcp://198.18.0.13/system"};
}

}  // namespace

TEST_CASE("licence step: arguments from the policy, what it acts on in the environment", "[licence]") {
    faxover::test::TempDir dir("faxover-licence-");
    const std::string out = dir.file("seen");
    policy::Licence licence{"lic", "datafax", "/etc/faxover/lic.key", 1};
    licence.apply = policy::CommandStep{
        script(dir, "apply", "echo \"$@|$FAXOVER_EVENT|$FAXOVER_LICENCE|$FAXOVER_PRODUCT|$FAXOVER_KEY_FILE|"
                             "$FAXOVER_SERVICE|$FAXOVER_ON_BEHALF_OF|$FAXOVER_DOMAIN|$FAXOVER_HOST|$FAXOVER_HOST_URI\" > " +
                                 out + "\necho licence activated\n"),
        {"activate", "--site", "b"}};
    ProcessLicenceSteps steps;
    auto result = steps.run(request(licence, ports::LicenceEvent::Apply));
    REQUIRE(result);
    CHECK(result.value() == "licence activated");
    CHECK(read(out) == "activate --site b|apply|lic|datafax|/etc/faxover/lic.key|fax-dr|fax1|fax-dr-vm|lab3|"
                       "qemu+tcp://198.18.0.13/system\n");
}

TEST_CASE("licence step: a failing step names its licence, event, exit status and last words", "[licence]") {
    faxover::test::TempDir dir("faxover-licence-");
    policy::Licence licence{"lic", "datafax", "/k", 1};
    licence.revoke = policy::CommandStep{script(dir, "revoke", "echo working\necho 'seat server said no' >&2\nexit 3\n")};
    ProcessLicenceSteps steps;
    auto result = steps.run(request(licence, ports::LicenceEvent::Revoke));
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == hv::ErrorKind::OperationFailed);
    CHECK(result.error().message == "licence lic revoke step: exit 3: seat server said no");
}

TEST_CASE("licence step: a key it prints is redacted from its words", "[licence]") {
    faxover::test::TempDir dir("faxover-licence-");
    const std::string keyFile = dir.file("lic.key");
    std::ofstream(keyFile) << "DFX-7731-AAAB-90QZ\n";
    policy::Licence licence{"lic", "datafax", keyFile, 1};
    licence.apply = policy::CommandStep{script(dir, "apply", "echo \"activating $(cat $FAXOVER_KEY_FILE)\"\nexit 4\n")};
    ProcessLicenceSteps steps;
    auto result = steps.run(request(licence, ports::LicenceEvent::Apply));
    REQUIRE_FALSE(result);
    CHECK(result.error().message == "licence lic apply step: exit 4: activating [redacted]");
}

TEST_CASE("licence step: one running past its timeout is killed", "[licence]") {
    faxover::test::TempDir dir("faxover-licence-");
    policy::Licence licence{"lic", "datafax", "/k", 1};
    licence.apply = policy::CommandStep{script(dir, "slow", "echo waiting\nsleep 30\n"), {}, std::chrono::milliseconds(300)};
    ProcessLicenceSteps steps;
    const auto started = std::chrono::steady_clock::now();
    auto result = steps.run(request(licence, ports::LicenceEvent::Apply));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == hv::ErrorKind::Timeout);
    CHECK(result.error().message == "licence lic apply step: still running after 300ms; killed: waiting");
}

TEST_CASE("licence step: a program that is not there", "[licence]") {
    policy::Licence licence{"lic", "datafax", "/k", 1};
    licence.apply = policy::CommandStep{"faxover-no-such-licence-tool"};
    ProcessLicenceSteps steps;
    auto result = steps.run(request(licence, ports::LicenceEvent::Apply));
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == hv::ErrorKind::InvalidArgument);
    CHECK(result.error().message == "licence lic apply step: faxover-no-such-licence-tool not found in PATH");
}
