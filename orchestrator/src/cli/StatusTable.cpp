#include "cli/StatusTable.h"

#include "cli/FaxOutput.h"
#include "cli/Percent.h"
#include "cli/TextTable.h"

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace faxover::orchestrator {

namespace {

using namespace std::chrono;

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

std::string durationText(api::WallTime from, api::WallTime to) {
    const long long total = std::max<long long>(0, duration_cast<seconds>(to - from).count());
    const long long days = total / 86400;
    const long long hours = total % 86400 / 3600;
    const long long minutes = total % 3600 / 60;
    const long long secs = total % 60;
    if (days > 0) return std::to_string(days) + "d" + twoDigits(hours) + "h";
    if (hours > 0) return std::to_string(hours) + "h" + twoDigits(minutes) + "m";
    if (minutes > 0) return std::to_string(minutes) + "m" + twoDigits(secs) + "s";
    return std::to_string(secs) + "s";
}

std::string relativeAge(api::WallTime since, api::WallTime now) {
    if (since == api::WallTime{}) return "-";
    return durationText(since, now) + " ago";
}

void printStatusTables(const api::ClusterStatus& status, api::WallTime now, std::ostream& out) {
    using Service = api::ServiceView;
    using Host = api::HostView;
    if (!status.policyFile.empty()) out << "policy: " << status.policyFile << "\n\n";
    out << "SERVICES\n";
    printColumns<Service>({{"NAME", [](const Service& service) { return service.name; }},
                           {"STATE", stateCell},
                           {"REQUESTED", [](const Service& service) { return orDash(service.requested); }},
                           {"HOST", hostCell},
                           {"MODE", [](const Service& service) { return orDash(service.telephony); }},
                           {"FAX", [&](const Service& service) { return faxCell(service, now); }},
                           {"SINCE", [&](const Service& service) { return relativeAge(service.since, now); }},
                           {"REASON", [](const Service& service) { return orDash(service.reason); }}},
                          status.services, out);
    out << "\nHOSTS\n";
    printColumns<Host>({{"NAME", [](const Host& host) { return host.name; }},
                        {"HEALTH", [](const Host& host) { return orDash(host.health); }},
                        {"LIBVIRT", [](const Host& host) { return orDash(host.libvirt); }},
                        {"MAINT", [](const Host& host) { return std::string(host.maintenance ? "yes" : "no"); }},
                        {"FENCE", [](const Host& host) { return orDash(host.fence); }},
                        {"SINCE", [&](const Host& host) { return relativeAge(host.since, now); }},
                        {"PLANNED", [](const Host& host) { return orDash(host.planned); }}},
                       status.hosts, out);
}

}  // namespace faxover::orchestrator
