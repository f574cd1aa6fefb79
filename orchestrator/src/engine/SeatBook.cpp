// The seat book (docs/invariants.md §1, docs/licensing.md): a licensed active service runs only while it
// holds a seat; a seat follows its service only once the old host is off or fenced (the
// recovery rules have checked that before any start is decided); a standby takes a down primary's
// seat to stand in for it; seats nobody needs are given back.
#include "SeatBook.h"

#include <algorithm>

namespace faxover::orchestrator::engine {

namespace {

// A failed apply step is retried after this long, not every round.
constexpr std::chrono::seconds kApplyRetry{30};

std::string forWhom(const std::string& onBehalfOf) { return onBehalfOf.empty() ? "" : " (for " + onBehalfOf + ")"; }

std::string applyFailedReason(const std::string& licence, const std::string& host) {
    return "licence " + licence + " apply on " + host + " failed";
}

// Why a primary is still down after its standby's apply step failed; matched as a prefix to
// wait kApplyRetry before the next try.
std::string standInFailedReason(const std::string& standby, const std::string& licence, const std::string& host) {
    return "standby " + standby + " could not take licence " + licence + " on " + host;
}

std::string applyingReason(const std::string& licence, const std::string& host) {
    return "running on " + host + "; applying licence " + licence;
}

std::string takingReason(const SeatHolding& seat) {
    return "standby " + seat.service + " on " + seat.host + " taking licence " + seat.licence + " for it";
}

std::string standsInReason(const SeatHolding& seat) {
    return "standby " + seat.service + " on " + seat.host + " stands in for it (licence " + seat.licence +
           "); 'faxover demote " + seat.service + "' hands the seat back";
}

}  // namespace

SeatBook::SeatBook(DecisionContext& context, Ledger seats) : context_(context), seats_(std::move(seats)) {}

const policy::Licence* SeatBook::seatLicence(const policy::ServicePolicy& service) const {
    if (service.role != policy::ServiceRole::Active || service.licence.empty()) return nullptr;
    return context_.policy().findLicence(service.licence);
}

SeatHolding* SeatBook::holding(const std::string& service, const std::string& onBehalfOf) {
    auto it = std::find_if(seats_.begin(), seats_.end(), [&](const SeatHolding& seat) {
        return seat.service == service && seat.onBehalfOf == onBehalfOf;
    });
    return it == seats_.end() ? nullptr : &*it;
}

int SeatBook::seatsHeld(const std::string& licence) const {
    return static_cast<int>(
        std::count_if(seats_.begin(), seats_.end(), [&](const SeatHolding& seat) { return seat.licence == licence; }));
}

std::string SeatBook::holdersOf(const std::string& licence) const {
    std::string text;
    for (const auto& seat : seats_)
        if (seat.licence == licence)
            text += (text.empty() ? "" : ", ") + seat.service + forWhom(seat.onBehalfOf) + " on " + seat.host;
    return text;
}

void SeatBook::ledgerChange(LedgerChange change) {
    switch (change.event) {
    case LedgerEvent::Grant:
        seats_.push_back({change.licence, change.service, change.onBehalfOf, change.host, context_.now(),
                          !context_.policy().findLicence(change.licence)->apply});
        break;
    case LedgerEvent::Revoke:
        std::erase_if(seats_, [&](const SeatHolding& seat) {
            return seat.licence == change.licence && seat.service == change.service &&
                   seat.onBehalfOf == change.onBehalfOf;
        });
        break;
    default:
        break;  // transfers and applies change their holding in place; refusals change nothing
    }
    if (change.event != LedgerEvent::Refuse)  // a refusal's reason is already on the service's line
        context_.log(Event::aboutLicence(change.licence,
                                         std::string(toString(change.event)) + " " + change.service +
                                             (change.onBehalfOf.empty() ? "" : " for " + change.onBehalfOf) +
                                             (change.host.empty() ? "" : " on " + change.host) + ": " + change.reason)
                         .with("change", toString(change.event))
                         .with("holder", change.service)
                         .alertIf(change.event == LedgerEvent::ApplyFailed));
    changes_.push_back(std::move(change));
}

bool SeatBook::seatAvailable(const policy::ServicePolicy& service, std::map<std::string, int>& promised) {
    const policy::Licence* licence = seatLicence(service);
    if (licence == nullptr || holding(service.name) != nullptr) return true;
    int& taken = promised[licence->id];
    if (seatsHeld(licence->id) + taken >= licence->seats) return false;
    ++taken;
    return true;
}

bool SeatBook::claimSeat(const policy::ServicePolicy& service, const std::string& host, const std::string& why) {
    const policy::Licence* licence = seatLicence(service);
    if (licence == nullptr) return true;
    if (SeatHolding* seat = holding(service.name)) {
        if (seat->host != host) {
            // Safe: a start elsewhere is only decided once the old host answered "off" or is fenced.
            const std::string from = seat->host;
            seat->host = host;
            seat->since = context_.now();
            seat->applied = !licence->apply;
            ledgerChange({LedgerEvent::Transfer, licence->id, service.name, "", host, from, why});
        }
        return true;
    }
    if (seatsHeld(licence->id) < licence->seats) {
        ledgerChange({LedgerEvent::Grant, licence->id, service.name, "", host, "", why});
        return true;
    }
    refuseSeat(service, why);
    return false;
}

void SeatBook::refuseSeat(const policy::ServicePolicy& service, const std::string& why) {
    const std::string& licence = service.licence;
    const std::string reason = why + "; stays down: every seat of licence " + licence + " is held (" +
                               holdersOf(licence) + ")";
    if (context_.current(service.name).reason == reason) return;  // said once, not every round
    ledgerChange({LedgerEvent::Refuse, licence, service.name, "", "", "", reason});
    context_.setState(service.name, ServiceState::Failure, reason, true);
}

bool SeatBook::licensedOn(const policy::ServicePolicy& service, const std::string& host) {
    const policy::Licence* licence = seatLicence(service);
    if (licence == nullptr) {
        if (service.role == policy::ServiceRole::Standby) applyPromotions(service, host);
        return true;
    }
    SeatHolding* seat = holding(service.name);
    if (seat == nullptr) {
        if (seatsHeld(licence->id) >= licence->seats) {
            // Started behind the orchestrator's back (the libvirt hook was bypassed or absent):
            // a breach to report, not a VM to kill.
            const std::string reason = "runs on " + host + " without a seat: every seat of licence " + licence->id +
                                       " is held (" + holdersOf(licence->id) + "); an admin must stop one copy";
            if (context_.current(service.name).reason != reason)
                ledgerChange({LedgerEvent::Refuse, licence->id, service.name, "", host, "", reason});
            context_.setState(service.name, ServiceState::Error, reason, true);
            return false;
        }
        ledgerChange({LedgerEvent::Grant, licence->id, service.name, "", host, "", "found running on " + host});
        seat = holding(service.name);
    } else if (seat->host != host) {
        moveSeats(service.name, host, true, "found running on " + host);
    }
    if (seat->applied) return true;
    const ServiceMemory& memory = context_.current(service.name);
    if (memory.reason.starts_with(applyFailedReason(licence->id, host)) && context_.now() - memory.since < kApplyRetry)
        return false;  // the alert is out; retry later
    context_.act(
        Action{ActionKind::ApplyLicence, service.name, host, "", "activate licence " + licence->id + " on " + host});
    context_.setState(service.name, ServiceState::Recovering, applyingReason(licence->id, host));
    return false;
}

void SeatBook::startedOn(const std::string& service, const std::string& host, const std::string& how) {
    const SeatHolding* seat = holding(service);
    if (seat != nullptr && seat->host == host && !seat->applied)
        context_.setState(service, ServiceState::Recovering, applyingReason(seat->licence, host));  // licensedOn() acts
    else
        context_.setState(service, ServiceState::Ok, how);
}

void SeatBook::keepSeatWhileHeld(const policy::ServicePolicy& service) {
    const policy::Licence* licence = seatLicence(service);
    const auto& copies = context_.activeCopies(service.name);
    if (licence == nullptr || copies.size() != 1) return;
    const std::string& host = copies.front();
    const ServiceMemory& memory = context_.current(service.name);
    if (const SeatHolding* seat = holding(service.name)) {
        if (seat->host != host) moveSeats(service.name, host, true, "found running on " + host);
        return;
    }
    if (seatsHeld(licence->id) < licence->seats) {
        ledgerChange({LedgerEvent::Grant, licence->id, service.name, "", host, "",
                      "found running on " + host + " (" + toString(memory.state) + ")"});
        return;
    }
    const std::string reason = "runs on " + host + " without a seat: every seat of licence " + licence->id +
                               " is held (" + holdersOf(licence->id) + "); an admin must stop one copy";
    if (memory.reason == reason) return;
    ledgerChange({LedgerEvent::Refuse, licence->id, service.name, "", host, "", reason});
    context_.setState(service.name, memory.state, reason, true);
}

void SeatBook::applyPromotions(const policy::ServicePolicy& standby, const std::string& host) {
    moveSeats(standby.name, host, true, "found running on " + host);
    std::vector<SeatHolding> promotions;
    for (const auto& seat : seats_)
        if (seat.service == standby.name && !seat.onBehalfOf.empty()) promotions.push_back(seat);
    for (const auto& seat : promotions) {
        if (seat.applied) continue;
        const ServiceMemory& primary = context_.current(seat.onBehalfOf);
        if (primary.reason.starts_with(standInFailedReason(standby.name, seat.licence, host)) &&
            context_.now() - primary.since < kApplyRetry)
            continue;
        context_.act(Action{ActionKind::ApplyLicence, standby.name, host, "",
                            "activate licence " + seat.licence + " on " + host + " for " + seat.onBehalfOf, "daemon",
                            seat.onBehalfOf});
        context_.setState(seat.onBehalfOf, ServiceState::Recovering,
                          takingReason(*holding(seat.service, seat.onBehalfOf)));
    }
}

const SeatHolding* SeatBook::substitutedBy(const std::string& primary) const {
    auto it =
        std::find_if(seats_.begin(), seats_.end(), [&](const SeatHolding& seat) { return seat.onBehalfOf == primary; });
    return it == seats_.end() ? nullptr : &*it;
}

bool SeatBook::promoteStandby(const policy::ServicePolicy& primary, std::string& whyNot) {
    const policy::Licence* licence = seatLicence(primary);
    if (licence == nullptr) return false;
    std::vector<std::string> obstacles;
    for (const auto& standby : context_.policy().services) {
        if (std::find(standby.standsInFor.begin(), standby.standsInFor.end(), primary.name) ==
            standby.standsInFor.end())
            continue;
        const auto& copies = context_.activeCopies(standby.name);
        const HostObservation* where = copies.size() == 1 ? context_.host(copies.front()) : nullptr;
        int standingIn = 0;
        std::string standingFor;  // the primaries it stands in for, for the alert
        for (const auto& seat : seats_) {
            if (seat.service != standby.name || seat.onBehalfOf.empty()) continue;
            ++standingIn;
            standingFor += (standingFor.empty() ? "" : ", ") + seat.onBehalfOf;
        }
        std::string obstacle;
        if (where == nullptr) obstacle = "not running";
        else if (where->health != HostHealthState::Ok || where->libvirt != hv::Reachability::Reachable)
            obstacle = "its host " + where->name + " is not healthy";
        else if (context_.busy(standby.name) || heldByAdmin(context_.current(standby.name).state))
            obstacle = toString(context_.current(standby.name).state);
        else if (standingIn >= standby.standbyCapacity)
            obstacle = "already stands in for " + standingFor + " (capacity " +
                       std::to_string(standby.standbyCapacity) + ")";
        if (!obstacle.empty()) {
            obstacles.push_back(standby.name + " " + obstacle);
            continue;
        }
        const std::string why = primary.name + " is down and no host can take it";
        if (SeatHolding* own = holding(primary.name)) {
            // The dead primary's seat passes to its stand-in: one active instance before and after.
            const std::string from = own->host;
            own->service = standby.name;
            own->onBehalfOf = primary.name;
            own->host = where->name;
            own->since = context_.now();
            own->applied = !licence->apply;
            ledgerChange({LedgerEvent::Transfer, licence->id, standby.name, primary.name, where->name, from, why});
        } else if (seatsHeld(licence->id) < licence->seats) {
            ledgerChange({LedgerEvent::Grant, licence->id, standby.name, primary.name, where->name, "", why});
        } else {
            whyNot = "no standby can take its seat: every seat of licence " + licence->id + " is held (" +
                     holdersOf(licence->id) + ")";
            return false;
        }
        const SeatHolding& taken = *holding(standby.name, primary.name);
        if (taken.applied) context_.setState(primary.name, ServiceState::Failure, standsInReason(taken), true);
        else
            context_.setState(primary.name, ServiceState::Recovering, takingReason(taken),
                              true);  // applyPromotions() acts
        return true;
    }
    if (obstacles.empty()) return false;
    whyNot = "no standby can stand in: ";
    for (std::size_t i = 0; i < obstacles.size(); ++i) whyNot += (i == 0 ? "" : ", ") + obstacles[i];
    return false;
}

void SeatBook::settle(const std::set<std::string>& downForSure) {
    const Ledger snapshot = seats_;
    for (const auto& seat : snapshot) {
        if (context_.busy(seat.service)) continue;
        const policy::ServicePolicy* service = context_.servicePolicy(seat.service);
        std::string why;
        if (service == nullptr) why = seat.service + " is no longer in the policy";
        else if (context_.policy().findLicence(seat.licence) == nullptr)
            why = "licence " + seat.licence + " is no longer in the policy";
        else if (seat.onBehalfOf.empty() && seatLicence(*service) != context_.policy().findLicence(seat.licence))
            why = seat.service + " no longer needs licence " + seat.licence;
        else if (!seat.onBehalfOf.empty() &&
                 std::find(service->standsInFor.begin(), service->standsInFor.end(), seat.onBehalfOf) ==
                     service->standsInFor.end())
            why = seat.service + " no longer stands in for " + seat.onBehalfOf;
        else if (downForSure.contains(seat.service))
            why = seat.service + " is down and not starting: " + context_.current(seat.service).reason;
        if (!why.empty()) revokeSeat(seat, why);
    }
}

void SeatBook::revokeSeat(const SeatHolding& seat, const std::string& why, const std::string& actor) {
    const policy::Licence* licence = context_.policy().findLicence(seat.licence);
    if (licence != nullptr && licence->revoke && context_.servicePolicy(seat.service) != nullptr) {
        // The step runs first; the seat is free once it has (finishStep).
        context_.act(Action{ActionKind::RevokeLicence, seat.service, seat.host, "", why, actor, seat.onBehalfOf});
        return;
    }
    ledgerChange({LedgerEvent::Revoke, seat.licence, seat.service, seat.onBehalfOf, seat.host, "", why, actor});
}

void SeatBook::moveSeats(const std::string& service, const std::string& host, bool reapply, const std::string& why) {
    for (auto& seat : seats_) {
        if (seat.service != service || seat.host == host) continue;
        const std::string from = seat.host;
        seat.host = host;
        seat.since = context_.now();
        if (reapply)
            seat.applied =
                !context_.policy().findLicence(seat.licence) || !context_.policy().findLicence(seat.licence)->apply;
        ledgerChange({LedgerEvent::Transfer, seat.licence, service, seat.onBehalfOf, host, from, why});
    }
}

void SeatBook::finishStep(const FinishedAction& finished) {
    const Action& action = finished.action;
    SeatHolding* seat = holding(action.service, action.onBehalfOf);
    if (seat == nullptr) return;  // given back meanwhile
    const std::string licence = seat->licence;
    if (action.kind == ActionKind::RevokeLicence) {
        ledgerChange({LedgerEvent::RevokeRun, licence, action.service, action.onBehalfOf, action.host, "",
                      finished.succeeded ? finished.message : "failed: " + finished.message, action.actor});
        if (!finished.succeeded)
            context_.log(Event::aboutService(action.service, "licence " + licence + " revoke step on " + action.host +
                                                                 " failed: " + finished.message +
                                                                 "; the seat is given back anyway")
                             .with("licence", licence)
                             .alert());
        ledgerChange({LedgerEvent::Revoke, licence, action.service, action.onBehalfOf, action.host, "", action.reason,
                      action.actor});
        return;
    }
    if (seat->host != action.host) return;  // it moved while the step ran: applied again there
    if (finished.succeeded) {
        seat->applied = true;
        ledgerChange(
            {LedgerEvent::Applied, licence, action.service, action.onBehalfOf, action.host, "", finished.message});
        if (action.onBehalfOf.empty())
            context_.setState(action.service, ServiceState::Ok, "licence " + licence + " applied on " + action.host);
        else context_.setState(action.onBehalfOf, ServiceState::Failure, standsInReason(*seat));
        return;
    }
    ledgerChange(
        {LedgerEvent::ApplyFailed, licence, action.service, action.onBehalfOf, action.host, "", finished.message});
    if (action.onBehalfOf.empty())
        context_.setState(action.service, ServiceState::Failure,
                          applyFailedReason(licence, action.host) + ": " + finished.message +
                              "; not declared ok, retried in " + std::to_string(kApplyRetry.count()) + " s",
                          true);
    else
        context_.setState(action.onBehalfOf, ServiceState::Failure,
                          standInFailedReason(action.service, licence, action.host) + ": " + finished.message +
                              "; retried in " + std::to_string(kApplyRetry.count()) + " s",
                          true);
}

CommandVerdict SeatBook::demote(const policy::ServicePolicy& service, const std::string& actor) {
    std::vector<SeatHolding> promotions;
    for (const auto& seat : seats_)
        if (seat.service == service.name && !seat.onBehalfOf.empty()) promotions.push_back(seat);
    if (promotions.empty()) return {false, service.name + " stands in for no primary: nothing to demote"};
    std::string primaries;
    for (const auto& seat : promotions) {
        revokeSeat(seat, "demoted by " + actor, actor);
        primaries += (primaries.empty() ? "" : ", ") + seat.onBehalfOf;
    }
    return {true, service.name + ": no longer stands in for " + primaries + "; their seats are given back"};
}

}  // namespace faxover::orchestrator::engine
