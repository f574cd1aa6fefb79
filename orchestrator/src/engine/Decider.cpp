#include "Decider.h"

#include "faxover/orchestrator/engine/Engine.h"

namespace faxover::orchestrator::engine {

Decision decide(const EngineInput& input) { return Decider(input).run(); }

// The order of a decision. Each phase may rely on what the phases above it did:
const Decider::Phase Decider::kPhases[] = {
    // A service seen for the first time is in its state since now, before any rule reads `since`.
    {"remember new services", &Decider::rememberNewServices},
    // What finished is news for everything below: where services run, their seats and boards.
    {"apply outcomes", &Decider::applyOutcomes},
    // Reservations follow what runs before anything moves, so that a move decided below releases
    // the board the service really holds.
    {"adopt running boards", &Decider::adoptRunningBoards},
    // An admin's command goes before the rules: the rules then leave a commanded service alone.
    {"apply commands", &Decider::applyCommands},
    {"alert on telephony", &Decider::alertOnTelephony},
    // Every service not busy nor commanded: stay, move, or wait for placement.
    {"evaluate services", &Decider::evaluateServices},
    // Only once every service has been looked at: seats and hosts go by priority, not policy order.
    {"place waiting services", &Decider::placeWaitingServices},
    // After every start is decided: a seat whose holder is down and not starting goes back.
    {"settle seats", &Decider::settleSeats},
    // Last: a board released by anything above goes back to its host driver.
    {"settle boards", &Decider::settleBoards},
};

Decider::Decider(const EngineInput& input)
    : context_(input),
      seats_(context_, input.ledger),
      boards_(context_, input.boards),
      placement_(context_, boards_),
      moves_(context_, boards_),
      recovery_(context_, seats_, boards_, placement_),
      requested_(context_, recovery_),
      outcomes_(context_, seats_, boards_),
      commands_(context_, seats_, placement_, moves_, recovery_, requested_),
      faxHealth_(context_, placement_, moves_),
      rules_(context_, seats_, placement_, moves_, recovery_, requested_, faxHealth_) {}

Decision Decider::run() {
    for (const Phase& phase : kPhases) (this->*phase.step)();
    return context_.finish(seats_.seats(), seats_.takeChanges(), boards_.reservations());
}

void Decider::rememberNewServices() {
    for (const auto& service : context_.policy().services)
        if (context_.indexOf(service.name)->remembered == nullptr)
            context_.memoryOf(service.name).since = context_.now();
}

void Decider::applyOutcomes() {
    for (const auto& finished : context_.input().finished)
        if (context_.servicePolicy(finished.action.service) != nullptr) outcomes_.apply(finished);
}

void Decider::adoptRunningBoards() { boards_.adoptRunningBoards(); }

void Decider::applyCommands() {
    for (const auto& command : context_.input().commands) context_.verdict(commands_.apply(command));
}

void Decider::alertOnTelephony() { boards_.alertOnTelephonyDisagreements(); }

void Decider::evaluateServices() {
    for (const auto& service : context_.policy().services)
        if (!context_.busy(service.name) && !commands_.commanded(service.name)) rules_.evaluate(service);
}

void Decider::placeWaitingServices() { recovery_.placeWaitingServices(); }

void Decider::settleSeats() { seats_.settle(recovery_.downForSure()); }

void Decider::settleBoards() { boards_.settle(); }

}  // namespace faxover::orchestrator::engine
