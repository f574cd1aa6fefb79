#include "faxover/policies/MonitoringProfile.h"

namespace faxover::policy {

using std::chrono::milliseconds;

MonitoringProfile ipfxCompatibleProfile() {
    // IPFX Failover Server 4.3, Options > Network: its defaults, which its manual says not to change.
    return MonitoringProfile{"ipfx-compatible", milliseconds(2000), milliseconds(1000), 5, 15, 30};
}

MonitoringProfile defaultProfile() {
    // docs/policy.md, "Monitoring profiles", explains each number.
    return MonitoringProfile{"default", milliseconds(500), milliseconds(400), 4, 7, 14};
}

std::optional<MonitoringProfile> monitoringProfileNamed(std::string_view name) {
    if (name == "default") return defaultProfile();
    if (name == "ipfx-compatible") return ipfxCompatibleProfile();
    return std::nullopt;
}

std::vector<std::string> monitoringProfileNames() { return {"default", "ipfx-compatible"}; }

const char* toString(ShutdownPolicy policy) {
    switch (policy) {
        case ShutdownPolicy::Conditional: return "conditional";
        case ShutdownPolicy::Failover: return "failover";
        case ShutdownPolicy::Freeze: return "freeze";
        case ShutdownPolicy::Migrate: return "migrate";
    }
    return "conditional";
}

std::vector<std::string> shutdownPolicyNames() { return {"conditional", "failover", "freeze", "migrate"}; }

}  // namespace faxover::policy
