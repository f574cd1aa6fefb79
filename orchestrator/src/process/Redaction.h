#pragma once
// Secrets out of what external programs print. A fence agent may echo its command line (an IPMI
// tool's `-P PASSWORD`), a licence step its key; their output reaches the log and the audit, and
// audit rows are never deleted. So every configured secret is replaced before the output leaves
// the process runner. Private to the orchestrator library.
#include <string>
#include <vector>

namespace faxover::orchestrator::process {

inline constexpr const char* kRedacted = "[redacted]";

// `text` with every occurrence of each non-empty secret replaced by kRedacted (longest first, so a
// secret that contains another is replaced whole).
std::string redact(std::string text, std::vector<std::string> secrets);

// The secrets a file holds: its whole content, and each of its lines, without line ends and
// surrounding blanks; none when it cannot be read.
std::vector<std::string> secretsInFile(const std::string& path);

}  // namespace faxover::orchestrator::process
