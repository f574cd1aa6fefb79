#pragma once
// The hook's part in a planned host shutdown or reboot (docs/hook.md, "Planned shutdown";
// docs/engine.md, "Planned host shutdown and reboot"): which invocations are worth a report,
// and the report to the orchestrator's hook listener (POST /v1/hook/host-event).
#include "faxover/hook/Config.h"
#include "faxover/hook/Result.h"
#include "faxover/hook/RunHook.h"

#include <optional>
#include <string>

namespace faxover::hook {

// What systemd says about this machine now.
struct SystemShutdown {
    bool stopping = false;  // the system is going down (systemctl is-system-running: "stopping")
    bool reboot = false;    // and it will come back (a reboot job, or a scheduled reboot)
};

struct HostEventReport {
    std::string event{};   // "shutdown", "reboot" or "back"
    std::string domain{};  // the domain whose QEMU process ended; "" for the host alone
    bool operator==(const HostEventReport&) const = default;
};

// Pure. libvirt runs the daemon hook as `daemon - shutdown -` and `daemon - start -`, the qemu hook
// as `qemu DOMAIN release end -` after a QEMU process ended. Reported: a libvirtd stop (the host
// going down, or under an explicit planned_kind) and its start (back); a domain ended while the
// system is stopping (or under an explicit planned_kind). Nothing else: an ordinary guest stop is
// no news for the orchestrator.
std::optional<HostEventReport> hostEventFor(const HookRequest& request, const std::string& plannedKind,
                                            const SystemShutdown& system);

// Asks systemctl (is-system-running, list-jobs) and /run/systemd/shutdown/scheduled.
SystemShutdown readSystemShutdown();

// The orchestrator's answer to a report (its JSON body).
struct ReportTaken {
    std::string answer{};
};
// POSTs the report to each orchestrator of the configuration until one takes it; its answer, or
// why none did.
Result<ReportTaken> reportHostEvent(const HookConfig& config, const HostEventReport& report);

// The whole run for a daemon-hook or release call: reads the configuration, decides, reports.
// Always 0: libvirt must never be slowed or failed by it. Problems go to `err`.
int runHostEvent(const HookRequest& request, std::ostream& err);

}  // namespace faxover::hook
