// Running a parsed admin command (AdminArguments.cpp parses): confirmations, the request, and
// its answer on the console.
#include "faxover/orchestrator/AdminCli.h"

#include "cli/BoardOutput.h"
#include "cli/CliErrors.h"
#include "cli/ColdMoveNotice.h"
#include "cli/Confirmation.h"
#include "cli/DrainWatch.h"
#include "cli/LicenceOutput.h"
#include "cli/SinceArgument.h"
#include "cli/FaxOutput.h"
#include "cli/StatusTable.h"
#include "faxover/orchestrator/api/ApiClient.h"
#include "faxover/orchestrator/api/Json.h"

#include <algorithm>
#include <istream>
#include <ostream>

namespace faxover::orchestrator {

namespace {

using engine::Verb;

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
    return text;
}

std::string question(const engine::AdminCommand& command, const std::string& context) {
    if (command.verb == Verb::FenceConfirm) {
        return "This tells Faxover that " + command.host +
               " is powered off, so its VMs may be started on other hosts.\n"
               "If " + command.host + " is in fact still running them, each VM runs twice (two fax servers with one "
               "licence and the same numbers).\nConfirm that " + command.host + " is powered off? [y/N] ";
    }
    if (command.verb == Verb::Demote) {
        return "A demoted standby gives back the seats it holds for its primaries and stops standing in for them" +
               (context.empty() ? std::string() : " (" + command.service + " stands in for " + context + ")") +
               ".\nDemote " + command.service + "? [y/N] ";
    }
    if (command.verb == Verb::VmStop || command.verb == Verb::Disable) {
        const bool disable = command.verb == Verb::Disable;
        return "This shuts " + command.service + "'s VM down (ACPI, then forced after its shutdown timeout): no faxes " +
               "until 'faxover " + (disable ? "enable " : "vm start ") + command.service +
               "', and its licence seat is given back.\n" + (disable ? "Disable " : "Stop the VM of ") +
               command.service + "? [y/N] ";
    }
    return "Fail over " + command.service + (context.empty() ? "" : " from " + context) +
           (command.host.empty() ? "" : " to " + command.host) + "? [y/N] ";
}

std::string hostOf(const api::ClusterStatus& status, const std::string& service) {
    for (const auto& each : status.services) {
        if (each.name == service) return each.host;
    }
    return {};
}

// The primaries whose seats `standby` holds now.
std::vector<std::string> primariesOf(const std::vector<api::LicenceView>& licences, const std::string& standby) {
    std::vector<std::string> primaries;
    for (const auto& licence : licences) {
        for (const auto& holder : licence.holders) {
            if (holder.service == standby && !holder.onBehalfOf.empty() &&
                std::find(primaries.begin(), primaries.end(), holder.onBehalfOf) == primaries.end()) {
                primaries.push_back(holder.onBehalfOf);
            }
        }
    }
    return primaries;
}

// What the question mentions besides the command: the service's host (failover) or the primaries
// a standby stands in for (demote). Empty for fence confirm.
Result<std::string> questionContext(const engine::AdminCommand& command, api::AdminApi& api) {
    if (command.verb == Verb::Failover) {
        BOOST_OUTCOME_TRY(status, api.status());
        return hostOf(status, command.service);
    }
    if (command.verb == Verb::Demote) {
        BOOST_OUTCOME_TRY(licences, api.licences());
        return joined(primariesOf(licences, command.service));
    }
    return std::string{};
}

// kAdminOk when the admin said yes; otherwise the exit code to end with.
int confirm(const engine::AdminCommand& command, api::AdminApi& api, CliConsole& console) {
    const std::string what = std::string(engine::toString(command.verb)) + " " +
                             (command.verb == Verb::FenceConfirm ? command.host : command.service);
    if (!console.inputIsTerminal) {
        console.err << "faxover: " << what << " needs a confirmation and there is no terminal to ask on: pass --yes\n";
        return kAdminUsage;
    }
    auto context = questionContext(command, api);
    if (!context) return reportError(context.error(), console.err);
    // A failover of a board-mode VM is a cold move: one question, after its expected outage.
    if (command.verb == Verb::Failover) {
        auto notice = coldMoveNotice(command, api);
        if (!notice) return reportError(notice.error(), console.err);
        for (const auto& line : notice.value()) console.out << line << '\n';
    }
    console.out << question(command, context.value()) << std::flush;
    if (saysYes(console.in)) return kAdminOk;
    console.err << "faxover: not confirmed, nothing done\n";
    return kAdminRefused;
}

int showStatus(const AdminInvocation& invocation, api::AdminApi& api, CliConsole& console) {
    auto status = api.status();
    if (!status) return reportError(status.error(), console.err);
    if (!invocation.service.empty()) {
        const auto& services = status.value().services;
        const auto named = std::find_if(services.begin(), services.end(),
                                        [&](const auto& service) { return service.name == invocation.service; });
        if (named == services.end()) {
            std::string known;
            for (const auto& service : services) known += (known.empty() ? "" : ", ") + service.name;
            return reportError(Error{ErrorKind::BadRequest,
                                     "unknown service '" + invocation.service + "' (services: " + known + ")"},
                               console.err);
        }
        if (invocation.json) {
            console.out << api::toJson(*named, api::JsonStyle::Indented) << '\n';
        } else {
            printServiceDetail(*named, console.now(), console.out);
        }
        return kAdminOk;
    }
    if (invocation.json) {
        console.out << api::toJson(status.value(), api::JsonStyle::Indented) << '\n';
    } else {
        printStatusTables(status.value(), console.now(), console.out);
    }
    return kAdminOk;
}

int showLicences(const AdminInvocation& invocation, api::AdminApi& api, CliConsole& console) {
    auto licences = api.licences();
    if (!licences) return reportError(licences.error(), console.err);
    if (invocation.json) {
        console.out << api::toJson(licences.value(), api::JsonStyle::Indented) << '\n';
    } else {
        printLicenceTables(licences.value(), console.now(), console.out);
    }
    return kAdminOk;
}

int showAudit(const AdminInvocation& invocation, api::AdminApi& api, CliConsole& console) {
    auto entries = api.licenceAudit(resolveSince(invocation.since, console.now()));
    if (!entries) return reportError(entries.error(), console.err);
    switch (invocation.format) {
        case AuditFormat::Json: console.out << api::toJson(entries.value(), api::JsonStyle::Indented) << '\n'; break;
        case AuditFormat::Csv: printAuditCsv(entries.value(), console.out); break;
        case AuditFormat::Table: printAuditTable(entries.value(), console.out); break;
    }
    return kAdminOk;
}

int showBoards(const AdminInvocation& invocation, api::AdminApi& api, CliConsole& console) {
    auto boards = api.boards();
    if (!boards) return reportError(boards.error(), console.err);
    if (invocation.json) {
        console.out << api::toJson(boards.value(), api::JsonStyle::Indented) << '\n';
    } else {
        printBoardTable(boards.value(), console.out);
    }
    return kAdminOk;
}

int showQuery(const AdminInvocation& invocation, api::AdminApi& api, CliConsole& console) {
    switch (invocation.query) {
        case AdminQuery::Licences: return showLicences(invocation, api, console);
        case AdminQuery::Boards: return showBoards(invocation, api, console);
        case AdminQuery::LicenceAudit: return showAudit(invocation, api, console);
        case AdminQuery::Status: break;
    }
    return showStatus(invocation, api, console);
}

}  // namespace

