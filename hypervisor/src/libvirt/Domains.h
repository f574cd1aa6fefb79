#pragma once
// Small helpers over libvirt domain handles, shared by the hypervisor and migration code.
#include "faxover/hypervisor/Result.h"
#include "faxover/hypervisor/Types.h"
#include "libvirt/Handles.h"

#include <string>

namespace faxover::hv::libvirt {

// `domain` is a UUID (36 characters with dashes) or a name.
Result<DomainHandle> lookupDomain(virConnectPtr connection, const std::string& host, const std::string& domain);
Result<DomainInfo> describeDomain(virDomainPtr domain, const std::string& host);

}  // namespace faxover::hv::libvirt
