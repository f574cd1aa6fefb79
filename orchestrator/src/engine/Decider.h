#pragma once
// One decide() call: a thin coordinator over the engine's parts, each owning its own state.
//   DecisionContext   what the decision was given and what it has decided so far (shared)
//   SeatBook          licences, seats, standbys                      (SeatBook.cpp)
//   BoardBook         fax board reservations, telephony             (BoardBook.cpp)
//   ClusterPlacement  the cluster view, target hosts                (ClusterPlacement.cpp)
//   Moves             live migration or cold move of a running service (Moves.cpp)
//   Recovery          services that run nowhere: fence, restart, place (Recovery.cpp)
//   Outcomes          finished actions                               (Outcomes.cpp)
//   AdminCommands     service verbs                                  (AdminCommands.cpp)
//   FaxHealth         the guest agent's word on the fax service      (FaxHealth.cpp)
//   ServiceRules      the per-service rules of each round            (ServiceRules.cpp)
// run() walks kPhases (Decider.cpp), which also says why that order. Internal to the engine.
#include "AdminCommands.h"
#include "BoardBook.h"
#include "ClusterPlacement.h"
#include "DecisionContext.h"
#include "FaxHealth.h"
#include "Moves.h"
#include "Outcomes.h"
#include "Recovery.h"
#include "RequestedStates.h"
#include "SeatBook.h"
#include "ServiceRules.h"

namespace faxover::orchestrator::engine {

class Decider {
public:
    explicit Decider(const EngineInput& input);
    Decision run();

private:
    struct Phase {
        const char* name;
        void (Decider::*step)();
    };
    static const Phase kPhases[];

    void rememberNewServices();
    void applyOutcomes();
    void adoptRunningBoards();
    void applyCommands();
    void alertOnTelephony();
    void evaluateServices();
    void placeWaitingServices();
    void settleSeats();
    void settleBoards();

    // Declared in the order they depend on each other: each is built from those above it.
    DecisionContext context_;
    SeatBook seats_;
    BoardBook boards_;
    ClusterPlacement placement_;
    Moves moves_;
    Recovery recovery_;
    RequestedStates requested_;
    Outcomes outcomes_;
    AdminCommands commands_;
    FaxHealth faxHealth_;
    ServiceRules rules_;
};

}  // namespace faxover::orchestrator::engine
