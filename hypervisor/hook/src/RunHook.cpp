#include "faxover/hook/RunHook.h"

#include "faxover/hook/Config.h"
#include "faxover/hook/Decision.h"
#include "faxover/hook/DomainIdentity.h"
#include "faxover/hook/HookLog.h"
#include "faxover/hook/HostEvents.h"
#include "faxover/hook/OrchestratorClient.h"
#include "faxover/hook/ProtectedCache.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

namespace faxover::hook {

namespace {

std::optional<std::string> readFile(const std::string& path) {
    std::ifstream file(path);
    if (!file) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(file), {});
}

// The protected domains an enrolled host with a broken configuration knows of: those of every
// cache it can find (the one the broken file names, when that line is valid, and the default one).
// Knowing of no cache at all, every domain might be protected, so `domain` counts as one.
std::vector<std::string> protectedDespiteBrokenConfig(const HookConfig& salvaged, const HookConfig& fallback,
                                                      const std::string& domain, std::ostream& err) {
    std::vector<std::string> domains;
    bool found = false;
    for (const auto& path : {salvaged.cachePath, fallback.cachePath}) {
        std::error_code ignored;
        if (!std::filesystem::exists(path, ignored)) continue;
        found = true;
        auto cached = readProtectedCache(path);
        if (!cached) {
            err << "faxover: " << cached.error() << "; treating " << domain << " as protected\n";
            return {domain};
        }
        domains.insert(domains.end(), cached.value().begin(), cached.value().end());
    }
    if (!found) {
        err << "faxover: no protected-domain cache (" << salvaged.cachePath << ") says which domains are "
            << "protected; treating " << domain << " as protected\n";
        return {domain};
    }
    return domains;
}

int decideStart(const HookRequest& request, std::istream& xml, std::ostream& err) {
    DecisionInput input;
    input.domain = request.domain;
    HookConfig config = request.fallback;
    const auto text = readFile(request.configPath);
    auto parsed = text ? parseConfig(*text, request.configPath)
                       : Result<HookConfig>(request.configPath + ": cannot read it");
    std::optional<std::vector<std::string>> brokenConfigProtects;
    if (parsed) {
        config = parsed.value();
    } else {
        // An enrolled host with a broken configuration has no orchestrator to ask: it decides as
        // when the orchestrator cannot be reached, failing closed for every domain that might be
        // protected. A typo must never open the door (docs/hook.md).
        if (text) config = salvagePaths(*text, request.fallback);
        input.orchestrator = "(none: " + request.configPath + " is invalid)";
        input.failure = parsed.error();
        err << "faxover: " << parsed.error() << "\n";
        brokenConfigProtects = protectedDespiteBrokenConfig(config, request.fallback, request.domain, err);
    }
    input.host = config.host.empty() ? "this host" : config.host;
    input.overridePath = config.overridePath;

    auto identity = readDomainXml(std::string(std::istreambuf_iterator<char>(xml), {}));
    if (identity) {
        input.uuid = identity.value().uuid;
    } else {
        input.xmlProblem = identity.error();
    }

    if (parsed && identity) {
        Consultation consultation = askOrchestrators(config, request.domain, input.uuid);
        input.answer = consultation.answer;
        input.orchestrator = consultation.orchestrator;
        input.failure = consultation.failure;
    }
    if (input.answer) {
        // Every answer refreshes the list this host falls back on when the orchestrator is away.
        input.cachedProtected = input.answer->protectedDomains;
        if (auto written = writeProtectedCache(config.cachePath, input.cachedProtected, input.orchestrator); !written)
            err << "faxover: warning: " << written.error() << "\n";
    } else if (brokenConfigProtects) {
        input.cachedProtected = *brokenConfigProtects;
    } else if (auto cached = readProtectedCache(config.cachePath)) {
        input.cachedProtected = cached.value();
    } else {
        // An unreadable cache knows nothing: this domain may be protected, so treat it as such.
        input.cachedProtected = {request.domain};
        err << "faxover: " << cached.error() << "; treating " << request.domain << " as protected\n";
    }
    if (!input.answer) {
        if (auto overrides = readFile(config.overridePath))
            input.overrides = parseOverrides(*overrides, WallClock::now());
    }

    const Decision decision = decide(input);
    if (auto logged = appendLog(config.logPath, config.host, decision.logLine); !logged)
        err << "faxover: warning: " << logged.error() << "\n";
    if (!decision.message.empty()) err << decision.message << "\n";
    return decision.allow ? 0 : 1;
}

}  // namespace

int runHook(const HookRequest& request, std::istream& xml, std::ostream& err) {
    // The daemon hook, and a QEMU process that ended: a planned shutdown may be worth reporting
    // (never fails libvirt). Only the start of a QEMU process needs the orchestrator's consent;
    // every other call (stop, migrate, restore, reconnect, attach) must not slow libvirt down or fail.
    if (request.domain == "-" || (request.operation == "release" && request.subOperation == "end"))
        return runHostEvent(request, err);
    if (request.operation != "prepare" || request.subOperation != "begin") return 0;
    std::error_code ignored;
    if (!std::filesystem::exists(request.configPath, ignored)) {
        err << "faxover: " << request.domain << ": this host is not enrolled (no " << request.configPath
            << "); not checking\n";
        return 0;
    }
    return decideStart(request, xml, err);
}

}  // namespace faxover::hook
