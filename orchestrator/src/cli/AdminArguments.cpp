// The admin command line: which command, its operands and options (AdminCli.h), and the usage
// text, from one table so the two cannot drift apart.
#include "cli/SinceArgument.h"

#include <CLI/CLI.hpp>
#include "faxover/orchestrator/AdminCli.h"

#include <algorithm>
#include <array>
#include <map>
#include <ostream>

namespace faxover::orchestrator {

namespace {

using engine::Verb;

// What follows a command's words on the command line.
enum class Operands { None, OptionalService, Service, ServiceAndOptionalHost, Host };

struct CommandShape {
    std::string_view words;  // "status", "maintenance enable", ...
    std::optional<Verb> verb;  // empty: a query, shown by `query`
    AdminQuery query;
    Operands operands;
    std::string_view synopsis;
    std::string_view summary;  // one line for the help
};

constexpr std::array kCommands = {
    CommandShape{"status", std::nullopt, AdminQuery::Status, Operands::OptionalService, "status [SERVICE]",
                 "services and hosts as the daemon sees them; with SERVICE, its fax health in detail"},
    CommandShape{"migrate", Verb::Migrate, {}, Operands::ServiceAndOptionalHost, "migrate SERVICE [HOST] [--yes]",
                 "live-migrate SERVICE to HOST, or to the host the daemon picks"},
    CommandShape{"failover", Verb::Failover, {}, Operands::ServiceAndOptionalHost, "failover SERVICE [HOST] [--yes]",
                 "move SERVICE now by whatever recovery the policy allows (asks first)"},
    CommandShape{"failback", Verb::Failback, {}, Operands::Service, "failback SERVICE [--yes]",
                 "move SERVICE back to its most preferred host"},
    CommandShape{"maintenance enable", Verb::MaintenanceEnable, {}, Operands::Host,
                 "maintenance enable HOST [--no-wait] [--yes]", "drain HOST and keep new VMs off it"},
    CommandShape{"maintenance disable", Verb::MaintenanceDisable, {}, Operands::Host, "maintenance disable HOST [--no-wait]",
                 "let HOST take VMs again"},
    CommandShape{"suspend", Verb::Suspend, {}, Operands::Service, "suspend SERVICE", "stop monitoring SERVICE (no failover)"},
    CommandShape{"resume", Verb::Resume, {}, Operands::Service, "resume SERVICE", "monitor SERVICE again"},
    CommandShape{"stop", Verb::Stop, {}, Operands::Service, "stop SERVICE",
                 "stop monitoring SERVICE (IPFX's stop: the VM is left as it is)"},
    CommandShape{"fence confirm", Verb::FenceConfirm, {}, Operands::Host, "fence confirm HOST [--yes]",
                 "tell the daemon HOST is powered off (asks first)"},
    CommandShape{"demote", Verb::Demote, {}, Operands::Service, "demote SERVICE [--yes]",
                 "a standby gives back the seats it holds for its primaries (asks first)"},
    CommandShape{"vm stop", Verb::VmStop, {}, Operands::Service, "vm stop SERVICE [--yes]",
                 "shut SERVICE's VM down (graceful, then forced); it stays off until vm start (asks first)"},
    CommandShape{"vm start", Verb::VmStart, {}, Operands::Service, "vm start SERVICE",
                 "start a VM stopped by vm stop; recovery looks after it again"},
    CommandShape{"disable", Verb::Disable, {}, Operands::Service, "disable SERVICE [--yes]",
                 "shut SERVICE's VM down and take it out of service until enable (asks first)"},
    CommandShape{"enable", Verb::Enable, {}, Operands::Service, "enable SERVICE",
                 "put a disabled SERVICE back in service: it starts"},
    CommandShape{"license status", std::nullopt, AdminQuery::Licences, Operands::None, "license status",
                 "licences, their seats and who holds them"},
    CommandShape{"license audit", std::nullopt, AdminQuery::LicenceAudit, Operands::None,
                 "license audit [--since T] [--format table|csv|json]", "the licence audit log"},
    CommandShape{"boards", std::nullopt, AdminQuery::Boards, Operands::None, "boards",
                 "fax boards per host and their reservations"},
};

Error usage(const std::string& message) { return Error{ErrorKind::BadRequest, message}; }

// The API and the docs spell it "licence"; the command takes both spellings.
std::string canonicalWord(const std::string& word) { return word == "licence" ? "license" : word; }

constexpr const char* kExitStatus =
    "Exit status: 0 done, 1 refused by the daemon (or not confirmed), 2 usage error, 3 daemon unreachable.\n";

// What a valued option needs, for "--api needs an ADDRESS".
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kOptionValues{
    {{"--api", "an ADDRESS"}, {"--since", "a time T"}, {"--format", "table, csv or json"}}};

Result<AuditFormat> formatNamed(const std::string& name) {
    if (name == "table") return AuditFormat::Table;
    if (name == "csv") return AuditFormat::Csv;
    if (name == "json") return AuditFormat::Json;
    return usage("--format '" + name + "': expected table, csv or json");
}

// Options that only some commands take, given to the wrong one, or contradicting each other.
Result<void> checkOptionsFit(const AdminInvocation& invocation, const std::optional<std::string>& format,
                                 bool sinceGiven) {
    const auto verb = invocation.command ? std::optional<Verb>(invocation.command->verb) : std::nullopt;
    if (invocation.yes && !(verb && (asksFirst(*verb) || asksBeforeColdMoves(*verb)))) {
        return usage("--yes goes with failover, failback, fence confirm, demote, vm stop, disable SERVICE, migrate "
                     "and maintenance enable");
    }
    if (invocation.noWait && verb != Verb::MaintenanceEnable && verb != Verb::MaintenanceDisable)
        return usage("--no-wait goes with maintenance enable and disable");
    const bool audit = !verb && invocation.query == AdminQuery::LicenceAudit;
    if (sinceGiven && !audit) return usage("--since goes with license audit");
    if (format && !audit) return usage("--format goes with license audit");
    if (format && invocation.json && invocation.format != AuditFormat::Json) {
        return usage("--json and --format " + *format + " contradict each other");
    }
    return ok();
}

// The admin command line as CLI11 reads it (it replaced a hand-written loop: it gives every command
// and command group its own --help, and reads --opt=value, -y and option placement the usual way).
// Global options may come before or after the command's words: subcommands fall through to them.
// Each command of kCommands is a subcommand, under a group for two-word commands ("maintenance
// enable"). CLI11's errors are turned into this CLI's own messages, which name the mistake.
class AdminCommandLine {
public:
    explicit AdminCommandLine(const std::string& defaultApiAddress) : address_(defaultApiAddress) {
        app_.name("faxover");
        app_.description("Admin commands, sent to the running daemon (docs/cli.md).");
        app_.allow_extras();  // unknown words and options are reported below, in this CLI's words
        app_.set_help_flag("-h,--help", "show this help");
        // An option given twice: the last one counts, as with most Unix tools (and before CLI11).
        app_.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
        app_.add_option("--api", address_,
                        "the daemon's API: unix:/PATH or tcp:127.0.0.1:PORT (default " +
                            std::string(api::kDefaultApiAddress) + ", or $FAXOVER_API)")
            ->type_name("ADDRESS");
        app_.add_flag("--json", json_, "print the daemon's answer as JSON");
        app_.add_flag("-y,--yes", yes_,
                      "do not ask for confirmation (failover, fence confirm, demote, vm stop, disable; cold moves)");
        app_.add_flag("--no-wait", noWait_, "maintenance enable|disable: do not follow the drain or the return");
        since_ = app_.add_option("--since", sinceText_,
                                 "license audit: from T, an ISO 8601 date or date-time with its zone (2024-05-01, "
                                 "2024-05-01T12:00Z) or a span back from now (24h, 7d)")
                     ->type_name("T");
        format_ = app_.add_option("--format", formatText_, "license audit: table, csv (RFC 4180) or json")
                      ->type_name("FORMAT");
        app_.footer(kExitStatus);
        for (const CommandShape& shape : kCommands) addCommand(shape);
    }

