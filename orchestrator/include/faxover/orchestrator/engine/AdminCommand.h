#pragma once
// What an admin asks of the cluster: a verb and what it names. The engine decides service verbs
// (Commands.cpp), the runtime host verbs; the admin API and the CLI carry these values to them
// (api/AdminApi.h), so the type is the engine's and the outer layers depend on it.
#include <optional>
#include <string>
#include <string_view>

namespace faxover::orchestrator::engine {

enum class Verb {
    Migrate,             // live-migrate service to host (host empty: the engine picks)
    Failover,            // move service now, by the recovery the policy allows
    Failback,            // move service back to its preferred host
    MaintenanceEnable,   // drain host: live-migrate its services away, take nothing new
    MaintenanceDisable,
    Suspend,             // pause monitoring of service (IPFX: data sync goes on)
    Resume,              // monitor service again
    Stop,                // stop monitoring and sync of service (the VM is left as it is)
    FenceConfirm,        // an admin confirms host is powered off (manual fencing)
    Demote,              // a promoted standby gives back the seats it holds for its primaries
};
// The wire and the CLI share these names: "migrate", "failover", ..., "maintenance-enable", "fence-confirm"
const char* toString(Verb verb);
std::optional<Verb> verbNamed(std::string_view name);

struct AdminCommand {
    Verb verb = Verb::Migrate;
    std::string service{};  // Migrate, Failover, Failback, Suspend, Resume, Stop, Demote
    std::string host{};     // Migrate (optional), Maintenance*, FenceConfirm
    // Who asked, for the audit log; set by the server, never taken from the request body:
    //   "admin:NAME"      over the unix socket, NAME from the peer's uid (SO_PEERCRED)
    //   "tcp:admin:NAME"  over loopback TCP, NAME as the client claims it (X-Faxover-User): unverified
    std::string actor{};
    bool operator==(const AdminCommand&) const = default;
};

}  // namespace faxover::orchestrator::engine
