// The runtime's side of fax boards (docs/boards.md): board reservations to and from the store, the
// definitions that name a board, and the telco hook.
#include "ActionSteps.h"
#include "RuntimeState.h"

#include "faxover/hypervisor/DomainXml.h"
#include "faxover/policies/Duration.h"

#include <algorithm>

namespace faxover::orchestrator::runtime {

namespace {

// How far back the journal is read for the last cold move of a service, and at most how much of it.
constexpr auto kOutageHistory = std::chrono::hours(24 * 90);
constexpr std::size_t kOutageHistoryEntries = 100000;

store::BoardReservationRecord toRecord(const engine::BoardReservation& reservation) {
    return {reservation.host, reservation.pciAddress, reservation.service, reservation.since, reservation.releasing};
}

bool sameBoard(const engine::BoardReservation& a, const engine::BoardReservation& b) {
    return a.host == b.host && a.pciAddress == b.pciAddress;
}

// The audit line of one reservation change, "" when nothing an admin would ask about changed.
std::string auditAction(const engine::BoardReservation* before, const engine::BoardReservation* after) {
    if (after == nullptr) return "board-freed";
    if (before == nullptr || before->service != after->service || (before->releasing && !after->releasing))
        return "board-reserved";
    if (!before->releasing && after->releasing) return "board-released";
    return "";
}

}  // namespace

void Runtime::State::addBoardWrites(store::Batch& batch, const engine::BoardLedger& before,
                                    const engine::BoardLedger& after, WallTime now) const {
    for (const auto& old : before) {
        if (std::any_of(after.begin(), after.end(), [&](const auto& kept) { return sameBoard(old, kept); })) continue;
        batch.add(store::RemoveBoardReservation{old.host, old.pciAddress});
        batch.add(store::AppendAudit{{now, "daemon", "board " + old.host + " " + old.pciAddress, auditAction(&old, nullptr),
                                      "back with its host driver", "was " + old.service + "'s"}});
    }
    for (const auto& reservation : after) {
        auto old = std::find_if(before.begin(), before.end(), [&](const auto& held) { return sameBoard(held, reservation); });
        const engine::BoardReservation* previous = old == before.end() ? nullptr : &*old;
        if (previous != nullptr && toRecord(*previous) == toRecord(reservation)) continue;
        batch.add(store::PutBoardReservation{toRecord(reservation)});
        if (const std::string action = auditAction(previous, &reservation); !action.empty())
            batch.add(store::AppendAudit{{now, "daemon", "board " + reservation.host + " " + reservation.pciAddress, action,
                                          reservation.releasing ? "released" : "reserved", reservation.service}});
    }
}

hv::Result<std::string> Runtime::State::runTelcoHook(const engine::Action& action) {
    // Runs on the executor: the loop reads what it needs (the policy the move points into is kept
    // alive by `current` through a reload), the hook runs here.
    using Prepared = std::pair<std::shared_ptr<const policy::Policy>, ports::BoardMove>;
    BOOST_OUTCOME_TRY(prepared, readState<Prepared>([this, action]() -> hv::Result<Prepared> {
        const policy::ServicePolicy* service = policy->findService(action.service);
        if (service == nullptr || !service->telcoHook)
            return hv::Error{hv::ErrorKind::InvalidArgument, action.service + " has no telco hook in the policy any more"};
        return Prepared{policy, {&*service->telcoHook, service->name, service->domain.value, action.source,
                                 action.fromBoard, action.host, action.board, service->trunkGroup}};
    }));
    return ports.telcoHooks.run(prepared.second);
}

void Runtime::State::noteDefinition(ServiceEntry& service, std::string xml) {
    service.definitionXml = std::move(xml);
    service.observation.pciHostdevs.clear();
    auto definition = hv::DomainXml::parse(service.definitionXml);
    if (!definition) return;  // not ours to judge here: a start with it reports libvirt's own error
    for (const auto& hostdev : definition.value().pciHostdevs())
        service.observation.pciHostdevs.push_back(hostdev.source.toString());
}

void Runtime::State::noteBoardMoved(ServiceEntry& service, const engine::Action& action) {
    if (auto rewritten = withBoard(service.definitionXml, {action.fromBoard, action.board})) {
        noteDefinition(service, std::move(rewritten.value()));
    } else {
        auto& hostdevs = service.observation.pciHostdevs;
        std::replace(hostdevs.begin(), hostdevs.end(), action.fromBoard, action.board);
    }
    if (auto& seen = hosts.at(action.host).observation.boards)
        for (auto& board : *seen)
            if (board.pciAddress == action.board) board.driver = "vfio-pci";
}

void Runtime::State::estimateOutage(api::PlannedMove& move) const {
    const policy::ServicePolicy* service = policy->findService(move.service);
    const std::string shutdown = service == nullptr ? "" : policy::formatDuration(service->shutdownTimeout);
    // The journal keeps every cold move with its start and its end; the last one is the best guess.
    // Its end is QEMU's start on the target: the guest's boot to a ready fax service comes on top.
    auto journal = ports.store.intentsSince(ports.wall.now() - kOutageHistory, kOutageHistoryEntries);
    std::optional<store::IntentEntry> last;
    if (journal)
        for (const auto& entry : journal.value())
            if (entry.intent.service == move.service && engine::actionKindNamed(entry.intent.action) == engine::ActionKind::ColdMove && entry.outcome &&
                entry.outcome->status == store::OutcomeStatus::Succeeded)
                last = entry;
    if (!last) {
        move.outageBasis = "no cold move measured yet; shutdown waits up to " + shutdown + ", then the guest boots";
        return;
    }
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(last->outcome->finishedAt - last->intent.createdAt);
    move.expectedOutage = took;
    move.outageBasis = "last cold move took " + policy::formatDuration(took) + " until QEMU started, plus the guest's boot";
}

Result<std::vector<api::BoardView>> Runtime::boards() {
    return state_->ask<std::vector<api::BoardView>>([s = state_.get()] { return s->boardViews(); });
}

Result<std::vector<api::BoardView>> Runtime::State::boardViews() const {
    const auto& s = *this;
    std::vector<api::BoardView> views;
    for (const auto& host : s.policy->hosts) {
        const HostEntry& entry = s.hosts.at(host.name);
        for (const auto& status : engine::matchBoards(*s.policy, host, entry.observation.boards)) {
            api::BoardView view{host.name, status.pciAddress};
            if (status.mapping != nullptr) {
                view.model = status.mapping->model;
                view.trunkGroup = status.mapping->trunkGroup;
            }
            if (status.seen) {
                view.vendorId = status.seen->vendorId;
                view.deviceId = status.seen->deviceId;
                view.driver = status.seen->driver;
            }
            view.state = engine::toString(status.condition);
            view.detail = status.explain();
            const auto held = std::find_if(s.boards.begin(), s.boards.end(), [&](const auto& reservation) {
                return reservation.host == host.name && reservation.pciAddress == status.pciAddress;
            });
            if (held != s.boards.end()) {
                view.holder = held->service;
                const auto& copies = s.services.count(held->service) ? s.services.at(held->service).observation.copies
                                                                      : std::vector<engine::DomainCopy>{};
                const bool running = std::any_of(copies.begin(), copies.end(),
                                                 [&](const auto& copy) { return copy.host == host.name && copy.active(); });
                view.state = held->releasing ? "releasing" : running ? "in-use" : "reserved";
            } else if (status.condition == engine::HostBoardStatus::Condition::Usable) {
                view.state = "free";
            }
            if (status.seen && !status.seen->otherVm.empty()) {
                // Whatever Faxover reserved, that VM has the board: the admin must act.
                view.detail = "passed through to " + status.seen->otherVm + ", a VM no service protects" +
                              (view.holder.empty() ? "" : " (reserved for " + view.holder + ")");
                view.holder = status.seen->otherVm;
                view.state = "other-vm";
            }
            views.push_back(std::move(view));
        }
    }
    return views;
}

}  // namespace faxover::orchestrator::runtime
