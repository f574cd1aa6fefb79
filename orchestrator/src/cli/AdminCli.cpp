#include "faxover/orchestrator/AdminCli.h"

#include "cli/CliErrors.h"
#include "cli/DrainWatch.h"
#include "cli/StatusTable.h"
#include "faxover/orchestrator/api/ApiClient.h"
#include "faxover/orchestrator/api/Json.h"

#include <algorithm>
#include <array>
#include <istream>
#include <ostream>

namespace faxover::orchestrator {

namespace {

using api::Verb;

// What follows a command's words on the command line.
enum class Operands { None, Service, ServiceAndOptionalHost, Host };

struct CommandShape {
    std::string_view words;  // "status", "maintenance enable", ...
    std::optional<Verb> verb;
    Operands operands;
    std::string_view synopsis;
};

constexpr std::array kCommands = {
    CommandShape{"status", std::nullopt, Operands::None, "status"},
    CommandShape{"migrate", Verb::Migrate, Operands::ServiceAndOptionalHost, "migrate SERVICE [HOST]"},
    CommandShape{"failover", Verb::Failover, Operands::Service, "failover SERVICE [--yes]"},
    CommandShape{"failback", Verb::Failback, Operands::Service, "failback SERVICE"},
    CommandShape{"maintenance enable", Verb::MaintenanceEnable, Operands::Host, "maintenance enable HOST [--no-wait]"},
    CommandShape{"maintenance disable", Verb::MaintenanceDisable, Operands::Host, "maintenance disable HOST"},
    CommandShape{"suspend", Verb::Suspend, Operands::Service, "suspend SERVICE"},
    CommandShape{"resume", Verb::Resume, Operands::Service, "resume SERVICE"},
    CommandShape{"stop", Verb::Stop, Operands::Service, "stop SERVICE"},
    CommandShape{"fence confirm", Verb::FenceConfirm, Operands::Host, "fence confirm HOST [--yes]"},
};

hv::Error usage(const std::string& message) { return hv::Error{hv::ErrorKind::InvalidArgument, message}; }

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// The command whose words start `words`: one word, or two for "maintenance ..." and "fence ...".
hv::Result<const CommandShape*> shapeOf(const std::vector<std::string>& words) {
    const std::string two = words.size() > 1 ? words[0] + " " + words[1] : "";
    for (const auto& shape : kCommands) {
        if (shape.words == words[0] || shape.words == two) return &shape;
    }
    if (words[0] == "maintenance") return usage("maintenance takes enable or disable, then a HOST");
    if (words[0] == "fence") return usage("fence takes confirm, then a HOST");
    return usage("unknown command '" + words[0] + "'");
}

hv::Result<std::optional<api::AdminCommand>> commandFrom(const std::vector<std::string>& words) {
    BOOST_OUTCOME_TRY(shape, shapeOf(words));
    const std::size_t wordCount = shape->words.find(' ') == std::string_view::npos ? 1 : 2;
    const std::vector<std::string> operands(words.begin() + static_cast<std::ptrdiff_t>(wordCount), words.end());
    const std::size_t least = shape->operands == Operands::None ? 0 : 1;
    const std::size_t most = shape->operands == Operands::None ? 0 : shape->operands == Operands::ServiceAndOptionalHost ? 2 : 1;
    if (operands.size() < least || operands.size() > most) {
        return usage("usage: faxover " + std::string(shape->synopsis));
    }
    if (!shape->verb) return std::optional<api::AdminCommand>{};
    api::AdminCommand command{*shape->verb, {}, {}, {}};
    if (shape->operands == Operands::Host) {
        command.host = operands[0];
    } else {
        command.service = operands[0];
        if (operands.size() > 1) command.host = operands[1];
    }
    return std::optional<api::AdminCommand>{command};
}

bool asksFirst(Verb verb) { return verb == Verb::Failover || verb == Verb::FenceConfirm; }

hv::Result<void> checkOptionsFit(const AdminInvocation& invocation) {
    const auto verb = invocation.command ? std::optional<Verb>(invocation.command->verb) : std::nullopt;
    if (invocation.yes && !(verb && asksFirst(*verb))) return usage("--yes goes with failover and fence confirm");
    if (invocation.noWait && verb != Verb::MaintenanceEnable) return usage("--no-wait goes with maintenance enable");
    return hv::ok();
}

std::string question(const api::AdminCommand& command, const std::string& currentHost) {
    if (command.verb == Verb::FenceConfirm) {
        return "This tells Faxover that " + command.host +
               " is powered off, so its VMs may be started on other hosts.\n"
               "If " + command.host + " is in fact still running them, each VM runs twice (two fax servers with one "
               "licence and the same numbers).\nConfirm that " + command.host + " is powered off? [y/N] ";
    }
    return "Fail over " + command.service + (currentHost.empty() ? "" : " from " + currentHost) + "? [y/N] ";
}

std::string hostOf(const api::ClusterStatus& status, const std::string& service) {
    for (const auto& each : status.services) {
        if (each.name == service) return each.host;
    }
    return {};
}

bool saysYes(std::istream& in) {
    std::string answer;
    if (!std::getline(in, answer)) return false;
    std::transform(answer.begin(), answer.end(), answer.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return answer == "y" || answer == "yes";
}

// kAdminOk when the admin said yes; otherwise the exit code to end with.
int confirm(const api::AdminCommand& command, api::AdminApi& api, CliConsole& console) {
    const std::string what = std::string(api::toString(command.verb)) + " " +
                             (command.verb == Verb::FenceConfirm ? command.host : command.service);
    if (!console.inputIsTerminal) {
        console.err << "faxover: " << what << " needs a confirmation and there is no terminal to ask on: pass --yes\n";
        return kAdminUsage;
    }
    std::string currentHost;
    if (command.verb == Verb::Failover) {
        auto status = api.status();
        if (!status) return reportError(status.error(), console.err);
        currentHost = hostOf(status.value(), command.service);
    }
    console.out << question(command, currentHost) << std::flush;
    if (saysYes(console.in)) return kAdminOk;
    console.err << "faxover: not confirmed, nothing done\n";
    return kAdminRefused;
}

int showStatus(const AdminInvocation& invocation, api::AdminApi& api, CliConsole& console) {
    auto status = api.status();
    if (!status) return reportError(status.error(), console.err);
    if (invocation.json) {
        console.out << api::toJson(status.value(), api::JsonStyle::Indented) << '\n';
    } else {
        printStatusTables(status.value(), console.now(), console.out);
    }
    return kAdminOk;
}

}  // namespace

bool isAdminCommand(const std::string& word) {
    return std::any_of(kCommands.begin(), kCommands.end(),
                       [&](const CommandShape& shape) { return shape.words.substr(0, shape.words.find(' ')) == word; });
}

hv::Result<AdminInvocation> parseAdminArguments(const std::vector<std::string>& arguments,
                                                const std::string& defaultApiAddress) {
    AdminInvocation invocation;
    std::string address = defaultApiAddress;
    std::vector<std::string> words;
    for (std::size_t index = 0; index < arguments.size(); ++index) {
        const std::string& argument = arguments[index];
        if (argument == "--api") {
            if (index + 1 == arguments.size()) return usage("--api needs an ADDRESS");
            address = arguments[++index];
        } else if (startsWith(argument, "--api=")) {
            address = argument.substr(6);
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
    BOOST_OUTCOME_TRY(command, commandFrom(words));
    invocation.endpoint = endpoint;
    invocation.command = command;
    BOOST_OUTCOME_TRY(checkOptionsFit(invocation));
    return invocation;
}

int runAdminInvocation(const AdminInvocation& invocation, api::AdminApi& api, CliConsole& console) {
    if (!invocation.command) return showStatus(invocation, api, console);
    const api::AdminCommand& command = *invocation.command;
    if (asksFirst(command.verb) && !invocation.yes) {
        if (const int answer = confirm(command, api, console); answer != kAdminOk) return answer;
    }
    auto reply = api.execute(command);
    if (!reply) return reportError(reply.error(), console.err);
    if (invocation.json) {
        console.out << api::toJson(reply.value()) << '\n';
        return kAdminOk;
    }
    console.out << reply.value().message << '\n';
    if (command.verb == Verb::MaintenanceEnable && !invocation.noWait) return watchDrain(api, command.host, console);
    return kAdminOk;
}

int runAdminCli(const std::vector<std::string>& arguments, const std::string& defaultApiAddress, CliConsole& console) {
    auto invocation = parseAdminArguments(arguments, defaultApiAddress);
    if (!invocation) {
        console.err << "faxover: " << invocation.error().message << "\n(faxover --help lists the commands)\n";
        return kAdminUsage;
    }
    api::ApiClient client(invocation.value().endpoint);
    return runAdminInvocation(invocation.value(), client, console);
}

void printAdminUsage(std::ostream& out) {
    out << "admin commands (sent to the running daemon):\n";
    for (const auto& shape : kCommands) out << "       faxover [--api ADDRESS] [--json] " << shape.synopsis << '\n';
    out << "ADDRESS is unix:/PATH or tcp:127.0.0.1:PORT (default " << api::kDefaultApiAddress
        << ", or $FAXOVER_API)\n"
           "exit status: 0 done, 1 refused by the daemon (or not confirmed), 2 usage error, 3 daemon unreachable\n";
}

}  // namespace faxover::orchestrator
