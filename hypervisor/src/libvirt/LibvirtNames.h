#pragma once
// libvirt's numeric state reasons and event details, turned into the layer's words.
#include "faxover/hypervisor/Types.h"

#include <optional>
#include <string>

namespace faxover::hv::libvirt {

DomainState domainStateFromLibvirt(int state);
std::string stateReasonText(int state, int reason);

struct LifecycleName {
    DomainLifecycle lifecycle;
    std::string detailText;
};
// nullopt for an event type newer than this code: it is ignored rather than misnamed.
std::optional<LifecycleName> lifecycleFromLibvirt(int event, int detail);

}  // namespace faxover::hv::libvirt
