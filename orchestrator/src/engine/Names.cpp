#include "faxover/orchestrator/engine/AdminCommand.h"
#include "faxover/orchestrator/engine/Decision.h"
#include "faxover/orchestrator/engine/ServiceState.h"

#include <array>
#include <utility>

namespace faxover::orchestrator::engine {

namespace {
constexpr std::array kVerbNames = {
    std::pair{Verb::Migrate, "migrate"},
    std::pair{Verb::Failover, "failover"},
    std::pair{Verb::Failback, "failback"},
    std::pair{Verb::MaintenanceEnable, "maintenance-enable"},
    std::pair{Verb::MaintenanceDisable, "maintenance-disable"},
    std::pair{Verb::Suspend, "suspend"},
    std::pair{Verb::Resume, "resume"},
    std::pair{Verb::Stop, "stop"},
    std::pair{Verb::FenceConfirm, "fence-confirm"},
    std::pair{Verb::Demote, "demote"},
};

constexpr std::array<std::pair<ServiceState, const char*>, 10> kServiceStates{{
    {ServiceState::Unknown, "unknown"},
    {ServiceState::Ok, "ok"},
    {ServiceState::Suspect, "suspect"},
    {ServiceState::Failure, "failure"},
    {ServiceState::Fenced, "fenced"},
    {ServiceState::Migrating, "migrating"},
    {ServiceState::Recovering, "recovering"},
    {ServiceState::Suspended, "suspended"},
    {ServiceState::Stopped, "stopped"},
    {ServiceState::Error, "error"},
}};
}  // namespace

const char* toString(Verb verb) {
    for (const auto& [known, name] : kVerbNames)
        if (known == verb) return name;
    return "unknown";
}

std::optional<Verb> verbNamed(const std::string& name) {
    for (const auto& [verb, known] : kVerbNames)
        if (name == known) return verb;
    return std::nullopt;
}

const char* toString(ServiceState state) {
    for (const auto& [value, name] : kServiceStates)
        if (value == state) return name;
    return "unknown";
}

std::optional<ServiceState> serviceStateNamed(std::string_view name) {
    for (const auto& [value, text] : kServiceStates)
        if (name == text) return value;
    return std::nullopt;
}

const char* toString(FenceStatus status) {
    switch (status) {
    case FenceStatus::None: return "";
    case FenceStatus::InProgress: return "pending";
    case FenceStatus::AwaitingAdmin: return "awaiting-admin";
    case FenceStatus::Confirmed: return "confirmed";
    }
    return "";
}

const char* toString(ActionKind kind) {
    switch (kind) {
    case ActionKind::Fence: return "fence";
    case ActionKind::Start: return "start";
    case ActionKind::LiveMigrate: return "live-migrate";
    case ActionKind::ColdMove: return "cold-move";
    case ActionKind::ApplyLicence: return "apply-licence";
    case ActionKind::RevokeLicence: return "revoke-licence";
    case ActionKind::ReleaseBoard: return "release-board";
    case ActionKind::RerouteTelco: return "reroute-telco";
    }
    return "?";
}

std::string Action::describe() const {
    switch (kind) {
    case ActionKind::Fence: return "fence " + host;
    case ActionKind::Start: return "start " + service + " on " + host;
    case ActionKind::LiveMigrate:
    case ActionKind::ColdMove: return std::string(toString(kind)) + " " + service + " " + source + " -> " + host;
    case ActionKind::ApplyLicence:
    case ActionKind::RevokeLicence:
        return std::string(toString(kind)) + " " + service + (onBehalfOf.empty() ? "" : " for " + onBehalfOf) +
               " on " + host;
    case ActionKind::ReleaseBoard: return "release-board " + board + " on " + host + " (was " + service + "'s)";
    case ActionKind::RerouteTelco: return "reroute-telco " + service + " " + source + " -> " + host;
    }
    return "?";
}

const char* toString(LedgerEvent event) {
    switch (event) {
    case LedgerEvent::Grant: return "grant";
    case LedgerEvent::Transfer: return "transfer";
    case LedgerEvent::Revoke: return "revoke";
    case LedgerEvent::Refuse: return "refuse";
    case LedgerEvent::Applied: return "applied";
    case LedgerEvent::ApplyFailed: return "apply-failed";
    case LedgerEvent::RevokeRun: return "revoke-run";
    }
    return "?";
}

}  // namespace faxover::orchestrator::engine
