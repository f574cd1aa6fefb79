#pragma once
// The admin commands of `faxover` (status, migrate, failover, failback, maintenance, suspend,
// resume, stop, fence confirm, demote, license status|audit, boards): parsed here, sent to the daemon through an AdminApi, answered on
// the console. Streams, terminal checks, the clock and sleeping are injected so tests can drive
// every command against a fake AdminApi. docs/cli.md is the user's side of this.
#include "faxover/orchestrator/Error.h"
#include "faxover/orchestrator/api/AdminApi.h"
#include "faxover/orchestrator/api/ApiEndpoint.h"

#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace faxover::orchestrator {

struct CliConsole {
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
    bool inputIsTerminal = false;   // questions may be asked (failover, fence confirm)
    bool outputIsTerminal = false;  // progress bars may redraw in place
    std::function<api::WallTime()> now = [] { return std::chrono::system_clock::now(); };
    std::function<void(std::chrono::milliseconds)> sleep = [](std::chrono::milliseconds pause) {
        std::this_thread::sleep_for(pause);
    };
};

// What an invocation without a command shows.
enum class AdminQuery { Status, Licences, LicenceAudit, Boards };
enum class AuditFormat { Table, Csv, Json };
// `license audit --since`: everything (monostate), from an instant, or a span back from when the
// command runs (24h, 7d).
using AuditSince = std::variant<std::monostate, api::WallTime, std::chrono::seconds>;

struct AdminInvocation {
    api::ApiEndpoint endpoint{};  // from --api, FAXOVER_API or the default
    bool json = false;            // --json: print the daemon's JSON (and do not follow a drain)
    bool yes = false;             // --yes: do not ask (failover, fence confirm, demote, and the cold
                                  // moves of migrate and maintenance enable)
    bool noWait = false;          // --no-wait: do not follow a maintenance drain or return
    std::optional<engine::AdminCommand> command{};  // empty: the query
    AdminQuery query = AdminQuery::Status;
    std::string service{};                     // status SERVICE: that service in detail; "" every one
    AuditSince since{};                        // license audit --since
    AuditFormat format = AuditFormat::Table;   // license audit --format (--json means Json)
    std::optional<std::string> help{};         // --help (or `faxover help ...`): print this, do nothing else
    bool operator==(const AdminInvocation&) const = default;
};

// True for the verbs that ask the admin first unless --yes: failover, fence confirm, demote.
bool asksFirst(engine::Verb verb);

// True for the verbs that ask the daemon for a dry run first and, when it moves a board-mode VM
// cold (an outage), show the expected outage and ask unless --yes: migrate, failback, maintenance
// enable.
bool asksBeforeColdMoves(engine::Verb verb);

// True for the first word of an admin command; main() hands those (and --api/--json) here.
bool isAdminCommand(const std::string& word);

// InvalidArgument, with a message for the user, on any usage error.
Result<AdminInvocation> parseAdminArguments(const std::vector<std::string>& arguments,
                                                const std::string& defaultApiAddress);

// Runs a parsed command against `api`; returns one of the kAdmin* exit codes.
int runAdminInvocation(const AdminInvocation& invocation, api::AdminApi& api, CliConsole& console);

// Parses, connects an ApiClient to the address and runs. `defaultApiAddress` is FAXOVER_API when
// set, else api::kDefaultApiAddress.
int runAdminCli(const std::vector<std::string>& arguments, const std::string& defaultApiAddress, CliConsole& console);

void printAdminUsage(std::ostream& out);

}  // namespace faxover::orchestrator
