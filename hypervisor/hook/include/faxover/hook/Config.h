#pragma once
// The hook's configuration: /etc/libvirt/hooks/faxover-hook.conf, `key = value` lines (docs/hook.md).
// A host without that file is not enrolled and the hook lets every domain start.
#include "faxover/hook/Result.h"

#include <chrono>
#include <string>
#include <vector>

namespace faxover::hook {

inline constexpr const char* kDefaultConfigPath = "/etc/libvirt/hooks/faxover-hook.conf";

struct HookConfig {
    std::vector<std::string> orchestrators{};  // base URLs "http://ADDR:PORT", asked in this order
    std::string host{};                        // this host's name as the policy knows it
    std::chrono::milliseconds timeout{2000};   // per orchestrator: connect, send and receive each
    std::string cachePath = "/var/lib/libvirt/faxover/protected";
    std::string overridePath = "/etc/libvirt/hooks/faxover-override.conf";
    std::string logPath = "/var/log/libvirt/faxover-hook.log";
    // How a planned stop is reported (docs/hook.md, "Planned shutdown"): "auto" asks systemd
    // whether the system is stopping and for a reboot or a power-off; "shutdown" or "reboot" say it
    // for every libvirtd stop and every domain ended (a lab whose hosts share one systemd).
    std::string plannedKind = "auto";
};

// The file's text -> the configuration; the error names where (`SOURCE:LINE: `, or `line N: `
// without a source), the key and what is wrong with it. Unknown keys are errors (a misspelt key
// must not silently fall back to a default).
Result<HookConfig> parseConfig(const std::string& text, const std::string& source = "");

// For a file parseConfig refuses: `fallback` with each file setting (cache, override, log) that is
// valid on its own line taken from `text`. A broken file still says where its cache is.
HookConfig salvagePaths(const std::string& text, HookConfig fallback);

}  // namespace faxover::hook
