#include "faxover/orchestrator/HostArgument.h"

namespace faxover::orchestrator {

Result<hv::HostConfig> parseHostArgument(std::string_view argument) {
    hv::HostConfig host;
    const auto equals = argument.find('=');
    std::string_view rest = argument;
    if (equals != std::string_view::npos) {
        host.name = std::string(argument.substr(0, equals));
        rest = argument.substr(equals + 1);
    }
    // '@' may also appear in a URI's user part (qemu+ssh://root@host/system): only a final '@'
    // after the path counts as the migration address separator.
    const auto at = rest.rfind('@');
    const auto pathStart = rest.find('/', rest.find("://") == std::string_view::npos ? 0 : rest.find("://") + 3);
    if (at != std::string_view::npos && pathStart != std::string_view::npos && at > pathStart) {
        host.migrationAddress = std::string(rest.substr(at + 1));
        rest = rest.substr(0, at);
    }
    host.uri = std::string(rest);
    if (host.name.empty()) host.name = host.uri;
    if (host.uri.empty() || host.uri.find(':') == std::string::npos) {
        return Error{ErrorKind::BadRequest,
                         "host '" + std::string(argument) + "': expected NAME=URI[@MIGRATION_ADDRESS], e.g. "
                         "lab1=qemu+tcp://198.18.0.11/system@198.18.0.11"};
    }
    return host;
}

}  // namespace faxover::orchestrator
