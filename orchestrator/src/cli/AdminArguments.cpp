// The admin command line: which command, its operands and options (AdminCli.h), and the usage
// text, from one table so the two cannot drift apart.
#include "cli/SinceArgument.h"
#include "faxover/orchestrator/AdminCli.h"

#include <algorithm>
#include <array>
#include <ostream>

namespace faxover::orchestrator {

namespace {

using engine::Verb;

// What follows a command's words on the command line.
enum class Operands { None, Service, ServiceAndOptionalHost, Host };

struct CommandShape {
    std::string_view words;  // "status", "maintenance enable", ...
    std::optional<Verb> verb;  // empty: a query, shown by `query`
    AdminQuery query;
    Operands operands;
    std::string_view synopsis;
};

constexpr std::array kCommands = {
    CommandShape{"status", std::nullopt, AdminQuery::Status, Operands::None, "status"},
    CommandShape{"migrate", Verb::Migrate, {}, Operands::ServiceAndOptionalHost, "migrate SERVICE [HOST] [--yes]"},
    CommandShape{"failover", Verb::Failover, {}, Operands::Service, "failover SERVICE [--yes]"},
    CommandShape{"failback", Verb::Failback, {}, Operands::Service, "failback SERVICE [--yes]"},
    CommandShape{"maintenance enable", Verb::MaintenanceEnable, {}, Operands::Host, "maintenance enable HOST [--no-wait] [--yes]"},
    CommandShape{"maintenance disable", Verb::MaintenanceDisable, {}, Operands::Host, "maintenance disable HOST"},
    CommandShape{"suspend", Verb::Suspend, {}, Operands::Service, "suspend SERVICE"},
    CommandShape{"resume", Verb::Resume, {}, Operands::Service, "resume SERVICE"},
    CommandShape{"stop", Verb::Stop, {}, Operands::Service, "stop SERVICE"},
    CommandShape{"fence confirm", Verb::FenceConfirm, {}, Operands::Host, "fence confirm HOST [--yes]"},
    CommandShape{"demote", Verb::Demote, {}, Operands::Service, "demote SERVICE [--yes]"},
    CommandShape{"license status", std::nullopt, AdminQuery::Licences, Operands::None, "license status"},
    CommandShape{"license audit", std::nullopt, AdminQuery::LicenceAudit, Operands::None,
                 "license audit [--since T] [--format table|csv|json]"},
    CommandShape{"boards", std::nullopt, AdminQuery::Boards, Operands::None, "boards"},
};

hv::Error usage(const std::string& message) { return hv::Error{hv::ErrorKind::InvalidArgument, message}; }

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// The API and the docs spell it "licence"; the command takes both spellings.
std::string canonicalWord(const std::string& word) { return word == "licence" ? "license" : word; }

// The command whose words start `words`: one word, or two for "maintenance ...", "fence ...", "license ...".
hv::Result<const CommandShape*> shapeOf(const std::vector<std::string>& words) {
    const std::string one = canonicalWord(words[0]);
    const std::string two = words.size() > 1 ? one + " " + words[1] : "";
    for (const auto& shape : kCommands) {
        if (shape.words == one || shape.words == two) return &shape;
    }
    if (one == "maintenance") return usage("maintenance takes enable or disable, then a HOST");
    if (one == "fence") return usage("fence takes confirm, then a HOST");
    if (one == "license") return usage("license takes status or audit");
    return usage("unknown command '" + words[0] + "'");
}

hv::Result<void> commandFrom(const std::vector<std::string>& words, AdminInvocation& invocation) {
    BOOST_OUTCOME_TRY(shape, shapeOf(words));
    const std::size_t wordCount = shape->words.find(' ') == std::string_view::npos ? 1 : 2;
    const std::vector<std::string> operands(words.begin() + static_cast<std::ptrdiff_t>(wordCount), words.end());
    const std::size_t least = shape->operands == Operands::None ? 0 : 1;
    const std::size_t most = shape->operands == Operands::None ? 0 : shape->operands == Operands::ServiceAndOptionalHost ? 2 : 1;
    if (operands.size() < least || operands.size() > most) {
        return usage("usage: faxover " + std::string(shape->synopsis));
    }
    if (!shape->verb) {
        invocation.query = shape->query;
        return hv::ok();
    }
    engine::AdminCommand command{*shape->verb, {}, {}, {}};
    if (shape->operands == Operands::Host) {
        command.host = operands[0];
    } else {
        command.service = operands[0];
        if (operands.size() > 1) command.host = operands[1];
    }
    invocation.command = command;
    return hv::ok();
}

hv::Result<AuditFormat> formatNamed(const std::string& name) {
    if (name == "table") return AuditFormat::Table;
    if (name == "csv") return AuditFormat::Csv;
    if (name == "json") return AuditFormat::Json;
    return usage("--format '" + name + "': expected table, csv or json");
}

// Options that only some commands take, given to the wrong one, or contradicting each other.
hv::Result<void> checkOptionsFit(const AdminInvocation& invocation, const std::optional<std::string>& format,
                                 bool sinceGiven) {
    const auto verb = invocation.command ? std::optional<Verb>(invocation.command->verb) : std::nullopt;
    if (invocation.yes && !(verb && (asksFirst(*verb) || asksBeforeColdMoves(*verb)))) {
        return usage("--yes goes with failover, failback, fence confirm, demote, migrate and maintenance enable");
    }
    if (invocation.noWait && verb != Verb::MaintenanceEnable) return usage("--no-wait goes with maintenance enable");
    const bool audit = !verb && invocation.query == AdminQuery::LicenceAudit;
    if (sinceGiven && !audit) return usage("--since goes with license audit");
    if (format && !audit) return usage("--format goes with license audit");
    if (format && invocation.json && invocation.format != AuditFormat::Json) {
        return usage("--json and --format " + *format + " contradict each other");
    }
    return hv::ok();
}

}  // namespace

bool asksFirst(Verb verb) { return verb == Verb::Failover || verb == Verb::FenceConfirm || verb == Verb::Demote; }

bool asksBeforeColdMoves(Verb verb) {
    return verb == Verb::Migrate || verb == Verb::Failback || verb == Verb::MaintenanceEnable;
}

bool isAdminCommand(const std::string& word) {
    const std::string canonical = canonicalWord(word);
    return std::any_of(kCommands.begin(), kCommands.end(), [&](const CommandShape& shape) {
        return shape.words.substr(0, shape.words.find(' ')) == canonical;
    });
}

hv::Result<AdminInvocation> parseAdminArguments(const std::vector<std::string>& arguments,
                                                const std::string& defaultApiAddress) {
    AdminInvocation invocation;
    std::string address = defaultApiAddress;
    std::optional<std::string> format;
    bool sinceGiven = false;
    std::vector<std::string> words;
    for (std::size_t index = 0; index < arguments.size(); ++index) {
        const std::string& argument = arguments[index];
        // --NAME VALUE or --NAME=VALUE; true when `argument` is option `name` (the value then in `value`).
        std::string value;
        auto valued = [&](std::string_view name, std::string_view what) -> hv::Result<bool> {
            if (argument == name) {
                if (index + 1 == arguments.size()) return usage(std::string(name) + " needs " + std::string(what));
                value = arguments[++index];
                return true;
            }
            if (!startsWith(argument, std::string(name) + "=")) return false;
            value = argument.substr(name.size() + 1);
            return true;
        };
        BOOST_OUTCOME_TRY(isApi, valued("--api", "an ADDRESS"));
        if (isApi) {
            address = value;
            continue;
        }
        BOOST_OUTCOME_TRY(isSince, valued("--since", "a time T"));
        if (isSince) {
            BOOST_OUTCOME_TRY(since, parseSinceArgument(value));
            invocation.since = since;
            sinceGiven = true;
            continue;
        }
        BOOST_OUTCOME_TRY(isFormat, valued("--format", "table, csv or json"));
        if (isFormat) {
            BOOST_OUTCOME_TRY(named, formatNamed(value));
            invocation.format = named;
            format = value;
        } else if (argument == "--json") {
            invocation.json = true;
        } else if (argument == "--yes" || argument == "-y") {
            invocation.yes = true;
        } else if (argument == "--no-wait") {
            invocation.noWait = true;
        } else if (startsWith(argument, "-")) {
            return usage("unknown option '" + argument + "'");
        } else {
            words.push_back(argument);
        }
    }
    if (words.empty()) return usage("name a command");
    BOOST_OUTCOME_TRY(endpoint, api::parseApiEndpoint(address));
    invocation.endpoint = endpoint;
    BOOST_OUTCOME_TRY(commandFrom(words, invocation));
    BOOST_OUTCOME_TRY(checkOptionsFit(invocation, format, sinceGiven));
    if (invocation.json && invocation.query == AdminQuery::LicenceAudit) invocation.format = AuditFormat::Json;
    return invocation;
}

void printAdminUsage(std::ostream& out) {
    out << "admin commands (sent to the running daemon):\n";
    for (const auto& shape : kCommands) out << "       faxover [--api ADDRESS] [--json] " << shape.synopsis << '\n';
    out << "ADDRESS is unix:/PATH or tcp:127.0.0.1:PORT (default " << api::kDefaultApiAddress
        << ", or $FAXOVER_API)\n"
           "T is an ISO 8601 date or date-time with its zone (2024-05-01, 2024-05-01T12:00Z), or a span back\n"
           "  from now (24h, 7d); license audit --format csv writes RFC 4180 CSV with a header row\n"
           "migrate and maintenance enable show the expected outage of each board-mode VM they would move cold\n"
           "  (shut down, moved, started with a free board) and ask first; --yes goes ahead without asking\n"
           "exit status: 0 done, 1 refused by the daemon (or not confirmed), 2 usage error, 3 daemon unreachable\n";
}

}  // namespace faxover::orchestrator
