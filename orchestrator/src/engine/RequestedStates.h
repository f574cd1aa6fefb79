#pragma once
// What an admin wants of a service's VM apart from monitoring: `vm stop`, `vm start`, `disable`,
// `enable` (docs/engine.md, rule 2; docs/cli.md, "Requested state"). Internal to the engine.
#include "DecisionContext.h"
#include "Recovery.h"

#include <string>

namespace faxover::orchestrator::engine {

// The verb that brings a service back from what was requested: "vm start" or "enable".
std::string startVerb(RequestedState requested);

class RequestedStates {
public:
    RequestedStates(DecisionContext& context, Recovery& recovery);

    // VmStop, VmStart, Disable, Enable. A stop is carried out in this decision; a start is left to
    // the rules, which then recover the service like any other that runs nowhere.
    CommandVerdict apply(const policy::ServicePolicy& service, const AdminCommand& command);
    // A service an admin wants off: a copy a reachable host runs is shut down, or it is noted off
    // (down for sure once every host that might run it has answered, so that its seat goes back).
    // Never a fence, never a start. `actor` is "daemon" for the rule, else the admin who asked now.
    void holdOff(const policy::ServicePolicy& service, const std::string& actor);

private:
    CommandVerdict stop(const policy::ServicePolicy& service, const AdminCommand& command);
    CommandVerdict start(const policy::ServicePolicy& service, const AdminCommand& command);

    DecisionContext& context_;
    Recovery& recovery_;
};

}  // namespace faxover::orchestrator::engine
