// The licence documents (issue #4) <-> JSON: the ledger as `faxover license status` shows it, the
// licence audit log, and the answer to the libvirt hook. Same rules as Json.cpp: writers emit
// every field, readers require what a value cannot do without.
#include "JsonSupport.h"

#include <limits>

namespace faxover::orchestrator::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Far above any real licence; a bound keeps a corrupt document from reading as a huge count.
constexpr std::int64_t kMostSeats = 1'000'000;

Object::Ptr holderObject(const LicenceHolderView& holder) {
    Object::Ptr object = orderedObject();
    object->set("service", holder.service);
    object->set("onBehalfOf", holder.onBehalfOf);
    object->set("host", holder.host);
    object->set("since", toIsoUtc(holder.since));
    object->set("applied", holder.applied);
    return object;
}

Object::Ptr licenceObject(const LicenceView& licence) {
    Array::Ptr holders = new Array;
    for (const auto& holder : licence.holders) holders->add(holderObject(holder));
    Object::Ptr object = orderedObject();
    object->set("id", licence.id);
    object->set("product", licence.product);
    object->set("seats", licence.seats);
    object->set("holders", holders);
    return object;
}

Object::Ptr auditObject(const LicenceAuditEntry& entry) {
    Object::Ptr object = orderedObject();
    object->set("sequence", static_cast<Poco::Int64>(entry.sequence));
    object->set("at", toIsoUtc(entry.at));
    object->set("event", entry.event);
    object->set("licence", entry.licence);
    object->set("service", entry.service);
    object->set("onBehalfOf", entry.onBehalfOf);
    object->set("host", entry.host);
    object->set("fromHost", entry.fromHost);
    object->set("actor", entry.actor);
    object->set("reason", entry.reason);
    return object;
}

Result<LicenceHolderView> holderFrom(const JsonFields& fields) {
    BOOST_OUTCOME_TRY(service, fields.requiredString("service"));
    BOOST_OUTCOME_TRY(onBehalfOf, fields.optionalString("onBehalfOf"));
    BOOST_OUTCOME_TRY(host, fields.optionalString("host"));
    BOOST_OUTCOME_TRY(since, fields.requiredTime("since"));
    BOOST_OUTCOME_TRY(applied, fields.requiredBool("applied"));
    return LicenceHolderView{service, onBehalfOf, host, since, applied};
}

Result<LicenceView> licenceFrom(const JsonFields& fields) {
    BOOST_OUTCOME_TRY(id, fields.requiredString("id"));
    BOOST_OUTCOME_TRY(product, fields.optionalString("product"));
    BOOST_OUTCOME_TRY(seats, fields.requiredInteger("seats", 0, kMostSeats));
    BOOST_OUTCOME_TRY(holders, listFrom<LicenceHolderView>(fields, "holders", holderFrom));
    return LicenceView{id, product, static_cast<int>(seats), std::move(holders)};
}

Result<LicenceAuditEntry> auditEntryFrom(const JsonFields& fields) {
    LicenceAuditEntry entry;
    BOOST_OUTCOME_TRY(sequence, fields.requiredInteger("sequence", 0, std::numeric_limits<std::int64_t>::max()));
    BOOST_OUTCOME_TRY(at, fields.requiredTime("at"));
    BOOST_OUTCOME_TRY(event, fields.requiredString("event"));
    entry.sequence = sequence;
    entry.at = at;
    entry.event = std::move(event);
    // The rest depends on the event (a refusal names no holder, a transfer names two hosts).
    for (auto [key, into] : {std::pair{"licence", &entry.licence}, std::pair{"service", &entry.service},
                             std::pair{"onBehalfOf", &entry.onBehalfOf}, std::pair{"host", &entry.host},
                             std::pair{"fromHost", &entry.fromHost}, std::pair{"actor", &entry.actor},
                             std::pair{"reason", &entry.reason}}) {
        BOOST_OUTCOME_TRY(value, fields.optionalString(key));
        *into = std::move(value);
    }
    return entry;
}

}  // namespace

std::string toJson(const std::vector<LicenceView>& licences, JsonStyle style) {
    return arrayJson(licences, licenceObject, style);
}

std::string toJson(const std::vector<LicenceAuditEntry>& entries, JsonStyle style) {
    return arrayJson(entries, auditObject, style);
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
        return readList<LicenceView>(*array, "licences", licenceFrom);
    });
}

Result<std::vector<LicenceAuditEntry>> licenceAuditFromJson(std::string_view text) {
    return guarded("audit", [&]() -> Result<std::vector<LicenceAuditEntry>> {
        BOOST_OUTCOME_TRY(array, parseJsonArray(text, "audit"));
        return readList<LicenceAuditEntry>(*array, "audit", auditEntryFrom);
    });
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
