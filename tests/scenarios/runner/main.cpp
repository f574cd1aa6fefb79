// scenario_runner [--rewrite] DIR...: replays each scenario directory and diffs its log against
// log.expect; --rewrite stores the new log instead, for review with `git diff`. Invariant
// violations fail the run either way. Exit 0 when every scenario passed.
#include "Scenario.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) result.push_back(line);
    return result;
}

// The first differing line with a little context: enough to see what changed without a diff tool.
void printDifference(const std::string& expected, const std::string& actual) {
    const auto want = lines(expected), got = lines(actual);
    std::size_t i = 0;
    while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
    std::cerr << "  first difference at line " << i + 1 << ":\n";
    for (std::size_t j = i; j < std::min(want.size(), i + 5); ++j) std::cerr << "  - " << want[j] << "\n";
    for (std::size_t j = i; j < std::min(got.size(), i + 5); ++j) std::cerr << "  + " << got[j] << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    bool rewrite = false;
    std::vector<std::string> directories;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument == "--rewrite") rewrite = true;
        else if (argument == "--help" || argument == "-h") {
            std::cout << "usage: scenario_runner [--rewrite] SCENARIO_DIR...\n";
            return 0;
        } else directories.push_back(argument);
    }
    if (directories.empty()) {
        std::cerr << "usage: scenario_runner [--rewrite] SCENARIO_DIR...\n";
        return 2;
    }
    int failed = 0;
    for (auto& directory : directories)
        if (directory.size() > 1 && directory.back() == '/') directory.pop_back();
    for (const auto& directory : directories) {
        const auto result = faxover::scenario::runScenario(directory);
        const std::string expectPath = directory + "/log.expect";
        std::ifstream expectFile(expectPath);
        std::ostringstream expected;
        expected << expectFile.rdbuf();
        bool ok = result.violations.empty();
        for (const auto& violation : result.violations) std::cerr << directory << ": " << violation << "\n";
        if (rewrite) {
            std::ofstream(expectPath) << result.log;
        } else if (!expectFile) {
            std::cerr << expectPath << ": missing; run with --rewrite and review it\n";
            ok = false;
        } else if (expected.str() != result.log) {
            std::cerr << directory << ": log differs from log.expect\n";
            printDifference(expected.str(), result.log);
            ok = false;
        }
        if (!ok) {
            std::cerr << "---- log of " << directory << "\n" << result.log;
            ++failed;
        }
        std::cout << (ok ? "ok     " : "FAILED ") << std::filesystem::path(directory).filename().string() << "\n";
    }
    return failed == 0 ? 0 : 1;
}
