#include "faxover/orchestrator/PolicyCheck.h"

#include "faxover/policies/PolicyLoader.h"

#include <algorithm>
#include <ostream>

namespace faxover::orchestrator {

namespace {

void printPolicyUsage(std::ostream& out) {
    out << "usage: faxover policy check FILE...\n"
           "check: loads each policy file and prints 'FILE: ok (N hosts, M services)' or every error as\n"
           "       FILE:LINE:COLUMN: KEY: MESSAGE (docs/policy.md describes the format)\n"
           "exit status: 0 all files valid, 1 some file has errors, 2 usage error or unreadable file\n";
}

std::string counted(std::size_t count, const std::string& noun) {
    return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

bool unreadable(const policy::PolicyLoad& load) {
    return std::any_of(load.errors.begin(), load.errors.end(), [](const policy::PolicyError& error) {
        return error.kind == policy::PolicyErrorKind::FileUnreadable;
    });
}

int checkOne(const std::string& file, std::ostream& out, std::ostream& err) {
    const policy::PolicyLoad load = policy::loadPolicyFile(file);
    if (load.ok()) {
        out << file << ": ok (" << counted(load.policy->hosts.size(), "host") << ", "
            << counted(load.policy->services.size(), "service") << ")\n";
        for (const auto& warning : load.warnings) out << warning.toString() << "\n";
        return kPolicyCheckOk;
    }
    if (unreadable(load)) {
        for (const auto& error : load.errors) err << "faxover policy check: " << error.toString() << "\n";
        return kPolicyCheckUsage;
    }
    for (const auto& error : load.errors) out << error.toString() << "\n";
    return kPolicyCheckInvalid;
}

}  // namespace

int runPolicyCheck(const std::vector<std::string>& files, std::ostream& out, std::ostream& err) {
    if (files.empty()) {
        err << "faxover policy check: name at least one FILE\n";
        printPolicyUsage(err);
        return kPolicyCheckUsage;
    }
    int worst = kPolicyCheckOk;
    for (const auto& file : files) worst = std::max(worst, checkOne(file, out, err));
    return worst;
}

int runPolicyCommand(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
    const auto asksHelp = [](const std::string& word) { return word == "--help" || word == "-h"; };
    if (std::any_of(arguments.begin(), arguments.end(), asksHelp)) {
        printPolicyUsage(out);
        return kPolicyCheckOk;
    }
    if (arguments.empty() || arguments.front() != "check") {
        err << (arguments.empty() ? std::string("faxover policy: name a subcommand\n")
                                  : "faxover policy: unknown subcommand '" + arguments.front() + "'\n");
        printPolicyUsage(err);
        return kPolicyCheckUsage;
    }
    return runPolicyCheck({arguments.begin() + 1, arguments.end()}, out, err);
}

}  // namespace faxover::orchestrator
