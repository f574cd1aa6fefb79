// The protected-domain cache on the host, and the orchestrator client against a local HTTP server.
#include "faxover/hook/OrchestratorClient.h"
#include "faxover/hook/ProtectedCache.h"

#include <Poco/URI.h>
#include <catch2/catch.hpp>

#include "TempDir.h"
#include "hook/hook_test_support.h"

#include <filesystem>
#include <fstream>
#include <thread>

using namespace faxover::hook;
using Catch::Matchers::Contains;
using faxover::hook::test::CannedServer;

TEST_CASE("hook cache: written atomically, read back, missing means empty", "[hook]") {
    faxover::test::TempDir dir("fxhook-");
    const std::string path = dir.file("sub/protected");
    auto missing = readProtectedCache(path);
    REQUIRE(missing);
    CHECK(missing.value().empty());

    REQUIRE(writeProtectedCache(path, {"fax-01", "6f0a3c7e-2b1d-4d8a-9a4e-5c1f0e2b7d31"}, "http://10.0.0.5:8471"));
    REQUIRE(writeProtectedCache(path, {"fax-02"}, "http://10.0.0.5:8471"));
    auto read = readProtectedCache(path);
    REQUIRE(read);
    CHECK(read.value() == std::vector<std::string>{"fax-02"});
    // Only the cache itself is left: the temporary file was renamed over it.
    CHECK(std::distance(std::filesystem::directory_iterator(dir.file("sub")), {}) == 1);
}

TEST_CASE("hook client: asks with host, uuid and name, and falls back to the next orchestrator", "[hook]") {
    Poco::URI seen;
    CannedServer good([&](const Poco::URI& uri) {
        seen = uri;
        return std::pair{200, std::string(R"({"allowed": false, "reason": "runs on a", "protected": ["fax 01"]})")};
    });
    CannedServer failing([](const Poco::URI&) { return std::pair{501, std::string("not supported")}; });
    HookConfig config;
    config.host = "host-b";
    config.timeout = std::chrono::milliseconds(1000);
    config.orchestrators = {failing.url(), good.url()};
    const Consultation consultation = askOrchestrators(config, "fax 01", "6f0a3c7e-2b1d-4d8a-9a4e-5c1f0e2b7d31");
    INFO(consultation.failure);
    REQUIRE(consultation.answer);
    CHECK(consultation.orchestrator == good.url());
    CHECK(seen.getPath() == "/v1/hook/may-start");
    CHECK(seen.getQueryParameters() == Poco::URI::QueryParameters{{"host", "host-b"},
                                                                  {"uuid", "6f0a3c7e-2b1d-4d8a-9a4e-5c1f0e2b7d31"},
                                                                  {"name", "fax 01"}});
}

TEST_CASE("hook client: an error, a refused connection and a silent server are each no answer", "[hook]") {
    CannedServer failing([](const Poco::URI&) { return std::pair{501, std::string("not supported")}; });
    CannedServer slow([](const Poco::URI&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        return std::pair{200, std::string(R"({"allowed": true, "reason": "", "protected": []})")};
    });
    HookConfig config;
    config.host = "host-b";
    config.timeout = std::chrono::milliseconds(300);
    config.orchestrators = {failing.url(), "http://127.0.0.1:1", slow.url()};
    const auto started = std::chrono::steady_clock::now();
    const Consultation consultation = askOrchestrators(config, "fax-01", "6f0a3c7e-2b1d-4d8a-9a4e-5c1f0e2b7d31");
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1400));
    REQUIRE_FALSE(consultation.answer);
    CHECK(consultation.orchestrator == failing.url() + ", http://127.0.0.1:1, " + slow.url());
    CHECK_THAT(consultation.failure, Contains(failing.url() + ": answered HTTP 501: not supported"));
    CHECK_THAT(consultation.failure, Contains("http://127.0.0.1:1: Connection refused"));
    CHECK_THAT(consultation.failure, Contains(slow.url() + ": no answer within 300 ms"));
}
