#pragma once
// One run of the hook as libvirt makes it: the I/O around decide() (config, stdin XML, the
// orchestrators, cache, overrides, log). main() only passes its arguments and streams, so that the
// unit tests run exactly this with files of their own.
#include "faxover/hook/Config.h"

#include <istream>
#include <ostream>
#include <string>

namespace faxover::hook {

struct HookRequest {
    std::string domain{};        // argv[1]
    std::string operation{};     // argv[2], e.g. "prepare"
    std::string subOperation{};  // argv[3], e.g. "begin"
    std::string configPath{};    // kDefaultConfigPath under libvirt
    // Where the cache, override file and log are when the configuration file is invalid (its own
    // settings cannot be trusted then): HookConfig's defaults under libvirt.
    HookConfig fallback{};
};

// The exit status for libvirt: 0 lets the domain start, 1 refuses (messages go to `err`). `xml` is
// read only for "prepare begin" on an enrolled host.
int runHook(const HookRequest& request, std::istream& xml, std::ostream& err);

}  // namespace faxover::hook
