#include "faxover/policies/Policy.h"

#include <algorithm>

namespace faxover::policy {

// These spellings are the policy format's: the reader accepts exactly these and the writer emits them.

const char* toString(FenceMethod method) {
    switch (method) {
        case FenceMethod::Agent: return "agent";
        case FenceMethod::LibvirtDestroy: return "libvirt-destroy";
        case FenceMethod::Manual: return "manual";
    }
    return "?";
}

const char* toString(TelephonyMode mode) {
    switch (mode) {
        case TelephonyMode::Sr140: return "sr140";
        case TelephonyMode::Board: return "board";
        case TelephonyMode::Auto: return "auto";
    }
    return "?";
}

const char* toString(RecoveryMode mode) {
    switch (mode) {
        case RecoveryMode::LiveMigrateIfPossible: return "live-migrate-if-possible";
        case RecoveryMode::RestartOnly: return "restart-only";
    }
    return "?";
}

const char* toString(ServiceRole role) {
    switch (role) {
        case ServiceRole::Active: return "active";
        case ServiceRole::Standby: return "standby";
    }
    return "?";
}

const char* toString(MaintenanceAction action) {
    switch (action) {
        case MaintenanceAction::Drain: return "drain";
        case MaintenanceAction::SuspendMonitoring: return "suspend-monitoring";
    }
    return "?";
}

const char* toString(Weekday day) {
    switch (day) {
        case Weekday::Monday: return "mon";
        case Weekday::Tuesday: return "tue";
        case Weekday::Wednesday: return "wed";
        case Weekday::Thursday: return "thu";
        case Weekday::Friday: return "fri";
        case Weekday::Saturday: return "sat";
        case Weekday::Sunday: return "sun";
    }
    return "?";
}

const HostPolicy* Policy::findHost(std::string_view name) const {
    auto found = std::find_if(hosts.begin(), hosts.end(), [&](const HostPolicy& host) { return host.name == name; });
    return found == hosts.end() ? nullptr : &*found;
}

const ServicePolicy* Policy::findService(std::string_view name) const {
    auto found = std::find_if(services.begin(), services.end(),
                              [&](const ServicePolicy& service) { return service.name == name; });
    return found == services.end() ? nullptr : &*found;
}

const Licence* Policy::findLicence(std::string_view id) const {
    auto found = std::find_if(licences.begin(), licences.end(), [&](const Licence& licence) { return licence.id == id; });
    return found == licences.end() ? nullptr : &*found;
}

const BoardModel* Policy::findBoardModel(std::string_view name) const {
    auto found = std::find_if(boardModels.begin(), boardModels.end(),
                              [&](const BoardModel& model) { return model.name == name; });
    return found == boardModels.end() ? nullptr : &*found;
}

}  // namespace faxover::policy
