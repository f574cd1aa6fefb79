#pragma once
// The hypervisor steps of each action, run on the Executor without the runtime's lock. Each
// returns a one-line message for the intent's outcome, or the error that ended it.
#include "faxover/hypervisor/Hypervisor.h"
#include "faxover/policies/Policy.h"

#include <string>

namespace faxover::orchestrator::runtime {

struct ActionContext {
    std::string domain{};         // name or UUID, as the policy names it
    std::string definitionXml{};  // last definition read from a host
    policy::DomainXmlSource xmlSource{};
    hv::Duration shutdownTimeout{60000};  // graceful shutdown before destroy, in cold moves
};

// Defines the domain on `host` when it is not defined there, then starts it (already running
// counts as started).
hv::Result<std::string> startOn(hv::Hypervisor& hypervisor, const std::string& host, const ActionContext& context);

hv::Result<std::string> liveMigrate(hv::Hypervisor& hypervisor, const std::string& from, const std::string& to,
                                    const ActionContext& context, const hv::ProgressCallback& progress);

// Shuts the domain down on `from` (destroying it after the timeout), starts it on `to`, and then
// undefines it on `from` so that no stale definition can be started there by hand.
hv::Result<std::string> coldMove(hv::Hypervisor& hypervisor, const std::string& from, const std::string& to,
                                 ActionContext context);

}  // namespace faxover::orchestrator::runtime
