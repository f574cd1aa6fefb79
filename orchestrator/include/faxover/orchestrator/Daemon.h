#pragma once
// `faxover daemon --policy FILE [--store PATH] [--api ADDRESS] [--hook-listen ADDRESS:PORT]`:
// monitors, engine, runtime, the store, the local API and (with --hook-listen) the read-only
// listener of the hosts' libvirt hooks, wired to the real ports (libvirt, fence agents, TCP probes). Runs until
// SIGTERM or SIGINT; SIGHUP reloads the policy (an invalid one is refused, the old one kept).
// docs/daemon.md describes it.
#include <ostream>
#include <string>
#include <vector>

namespace faxover::orchestrator {

inline constexpr const char* kDefaultStorePath = "/var/lib/faxover/faxover.db";

// Exit status: 0 after a clean stop, 1 when it cannot start (policy, store, API or hook listener
// address taken or unresolvable), 2 usage error (a malformed --api or --hook-listen included).
int runDaemon(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);

}  // namespace faxover::orchestrator