int runAdminInvocation(const AdminInvocation& invocation, api::AdminApi& api, CliConsole& console) {
    if (!invocation.command) return showQuery(invocation, api, console);
    const engine::AdminCommand& command = *invocation.command;
    if (asksFirst(command.verb) && !invocation.yes) {
        if (const int answer = confirm(command, api, console); answer != kAdminOk) return answer;
    }
    if (asksBeforeColdMoves(command.verb) && !invocation.yes) {
        if (const int answer = confirmColdMoves(command, api, console); answer != kAdminOk) return answer;
    }
    auto reply = api.execute(command);
    if (!reply) return reportError(reply.error(), console.err);
    if (invocation.json) {
        console.out << api::toJson(reply.value()) << '\n';
        return kAdminOk;
    }
    console.out << reply.value().message << '\n';
    if (command.verb == Verb::MaintenanceEnable && !invocation.noWait) return watchDrain(api, command.host, console);
    if (command.verb == Verb::MaintenanceDisable && !invocation.noWait) return watchReturn(api, command.host, console);
    return kAdminOk;
}

int runAdminCli(const std::vector<std::string>& arguments, const std::string& defaultApiAddress, CliConsole& console) {
    auto invocation = parseAdminArguments(arguments, defaultApiAddress);
    if (!invocation) {
        console.err << "faxover: " << invocation.error().message << "\n";
        // A command named without what it needs ("faxover migrate", "faxover license"): its help.
        auto askingHelp = arguments;
        askingHelp.push_back("--help");
        const auto named = parseAdminArguments(askingHelp, defaultApiAddress);
        const auto top = parseAdminArguments({"--help"}, defaultApiAddress);
        if (named && top && named.value().help != top.value().help) console.err << *named.value().help;
        else console.err << "(faxover --help lists the commands)\n";
        return kAdminUsage;
    }
    if (invocation.value().help) {
        console.out << *invocation.value().help;
        return kAdminOk;
    }
    api::ApiClient client(invocation.value().endpoint);
    return runAdminInvocation(invocation.value(), client, console);
}

}  // namespace faxover::orchestrator
