#include "cli/StatusTable.h"

#include "cli/Percent.h"

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <vector>

namespace faxover::orchestrator {

namespace {

using namespace std::chrono;
using Row = std::vector<std::string>;

// Rows under a header, each column as wide as its widest cell, two spaces between columns; the
// last column is not padded so lines carry no trailing blanks.
void printTable(const Row& header, const std::vector<Row>& rows, std::ostream& out) {
    std::vector<std::size_t> widths(header.size(), 0);
    auto widen = [&](const Row& row) {
        for (std::size_t column = 0; column < row.size(); ++column) widths[column] = std::max(widths[column], row[column].size());
    };
    widen(header);
    for (const auto& row : rows) widen(row);
    auto printRow = [&](const Row& row) {
        for (std::size_t column = 0; column < row.size(); ++column) {
            const bool last = column + 1 == row.size();
            out << (last ? row[column] : row[column] + std::string(widths[column] - row[column].size() + 2, ' '));
        }
        out << '\n';
    };
    printRow(header);
    for (const auto& row : rows) printRow(row);
}

std::string orDash(const std::string& text) { return text.empty() ? "-" : text; }

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
        services.push_back({service.name, stateCell(service), hostCell(service), orDash(service.telephony),
                            relativeAge(service.since, now), orDash(service.reason)});
    }
    out << "SERVICES\n";
    printTable({"NAME", "STATE", "HOST", "MODE", "SINCE", "REASON"}, services, out);
    std::vector<Row> hosts;
    for (const auto& host : status.hosts) {
        hosts.push_back({host.name, orDash(host.health), orDash(host.libvirt), host.maintenance ? "yes" : "no",
                         orDash(host.fence), relativeAge(host.since, now)});
    }
    out << "\nHOSTS\n";
    printTable({"NAME", "HEALTH", "LIBVIRT", "MAINT", "FENCE", "SINCE"}, hosts, out);
}

}  // namespace faxover::orchestrator
