#pragma once
// What the engine does with the guest agent's word about a running service's fax service
// (docs/engine.md, "Fax health"): a dead fax service on a live VM escalates, step by step, from a
// restart of the service through the agent to a restart of the VM to a relocation; heartbeats
// lost while the VM runs are reported, never acted on. Internal to the engine.
#include "ClusterPlacement.h"
#include "DecisionContext.h"
#include "Moves.h"

#include <string>

namespace faxover::orchestrator::engine {

class FaxHealth {
public:
    FaxHealth(DecisionContext& context, ClusterPlacement& placement, Moves& moves);

    // A service running on `host`, a healthy host, with nothing else to do this round: whether
    // this decided an action for it. A service without agent data is left as it is.
    bool evaluate(const policy::ServicePolicy& service, const std::string& host);

private:
    // The next step of the escalation, if its delay has passed; whether one was decided.
    bool escalate(const policy::ServicePolicy& service, const std::string& host);
    bool relocate(const policy::ServicePolicy& service, const std::string& host, const std::string& count);
    // The heartbeat is back, or lost: reported once each way.
    void noteHeartbeats(const policy::ServicePolicy& service, const std::string& host, bool answered);

    DecisionContext& context_;
    ClusterPlacement& placement_;
    Moves& moves_;
};

}  // namespace faxover::orchestrator::engine
