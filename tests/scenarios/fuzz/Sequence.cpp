#include "Sequence.h"

#include "RandomCluster.h"
#include "Steps.h"

#include <fstream>
#include <unistd.h>

namespace faxover::fuzz {

namespace fs = std::filesystem;

namespace {

scenario::ReplayHooks hooksFor(const Workspace& workspace, const FuzzOptions& options) {
    scenario::ReplayHooks hooks;
    hooks.invariants.seatsInUse = options.ledgerCheck;
    hooks.invariants.ledgerMatchesReality = options.ledgerCheck;
    hooks.storeDirectory = workspace.root();
    return hooks;
}

}  // namespace

Workspace::Workspace() {
    const fs::path shm = "/dev/shm";
    root_ = (fs::is_directory(shm) ? shm : fs::temp_directory_path()) / ("faxover-fuzz-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(sequence());
    // Cluster.cpp finds templates in the scenario directory's parent's `domains`.
    fs::create_directory_symlink(FAXOVER_SCENARIO_DOMAINS, root_ / "domains");
}

Workspace::~Workspace() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
}

std::string commandsText(const std::vector<std::string>& commands) {
    std::string text;
    for (const auto& command : commands) text += command + "\n";
    return text;
}

void writeScenario(const SequenceFiles& files, const fs::path& directory) {
    fs::create_directories(directory);
    std::ofstream(directory / "README") << files.readme << "\n";
    std::ofstream(directory / "policy.yaml") << files.policy;
    std::ofstream(directory / "cluster.yaml") << files.cluster;
    std::ofstream(directory / "commands") << commandsText(files.commands);
}

SequenceRun runRandomSequence(std::uint64_t seed, const std::string& label, const Workspace& workspace,
                              const FuzzOptions& options) {
    std::mt19937_64 random(seed);
    const ClusterModel cluster = randomCluster(random, ClusterOptions{options.promotion, options.ledgerCheck, options.boards});
    StepGenerator steps(random, cluster, StepOptions{options.promotion, options.boards});
    SequenceFiles files{"Found by fault_fuzzer (" + label + "): " + cluster.summary, cluster.policyYaml,
                        cluster.clusterYaml, {}};
    writeScenario(files, workspace.sequence());
    fs::remove(workspace.sequence() / "commands");  // the generator gives them, one at a time
    auto hooks = hooksFor(workspace, options);
    hooks.nextCommand = [&steps](const scenario::ReplayView& view) { return steps.next(view); };
    auto result = scenario::runScenario(workspace.sequence().string(), hooks);
    files.commands = steps.commands();
    return {std::move(files), std::move(result)};
}

scenario::ScenarioResult replayFiles(const SequenceFiles& files, const Workspace& workspace, const FuzzOptions& options) {
    writeScenario(files, workspace.sequence());
    return scenario::runScenario(workspace.sequence().string(), hooksFor(workspace, options));
}

bool brokeInvariant(const scenario::ScenarioResult& result) {
    for (const auto& violation : result.violations)
        if (violation.find("INVARIANT VIOLATED") != std::string::npos) return true;
    return false;
}

}  // namespace faxover::fuzz
