// fault_fuzzer [--sequences N] [--seed S] [--save DIR] [--verbose] [--no-ledger-check] [--promotion]
//              [--boards] [--first I] [--print] | --self-test
//
// Random fault sequences against the daemon's real runtime, engine, monitor and store on the
// simulated hypervisor (tests/scenarios/README.md, "The fault fuzzer"). Every sequence is a
// scenario; the invariants are checked after every command and every monitoring round. The first
// sequence that breaks one is shrunk and printed as a scenario directory's files (and written to
// DIR with --save) for scenario_runner. Exit 0 when nothing was broken.
#include "SelfTest.h"
#include "Sequence.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

namespace {

using namespace faxover;

struct Arguments {
    long sequences = 1000;
    long first = 0;      // index of the first sequence: `--first I --sequences 1` reruns sequence I
    bool print = false;  // print every sequence's files and log
    bool selfTest = false;
    std::uint64_t seed = 42;
    std::string save;
    bool verbose = false;
    fuzz::FuzzOptions options;
};

constexpr const char* kUsage =
    "usage: fault_fuzzer [--sequences N] [--seed S] [--save DIR] [--verbose] [--no-ledger-check] [--promotion]\n"
    "                    [--boards] [--first I] [--print] | --self-test\n";

bool parse(int argc, char** argv, Arguments& arguments) {
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        const bool hasValue = i + 1 < argc;
        if (argument == "--sequences" && hasValue) arguments.sequences = std::stol(argv[++i]);
        else if (argument == "--seed" && hasValue) arguments.seed = std::stoull(argv[++i]);
        else if (argument == "--save" && hasValue) arguments.save = argv[++i];
        else if (argument == "--first" && hasValue) arguments.first = std::stol(argv[++i]);
        else if (argument == "--verbose") arguments.verbose = true;
        else if (argument == "--print") arguments.print = true;
        else if (argument == "--self-test") arguments.selfTest = true;
        else if (argument == "--no-ledger-check") arguments.options.ledgerCheck = false;
        else if (argument == "--promotion") arguments.options.promotion = true;
        else if (argument == "--boards") arguments.options.boards = true;
        else return false;
    }
    return arguments.sequences > 0 && arguments.first >= 0;
}

// SplitMix64: sequence i's seed, so one sequence can be told apart and rerun on its own.
std::uint64_t sequenceSeed(std::uint64_t seed, long index) {
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(index + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void printScenario(const fuzz::SequenceFiles& files, const scenario::ScenarioResult& result) {
    std::cout << "==== README\n" << files.readme << "\n==== policy.yaml\n" << files.policy << "==== cluster.yaml\n"
              << files.cluster << "==== commands\n" << fuzz::commandsText(files.commands);
    for (const auto& violation : result.violations) std::cout << "==== violation: " << violation << "\n";
    std::cout << "==== log\n" << result.log;
}

// Shrinks, prints and saves the failing sequence; says whether its files reproduce it.
void report(fuzz::SequenceRun failed, const fuzz::Workspace& workspace, const Arguments& arguments) {
    std::cout << "fault_fuzzer: " << failed.files.readme << "\n";
    for (const auto& violation : failed.result.violations) std::cout << "  " << violation << "\n";
    const auto replayed = fuzz::replayFiles(failed.files, workspace, arguments.options);
    auto files = failed.files;
    if (!fuzz::brokeInvariant(failed.result)) {
        std::cout << "fault_fuzzer: a scenario error, not a broken invariant: a fuzzer bug\n";
    } else if (!fuzz::brokeInvariant(replayed)) {
        std::cout << "fault_fuzzer: NOT reproduced when replayed from its files (nondeterminism?); unshrunk:\n";
    } else {
        files = fuzz::minimize(files, workspace, arguments.options);
        std::cout << "fault_fuzzer: shrunk from " << failed.files.commands.size() << " to " << files.commands.size()
                  << " commands\n";
    }
    printScenario(files, fuzz::replayFiles(files, workspace, arguments.options));
    if (!arguments.save.empty()) {
        fuzz::writeScenario(files, arguments.save);
        std::cout << "fault_fuzzer: saved to " << arguments.save << " (under tests/scenarios/, then "
                  << "scenario_runner --rewrite it to write log.expect)\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
    Arguments arguments;
    try {
        if (!parse(argc, argv, arguments)) {
            std::cerr << kUsage;
            return 2;
        }
    } catch (const std::exception&) {
        std::cerr << kUsage;
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    const fuzz::Workspace workspace;
    if (arguments.selfTest) return fuzz::selfTest(workspace);
    long sequences = 0, violations = 0;
    std::size_t steps = 0, checks = 0;
    for (long i = arguments.first; i < arguments.first + arguments.sequences && violations == 0; ++i) {
        const auto seed = sequenceSeed(arguments.seed, i);
        const std::string label = "seed " + std::to_string(arguments.seed) + ", sequence " + std::to_string(i);
        auto run = fuzz::runRandomSequence(seed, label, workspace, arguments.options);
        ++sequences;
        steps += run.result.steps;
        checks += run.result.checks;
        if (arguments.verbose)
            std::cout << label << ": " << run.files.commands.size() << " commands, " << run.result.steps << " steps\n";
        if (arguments.print) printScenario(run.files, run.result);
        if (!run.result.violations.empty()) {
            violations = static_cast<long>(run.result.violations.size());
            report(std::move(run), workspace, arguments);
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, "%.1f", seconds);
    std::cout << "fault_fuzzer: " << sequences << " sequences, " << steps << " steps, " << checks << " checks, "
              << violations << " violations (seed " << arguments.seed << ", " << elapsed << " s)\n";
    return violations == 0 ? 0 : 1;
}
