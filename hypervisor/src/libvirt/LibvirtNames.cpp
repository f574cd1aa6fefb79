#include "libvirt/LibvirtNames.h"

#include <libvirt/libvirt.h>

#include <array>
#include <span>
#include <string_view>

namespace faxover::hv::libvirt {
namespace {

// libvirt numbers reasons and details densely from 0, so a table indexed by the code is exact.
std::string nameAt(std::span<const std::string_view> names, int code) {
    if (code >= 0 && static_cast<std::size_t>(code) < names.size()) return std::string(names[code]);
    return "reason " + std::to_string(code);
}

constexpr std::array<std::string_view, 11> kRunningReasons = {
    "unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
    "migration canceled", "save canceled", "wakeup", "crashed", "post-copy"};
constexpr std::array<std::string_view, 15> kPausedReasons = {
    "unknown", "user", "migration", "save", "dump", "I/O error", "watchdog", "from snapshot",
    "shutting down", "snapshot", "crashed", "starting up", "post-copy", "post-copy failed", "API error"};
constexpr std::array<std::string_view, 9> kShutoffReasons = {
    "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from snapshot", "daemon"};
constexpr std::array<std::string_view, 2> kShutdownReasons = {"unknown", "user"};
constexpr std::array<std::string_view, 2> kCrashedReasons = {"unknown", "panicked"};

constexpr std::array<std::string_view, 4> kDefinedDetails = {"added", "updated", "renamed", "from snapshot"};
constexpr std::array<std::string_view, 2> kUndefinedDetails = {"removed", "renamed"};
constexpr std::array<std::string_view, 5> kStartedDetails = {"booted", "migrated", "restored", "from snapshot", "wakeup"};
constexpr std::array<std::string_view, 9> kSuspendedDetails = {
    "paused", "migrated", "I/O error", "watchdog", "restored", "from snapshot", "API error", "post-copy",
    "post-copy failed"};
constexpr std::array<std::string_view, 4> kResumedDetails = {"unpaused", "migrated", "from snapshot", "post-copy"};
constexpr std::array<std::string_view, 7> kStoppedDetails = {
    "shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from snapshot"};
constexpr std::array<std::string_view, 3> kShutdownDetails = {"finished", "guest", "host"};
constexpr std::array<std::string_view, 2> kPMSuspendedDetails = {"memory", "disk"};
constexpr std::array<std::string_view, 2> kCrashedDetails = {"panicked", "crashloaded"};

}  // namespace

DomainState domainStateFromLibvirt(int state) {
    switch (state) {
        case VIR_DOMAIN_RUNNING: return DomainState::Running;
        case VIR_DOMAIN_BLOCKED: return DomainState::Blocked;
        case VIR_DOMAIN_PAUSED: return DomainState::Paused;
        case VIR_DOMAIN_SHUTDOWN: return DomainState::Shutdown;
        case VIR_DOMAIN_SHUTOFF: return DomainState::Shutoff;
        case VIR_DOMAIN_CRASHED: return DomainState::Crashed;
        case VIR_DOMAIN_PMSUSPENDED: return DomainState::PMSuspended;
        default: return DomainState::NoState;
    }
}

std::string stateReasonText(int state, int reason) {
    switch (state) {
        case VIR_DOMAIN_RUNNING: return nameAt(kRunningReasons, reason);
        case VIR_DOMAIN_PAUSED: return nameAt(kPausedReasons, reason);
        case VIR_DOMAIN_SHUTOFF: return nameAt(kShutoffReasons, reason);
        case VIR_DOMAIN_SHUTDOWN: return nameAt(kShutdownReasons, reason);
        case VIR_DOMAIN_CRASHED: return nameAt(kCrashedReasons, reason);
        default: return "reason " + std::to_string(reason);
    }
}

std::optional<LifecycleName> lifecycleFromLibvirt(int event, int detail) {
    switch (event) {
        case VIR_DOMAIN_EVENT_DEFINED: return LifecycleName{DomainLifecycle::Defined, nameAt(kDefinedDetails, detail)};
        case VIR_DOMAIN_EVENT_UNDEFINED: return LifecycleName{DomainLifecycle::Undefined, nameAt(kUndefinedDetails, detail)};
        case VIR_DOMAIN_EVENT_STARTED: return LifecycleName{DomainLifecycle::Started, nameAt(kStartedDetails, detail)};
        case VIR_DOMAIN_EVENT_SUSPENDED: return LifecycleName{DomainLifecycle::Suspended, nameAt(kSuspendedDetails, detail)};
        case VIR_DOMAIN_EVENT_RESUMED: return LifecycleName{DomainLifecycle::Resumed, nameAt(kResumedDetails, detail)};
        case VIR_DOMAIN_EVENT_STOPPED: return LifecycleName{DomainLifecycle::Stopped, nameAt(kStoppedDetails, detail)};
        case VIR_DOMAIN_EVENT_SHUTDOWN: return LifecycleName{DomainLifecycle::Shutdown, nameAt(kShutdownDetails, detail)};
        case VIR_DOMAIN_EVENT_PMSUSPENDED: return LifecycleName{DomainLifecycle::PMSuspended, nameAt(kPMSuspendedDetails, detail)};
        case VIR_DOMAIN_EVENT_CRASHED: return LifecycleName{DomainLifecycle::Crashed, nameAt(kCrashedDetails, detail)};
        default: return std::nullopt;
    }
}

}  // namespace faxover::hv::libvirt
