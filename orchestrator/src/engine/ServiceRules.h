#pragma once
// The rules for one service per decision, once commands and outcomes are applied. Internal to the engine.
#include "ClusterPlacement.h"
#include "DecisionContext.h"
#include "Moves.h"
#include "Recovery.h"
#include "SeatBook.h"

#include <string>

namespace faxover::orchestrator::engine {

class ServiceRules {
public:
    ServiceRules(DecisionContext& context, SeatBook& seats, ClusterPlacement& placement, Moves& moves,
                 Recovery& recovery);

    void evaluate(const policy::ServicePolicy& service);

private:
    void evaluateRunning(const policy::ServicePolicy& service, const std::string& host);
    void resetCountersWhenStable(const policy::ServicePolicy& service);

    DecisionContext& context_;
    SeatBook& seats_;
    ClusterPlacement& placement_;
    Moves& moves_;
    Recovery& recovery_;
};

}  // namespace faxover::orchestrator::engine
