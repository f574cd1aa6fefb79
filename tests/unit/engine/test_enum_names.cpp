// One name table per enum (engine/EnumNames.h): every enumerator has its own name, and reading a
// printed name back gives the enumerator again. The lists below are checked complete by the
// compiler: `everyOne` switches over each enum without a default, so -Wswitch (an error here)
// names an enumerator added to the enum and not to its list.
#include "faxover/orchestrator/engine/AdminCommand.h"
#include "faxover/orchestrator/engine/Decision.h"
#include "faxover/orchestrator/engine/HostHealth.h"
#include "faxover/orchestrator/engine/Ledger.h"
#include "faxover/orchestrator/engine/ServiceState.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

namespace {

using namespace faxover::orchestrator::engine;

template <class Enum, class Named>
void checkNames(const std::vector<Enum>& every, Named named) {
    std::set<std::string> names;
    for (const Enum value : every) {
        const std::string name = toString(value);
        INFO("name '" << name << "'");
        CHECK(names.insert(name).second);
        CHECK(named(name) == value);
    }
    CHECK_FALSE(named("no-such-name"));
}

// Each returns true for every enumerator; a missing case is a compile error (-Wswitch).
bool everyOne(Verb verb) {
    switch (verb) {
    case Verb::Migrate: case Verb::Failover: case Verb::Failback: case Verb::MaintenanceEnable:
    case Verb::MaintenanceDisable: case Verb::Suspend: case Verb::Resume: case Verb::Stop:
    case Verb::FenceConfirm: case Verb::Demote: case Verb::VmStop: case Verb::VmStart: case Verb::Disable:
    case Verb::Enable: return true;
    }
    return false;
}
bool everyOne(ServiceState state) {
    switch (state) {
    case ServiceState::Unknown: case ServiceState::Ok: case ServiceState::Suspect: case ServiceState::Failure:
    case ServiceState::Fenced: case ServiceState::Migrating: case ServiceState::Recovering:
    case ServiceState::Suspended: case ServiceState::Stopped: case ServiceState::Error:
    case ServiceState::ShuttingDown: case ServiceState::VmStopped: case ServiceState::Disabled: case ServiceState::Frozen: return true;
    }
    return false;
}
bool everyOne(RequestedState requested) {
    switch (requested) {
    case RequestedState::Started: case RequestedState::Stopped: case RequestedState::Disabled: return true;
    }
    return false;
}
bool everyOne(HostHealthState state) {
    switch (state) {
    case HostHealthState::Unknown: case HostHealthState::Ok: case HostHealthState::Degraded:
    case HostHealthState::Suspect: case HostHealthState::Failed: return true;
    }
    return false;
}
bool everyOne(FenceStatus status) {
    switch (status) {
    case FenceStatus::None: case FenceStatus::InProgress: case FenceStatus::AwaitingAdmin:
    case FenceStatus::Confirmed: return true;
    }
    return false;
}
bool everyOne(ActionKind kind) {
    switch (kind) {
    case ActionKind::Fence: case ActionKind::Start: case ActionKind::LiveMigrate: case ActionKind::ColdMove:
    case ActionKind::ApplyLicence: case ActionKind::RevokeLicence: case ActionKind::ReleaseBoard:
    case ActionKind::RerouteTelco: case ActionKind::Shutdown: case ActionKind::RestartFaxService:
    case ActionKind::RestartVm: return true;
    }
    return false;
}
bool everyOne(PlannedKind kind) {
    switch (kind) {
    case PlannedKind::Shutdown: case PlannedKind::Reboot: return true;
    }
    return false;
}
bool everyOne(LedgerEvent event) {
    switch (event) {
    case LedgerEvent::Grant: case LedgerEvent::Transfer: case LedgerEvent::Revoke: case LedgerEvent::Refuse:
    case LedgerEvent::Applied: case LedgerEvent::ApplyFailed: case LedgerEvent::RevokeRun: return true;
    }
    return false;
}

// The enum's values 0, 1, ... while they are enumerators (the enums count from 0 without gaps).
template <class Enum>
std::vector<Enum> enumerators() {
    std::vector<Enum> values;
    for (int i = 0; everyOne(static_cast<Enum>(i)); ++i) values.push_back(static_cast<Enum>(i));
    return values;
}

}  // namespace

TEST_CASE("enum names: each enumerator has its own name and reads back as itself", "[engine]") {
    CHECK(enumerators<Verb>().size() == 14);
    checkNames(enumerators<Verb>(), verbNamed);
    CHECK(enumerators<ServiceState>().size() == 14);
    checkNames(enumerators<ServiceState>(), serviceStateNamed);
    CHECK(enumerators<RequestedState>().size() == 3);
    checkNames(enumerators<RequestedState>(), requestedStateNamed);
    CHECK(enumerators<HostHealthState>().size() == 5);
    checkNames(enumerators<HostHealthState>(), hostHealthStateNamed);
    CHECK(enumerators<FenceStatus>().size() == 4);
    checkNames(enumerators<FenceStatus>(), fenceStatusNamed);
    CHECK(enumerators<PlannedKind>().size() == 2);
    checkNames(enumerators<PlannedKind>(), plannedKindNamed);
    CHECK(enumerators<ActionKind>().size() == 11);
    checkNames(enumerators<ActionKind>(), actionKindNamed);
    CHECK(enumerators<LedgerEvent>().size() == 7);
    checkNames(enumerators<LedgerEvent>(), ledgerEventNamed);
}

TEST_CASE("enum names: the names the store, the API and the CLI rely on", "[engine]") {
    CHECK(std::string(toString(FenceStatus::None)).empty());  // the status document's "not fenced"
    CHECK(std::string(toString(FenceStatus::Confirmed)) == "confirmed");
    CHECK(std::string(toString(ActionKind::ColdMove)) == "cold-move");
    CHECK(std::string(toString(ServiceState::Error)) == "error");
    CHECK(std::string(toString(HostHealthState::Degraded)) == "degraded");
    CHECK(std::string(toString(LedgerEvent::Refuse)) == "refuse");
    CHECK(std::string(toString(RequestedState::Started)) == "started");  // the store's column default
    CHECK(std::string(toString(Verb::VmStop)) == "vm-stop");
}