    Result<AdminInvocation> parse(const std::vector<std::string>& arguments) {
        std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());  // CLI11 takes them so
        try {
            app_.parse(reversed);
        } catch (const CLI::CallForHelp&) {
            AdminInvocation help;
            help.help = app_.help();  // the help of the command named, or of them all
            return help;
        } catch (const CLI::ParseError& error) {
            return usage(explain(error));
        }
        BOOST_OUTCOME_TRY(chosen, chosenCommand());
        AdminInvocation invocation;
        BOOST_OUTCOME_TRY(endpoint, api::parseApiEndpoint(address_));
        invocation.endpoint = endpoint;
        invocation.json = json_;
        invocation.yes = yes_;
        invocation.noWait = noWait_;
        if (!since_->empty()) {
            BOOST_OUTCOME_TRY(since, parseSinceArgument(sinceText_));
            invocation.since = since;
        }
        if (!format_->empty()) {
            BOOST_OUTCOME_TRY(named, formatNamed(formatText_));
            invocation.format = named;
        }
        const Chosen& command = chosen;
        if (!command.shape->verb) {
            invocation.query = command.shape->query;
            if (!command.operands.empty()) invocation.service = command.operands.front();
        } else {
            engine::AdminCommand admin{*command.shape->verb, {}, {}, {}};
            if (command.shape->operands == Operands::Host) {
                admin.host = command.operands.at(0);
            } else {
                admin.service = command.operands.at(0);
                if (command.operands.size() > 1) admin.host = command.operands[1];
            }
            invocation.command = admin;
        }
        BOOST_OUTCOME_TRY(checkOptionsFit(invocation, format_->empty() ? std::nullopt : std::optional(formatText_),
                                          !since_->empty()));
        if (invocation.json && invocation.query == AdminQuery::LicenceAudit) invocation.format = AuditFormat::Json;
        return invocation;
    }

private:
    struct Chosen {
        const CommandShape* shape = nullptr;
        std::vector<std::string> operands;
    };

