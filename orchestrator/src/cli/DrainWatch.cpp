#include "cli/DrainWatch.h"

#include "cli/CliErrors.h"
#include "cli/Percent.h"
#include "faxover/orchestrator/engine/ServiceState.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <ostream>
#include <vector>

namespace faxover::orchestrator {

namespace {

constexpr std::size_t kBarWidth = 24;

enum class Phase { Moving, Left, Stays, Failed };

struct Progress {
    Phase phase = Phase::Moving;
    std::string line;  // what the admin sees for this service now
};

bool staysPut(const std::string& state) {
    const auto named = engine::serviceStateNamed(state);
    return named == engine::ServiceState::Stopped || named == engine::ServiceState::Suspended;
}

std::string bar(double fraction) {
    const auto filled = static_cast<std::size_t>(std::clamp(fraction, 0.0, 1.0) * kBarWidth);
    return "[" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "]";
}

std::string percent(std::optional<double> fraction) {
    if (!fraction) return " --%";
    const std::string number = std::to_string(wholePercent(*fraction));
    return std::string(3 - std::min<std::size_t>(3, number.size()), ' ') + number + "%";
}

Progress progressOf(const std::string& name, const api::ServiceView* service, const std::string& host) {
    if (service == nullptr) return {Phase::Left, name + ": no longer in the policy"};
    if (engine::serviceStateNamed(service->state) == engine::ServiceState::Error) return {Phase::Failed, name + ": error: " + service->reason};
    if (service->host != host) return {Phase::Left, name + ": moved to " + service->host + " (" + service->state + ")"};
    if (staysPut(service->state)) return {Phase::Stays, name + ": stays on " + host + " (" + service->state + ")"};
    const std::string where = service->targetHost.empty() ? "" : " -> " + service->targetHost;
    return {Phase::Moving, name + " " + bar(service->progress.value_or(0.0)) + " " + percent(service->progress) + " " +
                               service->state + " " + host + where};
}

// After maintenance of `host` ended: a service that goes back there (returnsTo) is moving until it
// runs there; one that cannot go back now waits where it is, and the watch does not wait for it.
Progress returnOf(const std::string& name, const api::ServiceView* service, const std::string& host) {
    if (service == nullptr) return {Phase::Left, name + ": no longer in the policy"};
    if (service->state == "error") return {Phase::Failed, name + ": error: " + service->reason};
    if (service->host == host) return {Phase::Left, name + ": back on " + host + " (" + service->state + ")"};
    if (service->targetHost == host)
        return {Phase::Moving, name + " " + bar(service->progress.value_or(0.0)) + " " + percent(service->progress) +
                                   " " + service->state + " " + service->host + " -> " + host};
    if (service->returnsTo == host)
        return {Phase::Stays, name + ": not back yet, stays on " + service->host + " (" + service->reason +
                                  "); it returns when " + host + " can take it"};
    return {Phase::Stays, name + ": stays on " + service->host + " (" + service->state + ")"};
}

const api::ServiceView* find(const api::ClusterStatus& status, const std::string& name) {
    const auto found = std::find_if(status.services.begin(), status.services.end(),
                                    [&](const api::ServiceView& service) { return service.name == name; });
    return found == status.services.end() ? nullptr : &*found;
}

class DrainDisplay {
public:
    explicit DrainDisplay(CliConsole& console) : console_(console) {}

    void show(const std::vector<std::string>& names, const std::map<std::string, Progress>& progress) {
        if (console_.outputIsTerminal) return redraw(names, progress);
        for (const auto& name : names) {
            const Progress& now = progress.at(name);
            if (now.phase != Phase::Moving && finished_.insert(name).second) console_.out << now.line << '\n';
        }
        console_.out.flush();
    }

private:
    // Moves the cursor back over the previous frame and overwrites it, one line per service.
    void redraw(const std::vector<std::string>& names, const std::map<std::string, Progress>& progress) {
        if (drawnLines_ > 0) console_.out << "\x1b[" << drawnLines_ << "A";
        for (const auto& name : names) console_.out << "\r\x1b[2K" << progress.at(name).line << '\n';
        drawnLines_ = names.size();
        console_.out.flush();
    }

    CliConsole& console_;
    std::size_t drawnLines_ = 0;
    std::set<std::string> finished_;
};

// What one watch follows and says: the drain of a host, or the return to it.
struct Watch {
    std::function<bool(const api::ServiceView&)> follows;  // a service to follow, from the first sight on
    Progress (*progressOf)(const std::string& name, const api::ServiceView* service, const std::string& host);
    std::string nothing, watching, stopped, finished;  // each after "HOST: " or with the host inside
};

int follow(api::AdminApi& api, const std::string& host, CliConsole& console, const Watch& watch) {
    DrainDisplay display(console);
    std::vector<std::string> names;  // every service followed, in policy order of first sight
    bool announced = false;
    for (;;) {
        auto status = api.status();
        if (!status) return reportError(status.error(), console.err);
        for (const auto& service : status.value().services)
            if (watch.follows(service) && std::find(names.begin(), names.end(), service.name) == names.end())
                names.push_back(service.name);
        if (!announced) {
            if (names.empty()) {
                console.out << host << ": " << watch.nothing << '\n';
                return kAdminOk;
            }
            console.out << watch.watching << '\n';
            announced = true;
        }
        std::map<std::string, Progress> progress;
        for (const auto& name : names) progress[name] = watch.progressOf(name, find(status.value(), name), host);
        display.show(names, progress);
        const auto failed = std::find_if(progress.begin(), progress.end(), [](const auto& each) { return each.second.phase == Phase::Failed; });
        if (failed != progress.end()) {
            console.err << "faxover: " << watch.stopped << ": " << failed->second.line << '\n';
            return kAdminRefused;
        }
        const bool done = std::none_of(progress.begin(), progress.end(), [](const auto& each) { return each.second.phase == Phase::Moving; });
        if (done) {
            console.out << watch.finished << '\n';
            return kAdminOk;
        }
        console.sleep(kDrainPollInterval);
    }
}

}  // namespace

int watchDrain(api::AdminApi& api, const std::string& host, CliConsole& console) {
    return follow(api, host, console,
                  {[&](const api::ServiceView& service) { return service.host == host && !staysPut(service.state); },
                   progressOf, "no services to move",
                   "draining " + host + " (Ctrl-C stops watching; the drain goes on)", "draining " + host + " stopped",
                   host + " drained"});
}

int watchReturn(api::AdminApi& api, const std::string& host, CliConsole& console) {
    return follow(api, host, console,
                  {[&](const api::ServiceView& service) {
                       return service.returnsTo == host || (service.targetHost == host && service.host != host);
                   },
                   returnOf, "no services to bring back",
                   "bringing services back to " + host + " (Ctrl-C stops watching; the return goes on)",
                   "return to " + host + " stopped", host + ": services back"});
}

}  // namespace faxover::orchestrator
