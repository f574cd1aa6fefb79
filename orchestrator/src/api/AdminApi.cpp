// The argument rules of each verb, and the answers
// of the optional AdminApi calls for implementors that do not offer them.
#include "faxover/orchestrator/api/AdminApi.h"

#include <array>
#include <string>
#include <utility>

namespace faxover::orchestrator::api {

namespace {

enum class Need { Required, Optional, Refused };

struct ArgumentRule {
    Need service;
    Need host;
};

ArgumentRule ruleFor(engine::Verb verb) {
    switch (verb) {
        case engine::Verb::Migrate:
        case engine::Verb::Failover: return {Need::Required, Need::Optional};
        case engine::Verb::Failback:
        case engine::Verb::Suspend:
        case engine::Verb::Resume:
        case engine::Verb::Stop:
        case engine::Verb::Demote:
        case engine::Verb::VmStop:
        case engine::Verb::VmStart:
        case engine::Verb::Disable:
        case engine::Verb::Enable: return {Need::Required, Need::Refused};
        case engine::Verb::MaintenanceEnable:
        case engine::Verb::MaintenanceDisable:
        case engine::Verb::FenceConfirm: return {Need::Refused, Need::Required};
    }
    return {Need::Optional, Need::Optional};
}

Result<void> checkOne(engine::Verb verb, const char* field, const std::string& value, Need need) {
    if (need == Need::Required && value.empty()) {
        return Error{ErrorKind::BadRequest, std::string(toString(verb)) + " needs a " + field};
    }
    if (need == Need::Refused && !value.empty()) {
        return Error{ErrorKind::BadRequest,
                         std::string(toString(verb)) + " takes no " + field + " (got '" + value + "')"};
    }
    return ok();
}

}  // namespace

Result<void> checkArguments(const engine::AdminCommand& command) {
    const ArgumentRule rule = ruleFor(command.verb);
    BOOST_OUTCOME_TRY(checkOne(command.verb, "service", command.service, rule.service));
    return checkOne(command.verb, "host", command.host, rule.host);
}

Result<std::vector<BoardView>> AdminApi::boards() {
    return Error{ErrorKind::NotSupported, "this daemon does not list fax boards"};
}

Result<std::vector<PlannedMove>> AdminApi::plan(const engine::AdminCommand& command) {
    return Error{ErrorKind::NotSupported,
                     std::string("this daemon cannot plan ") + toString(command.verb) + " without doing it"};
}

Result<HostEventReply> AdminApi::hostEvent(const HostEvent&) {
    return Error{ErrorKind::NotSupported, "this daemon does not take planned shutdown reports"};
}

const char* toString(HostEventKind kind) {
    switch (kind) {
        case HostEventKind::Shutdown: return "shutdown";
        case HostEventKind::Reboot: return "reboot";
        case HostEventKind::Back: return "back";
    }
    return "shutdown";
}

std::optional<HostEventKind> hostEventKindNamed(std::string_view name) {
    for (auto kind : {HostEventKind::Shutdown, HostEventKind::Reboot, HostEventKind::Back})
        if (name == toString(kind)) return kind;
    return std::nullopt;
}

}  // namespace faxover::orchestrator::api
