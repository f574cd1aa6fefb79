// `faxover policy check FILE...`: output lines and exit statuses.
#include "faxover/orchestrator/PolicyCheck.h"
#include "policy_test_support.h"

#include <filesystem>
#include <fstream>
#include <sstream>

using faxover::orchestrator::runPolicyCommand;

namespace {

struct Run {
    int status = -1;
    std::string out;
    std::string err;
};

Run run(const std::vector<std::string>& arguments) {
    std::ostringstream out;
    std::ostringstream err;
    const int status = runPolicyCommand(arguments, out, err);
    return Run{status, out.str(), err.str()};
}

// A file in a fresh temporary directory, removed with it.
class TempPolicy {
public:
    explicit TempPolicy(std::string_view text) {
        directory_ = std::filesystem::temp_directory_path() /
                     ("faxover-policy-test-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        std::filesystem::create_directories(directory_);
        path_ = (directory_ / "policy.yaml").string();
        std::ofstream(path_) << text;
    }
    ~TempPolicy() {
        std::error_code ignored;
        std::filesystem::remove_all(directory_, ignored);
    }
    TempPolicy(const TempPolicy&) = delete;
    TempPolicy& operator=(const TempPolicy&) = delete;
    const std::string& path() const { return path_; }

private:
    std::filesystem::path directory_;
    std::string path_;
};

const std::string kExamples = FAXOVER_POLICY_EXAMPLES_DIR;

}  // namespace

TEST_CASE("policy check: valid files print a summary and exit 0", "[policy]") {
    auto result = run({"check", kExamples + "/lab.yaml", kExamples + "/hylafax-pair.yaml"});
    CHECK(result.status == 0);
    CHECK(result.out == kExamples + "/lab.yaml: ok (3 hosts, 1 service)\n" + kExamples +
                            "/hylafax-pair.yaml: ok (2 hosts, 1 service)\n");
    CHECK(result.err.empty());
}

TEST_CASE("policy check: every error line of every file, exit 1", "[policy]") {
    TempPolicy bad("version: 1\nhosts:\n  - name: hv1\n    uri: nowhere\n    fence: {method: stonith}\n");
    auto result = run({"check", bad.path(), kExamples + "/lab.yaml"});
    CHECK(result.status == 1);
    CHECK(result.out ==
          bad.path() + ":4:10: hosts[0].uri: expected a libvirt URI DRIVER[+TRANSPORT]://[HOST]/PATH such as "
                       "qemu+tcp://10.0.0.11/system or qemu:///system; found 'nowhere'\n" +
              bad.path() + ":5:21: hosts[0].fence.method: expected one of agent, libvirt-destroy, manual; found "
                           "'stonith'\n" +
              kExamples + "/lab.yaml: ok (3 hosts, 1 service)\n");
}

TEST_CASE("policy check: an unreadable file names the file and why, exit 2", "[policy]") {
    auto missing = run({"check", "/nonexistent/policy.yaml", kExamples + "/lab.yaml"});
    CHECK(missing.status == 2);
    CHECK(missing.err == "faxover policy check: /nonexistent/policy.yaml: cannot read: No such file or directory\n");
    CHECK(missing.out == kExamples + "/lab.yaml: ok (3 hosts, 1 service)\n");
    auto directory = run({"check", kExamples});
    CHECK(directory.status == 2);
    CHECK(directory.err == "faxover policy check: " + kExamples + ": cannot read: it is a directory\n");
}

TEST_CASE("policy check: usage errors exit 2", "[policy]") {
    for (const auto& arguments : std::vector<std::vector<std::string>>{{}, {"check"}, {"lint", "x.yaml"}}) {
        auto result = run(arguments);
        CHECK(result.status == 2);
        CHECK_THAT(result.err, Catch::Contains("usage: faxover policy check FILE..."));
        CHECK(result.out.empty());
    }
    auto help = run({"--help"});
    CHECK(help.status == 0);
    CHECK_THAT(help.out, Catch::StartsWith("usage: faxover policy check FILE..."));
}

TEST_CASE("policy check prints warnings after ok and still exits 0", "[policy][cli]") {
    TempPolicy policy(std::string(faxover::policy::test::kMinimalPolicy) +
                      "services:\n  - {name: fax1, domain: fax1, required_labels: {rack: b}}\n");
    const Run result = run({"check", policy.path()});
    CHECK(result.status == 0);
    CHECK(result.out == policy.path() + ": ok (1 host, 1 service)\n" + policy.path() +
                            ":8:49: services[0].required_labels: warning: no host has all of rack: b, so fax1 can run "
                            "nowhere until one has (a host's site is not a label)\n");
}
