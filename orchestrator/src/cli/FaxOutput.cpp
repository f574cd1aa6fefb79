#include "cli/FaxOutput.h"

#include "cli/StatusTable.h"
#include "cli/TextTable.h"

#include <algorithm>
#include <ostream>

namespace faxover::orchestrator {

namespace {

// What the agent last said of the fax service, for a cell: a failing check's name is what an
// admin looks for first; the full words are in the detail view.
std::string serviceWord(const api::FaxView& fax) {
    if (fax.service == "up") return fax.quiesced ? "up, quiesced" : "up";
    const auto failing = std::find_if(fax.checks.begin(), fax.checks.end(), [](const auto& check) { return !check.ok; });
    if (failing != fax.checks.end()) return "down: " + failing->name;
    return fax.detail.empty() ? "down" : "down: " + fax.detail;
}

std::string plural(int count, const std::string& what) {
    return std::to_string(count) + " " + what + (count == 1 ? "" : "s");
}

// "2 service restarts, 1 VM restart; next step in 40s", or "none".
std::string escalationText(const api::FaxView& fax, api::WallTime now) {
    std::string text;
    const auto add = [&](int count, const std::string& what) {
        if (count > 0) text += (text.empty() ? "" : ", ") + plural(count, what);
    };
    add(fax.serviceRestarts, "service restart");
    add(fax.vmRestarts, "VM restart");
    add(fax.relocations, "relocation");
    if (text.empty()) return "none";
    if (fax.exhausted) return text + "; every step used, an admin must look";
    if (fax.nextStep && *fax.nextStep > now) text += "; no next step for " + durationText(now, *fax.nextStep);
    return text;
}

std::string heartbeatText(const api::FaxView& fax, api::WallTime now) {
    const std::string last = fax.lastHeartbeat ? relativeAge(*fax.lastHeartbeat, now) : "none since the daemon started";
    return fax.agent + (fax.agentVersion.empty() ? "" : " (agent " + fax.agentVersion + ")") + ", last heartbeat " + last;
}

}  // namespace

std::string faxCell(const api::ServiceView& service, api::WallTime now) {
    if (!service.fax) return "-";
    const api::FaxView& fax = *service.fax;
    if (fax.agent == "answering") return serviceWord(fax);
    if (!fax.lastHeartbeat) return "no heartbeat yet";
    return "no heartbeat " + relativeAge(*fax.lastHeartbeat, now);
}

void printServiceDetail(const api::ServiceView& service, api::WallTime now, std::ostream& out) {
    out << service.name << ": " << orDash(service.state) << " on " << orDash(service.host) << " since "
        << relativeAge(service.since, now) << (service.reason.empty() ? "" : ": " + service.reason) << "\n";
    if (!service.fax) {
        out << "fax health: no guest agent (the policy gives " << service.name << " no guest_agent)\n";
        return;
    }
    const api::FaxView& fax = *service.fax;
    const api::FaxQueuesView& queues = fax.queues;
    out << "\nFAX HEALTH\n";
    printTable({"WHAT", "VALUE"},
               {{"agent", heartbeatText(fax, now)},
                {"service", fax.service + (fax.detail.empty() ? "" : ": " + fax.detail)},
                {"product", orDash(fax.product)},
                {"licence", orDash(fax.licence)},
                {"queues", "outbound " + std::to_string(queues.outbound) + ", inbound " + std::to_string(queues.inbound) +
                               ", active " + std::to_string(queues.active) + (fax.quiesced ? " (quiesced)" : "")},
                {"escalation", escalationText(fax, now)}},
               out);
    out << "\nCHECKS\n";
    if (fax.checks.empty()) {
        out << "none reported\n";
        return;
    }
    printColumns<api::FaxCheckView>({{"NAME", [](const api::FaxCheckView& check) { return check.name; }},
                                     {"OK", [](const api::FaxCheckView& check) { return std::string(check.ok ? "yes" : "no"); }},
                                     {"DETAIL", [](const api::FaxCheckView& check) { return orDash(check.detail); }}},
                                    fax.checks, out);
}

}  // namespace faxover::orchestrator