    void addCommand(const CommandShape& shape) {
        const std::string words(shape.words);
        const auto space = words.find(' ');
        CLI::App* parent = &app_;
        std::string name = words;
        if (space != std::string::npos) {
            const std::string group = words.substr(0, space);
            name = words.substr(space + 1);
            parent = groups_[group];
            if (parent == nullptr) {
                parent = groups_[group] = app_.add_subcommand(group, groupDescription(group));
                parent->fallthrough();
                parent->allow_extras();
                if (group == "license") parent->alias("licence");
            }
        }
        CLI::App* command = parent->add_subcommand(name, std::string(shape.summary));
        command->footer("Synopsis: faxover " + std::string(shape.synopsis) +
                        "\nOptions of every admin command: --api ADDRESS, --json (faxover --help).\n" + kExitStatus);
        command->fallthrough();
        command->allow_extras();  // more operands than it takes: this CLI's usage message
        auto& operands = operands_[command];
        if (shape.operands == Operands::Service || shape.operands == Operands::ServiceAndOptionalHost)
            command->add_option("SERVICE", operands.first, "the service, as the policy names it");
        if (shape.operands == Operands::OptionalService)
            command->add_option("SERVICE", operands.first, "show this service in detail (default: every service and host)");
        if (shape.operands == Operands::Host) command->add_option("HOST", operands.first, "the host, as the policy names it");
        if (shape.operands == Operands::ServiceAndOptionalHost)
            command->add_option("HOST", operands.second, "the host to move it to (default: the daemon picks)");
        shapes_[command] = &shape;
    }

    static std::string groupDescription(const std::string& group) {
        if (group == "maintenance") return "Drain a host for maintenance, or end it: maintenance enable|disable HOST.";
        if (group == "fence") return "Confirm a host is off: fence confirm HOST.";
        if (group == "vm") return "Stop or start a service's VM (not its monitoring): vm stop|start SERVICE.";
        return "Licences: license status, license audit.";
    }

    // The one command the words named, with its operands; or what is wrong with the words.
    Result<Chosen> chosenCommand() const {
        const CLI::App* at = &app_;
        while (!at->get_subcommands().empty()) at = at->get_subcommands().front();
        // Words no command took, wherever they were written (subcommands pass them up).
        const std::vector<std::string> extras = app_.remaining(true);
        for (const std::string& extra : extras) {
            if (extra.starts_with("-")) return usage("unknown option '" + extra + "'");
        }
        const auto shape = shapes_.find(at);
        if (shape == shapes_.end()) {
            if (at == &app_) return usage(extras.empty() ? "name a command" : "unknown command '" + extras.front() + "'");
            const std::string group = at->get_name();
            if (group == "maintenance") return usage("maintenance takes enable or disable, then a HOST");
            if (group == "fence") return usage("fence takes confirm, then a HOST");
            if (group == "vm") return usage("vm takes stop or start, then a SERVICE");
            return usage("license takes status or audit");
        }
        const auto& [first, second] = operands_.at(at);
        Chosen chosen{shape->second, {}};
        if (!first.empty()) chosen.operands.push_back(first);
        if (!second.empty()) chosen.operands.push_back(second);
        const Operands wanted = chosen.shape->operands;
        const std::size_t least = wanted == Operands::None || wanted == Operands::OptionalService ? 0 : 1;
        if (chosen.operands.size() < least || !extras.empty()) return usage("usage: faxover " + std::string(chosen.shape->synopsis));
        return chosen;
    }

    static std::string explain(const CLI::ParseError& error) {
        const std::string what = error.what();
        for (const auto& [option, value] : kOptionValues) {
            if (what.starts_with(std::string(option) + ":")) return std::string(option) + " needs " + std::string(value);
        }
        return what;
    }

    CLI::App app_;
    std::string address_;
    bool json_ = false;
    bool yes_ = false;
    bool noWait_ = false;
    std::string sinceText_;
    std::string formatText_;
    CLI::Option* since_ = nullptr;
    CLI::Option* format_ = nullptr;
    std::map<std::string, CLI::App*> groups_;  // "maintenance", "fence", "vm", "license"
    std::map<const CLI::App*, const CommandShape*> shapes_;
    std::map<const CLI::App*, std::pair<std::string, std::string>> operands_;
};

}  // namespace

bool asksFirst(Verb verb) {
    return verb == Verb::Failover || verb == Verb::FenceConfirm || verb == Verb::Demote || verb == Verb::VmStop ||
           verb == Verb::Disable;
}

bool asksBeforeColdMoves(Verb verb) {
    return verb == Verb::Migrate || verb == Verb::Failback || verb == Verb::MaintenanceEnable;
}

bool isAdminCommand(const std::string& word) {
    const std::string canonical = canonicalWord(word);
    return std::any_of(kCommands.begin(), kCommands.end(), [&](const CommandShape& shape) {
        return shape.words.substr(0, shape.words.find(' ')) == canonical;
    });
}

Result<AdminInvocation> parseAdminArguments(const std::vector<std::string>& arguments,
                                                const std::string& defaultApiAddress) {
    return AdminCommandLine(defaultApiAddress).parse(arguments);
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
