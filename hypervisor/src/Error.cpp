// Names for the layer's enums, used in logs, CLI output and test messages.
#include "faxover/hypervisor/Result.h"
#include "faxover/hypervisor/Types.h"

namespace faxover::hv {

const char* toString(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::HostUnreachable: return "host unreachable";
        case ErrorKind::NoSuchDomain: return "no such domain";
        case ErrorKind::NoSuchDevice: return "no such device";
        case ErrorKind::InvalidArgument: return "invalid argument";
        case ErrorKind::OperationInvalid: return "operation invalid";
        case ErrorKind::OperationFailed: return "operation failed";
        case ErrorKind::MigrationRefused: return "migration refused";
        case ErrorKind::NotSupported: return "not supported";
        case ErrorKind::Timeout: return "timeout";
        case ErrorKind::Aborted: return "aborted";
        case ErrorKind::Internal: return "internal error";
    }
    return "unknown error";
}

const char* toString(Reachability reachability) {
    switch (reachability) {
        case Reachability::Unknown: return "unknown";
        case Reachability::Reachable: return "reachable";
        case Reachability::Unreachable: return "unreachable";
    }
    return "unknown";
}

const char* toString(DomainState state) {
    switch (state) {
        case DomainState::NoState: return "nostate";
        case DomainState::Running: return "running";
        case DomainState::Blocked: return "blocked";
        case DomainState::Paused: return "paused";
        case DomainState::Shutdown: return "shutting-down";
        case DomainState::Shutoff: return "shutoff";
        case DomainState::Crashed: return "crashed";
        case DomainState::PMSuspended: return "pmsuspended";
    }
    return "unknown";
}

const char* toString(DomainLifecycle lifecycle) {
    switch (lifecycle) {
        case DomainLifecycle::Defined: return "defined";
        case DomainLifecycle::Undefined: return "undefined";
        case DomainLifecycle::Started: return "started";
        case DomainLifecycle::Suspended: return "suspended";
        case DomainLifecycle::Resumed: return "resumed";
        case DomainLifecycle::Stopped: return "stopped";
        case DomainLifecycle::Shutdown: return "shutdown";
        case DomainLifecycle::PMSuspended: return "pmsuspended";
        case DomainLifecycle::Crashed: return "crashed";
    }
    return "unknown";
}

std::string Migratability::explain() const {
    if (blockers.empty()) return {};
    std::string text = "cannot live-migrate: ";
    for (std::size_t i = 0; i < blockers.size(); ++i) {
        if (i > 0) text += "; ";
        text += blockers[i].detail;
    }
    return text;
}

}  // namespace faxover::hv
