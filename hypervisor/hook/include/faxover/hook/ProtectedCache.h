#pragma once
// The protected domains the orchestrator listed in its last answer, kept on the host so that the
// hook can fail closed for exactly these while the orchestrator cannot be reached.
#include "faxover/hook/Result.h"

#include <string>
#include <vector>

namespace faxover::hook {

// Missing file: an empty list (no answer was ever received; nothing is known to be protected).
Result<std::vector<std::string>> readProtectedCache(const std::string& path);
// Atomic: a temporary file next to it, fsync, rename; creates the folder if needed.
Result<void> writeProtectedCache(const std::string& path, const std::vector<std::string>& domains,
                                 const std::string& source);

}  // namespace faxover::hook
