// The board book: fax board reservations (docs/invariants.md §4, docs/boards.md): a board-mode service gets a free board of
// a model and trunk group it accepts when it starts on another host; its old board is released
// and goes back to its host driver as soon as that host answers; a running service keeps the board
// its definition names; the telco hook follows each move.
#include "BoardBook.h"

#include <algorithm>

namespace faxover::orchestrator::engine {

namespace {

// A failed release (reattach) is retried after this long, not every round.
constexpr std::chrono::seconds kReleaseRetry{30};

}  // namespace

BoardBook::BoardBook(DecisionContext& context, BoardLedger boards) : context_(context), boards_(std::move(boards)) {
    // The few services whose telephony needs a look, found without a lookup per service.
    for (const auto& [name, index] : context_.services()) {
        if (index.policy == nullptr) continue;
        const bool board = index.policy->telephony == policy::TelephonyMode::Board;
        const bool seen =
            index.observed != nullptr && (!index.observed->pciHostdevs.empty() ||
                                          (index.observed->guest && !index.observed->guest->telephony.empty()));
        const bool alerted = index.remembered != nullptr && !index.remembered->telephonyAlert.empty();
        if (board || seen || alerted) telephonySubjects_.push_back(index.policy);
    }
    std::sort(telephonySubjects_.begin(), telephonySubjects_.end());  // the policy's order: one vector
}

const Telephony& BoardBook::telephonyOf(const policy::ServicePolicy& service) const {
    // Most services pass nothing through and no agent speaks for them: their telephony is the
    // policy's, with nothing to look up (this runs for each of 10,000 services per decision).
    static const Telephony kBoard{true}, kNoBoard{};
    const ServiceObservation& seen = context_.observed(service.name);
    if (seen.pciHostdevs.empty() && (!seen.guest || seen.guest->telephony.empty()))
        return service.telephony == policy::TelephonyMode::Board ? kBoard : kNoBoard;
    if (auto cached = telephony_.find(service.name); cached != telephony_.end()) return cached->second;
    const auto& copies = context_.activeCopies(service.name);
    const std::string& where = copies.size() == 1 ? copies.front() : context_.current(service.name).host;
    const HostObservation* seenHost = where.empty() ? nullptr : context_.host(where);
    static const std::optional<std::vector<ObservedBoard>> kNotInventoried{};
    Telephony telephony = detectTelephony(
        context_.policy(), service, seenHost == nullptr ? nullptr : context_.hostPolicy(where), seen.pciHostdevs,
        seenHost == nullptr ? kNotInventoried : seenHost->boards, seen.guest ? seen.guest->telephony : "");
    return telephony_.emplace(service.name, std::move(telephony)).first->second;
}

void BoardBook::alertOnTelephonyDisagreements() {
    for (const auto* service : telephonySubjects_) alertOnTelephonyDisagreement(*service);
}

void BoardBook::alertOnTelephonyDisagreement(const policy::ServicePolicy& service) {
    const std::string& disagreement = telephonyOf(service).disagreement;
    if (disagreement == context_.current(service.name).telephonyAlert) return;
    context_.memoryOf(service.name).telephonyAlert = disagreement;
    if (!disagreement.empty())
        context_.log(Event::aboutService(service.name, "telephony: " + disagreement +
                                                           "; Faxover acts on the definition: set 'telephony' in the policy")
                         .with("disagreement", disagreement)
                         .alert());
}

std::optional<BoardNeed> BoardBook::boardNeed(const policy::ServicePolicy& service) const {
    const Telephony& telephony = telephonyOf(service);
    if (!telephony.board) return std::nullopt;
    BoardNeed need{service.boardModels, service.trunkGroup};
    if (need.models.empty() && telephony.model != nullptr) need.models.push_back(telephony.model->name);
    return need;
}

std::vector<PlacementBoard> BoardBook::placementBoards(const HostObservation& observedHost,
                                                     const policy::HostPolicy& hostPolicy) const {
    std::vector<PlacementBoard> boards;
    for (const auto& status : matchBoards(context_.policy(), hostPolicy, observedHost.boards)) {
        if (status.mapping == nullptr) continue;  // unmapped: never used
        PlacementBoard board{status.pciAddress, status.mapping->model, status.mapping->trunkGroup, status.explain()};
        const auto held = std::find_if(boards_.begin(), boards_.end(), [&](const BoardReservation& reservation) {
            return reservation.host == hostPolicy.name && reservation.pciAddress == status.pciAddress;
        });
        if (status.seen && !status.seen->otherVm.empty())
            board.unavailable = "passed through to " + status.seen->otherVm + ", a VM no service protects";
        else if (held != boards_.end() && held->releasing)
            board.unavailable = "going back to its host driver (was " + held->service + "'s)";
        else if (held != boards_.end()) board.holder = held->service;
        boards.push_back(std::move(board));
    }
    return boards;
}

BoardReservation* BoardBook::reservation(const std::string& hostName, const std::string& board) {
    auto found = std::find_if(boards_.begin(), boards_.end(), [&](const BoardReservation& reservation) {
        return reservation.host == hostName && reservation.pciAddress == board;
    });
    return found == boards_.end() ? nullptr : &*found;
}

void BoardBook::boardLog(const std::string& hostName, const std::string& board, const std::string& message,
                         bool alert) {
    context_.log(Event::aboutBoard(hostName, board, message).alertIf(alert));
}

void BoardBook::reserveBoard(const std::string& service, const std::string& hostName, const std::string& board,
                           const std::string& why) {
    for (auto& other : boards_)
        if (other.service == service && !other.releasing && !(other.host == hostName && other.pciAddress == board))
            releaseBoard(other, service + " moves to board " + board + " on " + hostName);
    BoardReservation* held = reservation(hostName, board);
    if (held != nullptr && held->service == service && !held->releasing) return;
    if (held != nullptr && held->service != service && !held->releasing)
        boardLog(hostName, board, "was reserved for " + held->service + " but " + service + " runs with it", true);
    if (held == nullptr) boards_.push_back({hostName, board, service, context_.now()});
    else *held = {hostName, board, service, context_.now()};
    boardLog(hostName, board, "reserved for " + service + ": " + why);
}

void BoardBook::releaseBoard(BoardReservation& held, const std::string& why) {
    held.releasing = true;
    held.releaseFailed = false;
    held.since = context_.now();
    boardLog(held.host, held.pciAddress, "released by " + held.service + ": " + why +
                                             "; it goes back to its host driver when " + held.host + " answers");
}

bool BoardBook::usedByOtherVm(const std::string& hostName, const std::string& board) const {
    const HostObservation* seen = context_.host(hostName);
    if (seen == nullptr || !seen->boards) return false;
    return std::any_of(seen->boards->begin(), seen->boards->end(), [&](const ObservedBoard& observed) {
        return observed.pciAddress == board && !observed.otherVm.empty();
    });
}

std::optional<std::string> BoardBook::boardForRestart(const policy::ServicePolicy& service,
                                                      const std::string& hostName) {
    const Telephony& telephony = telephonyOf(service);
    if (!telephony.board) return std::string();
    // The board its definition names there or, when Faxover has not read the definition, the one
    // reserved for it there: a start never passes through a board nobody decided to give it.
    std::string board = telephony.boardAddress;
    if (board.empty())
        for (const auto& held : boards_)
            if (held.service == service.name && held.host == hostName) board = held.pciAddress;
    if (board.empty() || usedByOtherVm(hostName, board)) return std::nullopt;
    const BoardReservation* held = reservation(hostName, board);
    if (held == nullptr) return board;
    if (held->service != service.name) return std::nullopt;
    // Its own board on its way back to the host driver: wait for the release to finish first.
    const bool releaseUnderWay =
        std::any_of(context_.input().inFlight.begin(), context_.input().inFlight.end(), [&](const Action& action) {
            return action.kind == ActionKind::ReleaseBoard && action.host == hostName &&
                   action.board == held->pciAddress;
        });
    if (releaseUnderWay) return std::nullopt;
    return board;
}

void BoardBook::rerouteTelco(const Action& move, const std::string& fromHost) {
    const policy::ServicePolicy* service = context_.servicePolicy(move.service);
    const bool moved = fromHost != move.host || (!move.fromBoard.empty() && move.fromBoard != move.board);
    if (service == nullptr || !service->telcoHook || !moved) return;
    context_.act(Action{ActionKind::RerouteTelco, move.service, move.host, fromHost,
                        "board " + move.fromBoard + " on " + fromHost + " -> " + move.board + " on " + move.host,
                        move.actor, "", move.board, move.fromBoard});
}

void BoardBook::finishAction(const FinishedAction& finished) {
    const Action& action = finished.action;
    if (action.kind == ActionKind::RerouteTelco) {
        context_.log(Event::aboutService(action.service,
                                         finished.succeeded
                                             ? "telco hook after the move to " + action.host + ": " + finished.message
                                             : "telco hook after the move to " + action.host +
                                                   " failed: " + finished.message + "; the trunk may still point at " +
                                                   action.source + ": reroute it by hand")
                         .with("to", action.host)
                         .with("from", action.source)
                         .alertIf(!finished.succeeded));
        return;
    }
    BoardReservation* held = reservation(action.host, action.board);
    if (held == nullptr || !held->releasing) return;  // taken again meanwhile
    if (!finished.succeeded) {
        // One alert per streak of failures: a board a VM Faxover does not protect holds fails the
        // same way every 30 s for as long as that VM runs.
        const bool firstFailure = !held->releaseFailed;
        held->since = context_.now();  // retried kReleaseRetry from now
        held->releaseFailed = true;
        boardLog(action.host, action.board,
                 "could not go back to its host driver: " + finished.message + "; retried every " +
                     std::to_string(kReleaseRetry.count()) + " s" + (firstFailure ? "" : " (failed again)"),
                 firstFailure);
        return;
    }
    boardLog(action.host, action.board, "back with its host driver (" + finished.message + "): free");
    std::erase_if(boards_, [&](const BoardReservation& reservation) { return &reservation == held; });
}

void BoardBook::adoptRunningBoards() {
    // A running board-mode service holds the board its definition names, whatever the ledger said;
    // before anything is decided, so that a move decided now releases that board, not nothing.
    for (const auto* subject : telephonySubjects_) {
        const policy::ServicePolicy& service = *subject;
        if (context_.busy(service.name)) continue;
        const auto& copies = context_.activeCopies(service.name);
        const Telephony& telephony = telephonyOf(service);
        if (copies.size() != 1 || !telephony.board || telephony.boardAddress.empty()) continue;
        if (const BoardReservation* held = reservation(copies.front(), telephony.boardAddress);
            held != nullptr && held->service == service.name && !held->releasing)
            continue;
        reserveBoard(service.name, copies.front(), telephony.boardAddress, "found running with it");
    }
}

bool BoardBook::mayStillUse(const BoardReservation& held) const {
    const auto& copies = context_.activeCopies(held.service);
    if (std::find(copies.begin(), copies.end(), held.host) == copies.end()) return false;
    const policy::ServicePolicy* service = context_.servicePolicy(held.service);
    if (service == nullptr || copies.size() != 1) return true;
    // Its definition there names the board it runs with; unread, it may be this one.
    const std::string& board = telephonyOf(*service).boardAddress;
    return board.empty() || board == held.pciAddress;
}

void BoardBook::settle() {
    for (auto& held : boards_) {
        if (held.releasing) continue;
        const policy::ServicePolicy* service = context_.servicePolicy(held.service);
        if (service == nullptr) releaseBoard(held, held.service + " is no longer in the policy");
        else if (service->telephony == policy::TelephonyMode::Sr140)
            releaseBoard(held, held.service + " is now telephony sr140");
    }
    // Released boards go back to their host driver once the host has answered that the service
    // does not run there with that board (a fenced host must come back first). It may run there
    // with another one: moved back onto the same host, onto its other board.
    for (const auto& held : boards_) {
        if (!held.releasing || context_.busy(held.service)) continue;
        const HostObservation* where = context_.host(held.host);
        if (where == nullptr || where->libvirt != hv::Reachability::Reachable || where->fence != FenceStatus::None ||
            (where->health != HostHealthState::Ok && where->health != HostHealthState::Degraded))
            continue;
        if (mayStillUse(held)) continue;
        const bool underWay =
            std::any_of(context_.input().inFlight.begin(), context_.input().inFlight.end(), [&](const Action& action) {
                return action.kind == ActionKind::ReleaseBoard && action.host == held.host &&
                       action.board == held.pciAddress;
            });
        if (underWay || (held.releaseFailed && context_.now() - held.since < kReleaseRetry)) continue;
        context_.act(Action{ActionKind::ReleaseBoard, held.service, held.host, "", "released by " + held.service,
                            "daemon", "", held.pciAddress, ""});
    }
}

}  // namespace faxover::orchestrator::engine
