// The AdminApi values <-> JSON documents. Writers emit every field (empty strings included, so a
// script sees a stable shape); readers require only what a value cannot do without (names, states,
// times) and take the rest as empty when absent.
#include "faxover/orchestrator/api/Json.h"

#include "JsonMapping.h"

#include <utility>

namespace faxover::orchestrator::api {

namespace {

using Poco::JSON::Object;

// Bounds a reader accepts: a queue deeper than a million jobs or an escalation count beyond any
// policy's limit is a broken document, not a fax server.
constexpr std::int64_t kMaxQueue = 1'000'000;
constexpr std::int64_t kMaxSteps = 1'000;

// A field of a view is one line here: the writer and the reader both go by these lists.

const auto kFaxCheckMapping = mappingOf<FaxCheckView>(
    field("name", &FaxCheckView::name, Text{Presence::Required}),
    field("ok", &FaxCheckView::ok, Flag{Presence::Required}),
    field("detail", &FaxCheckView::detail, Text{}));

const auto kFaxQueuesMapping = mappingOf<FaxQueuesView>(
    field("outbound", &FaxQueuesView::outbound, Whole<std::int64_t>{0, kMaxQueue, Presence::Optional}),
    field("inbound", &FaxQueuesView::inbound, Whole<std::int64_t>{0, kMaxQueue, Presence::Optional}),
    field("active", &FaxQueuesView::active, Whole<std::int64_t>{0, kMaxQueue, Presence::Optional}));

const auto kFaxMapping = mappingOf<FaxView>(
    field("agent", &FaxView::agent, Text{Presence::Required}),
    field("service", &FaxView::service, Text{Presence::Required}),
    field("detail", &FaxView::detail, Text{}),
    field("checks", &FaxView::checks, listOf(kFaxCheckMapping)),
    field("queues", &FaxView::queues, objectOf(kFaxQueuesMapping)),
    field("quiesced", &FaxView::quiesced, Flag{Presence::Optional}),
    field("product", &FaxView::product, Text{}),
    field("agentVersion", &FaxView::agentVersion, Text{}),
    field("licence", &FaxView::licence, Text{}),
    field("lastHeartbeat", &FaxView::lastHeartbeat, MaybeInstant{}),
    field("serviceRestarts", &FaxView::serviceRestarts, Whole<int>{0, kMaxSteps, Presence::Optional}),
    field("vmRestarts", &FaxView::vmRestarts, Whole<int>{0, kMaxSteps, Presence::Optional}),
    field("relocations", &FaxView::relocations, Whole<int>{0, kMaxSteps, Presence::Optional}),
    field("nextStep", &FaxView::nextStep, MaybeInstant{}),
    field("exhausted", &FaxView::exhausted, Flag{Presence::Optional}));

const auto kServiceMapping = mappingOf<ServiceView>(
    field("name", &ServiceView::name, Text{Presence::Required}),
    field("state", &ServiceView::state, Text{Presence::Required}),
    field("host", &ServiceView::host, Text{}),
    field("telephony", &ServiceView::telephony, Text{}),
    field("since", &ServiceView::since, Instant{}),
    field("reason", &ServiceView::reason, Text{}),
    field("targetHost", &ServiceView::targetHost, Text{}),
    field("progress", &ServiceView::progress, Fraction{}),
    field("returnsTo", &ServiceView::returnsTo, Text{}),
    field("requested", &ServiceView::requested, Text{}),
    field("fax", &ServiceView::fax, maybeObjectOf(kFaxMapping)));

const auto kHostMapping = mappingOf<HostView>(
    field("name", &HostView::name, Text{Presence::Required}),
    field("health", &HostView::health, Text{Presence::Required}),
    field("libvirt", &HostView::libvirt, Text{}),
    field("maintenance", &HostView::maintenance, Flag{Presence::Required}),
    field("fence", &HostView::fence, Text{}),
    field("since", &HostView::since, Instant{}),
    field("reason", &HostView::reason, Text{}),
    field("planned", &HostView::planned, Text{}));

const auto kStatusMapping = mappingOf<ClusterStatus>(
    field("policyFile", &ClusterStatus::policyFile, Text{}),
    field("services", &ClusterStatus::services, listOf(kServiceMapping)),
    field("hosts", &ClusterStatus::hosts, listOf(kHostMapping)));

}  // namespace

std::string toJson(const ClusterStatus& status, JsonStyle style) {
    return stringify(kStatusMapping.write(status), style);
}

std::string toJson(const ServiceView& service, JsonStyle style) {
    return stringify(kServiceMapping.write(service), style);
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
        return kStatusMapping.read(JsonFields(object, ""));
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
