#include "faxover/orchestrator/engine/AdminCommand.h"
#include "faxover/orchestrator/engine/Decision.h"
#include "faxover/orchestrator/engine/EnumNames.h"
#include "faxover/orchestrator/engine/HostHealth.h"
#include "faxover/orchestrator/engine/Ledger.h"
#include "faxover/orchestrator/engine/ServiceState.h"

namespace faxover::orchestrator::engine {

namespace {

constexpr EnumNames<Verb, 14> kVerbNames{{
    {Verb::Migrate, "migrate"},
    {Verb::Failover, "failover"},
    {Verb::Failback, "failback"},
    {Verb::MaintenanceEnable, "maintenance-enable"},
    {Verb::MaintenanceDisable, "maintenance-disable"},
    {Verb::Suspend, "suspend"},
    {Verb::Resume, "resume"},
    {Verb::Stop, "stop"},
    {Verb::FenceConfirm, "fence-confirm"},
    {Verb::Demote, "demote"},
    {Verb::VmStop, "vm-stop"},
    {Verb::VmStart, "vm-start"},
    {Verb::Disable, "disable"},
    {Verb::Enable, "enable"},
}};

constexpr EnumNames<ServiceState, 14> kServiceStates{{
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
    {ServiceState::ShuttingDown, "shutting-down"},
    {ServiceState::VmStopped, "vm-stopped"},
    {ServiceState::Disabled, "disabled"},
    {ServiceState::Frozen, "frozen"},
}};

constexpr EnumNames<RequestedState, 3> kRequestedStates{{
    {RequestedState::Started, "started"},
    {RequestedState::Stopped, "stopped"},
    {RequestedState::Disabled, "disabled"},
}};

constexpr EnumNames<PlannedKind, 2> kPlannedKinds{{
    {PlannedKind::Shutdown, "shutdown"},
    {PlannedKind::Reboot, "reboot"},
}};

constexpr EnumNames<HostHealthState, 5> kHostHealthStates{{
    {HostHealthState::Unknown, "unknown"},
    {HostHealthState::Ok, "ok"},
    {HostHealthState::Degraded, "degraded"},
    {HostHealthState::Suspect, "suspect"},
    {HostHealthState::Failed, "failed"},
}};

// None is the empty name: the status document's and the store's "not fenced".
constexpr EnumNames<FenceStatus, 4> kFenceStatuses{{
    {FenceStatus::None, ""},
    {FenceStatus::InProgress, "pending"},
    {FenceStatus::AwaitingAdmin, "awaiting-admin"},
    {FenceStatus::Confirmed, "confirmed"},
}};

constexpr EnumNames<ActionKind, 11> kActionKinds{{
    {ActionKind::Fence, "fence"},
    {ActionKind::Start, "start"},
    {ActionKind::LiveMigrate, "live-migrate"},
    {ActionKind::ColdMove, "cold-move"},
    {ActionKind::ApplyLicence, "apply-licence"},
    {ActionKind::RevokeLicence, "revoke-licence"},
    {ActionKind::ReleaseBoard, "release-board"},
    {ActionKind::RerouteTelco, "reroute-telco"},
    {ActionKind::Shutdown, "shutdown"},
    {ActionKind::RestartFaxService, "restart-fax-service"},
    {ActionKind::RestartVm, "restart-vm"},
}};

constexpr EnumNames<LedgerEvent, 7> kLedgerEvents{{
    {LedgerEvent::Grant, "grant"},
    {LedgerEvent::Transfer, "transfer"},
    {LedgerEvent::Revoke, "revoke"},
    {LedgerEvent::Refuse, "refuse"},
    {LedgerEvent::Applied, "applied"},
    {LedgerEvent::ApplyFailed, "apply-failed"},
    {LedgerEvent::RevokeRun, "revoke-run"},
}};

}  // namespace

const char* toString(Verb verb) { return nameIn(kVerbNames, verb, "unknown"); }
std::optional<Verb> verbNamed(std::string_view name) { return valueIn(kVerbNames, name); }

const char* toString(ServiceState state) { return nameIn(kServiceStates, state, "unknown"); }
std::optional<ServiceState> serviceStateNamed(std::string_view name) { return valueIn(kServiceStates, name); }
const char* toString(PlannedKind kind) { return nameIn(kPlannedKinds, kind, "shutdown"); }
std::optional<PlannedKind> plannedKindNamed(std::string_view name) { return valueIn(kPlannedKinds, name); }

const char* toString(RequestedState requested) { return nameIn(kRequestedStates, requested, "started"); }
std::optional<RequestedState> requestedStateNamed(std::string_view name) { return valueIn(kRequestedStates, name); }

const char* toString(HostHealthState state) { return nameIn(kHostHealthStates, state, "unknown"); }
std::optional<HostHealthState> hostHealthStateNamed(std::string_view name) { return valueIn(kHostHealthStates, name); }

const char* toString(FenceStatus status) { return nameIn(kFenceStatuses, status, ""); }
std::optional<FenceStatus> fenceStatusNamed(std::string_view name) { return valueIn(kFenceStatuses, name); }

const char* toString(ActionKind kind) { return nameIn(kActionKinds, kind, "?"); }
std::optional<ActionKind> actionKindNamed(std::string_view name) { return valueIn(kActionKinds, name); }

const char* toString(LedgerEvent event) { return nameIn(kLedgerEvents, event, "?"); }
std::optional<LedgerEvent> ledgerEventNamed(std::string_view name) { return valueIn(kLedgerEvents, name); }

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
    case ActionKind::Shutdown: return "shutdown " + service + " on " + host;
    case ActionKind::RestartFaxService: return "restart-fax-service " + service + " on " + host;
    case ActionKind::RestartVm: return "restart-vm " + service + " on " + host;
    }
    return "?";
}


}  // namespace faxover::orchestrator::engine
