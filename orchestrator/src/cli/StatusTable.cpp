#include "cli/StatusTable.h"

#include "cli/Percent.h"
#include "cli/TextTable.h"

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <vector>

namespace faxover::orchestrator {

namespace {

using namespace std::chrono;
using Row = TableRow;

std::string twoDigits(long long value) {
    std::ostringstream text;
    text << std::setw(2) << std::setfill('0') << value;
    return text.str();
}

std::string stateCell(const api::ServiceView& service) {
    if (!service.progress) return orDash(service.state);
    return service.state + " " + std::to_string(wholePercent(*service.progress)) + "%";
}

std::string hostCell(const api::ServiceView& service) {
    if (service.targetHost.empty()) return orDash(service.host);
    return orDash(service.host) + " -> " + service.targetHost;
}

}  // namespace

std::string relativeAge(api::WallTime since, api::WallTime now) {
    if (since == api::WallTime{}) return "-";
    const long long total = std::max<long long>(0, duration_cast<seconds>(now - since).count());
    const long long days = total / 86400;
    const long long hours = total % 86400 / 3600;
    const long long minutes = total % 3600 / 60;
    const long long secs = total % 60;
    if (days > 0) return std::to_string(days) + "d" + twoDigits(hours) + "h ago";
    if (hours > 0) return std::to_string(hours) + "h" + twoDigits(minutes) + "m ago";
    if (minutes > 0) return std::to_string(minutes) + "m" + twoDigits(secs) + "s ago";
    return std::to_string(secs) + "s ago";
}

void printStatusTables(const api::ClusterStatus& status, api::WallTime now, std::ostream& out) {
    if (!status.policyFile.empty()) out << "policy: " << status.policyFile << "\n\n";
    std::vector<Row> services;
    for (const auto& service : status.services) {
        services.push_back({service.name, stateCell(service), orDash(service.requested), hostCell(service),
                            orDash(service.telephony), relativeAge(service.since, now), orDash(service.reason)});
    }
    out << "SERVICES\n";
    printTable({"NAME", "STATE", "REQUESTED", "HOST", "MODE", "SINCE", "REASON"}, services, out);
    std::vector<Row> hosts;
    for (const auto& host : status.hosts) {
        hosts.push_back({host.name, orDash(host.health), orDash(host.libvirt), host.maintenance ? "yes" : "no",
                         orDash(host.fence), relativeAge(host.since, now)});
    }
    out << "\nHOSTS\n";
    printTable({"NAME", "HEALTH", "LIBVIRT", "MAINT", "FENCE", "SINCE"}, hosts, out);
}

}  // namespace faxover::orchestrator
