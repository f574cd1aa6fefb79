#include "faxover/policies/PolicyWriter.h"

#include "faxover/policies/Duration.h"
#include "read/Syntax.h"

#include <array>
#include <cstdio>
#include <sstream>

namespace faxover::policy {

namespace {

using read::formatMemorySize;
using read::formatPciId;
using read::formatTimeOfDay;
using read::formatTimestamp;
using read::formatUtcOffset;

// Every string double-quoted: no value can be misread as a number, a switch, null or YAML syntax.
std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < ' ' || c == 0x7f) {
            std::array<char, 8> escape{};
            std::snprintf(escape.data(), escape.size(), "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            out += escape.data();
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string quotedList(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quoted(items[i]);
    return out + "]";
}

// Lines of "key: value" at a given indentation; "- " starts a list item.
class YamlLines {
public:
    void line(int indent, std::string_view text) { out_ << std::string(static_cast<std::size_t>(indent), ' ') << text << '\n'; }
    void pair(int indent, std::string_view key, std::string_view value) {
        line(indent, std::string(key) + ": " + std::string(value));
    }
    std::string str() const { return out_.str(); }

private:
    std::ostringstream out_;
};

void writeMonitoring(YamlLines& yaml, int indent, const MonitoringProfile& profile) {
    yaml.pair(indent, "profile", quoted(profile.profile));
    yaml.pair(indent, "interval", quoted(formatDuration(profile.interval)));
    yaml.pair(indent, "timeout", quoted(formatDuration(profile.timeout)));
    yaml.pair(indent, "warn_count", std::to_string(profile.warnCount));
    yaml.pair(indent, "failover_count", std::to_string(profile.failoverCount));
    yaml.pair(indent, "failover_count_after_restart", std::to_string(profile.failoverCountAfterRestart));
    yaml.pair(indent, "shutdown_policy", quoted(toString(profile.shutdownPolicy)));
    yaml.pair(indent, "shutdown_grace", quoted(formatDuration(profile.shutdownGrace)));
}

void writeFenceLevel(YamlLines& yaml, int indent, const FenceLevel& level) {
    yaml.line(indent, "- method: " + quoted(toString(level.method)));
    const int inner = indent + 2;
    if (level.method == FenceMethod::Agent) {
        yaml.pair(inner, "command", quoted(level.command));
        if (level.parameters.empty() && level.passwordFile.empty()) {
            yaml.pair(inner, "parameters", "{}");
        } else {
            yaml.line(inner, "parameters:");
            for (const auto& [name, value] : level.parameters) yaml.pair(inner + 2, quoted(name), quoted(value));
            if (!level.passwordFile.empty()) yaml.pair(inner + 2, "password_file", quoted(level.passwordFile));
        }
    }
    if (level.method != FenceMethod::Manual) yaml.pair(inner, "timeout", quoted(formatDuration(level.timeout)));
    if (level.method == FenceMethod::Manual && !level.instructions.empty()) {
        yaml.pair(inner, "instructions", quoted(level.instructions));
    }
}

void writeHost(YamlLines& yaml, const HostPolicy& host) {
    yaml.line(2, "- name: " + quoted(host.name));
    yaml.pair(4, "uri", quoted(host.uri));
    if (!host.migrationAddress.empty()) yaml.pair(4, "migration_address", quoted(host.migrationAddress));
    yaml.pair(4, "site", quoted(host.site));
    // Always written, default or not: the reader derives the default from the URI, and an explicit
    // address reads back as the same value.
    yaml.line(4, "probe:");
    if (!host.probeAddress.empty()) yaml.pair(6, "address", quoted(host.probeAddress));
    yaml.pair(6, "port", std::to_string(host.probePort));
    yaml.line(4, "capacity:");
    if (host.capacity.vcpus) yaml.pair(6, "vcpus", std::to_string(*host.capacity.vcpus));
    if (host.capacity.memoryMiB) yaml.pair(6, "memory", quoted(formatMemorySize(*host.capacity.memoryMiB)));
    if (host.capacity.services) yaml.pair(6, "services", std::to_string(*host.capacity.services));
    yaml.line(4, "labels:");
    for (const auto& [key, value] : host.labels) yaml.pair(6, quoted(key), quoted(value));
    yaml.line(4, "fence:");
    for (const FenceLevel& level : host.fence) writeFenceLevel(yaml, 6, level);
    yaml.line(4, "monitoring:");
    writeMonitoring(yaml, 6, host.monitoring);
    yaml.line(4, host.boards.empty() ? "boards: []" : "boards:");
    for (const HostBoard& board : host.boards) {
        yaml.line(6, "- pci_address: " + quoted(board.pciAddress));
        yaml.pair(8, "model", quoted(board.model));
        yaml.pair(8, "trunk_group", quoted(board.trunkGroup));
    }
}

void writeCommandStep(YamlLines& yaml, int indent, std::string_view key, const CommandStep& step) {
    yaml.line(indent, std::string(key) + ":");
    yaml.pair(indent + 2, "command", quoted(step.command));
    yaml.pair(indent + 2, "arguments", quotedList(step.arguments));
    yaml.pair(indent + 2, "timeout", quoted(formatDuration(step.timeout)));
}

void writeService(YamlLines& yaml, const ServicePolicy& service) {
    yaml.line(2, "- name: " + quoted(service.name));
    yaml.pair(4, "domain", quoted(service.domain.value));
    yaml.pair(4, "domain_xml",
              quoted(service.domainXml.kind == DomainXmlSource::Kind::File ? service.domainXml.path : "from-host"));
    yaml.pair(4, "telephony", quoted(toString(service.telephony)));
    yaml.pair(4, "priority", std::to_string(service.priority));
    yaml.pair(4, "preferred_hosts", quotedList(service.preferredHosts));
    yaml.pair(4, "preferred_sites", quotedList(service.preferredSites));
    yaml.pair(4, "anti_affinity", quotedList(service.antiAffinity));
    yaml.line(4, service.requiredLabels.empty() ? "required_labels: {}" : "required_labels:");
    for (const auto& [key, value] : service.requiredLabels) yaml.pair(6, quoted(key), quoted(value));
    yaml.pair(4, "recovery", quoted(toString(service.recovery)));
    yaml.pair(4, "max_restart", std::to_string(service.maxRestart));
    yaml.pair(4, "max_relocate", std::to_string(service.maxRelocate));
    yaml.pair(4, "failback", service.failback ? "on" : "off");
    yaml.pair(4, "retry_delay", quoted(formatDuration(service.retryDelay)));
    yaml.pair(4, "return_after_maintenance", service.returnAfterMaintenance ? "on" : "off");
    if (!service.licence.empty()) yaml.pair(4, "licence", quoted(service.licence));
    yaml.pair(4, "role", quoted(toString(service.role)));
    if (service.role == ServiceRole::Standby) {
        yaml.pair(4, "stands_in_for", quotedList(service.standsInFor));
        yaml.pair(4, "standby_capacity", std::to_string(service.standbyCapacity));
    }
    // Board keys only when set: the reader refuses them, empty or not, on an sr140 service.
    if (!service.trunkGroup.empty()) yaml.pair(4, "trunk_group", quoted(service.trunkGroup));
    if (!service.boardModels.empty()) yaml.pair(4, "board_models", quotedList(service.boardModels));
    if (service.telcoHook) writeCommandStep(yaml, 4, "telco_hook", *service.telcoHook);
    yaml.pair(4, "shutdown_timeout", quoted(formatDuration(service.shutdownTimeout)));
    const FaxHealthPolicy& fax = service.faxHealth;
    yaml.line(4, "fax_health:");
    yaml.pair(6, "act", fax.act ? "on" : "off");
    yaml.pair(6, "down_after", std::to_string(fax.downAfter));
    for (const auto& [key, step] : {std::pair{"restart_service", fax.restartService}, std::pair{"restart_vm", fax.restartVm}})
        yaml.pair(6, key, "{max: " + std::to_string(step.max) + ", delay: " + quoted(formatDuration(step.delay)) + "}");
    yaml.pair(6, "relocate", "{max: " + std::to_string(fax.relocate) + "}");
    yaml.pair(6, "lost_heartbeats_after", std::to_string(fax.lostHeartbeatsAfter));
    yaml.pair(6, "quiesce_timeout", quoted(formatDuration(fax.quiesceTimeout)));
    if (service.guestAgent) {
        yaml.line(4, "guest_agent:");
        yaml.pair(6, "channel", quoted(service.guestAgent->channel));
        yaml.pair(6, "heartbeat_timeout", quoted(formatDuration(service.guestAgent->heartbeatTimeout)));
        yaml.pair(6, "max_lines_per_second", std::to_string(service.guestAgent->maxLinesPerSecond));
    }
}

void writeWindow(YamlLines& yaml, const MaintenanceWindow& window) {
    yaml.line(2, "- name: " + quoted(window.name));
    yaml.pair(4, "hosts", window.allHosts ? "all" : quotedList(window.hosts));
    yaml.pair(4, "action", quoted(toString(window.action)));
    if (const auto* weekly = std::get_if<WeeklyWindow>(&window.schedule)) {
        std::vector<std::string> days;
        for (Weekday day : weekly->days) days.emplace_back(toString(day));
        yaml.line(4, "weekly:");
        yaml.pair(6, "days", quotedList(days));
        yaml.pair(6, "start", quoted(formatTimeOfDay(weekly->start)));
        yaml.pair(6, "end", quoted(formatTimeOfDay(weekly->end)));
        yaml.pair(6, "utc_offset", quoted(formatUtcOffset(weekly->utcOffset)));
    } else if (const auto* once = std::get_if<AbsoluteWindow>(&window.schedule)) {
        yaml.pair(4, "start", quoted(formatTimestamp(once->start)));
        yaml.pair(4, "end", quoted(formatTimestamp(once->end)));
    }
}

void writeLicences(YamlLines& yaml, const Policy& policy) {
    yaml.line(0, policy.licences.empty() ? "licences: []" : "licences:");
    for (const Licence& licence : policy.licences) {
        yaml.line(2, "- id: " + quoted(licence.id));
        yaml.pair(4, "product", quoted(licence.product));
        yaml.pair(4, "key_file", quoted(licence.keyFile));
        yaml.pair(4, "seats", std::to_string(licence.seats));
        if (licence.apply) writeCommandStep(yaml, 4, "apply", *licence.apply);
        if (licence.revoke) writeCommandStep(yaml, 4, "revoke", *licence.revoke);
    }
}

void writeBoardModels(YamlLines& yaml, const Policy& policy) {
    yaml.line(0, policy.boardModels.empty() ? "board_models: []" : "board_models:");
    for (const BoardModel& model : policy.boardModels) {
        yaml.line(2, "- name: " + quoted(model.name));
        yaml.pair(4, "vendor_id", quoted(formatPciId(model.vendorId)));
        yaml.pair(4, "device_id", quoted(formatPciId(model.deviceId)));
    }
}

// Only what is set: an absent key and its default read the same.
void writeEvents(YamlLines& yaml, const EventSettings& events) {
    if (events == EventSettings{}) return;
    yaml.line(0, "events:");
    if (!events.stateLog.empty()) yaml.pair(2, "state_log", quoted(events.stateLog));
    if (!events.alertCommand) return;
    std::vector<std::string> argv{events.alertCommand->command};
    argv.insert(argv.end(), events.alertCommand->arguments.begin(), events.alertCommand->arguments.end());
    yaml.pair(2, "alert_command", quotedList(argv));
    yaml.pair(2, "alert_timeout", quoted(formatDuration(events.alertCommand->timeout)));
}

}  // namespace

std::string formatPolicy(const Policy& policy) {
    YamlLines yaml;
    yaml.pair(0, "version", std::to_string(policy.version));
    yaml.line(0, "monitoring:");
    writeMonitoring(yaml, 2, policy.monitoring);
    yaml.line(0, "fencing:");
    yaml.pair(2, "timeout", quoted(formatDuration(policy.fencing.timeout)));
    yaml.pair(2, "attempts", std::to_string(policy.fencing.attempts));
    if (const auto& witness = policy.fencing.witness) {
        yaml.line(2, "witness:");
        yaml.pair(4, "address", quoted(witness->address));
        yaml.pair(4, "port", std::to_string(witness->port));
    }
    yaml.line(0, "hosts:");
    for (const HostPolicy& host : policy.hosts) writeHost(yaml, host);
    yaml.line(0, policy.services.empty() ? "services: []" : "services:");
    for (const ServicePolicy& service : policy.services) writeService(yaml, service);
    yaml.line(0, policy.maintenance.empty() ? "maintenance: []" : "maintenance:");
    for (const MaintenanceWindow& window : policy.maintenance) writeWindow(yaml, window);
    writeLicences(yaml, policy);
    writeBoardModels(yaml, policy);
    writeEvents(yaml, policy.events);
    return yaml.str();
}

}  // namespace faxover::policy
