#pragma once
// Runs admin CLI command lines against a FakeAdminApi with captured streams.
#include "api_test_support.h"
#include "faxover/orchestrator/AdminCli.h"

#include <catch2/catch.hpp>

#include <sstream>

namespace faxover::orchestrator::api::test {

struct CliRun {
    int status = -1;
    std::string out;
    std::string err;
    std::vector<std::chrono::milliseconds> sleeps;
};

struct CliSetup {
    std::string input{};          // what the admin types
    bool inputIsTerminal = false;
    bool outputIsTerminal = false;
};

// The invocation a command line parses to (the test fails when it does not parse).
inline AdminInvocation parsed(const std::vector<std::string>& arguments) {
    auto invocation = parseAdminArguments(arguments, kDefaultApiAddress);
    INFO((invocation ? std::string() : invocation.error().message));
    REQUIRE(invocation);
    return invocation.value();
}

// Why a command line is a usage error (the test fails when it parses).
inline std::string usageError(const std::vector<std::string>& arguments) {
    auto invocation = parseAdminArguments(arguments, kDefaultApiAddress);
    REQUIRE_FALSE(invocation);
    return invocation.error().message;
}

inline CliRun runCli(const std::vector<std::string>& arguments, AdminApi& api, const CliSetup& setup = {}) {
    std::istringstream in(setup.input);
    std::ostringstream out;
    std::ostringstream err;
    CliRun run;
    CliConsole console{in, out, err, setup.inputIsTerminal, setup.outputIsTerminal};
    console.now = [] { return sampleNow(); };
    console.sleep = [&](std::chrono::milliseconds pause) { run.sleeps.push_back(pause); };
    auto invocation = parseAdminArguments(arguments, kDefaultApiAddress);
    if (!invocation) {
        run.status = kAdminUsage;
        run.err = invocation.error().message;
        return run;
    }
    run.status = runAdminInvocation(invocation.value(), api, console);
    run.out = out.str();
    run.err = err.str();
    return run;
}

}  // namespace faxover::orchestrator::api::test
