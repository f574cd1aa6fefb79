#include "libvirt/Domains.h"

#include "libvirt/LibvirtErrors.h"
#include "libvirt/LibvirtNames.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace faxover::hv::libvirt {
namespace {

bool looksLikeUuid(const std::string& text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dashPosition = i == 8 || i == 13 || i == 18 || i == 23;
        if (dashPosition ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
    }
    return true;
}

}  // namespace

Result<DomainHandle> lookupDomain(virConnectPtr connection, const std::string& host, const std::string& domain) {
    virDomainPtr found = looksLikeUuid(domain) ? virDomainLookupByUUIDString(connection, domain.c_str())
                                               : virDomainLookupByName(connection, domain.c_str());
    if (found == nullptr) return lastLibvirtError(host, "look up domain " + domain);
    return DomainHandle(found);
}

Result<DomainInfo> describeDomain(virDomainPtr domain, const std::string& host) {
    DomainInfo info;
    info.name = virDomainGetName(domain);
    std::array<char, VIR_UUID_STRING_BUFLEN> uuid{};
    if (virDomainGetUUIDString(domain, uuid.data()) < 0) return lastLibvirtError(host, "read UUID of " + info.name);
    info.uuid = uuid.data();
    std::transform(info.uuid.begin(), info.uuid.end(), info.uuid.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    int state = 0;
    int reason = 0;
    if (virDomainGetState(domain, &state, &reason, 0) < 0) return lastLibvirtError(host, "read state of " + info.name);
    info.state = domainStateFromLibvirt(state);
    info.reason = reason;
    info.reasonText = stateReasonText(state, reason);
    virDomainInfo basics{};
    if (virDomainGetInfo(domain, &basics) < 0) return lastLibvirtError(host, "read info of " + info.name);
    info.memoryKiB = basics.maxMem;
    info.vcpus = basics.nrVirtCpu;
    const int persistent = virDomainIsPersistent(domain);
    if (persistent < 0) return lastLibvirtError(host, "read persistence of " + info.name);
    info.persistent = persistent == 1;
    return info;
}

}  // namespace faxover::hv::libvirt
