// One run of the hook as libvirt makes it (runHook: what main() does), with files in a temporary
// folder and a stand-in orchestrator: the exit status, the message, the cache and the log.
#include "faxover/hook/RunHook.h"

#include <catch2/catch.hpp>

#include "TempDir.h"
#include "TestData.h"
#include "hook/hook_test_support.h"

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace faxover::hook;
using Catch::Matchers::Contains;
using faxover::hook::test::CannedServer;

namespace {

struct HookHost {
    faxover::test::TempDir dir{"fxhook-"};
    std::string config = dir.file("faxover-hook.conf");
    std::string cache = dir.file("lib/protected");
    std::string log = dir.file("hook.log");

    void enrol(const std::string& orchestrator, const std::string& extra = "") const {
        std::ofstream(config) << "orchestrator = " << orchestrator
                              << "\nhost = host-b\ntimeout_ms = 500\ncache = " << cache << "\nlog = " << log
                              << "\noverride = " << dir.file("override") << "\n"
                              << extra;
    }
    // Runs the hook for `domain` (the lab sample's XML, whose domain is faxlab-linux).
    int run(std::string& err, const std::string& operation = "prepare", const std::string& sub = "begin") const {
        std::istringstream xml(faxover::testing::readDataFile("domain-lab-tcg-live.xml"));
        std::ostringstream messages;
        HookConfig fallback;  // never this machine's /var/lib/libvirt or /var/log/libvirt
        fallback.cachePath = dir.file("fallback/protected");
        fallback.overridePath = dir.file("fallback/override");
        fallback.logPath = dir.file("fallback/hook.log");
        const int status = runHook({"faxlab-linux", operation, sub, config, fallback}, xml, messages);
        err = messages.str();
        return status;
    }
    std::string read(const std::string& path) const {
        std::ifstream file(path);
        std::ostringstream text;
        text << file.rdbuf();
        return text.str();
    }
};

}  // namespace

TEST_CASE("hook run: a host without the configuration file is not enrolled", "[hook]") {
    HookHost host;
    std::string err;
    CHECK(host.run(err) == 0);
    CHECK_THAT(err, Contains("faxover: faxlab-linux: this host is not enrolled (no " + host.config + ")"));
    // Every other operation returns at once, enrolled or not, and says nothing.
    host.enrol("http://127.0.0.1:1");
    for (auto [operation, sub] : {std::pair{"start", "begin"}, std::pair{"stopped", "end"},
                                  std::pair{"migrate", "begin"}, std::pair{"prepare", "end"}}) {
        CHECK(host.run(err, operation, sub) == 0);
        CHECK(err.empty());
    }
    CHECK_FALSE(std::filesystem::exists(host.log));
}

TEST_CASE("hook run: the orchestrator's answers decide and refresh the cache; then it fails closed", "[hook]") {
    HookHost host;
    bool allow = false;
    CannedServer orchestrator([&](const Poco::URI&) {
        return std::pair{
            200,
            std::string(
                allow
                    ? R"({"allowed": true, "reason": "licence free", "protected": ["faxlab-linux"]})"
                    : R"({"allowed": false, "reason": "faxlab-linux runs on host-a", "protected": ["fax-01", "faxlab-linux"]})")};
    });
    host.enrol(orchestrator.url());
    std::string err;
    CHECK(host.run(err) == 1);
    CHECK(err == "faxover: refusing to start faxlab-linux on host-b: faxlab-linux runs on host-a\n");
    CHECK_THAT(host.read(host.cache), Contains("\nfax-01\nfaxlab-linux\n"));
    allow = true;
    CHECK(host.run(err) == 0);
    CHECK(err.empty());
    CHECK_THAT(host.read(host.cache), Contains("\nfaxlab-linux\n") && !Contains("fax-01"));
    CHECK_THAT(host.read(host.log), Contains("host-b prepare begin: faxlab-linux 2d9f4b61-0c57-4e0b-9f3a-7be2a4c81e05: "
                                             "refused (orchestrator " +
                                             orchestrator.url() + "): faxlab-linux runs on host-a"));
    CHECK_THAT(host.read(host.log), Contains("allowed (orchestrator " + orchestrator.url() + "): licence free"));

    // The orchestrator is gone: the cache its last answer left makes the hook refuse.
    host.enrol("http://127.0.0.1:1");
    CHECK(host.run(err) == 1);
    CHECK_THAT(err,
               Contains("faxlab-linux is protected and the orchestrator at http://127.0.0.1:1 could not be reached"));
}

TEST_CASE("hook run: an invalid configuration fails closed for every domain that might be protected", "[hook]") {
    HookHost host;
    // The issue's case: one setting out of range, and a cache of its own (valid on its line) that
    // lists the domain. The hook read only the default cache, knew nothing and let it start.
    host.enrol("http://127.0.0.1:1", "timeout_ms = 50\n");
    std::filesystem::create_directories(host.dir.file("lib"));
    std::ofstream(host.cache) << "faxlab-linux\n";
    std::string err;
    CHECK(host.run(err) == 1);
    // The file, the line and the setting (enrol writes six lines, then this one).
    CHECK_THAT(err, Contains("faxover: " + host.config + ":7: timeout_ms: '50' must be a whole number of milliseconds"));
    CHECK_THAT(err, Contains("faxlab-linux is protected and the orchestrator at (none: " + host.config +
                             " is invalid) could not be reached (" + host.config + ":7: timeout_ms: '50'"));

    // Its cache says another domain is protected, not this one: this one is not, as with a valid file.
    std::ofstream(host.cache) << "fax-01\n";
    CHECK(host.run(err) == 0);
    CHECK_THAT(err, Contains("faxlab-linux is not a protected domain"));
    CHECK_THAT(host.read(host.log), Contains("allowed (not protected)"));

    // No cache anywhere says which domains are protected: every domain might be, so none starts.
    std::filesystem::remove(host.cache);
    CHECK(host.run(err) == 1);
    CHECK_THAT(err, Contains("no protected-domain cache (" + host.cache + ") says which domains are protected; "
                             "treating faxlab-linux as protected"));

    // A misspelt key: the default cache is read too.
    host.enrol("http://127.0.0.1:1", "timeout = 2s\n");
    std::filesystem::create_directories(host.dir.file("fallback"));
    std::ofstream(host.dir.file("fallback/protected")) << "faxlab-linux\n";
    CHECK(host.run(err) == 1);
    CHECK_THAT(err, Contains("faxlab-linux is protected and the orchestrator at (none: " + host.config +
                             " is invalid) could not be reached (" + host.config + ":7: unknown key 'timeout'"));
}

TEST_CASE("hook run: an unreadable cache counts the domain as protected", "[hook]") {
    HookHost host;
    host.enrol("http://127.0.0.1:1");
    std::filesystem::create_directories(host.cache);  // a folder where the cache file should be
    std::string err;
    CHECK(host.run(err) == 1);
    CHECK_THAT(err, Contains("treating faxlab-linux as protected"));
}
