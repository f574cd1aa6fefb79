#pragma once
// The rules for one service per decision, once commands and outcomes are applied. Internal to the engine.
#include "ClusterPlacement.h"
#include "DecisionContext.h"
#include "FaxHealth.h"
#include "Moves.h"
#include "Recovery.h"
#include "RequestedStates.h"
#include "SeatBook.h"

#include <string>

namespace faxover::orchestrator::engine {

class ServiceRules {
public:
    ServiceRules(DecisionContext& context, SeatBook& seats, ClusterPlacement& placement, Moves& moves,
                 Recovery& recovery, RequestedStates& requested, FaxHealth& faxHealth);

    void evaluate(const policy::ServicePolicy& service);

private:
    void evaluateRunning(const policy::ServicePolicy& service, const std::string& host);
    void resetCountersWhenStable(const policy::ServicePolicy& service);
    // Running on the host it failed over from, or left for a maintenance that has ended: that
    // return is done.
    void forgetReturnsTo(const policy::ServicePolicy& service, const std::string& host, const HostObservation& where);
    // Moves it back to the host a maintenance drain took it off, once that maintenance ended
    // (`return_after_maintenance`); whether it did.
    bool returnAfterMaintenance(const policy::ServicePolicy& service, const std::string& host);
    // `failback: on`: a better preferred host, or without preferences the host it failed over from.
    void failBack(const policy::ServicePolicy& service, const std::string& host);

    DecisionContext& context_;
    SeatBook& seats_;
    ClusterPlacement& placement_;
    Moves& moves_;
    Recovery& recovery_;
    RequestedStates& requested_;
    FaxHealth& faxHealth_;
};

}  // namespace faxover::orchestrator::engine
