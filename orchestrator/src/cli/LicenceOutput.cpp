#include "cli/LicenceOutput.h"

#include "cli/StatusTable.h"
#include "cli/TextTable.h"
#include "faxover/orchestrator/api/Json.h"

#include <algorithm>
#include <ostream>

namespace faxover::orchestrator {

namespace {

std::string seatsLine(const api::LicenceView& licence) {
    const int used = static_cast<int>(licence.holders.size());
    std::string line = orDash(licence.id) + "  product " + orDash(licence.product) + "  seats " +
                       std::to_string(used) + "/" + std::to_string(licence.seats) + " used";
    if (used < licence.seats) line += ", " + std::to_string(licence.seats - used) + " free";
    return line;
}

// A table cell holds one line whatever the daemon sent.
std::string oneLine(std::string text) {
    std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    return orDash(text);
}

std::vector<std::string> auditFields(const api::LicenceAuditEntry& entry) {
    return {std::to_string(entry.sequence), api::toIsoUtc(entry.at), entry.event, entry.licence, entry.service,
            entry.onBehalfOf, entry.host, entry.fromHost, entry.actor, entry.reason};
}

std::string csvField(const std::string& field) {
    if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
    std::string quoted = "\"";
    for (const char c : field) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

void printCsvRow(const std::vector<std::string>& fields, std::ostream& out) {
    for (std::size_t i = 0; i < fields.size(); ++i) out << (i == 0 ? "" : ",") << csvField(fields[i]);
    out << "\r\n";
}

}  // namespace

void printLicenceTables(const std::vector<api::LicenceView>& licences, api::WallTime now, std::ostream& out) {
    if (licences.empty()) {
        out << "no licences in the policy\n";
        return;
    }
    bool first = true;
    for (const auto& licence : licences) {
        out << (first ? "" : "\n") << seatsLine(licence) << '\n';
        first = false;
        if (licence.holders.empty()) {
            out << "no holders\n";
            continue;
        }
        std::vector<TableRow> rows;
        for (const auto& holder : licence.holders) {
            rows.push_back({oneLine(holder.service), oneLine(holder.onBehalfOf), oneLine(holder.host),
                            relativeAge(holder.since, now), holder.applied ? "yes" : "no"});
        }
        printTable({"SERVICE", "ON BEHALF OF", "HOST", "SINCE", "APPLIED"}, rows, out);
    }
}

void printAuditTable(const std::vector<api::LicenceAuditEntry>& entries, std::ostream& out) {
    std::vector<TableRow> rows;
    for (const auto& entry : entries) {
        TableRow row;
        for (auto& field : auditFields(entry)) row.push_back(oneLine(std::move(field)));
        rows.push_back(std::move(row));
    }
    printTable({"SEQ", "AT", "EVENT", "LICENCE", "SERVICE", "ON BEHALF OF", "HOST", "FROM", "ACTOR", "REASON"}, rows,
               out);
}

void printAuditCsv(const std::vector<api::LicenceAuditEntry>& entries, std::ostream& out) {
    printCsvRow({"sequence", "at", "event", "licence", "service", "on_behalf_of", "host", "from_host", "actor", "reason"},
                out);
    for (const auto& entry : entries) printCsvRow(auditFields(entry), out);
}

}  // namespace faxover::orchestrator
