// The AdminApi values <-> JSON documents. Writers emit every field (empty strings included, so a
// script sees a stable shape); readers require only what a value cannot do without (names, states,
// times) and take the rest as empty when absent.
#include "faxover/orchestrator/api/Json.h"

#include "JsonSupport.h"

#include <utility>

namespace faxover::orchestrator::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr serviceObject(const ServiceView& service) {
    Object::Ptr object = orderedObject();
    object->set("name", service.name);
    object->set("state", service.state);
    object->set("host", service.host);
    object->set("telephony", service.telephony);
    object->set("since", toIsoUtc(service.since));
    object->set("reason", service.reason);
    object->set("targetHost", service.targetHost);
    if (service.progress) object->set("progress", *service.progress);
    object->set("returnsTo", service.returnsTo);
    return object;
}

Object::Ptr hostObject(const HostView& host) {
    Object::Ptr object = orderedObject();
    object->set("name", host.name);
    object->set("health", host.health);
    object->set("libvirt", host.libvirt);
    object->set("maintenance", host.maintenance);
    object->set("fence", host.fence);
    object->set("since", toIsoUtc(host.since));
    object->set("reason", host.reason);
    return object;
}

Result<ServiceView> serviceFrom(const JsonFields& fields) {
    BOOST_OUTCOME_TRY(name, fields.requiredString("name"));
    BOOST_OUTCOME_TRY(state, fields.requiredString("state"));
    BOOST_OUTCOME_TRY(host, fields.optionalString("host"));
    BOOST_OUTCOME_TRY(telephony, fields.optionalString("telephony"));
    BOOST_OUTCOME_TRY(since, fields.requiredTime("since"));
    BOOST_OUTCOME_TRY(reason, fields.optionalString("reason"));
    BOOST_OUTCOME_TRY(targetHost, fields.optionalString("targetHost"));
    BOOST_OUTCOME_TRY(progress, fields.optionalFraction("progress"));
    BOOST_OUTCOME_TRY(returnsTo, fields.optionalString("returnsTo"));
    return ServiceView{name, state, host, telephony, since, reason, targetHost, progress, returnsTo};
}

Result<HostView> hostFrom(const JsonFields& fields) {
    BOOST_OUTCOME_TRY(name, fields.requiredString("name"));
    BOOST_OUTCOME_TRY(health, fields.requiredString("health"));
    BOOST_OUTCOME_TRY(libvirt, fields.optionalString("libvirt"));
    BOOST_OUTCOME_TRY(maintenance, fields.requiredBool("maintenance"));
    BOOST_OUTCOME_TRY(fence, fields.optionalString("fence"));
    BOOST_OUTCOME_TRY(since, fields.requiredTime("since"));
    BOOST_OUTCOME_TRY(reason, fields.optionalString("reason"));
    return HostView{name, health, libvirt, maintenance, fence, since, reason};
}

}  // namespace

std::string toJson(const ClusterStatus& status, JsonStyle style) {
    Array::Ptr services = new Array;
    for (const auto& service : status.services) services->add(serviceObject(service));
    Array::Ptr hosts = new Array;
    for (const auto& host : status.hosts) hosts->add(hostObject(host));
    Object::Ptr object = orderedObject();
    object->set("policyFile", status.policyFile);
    object->set("services", services);
    object->set("hosts", hosts);
    return stringify(object, style);
}

std::string toJson(const engine::AdminCommand& command) {
    Object::Ptr object = orderedObject();
    object->set("verb", std::string(toString(command.verb)));
    object->set("service", command.service);
    object->set("host", command.host);
    if (!command.actor.empty()) object->set("actor", command.actor);
    return stringify(object);
}

std::string toJson(const CommandReply& reply) {
    Object::Ptr object = orderedObject();
    object->set("message", reply.message);
    return stringify(object);
}

std::string toJson(const Error& error) {
    Object::Ptr inner = orderedObject();
    inner->set("kind", std::string(wireNameOf(error.kind)));
    inner->set("message", error.message);
    Object::Ptr object = orderedObject();
    object->set("error", inner);
    return stringify(object);
}

Result<ClusterStatus> clusterStatusFromJson(std::string_view text) {
    return guarded("status", [&]() -> Result<ClusterStatus> {
        BOOST_OUTCOME_TRY(object, parseJsonObject(text, "status"));
        const JsonFields fields(object, "");
        BOOST_OUTCOME_TRY(policyFile, fields.optionalString("policyFile"));
        BOOST_OUTCOME_TRY(services, listFrom<ServiceView>(fields, "services", serviceFrom));
        BOOST_OUTCOME_TRY(hosts, listFrom<HostView>(fields, "hosts", hostFrom));
        return ClusterStatus{std::move(services), std::move(hosts), policyFile};
    });
}

Result<engine::AdminCommand> adminCommandFromJson(std::string_view text) {
    return guarded("command", [&]() -> Result<engine::AdminCommand> {
        BOOST_OUTCOME_TRY(object, parseJsonObject(text, "command"));
        const JsonFields fields(object, "");
        BOOST_OUTCOME_TRY(verbName, fields.requiredString("verb"));
        const auto verb = engine::verbNamed(verbName);
        if (!verb) return Error{ErrorKind::BadRequest, "verb: unknown verb '" + verbName + "'"};
        BOOST_OUTCOME_TRY(service, fields.optionalString("service"));
        BOOST_OUTCOME_TRY(host, fields.optionalString("host"));
        BOOST_OUTCOME_TRY(actor, fields.optionalString("actor"));
        return engine::AdminCommand{*verb, service, host, actor};
    });
}

Result<CommandReply> commandReplyFromJson(std::string_view text) {
    return guarded("reply", [&]() -> Result<CommandReply> {
        BOOST_OUTCOME_TRY(object, parseJsonObject(text, "reply"));
        BOOST_OUTCOME_TRY(message, JsonFields(object, "").requiredString("message"));
        return CommandReply{message};
    });
}

Result<ReportedError> errorFromJson(std::string_view text) {
    return guarded("error", [&]() -> Result<ReportedError> {
        BOOST_OUTCOME_TRY(object, parseJsonObject(text, "error document"));
        BOOST_OUTCOME_TRY(inner, JsonFields(object, "").requiredObject("error"));
        const JsonFields fields(inner, "error");
        BOOST_OUTCOME_TRY(kindName, fields.requiredString("kind"));
        BOOST_OUTCOME_TRY(message, fields.requiredString("message"));
        const auto kind = errorKindNamed(kindName);
        if (!kind) return Error{ErrorKind::BadRequest, "error.kind: unknown kind '" + kindName + "'"};
        return ReportedError{Error{*kind, message}};
    });
}

}  // namespace faxover::orchestrator::api
