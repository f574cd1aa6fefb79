// The licence ledger's runtime side (docs/licensing.md): committing the engine's ledger changes,
// running licence steps, and what admins, auditors and the hosts' libvirt hook read.
#include "RuntimeState.h"

#include <Poco/String.h>

#include <algorithm>
#include <limits>
#include <tuple>

namespace faxover::orchestrator::runtime {

namespace {

auto keyOf(const engine::SeatHolding& seat) { return std::tie(seat.licence, seat.service, seat.onBehalfOf); }

const engine::SeatHolding* find(const engine::Ledger& ledger, const engine::SeatHolding& like) {
    auto it = std::find_if(ledger.begin(), ledger.end(), [&](const auto& seat) { return keyOf(seat) == keyOf(like); });
    return it == ledger.end() ? nullptr : &*it;
}

const std::string kHookRefusalPrefix = "libvirt hook: start refused: ";

}  // namespace

void Runtime::State::addLedgerWrites(store::Batch& batch, const engine::Ledger& before, const engine::Ledger& after,
                                     const std::vector<engine::LedgerChange>& changes, WallTime now) const {
    for (const auto& seat : before)
        if (find(after, seat) == nullptr) batch.add(store::RemoveSeat{seat.licence, seat.service, seat.onBehalfOf});
    for (const auto& seat : after)
        if (const auto* old = find(before, seat); old == nullptr || !(*old == seat))
            batch.add(store::PutSeat{{seat.licence, seat.service, seat.onBehalfOf, seat.host, seat.since, seat.applied}});
    for (const auto& change : changes)
        batch.add(store::AppendLicenceAudit{{0, now, engine::toString(change.event), change.licence, change.service,
                                             change.onBehalfOf, change.host, change.fromHost, change.actor,
                                             change.reason}});
}

hv::Result<std::string> Runtime::State::runLicenceStep(const engine::Action& action) {
    // Runs on the executor: the loop reads what it needs (the policy the request points into is
    // kept alive by `current`), the step runs here.
    using Prepared = std::pair<std::shared_ptr<const policy::Policy>, ports::LicenceStepRequest>;
    BOOST_OUTCOME_TRY(prepared, readState<Prepared>([this, action]() -> hv::Result<Prepared> {
        Prepared prepared{policy, {}};
        ports::LicenceStepRequest& request = prepared.second;
        const auto seat = std::find_if(ledger.begin(), ledger.end(), [&](const auto& held) {
            return held.service == action.service && held.onBehalfOf == action.onBehalfOf;
        });
        if (seat == ledger.end()) return hv::Error{hv::ErrorKind::OperationInvalid, "the seat was given back meanwhile"};
        request.licence = policy->findLicence(seat->licence);
        const policy::ServicePolicy* service = policy->findService(action.service);
        const policy::HostPolicy* host = policy->findHost(action.host);
        if (request.licence == nullptr || service == nullptr)
            return hv::Error{hv::ErrorKind::OperationInvalid, "licence or service left the policy"};
        request.domain = service->domain.value;
        request.hostUri = host == nullptr ? "" : host->uri;
        return prepared;
    }));
    ports::LicenceStepRequest& request = prepared.second;
    request.event = action.kind == engine::ActionKind::ApplyLicence ? ports::LicenceEvent::Apply : ports::LicenceEvent::Revoke;
    request.service = action.service;
    request.onBehalfOf = action.onBehalfOf;
    request.host = action.host;
    return ports.licenceSteps.run(request);
}

Runtime::State::StartVerdict Runtime::State::permitStart(const api::StartQuery& query) const {
    StartVerdict verdict;
    api::StartPermission& permission = verdict.permission;
    const policy::ServicePolicy* service = nullptr;
    for (const auto& candidate : policy->services) {
        const ServiceEntry& entry = services.at(candidate.name);
        permission.protectedDomains.push_back(candidate.domain.value);
        if (!entry.uuid.empty() && entry.uuid != candidate.domain.value) permission.protectedDomains.push_back(entry.uuid);
        const bool named = !query.name.empty() && candidate.domain.value == query.name;
        const bool byUuid = !query.uuid.empty() && (candidate.domain.value == query.uuid || entry.uuid == query.uuid);
        if (service == nullptr && (named || byUuid)) service = &candidate;
    }
    const std::string domain = query.name.empty() ? query.uuid : query.name;
    if (service == nullptr) {
        permission.allowed = true;
        permission.reason = domain + " is not protected by Faxover";
        return verdict;
    }
    verdict.service = service;
    const ServiceEntry& entry = services.at(service->name);
    const auto refuse = [&](std::string reason) {
        permission.reason = service->name + ": " + std::move(reason);
        return verdict;
    };
    if (policy->findHost(query.host) == nullptr) return refuse("host " + query.host + " is not in the policy");
    const engine::ServiceMemory& memory = entry.memory;
    // Where an action under way sends it (a start, a cold move, a live migration's destination,
    // where the source still runs it until the switch-over): the orchestrator's own start.
    if (!memory.target.empty() && query.host == memory.target) {
        permission.allowed = true;
        permission.reason = "Faxover is starting it on " + query.host;
        return verdict;
    }
    for (const auto& copy : entry.observation.copies)
        if (copy.active() && copy.host != query.host) return refuse("already running on " + copy.host);

    // Otherwise a licensed service may run where its seat is, any other where it last ran.
    const auto seat = std::find_if(ledger.begin(), ledger.end(), [&](const auto& held) {
        return held.service == service->name && held.onBehalfOf.empty();
    });
    const bool needsSeat = service->role == policy::ServiceRole::Active && !service->licence.empty();
    const std::string placedOn = needsSeat ? (seat == ledger.end() ? "" : seat->host) : memory.host;
    if (query.host == placedOn) {
        permission.allowed = true;
        permission.reason = needsSeat ? "it holds its seat of licence " + service->licence + " on " + query.host
                                      : "it runs on " + query.host;
        return verdict;
    }
    if (needsSeat && placedOn.empty())
        return refuse("it holds no seat of licence " + service->licence +
                      "; Faxover decides where it starts ('faxover status')");
    if (placedOn.empty()) return refuse("Faxover has not placed it yet");
    return refuse("Faxover places it on " + placedOn +
                  (needsSeat ? " (its seat of licence " + service->licence + ")" : "") +
                  "; move it with 'faxover migrate' or 'faxover failover'");
}

Result<api::StartPermission> Runtime::mayStart(const api::StartQuery& asked) {
    return state_->ask<api::StartPermission>([s = state_.get(), asked] { return s->mayStart(asked); });
}

Result<api::StartPermission> Runtime::State::mayStart(const api::StartQuery& asked) {
    auto& s = *this;
    api::StartQuery query = asked;
    query.uuid = Poco::toLower(query.uuid);  // libvirt writes UUIDs in lower case, the policy's are read so
    const auto [permission, service] = s.permitStart(query);
    if (!permission.allowed) {
        store::LicenceAuditRecord row{0, s.ports.wall.now(), engine::toString(engine::LedgerEvent::Refuse), service == nullptr ? "" : service->licence,
                                      service == nullptr ? "" : service->name, "", query.host, "",
                                      query.asker.empty() ? "libvirt-hook:" + query.host : query.asker,
                                      kHookRefusalPrefix + permission.reason};
        // Hosts the policy does not name are one kind per service, whatever name the caller made up.
        const bool knownHost = s.policy->findHost(query.host) != nullptr;
        const std::string kind = row.service + (knownHost ? "|" + query.host + "|" + permission.reason : "|unknown host");
        if (auto written = s.hookRefusals.refused(kind, std::move(row), s.ports.clock.now())) s.writeHookRefusal(*written);
    }
    return permission;
}

void Runtime::State::writeHookRefusal(const store::LicenceAuditRecord& row) {
    auto written = ports.store.commit(store::Batch{}.add(store::AppendLicenceAudit{row}));
    if (!written) reportStoreFailure("cannot write the licence audit log", written.error().message);
    report(engine::Event::aboutHost(row.host, "libvirt hook refused a start: " + row.reason.substr(kHookRefusalPrefix.size()))
               .alert());
}

void Runtime::State::writeDueHookRefusals() {
    for (const auto& row : hookRefusals.due(ports.clock.now())) writeHookRefusal(row);
}

Result<std::vector<api::LicenceView>> Runtime::licences() {
    return state_->ask<std::vector<api::LicenceView>>([s = state_.get()] { return s->licences(); });
}

Result<std::vector<api::LicenceView>> Runtime::State::licences() const {
    const auto& s = *this;
    std::vector<api::LicenceView> views;
    for (const auto& licence : s.policy->licences) {
        api::LicenceView view{licence.id, licence.product, licence.seats, {}};
        for (const auto& seat : s.ledger)
            if (seat.licence == licence.id)
                view.holders.push_back({seat.service, seat.onBehalfOf, seat.host, seat.since, seat.applied});
        views.push_back(std::move(view));
    }
    return views;
}

Result<std::vector<api::LicenceAuditEntry>> Runtime::licenceAudit(std::optional<WallTime> since) {
    // A read of the store: the loop's too, so it never meets a commit half done.
    return state_->ask<std::vector<api::LicenceAuditEntry>>([s = state_.get(), since] { return s->licenceAudit(since); });
}

Result<std::vector<api::LicenceAuditEntry>> Runtime::State::licenceAudit(std::optional<WallTime> since) {
    auto records = ports.store.licenceAudit(since.value_or(WallTime{}), std::numeric_limits<std::size_t>::max());
    if (!records) return Error{ErrorKind::StoreFailed, records.error().message};
    std::vector<api::LicenceAuditEntry> entries;
    entries.reserve(records.value().size());
    for (const auto& record : records.value())
        entries.push_back({record.sequence, record.at, record.event, record.licence, record.service, record.onBehalfOf,
                           record.host, record.fromHost, record.actor, record.reason});
    return entries;
}

}  // namespace faxover::orchestrator::runtime
