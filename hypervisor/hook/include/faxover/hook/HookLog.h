#pragma once
// One line per decision, appended to the host's log file (default /var/log/libvirt/faxover-hook.log):
// "TIME HOST prepare begin: LINE". Returns the error when the file cannot be written.
#include "faxover/hook/Result.h"

#include <string>

namespace faxover::hook {

Result<void> appendLog(const std::string& path, const std::string& host, const std::string& line);

}  // namespace faxover::hook
