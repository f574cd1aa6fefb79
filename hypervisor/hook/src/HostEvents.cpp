#include "faxover/hook/HostEvents.h"

#include "faxover/hook/OrchestratorClient.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace faxover::hook {

namespace {

// systemctl's output; "" when it cannot run (no systemd: nothing is known to be stopping).
std::string systemctl(const std::vector<std::string>& args) {
    try {
        Poco::Pipe out;
        Poco::ProcessHandle process = Poco::Process::launch("systemctl", args, nullptr, &out, nullptr);
        Poco::PipeInputStream in(out);
        std::string text;
        Poco::StreamCopier::copyToString(in, text);
        process.wait();
        return text;
    } catch (const Poco::Exception&) {
        return "";
    }
}

}  // namespace

std::optional<HostEventReport> hostEventFor(const HookRequest& request, const std::string& plannedKind,
                                            const SystemShutdown& system) {
    const bool forced = plannedKind == "shutdown" || plannedKind == "reboot";
    const std::string kind = forced ? plannedKind : system.reboot ? "reboot" : "shutdown";
    if (request.domain == "-") {  // the daemon hook: libvirtd itself
        if (request.operation == "start") return HostEventReport{"back", ""};
        // A libvirtd stopped alone (an upgrade) is no host going down, unless the admin said so.
        if (request.operation == "shutdown" && (forced || system.stopping)) return HostEventReport{kind, ""};
        return std::nullopt;
    }
    if (request.operation == "release" && request.subOperation == "end" && (forced || system.stopping))
        return HostEventReport{kind, request.domain};
    return std::nullopt;
}

SystemShutdown readSystemShutdown() {
    SystemShutdown system;
    system.stopping = systemctl({"is-system-running"}).starts_with("stopping");
    // `shutdown -r +5` writes MODE=reboot here; `systemctl reboot` queues reboot.target.
    std::ifstream scheduled("/run/systemd/shutdown/scheduled");
    const std::string schedule(std::istreambuf_iterator<char>(scheduled), {});
    system.reboot = schedule.find("MODE=reboot") != std::string::npos ||
                    systemctl({"list-jobs", "--no-legend"}).find("reboot.target") != std::string::npos;
    return system;
}

Result<ReportTaken> reportHostEvent(const HookConfig& config, const HostEventReport& report) {
    Poco::JSON::Object body;
    body.set("host", config.host);
    body.set("event", report.event);
    if (!report.domain.empty()) body.set("domain", report.domain);
    std::ostringstream text;
    body.stringify(text);
    std::string failures;
    for (const auto& base : config.orchestrators) {
        auto answer = exchange(base + "/v1/hook/host-event", Poco::Net::HTTPRequest::HTTP_POST, text.str(), config.timeout);
        if (answer && answer.value().status == Poco::Net::HTTPResponse::HTTP_OK) return ReportTaken{answer.value().body};
        const std::string why = answer ? "HTTP " + std::to_string(answer.value().status) + " " + answer.value().body
                                       : answer.error();
        failures += (failures.empty() ? "" : "; ") + base + ": " + why;
    }
    return failures.empty() ? std::string("no orchestrator configured") : failures;
}

int runHostEvent(const HookRequest& request, std::ostream& err) {
    std::ifstream file(request.configPath);
    if (!file) return 0;  // not enrolled
    auto config = parseConfig(std::string(std::istreambuf_iterator<char>(file), {}), request.configPath);
    if (!config) {
        err << "faxover: " << config.error() << "; planned shutdown not reported\n";
        return 0;
    }
    const SystemShutdown system =
        config.value().plannedKind == "auto" ? readSystemShutdown() : SystemShutdown{};
    const auto report = hostEventFor(request, config.value().plannedKind, system);
    if (!report) return 0;
    auto sent = reportHostEvent(config.value(), *report);
    if (!sent) err << "faxover: " << report->event << " not reported: " << sent.error() << "\n";
    return 0;
}

}  // namespace faxover::hook
