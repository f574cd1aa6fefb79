#pragma once
// Admin verbs that concern one service (suspend, stop, resume, migrate, failover, failback,
// demote; vm stop, vm start, disable and enable through RequestedStates). Internal to the engine.
#include "ClusterPlacement.h"
#include "DecisionContext.h"
#include "Moves.h"
#include "Recovery.h"
#include "RequestedStates.h"
#include "SeatBook.h"

#include <set>
#include <string>

namespace faxover::orchestrator::engine {

class AdminCommands {
public:
    AdminCommands(DecisionContext& context, SeatBook& seats, ClusterPlacement& placement, Moves& moves,
                  Recovery& recovery, RequestedStates& requested);

    CommandVerdict apply(const AdminCommand& command);
    // Whether a command decided what happens to `service` in this decision: the rules leave it alone.
    bool commanded(const std::string& service) const { return commanded_.contains(service); }

private:
    CommandVerdict migrate(const policy::ServicePolicy& service, const AdminCommand& command);
    CommandVerdict failover(const policy::ServicePolicy& service, const AdminCommand& command);
    CommandVerdict failback(const policy::ServicePolicy& service, const AdminCommand& command);

    DecisionContext& context_;
    SeatBook& seats_;
    ClusterPlacement& placement_;
    Moves& moves_;
    Recovery& recovery_;
    RequestedStates& requested_;
    std::set<std::string> commanded_;
};

}  // namespace faxover::orchestrator::engine
