#pragma once
// Client-managed live migration (virDomainMigrate3) with progress polling on the calling thread.
#include "faxover/hypervisor/Hypervisor.h"
#include "libvirt/Handles.h"

namespace faxover::hv::libvirt {

struct MigrationEndpoints {
    virConnectPtr source;
    virConnectPtr destination;
    const HostConfig& sourceHost;
    const HostConfig& destinationHost;
};

Result<MigrationResult> migrateLive(const MigrationEndpoints& endpoints, virDomainPtr domain,
                                    const MigrationOptions& options, const ProgressCallback& progress);

}  // namespace faxover::hv::libvirt
