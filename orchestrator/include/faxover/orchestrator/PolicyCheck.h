#pragma once
// `faxover policy check FILE...`: loads each policy file and prints "FILE: ok (N hosts, M services)"
// or every error as FILE:LINE:COLUMN: KEY: MESSAGE.
#include <iosfwd>
#include <string>
#include <vector>

namespace faxover::orchestrator {

inline constexpr int kPolicyCheckOk = 0;
inline constexpr int kPolicyCheckInvalid = 1;  // some file has errors
inline constexpr int kPolicyCheckUsage = 2;    // bad arguments, or some file could not be read

// Checks every file (one bad file does not stop the others); reports go to `out`, usage and
// unreadable files to `err`. Returns the worst status over all files.
int runPolicyCheck(const std::vector<std::string>& files, std::ostream& out, std::ostream& err);

// `faxover policy SUBCOMMAND ...` with the arguments after "policy".
int runPolicyCommand(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);

}  // namespace faxover::orchestrator
