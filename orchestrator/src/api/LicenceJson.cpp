// The licence documents (issue #4) <-> JSON: the ledger as `faxover license status` shows it, the
// licence audit log, and the answer to the libvirt hook. Same rules as Json.cpp: writers emit
// every field, readers require what a value cannot do without.
#include "JsonMapping.h"

#include <limits>

namespace faxover::orchestrator::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Far above any real licence; a bound keeps a corrupt document from reading as a huge count.
constexpr std::int64_t kMostSeats = 1'000'000;

const auto kHolderMapping = mappingOf<LicenceHolderView>(
    field("service", &LicenceHolderView::service, Text{Presence::Required}),
    field("onBehalfOf", &LicenceHolderView::onBehalfOf, Text{}),
    field("host", &LicenceHolderView::host, Text{}),
    field("since", &LicenceHolderView::since, Instant{}),
    field("applied", &LicenceHolderView::applied, Flag{Presence::Required}));

const auto kLicenceMapping = mappingOf<LicenceView>(
    field("id", &LicenceView::id, Text{Presence::Required}),
    field("product", &LicenceView::product, Text{}),
    field("seats", &LicenceView::seats, Whole<int>{0, kMostSeats}),
    field("holders", &LicenceView::holders, listOf(kHolderMapping)));

// Only sequence, at and event are required: the rest depends on the event (a refusal names no
// holder, a transfer names two hosts).
const auto kAuditMapping = mappingOf<LicenceAuditEntry>(
    field("sequence", &LicenceAuditEntry::sequence,
          Whole<std::int64_t>{0, std::numeric_limits<std::int64_t>::max()}),
    field("at", &LicenceAuditEntry::at, Instant{}),
    field("event", &LicenceAuditEntry::event, Text{Presence::Required}),
    field("licence", &LicenceAuditEntry::licence, Text{}),
    field("service", &LicenceAuditEntry::service, Text{}),
    field("onBehalfOf", &LicenceAuditEntry::onBehalfOf, Text{}),
    field("host", &LicenceAuditEntry::host, Text{}),
    field("fromHost", &LicenceAuditEntry::fromHost, Text{}),
    field("actor", &LicenceAuditEntry::actor, Text{}),
    field("reason", &LicenceAuditEntry::reason, Text{}));

}  // namespace

std::string toJson(const std::vector<LicenceView>& licences, JsonStyle style) {
    return kLicenceMapping.writeArray(licences, style);
}

std::string toJson(const std::vector<LicenceAuditEntry>& entries, JsonStyle style) {
    return kAuditMapping.writeArray(entries, style);
}

std::string toJson(const StartPermission& permission) {
    Array::Ptr domains = new Array;
    for (const auto& domain : permission.protectedDomains) domains->add(domain);
    Object::Ptr object = orderedObject();
    object->set("allowed", permission.allowed);
    object->set("reason", permission.reason);
    object->set("protected", domains);
    return stringify(object);
}

Result<std::vector<LicenceView>> licencesFromJson(std::string_view text) {
    return guarded("licences", [&]() -> Result<std::vector<LicenceView>> {
        BOOST_OUTCOME_TRY(array, parseJsonArray(text, "licences"));
        return kLicenceMapping.readArray(*array, "licences");
    });
}

Result<std::vector<LicenceAuditEntry>> licenceAuditFromJson(std::string_view text) {
    return guarded("audit", [&]() -> Result<std::vector<LicenceAuditEntry>> {
        BOOST_OUTCOME_TRY(array, parseJsonArray(text, "audit"));
        return kAuditMapping.readArray(*array, "audit");
    });
}

Result<HostEvent> hostEventFromJson(std::string_view text) {
    return guarded("host event", [&]() -> Result<HostEvent> {
        BOOST_OUTCOME_TRY(object, parseJsonObject(text, "host event"));
        const JsonFields fields(object, "");
        BOOST_OUTCOME_TRY(host, fields.requiredString("host"));
        BOOST_OUTCOME_TRY(eventName, fields.requiredString("event"));
        const auto kind = hostEventKindNamed(eventName);
        if (!kind)
            return Error{ErrorKind::BadRequest,
                         "event: expected shutdown, reboot or back; found '" + eventName + "'"};
        BOOST_OUTCOME_TRY(domain, fields.optionalString("domain"));
        if (*kind == HostEventKind::Back && !domain.empty())
            return Error{ErrorKind::BadRequest, "domain: 'back' concerns the host alone; found '" + domain + "'"};
        return HostEvent{host, *kind, domain, "", ""};
    });
}

std::string toJson(const HostEventReply& reply) {
    Object::Ptr object = orderedObject();
    object->set("message", reply.message);
    return stringify(object);
}

Result<StartPermission> startPermissionFromJson(std::string_view text) {
    return guarded("permission", [&]() -> Result<StartPermission> {
        BOOST_OUTCOME_TRY(object, parseJsonObject(text, "permission"));
        const JsonFields fields(object, "");
        BOOST_OUTCOME_TRY(allowed, fields.requiredBool("allowed"));
        BOOST_OUTCOME_TRY(reason, fields.optionalString("reason"));
        // Required: a hook that read a missing list as "nothing is protected" would fail open
        // for every domain the next time the orchestrator is out of reach.
        BOOST_OUTCOME_TRY(domains, fields.requiredStringList("protected"));
        return StartPermission{allowed, reason, std::move(domains)};
    });
}

}  // namespace faxover::orchestrator::api
