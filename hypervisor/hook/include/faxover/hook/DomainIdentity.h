#pragma once
// Who the domain libvirt is about to start is: its name and UUID, read from the domain XML libvirt
// writes to the hook's stdin.
#include "faxover/hook/Result.h"

#include <string>

namespace faxover::hook {

struct DomainIdentity {
    std::string name{};
    std::string uuid{};  // lower case, 8-4-4-4-12 hex digits
};

// Errors: not XML, not a <domain>, no or an invalid <uuid>.
Result<DomainIdentity> readDomainXml(const std::string& xml);

bool isUuid(const std::string& text);

}  // namespace faxover::hook
