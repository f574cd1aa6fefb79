#pragma once
// `faxover daemon --policy FILE [--store PATH] [--api ADDRESS]`: monitors, engine, runtime, the
// store and the local API wired to the real ports (libvirt, fence agents, TCP probes). Runs until
// SIGTERM or SIGINT; SIGHUP reloads the policy (an invalid one is refused, the old one kept).
// docs/daemon.md describes it.
#include <ostream>
#include <string>
#include <vector>

namespace faxover::orchestrator {

inline constexpr const char* kDefaultStorePath = "/var/lib/faxover/faxover.db";

// Exit status: 0 after a clean stop, 1 when it cannot start (policy, store, API), 2 usage error.
int runDaemon(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);

}  // namespace faxover::orchestrator
