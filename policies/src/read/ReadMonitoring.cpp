#include "read/Scalars.h"
#include "read/Sections.h"

#include "faxover/policies/Duration.h"

namespace faxover::policy::read {

namespace {

using std::chrono::milliseconds;

// Faster than 100 ms would load every libvirtd with probes for no gain: a decision still takes
// several probes. Slower than 10 minutes is not monitoring.
constexpr milliseconds kShortestInterval{100};
constexpr milliseconds kLongestInterval{10 * 60 * 1000};
constexpr milliseconds kShortestTimeout{10};
constexpr int kMostProbes = 1000;
// A planned reboot of a big host can take minutes (firmware, RAID, memory checks); a day is not a reboot.
constexpr milliseconds kShortestShutdownGrace{1000};
constexpr milliseconds kLongestShutdownGrace{24 * 60 * 60 * 1000};

void readCount(Reader& reader, const MappingReader& map, std::string_view key, int& target) {
    if (auto field = map.find(key)) {
        if (auto value = readInteger(reader.diagnostics, *field, 1, kMostProbes)) target = static_cast<int>(*value);
    }
}

void readProbeDuration(Reader& reader, const MappingReader& map, std::string_view key, milliseconds shortest,
                       milliseconds& target) {
    if (auto field = map.find(key)) {
        if (auto value = readDuration(reader.diagnostics, *field, shortest, kLongestInterval)) target = *value;
    }
}

// The relations between values hold for the profile as resolved, but are reported only where
// this block wrote one of the values involved: an inherited mistake is reported once, where it was made.
void checkRelations(Reader& reader, const MappingReader& map, const MonitoringProfile& profile) {
    Diagnostics& diagnostics = reader.diagnostics;
    const auto at = [&](std::string_view key) { return map.find(key); };
    if (profile.timeout >= profile.interval) {
        if (auto timeout = at("timeout")) {
            diagnostics.report(timeout->mark(), timeout->path,
                               "expected a timeout shorter than interval (" + formatDuration(profile.interval) +
                                   "), so that each probe ends before the next starts; found " +
                                   formatDuration(profile.timeout));
        } else if (auto interval = at("interval")) {
            diagnostics.report(interval->mark(), interval->path,
                               "expected an interval longer than timeout (" + formatDuration(profile.timeout) +
                                   "), so that each probe ends before the next starts; found " +
                                   formatDuration(profile.interval));
        }
    }
    if (profile.warnCount >= profile.failoverCount) {
        if (auto warn = at("warn_count")) {
            diagnostics.report(warn->mark(), warn->path,
                               "expected a warn_count below failover_count (" + std::to_string(profile.failoverCount) +
                                   "): the warning comes before the failover; found " +
                                   std::to_string(profile.warnCount));
        } else if (auto failover = at("failover_count")) {
            diagnostics.report(failover->mark(), failover->path,
                               "expected a failover_count above warn_count (" + std::to_string(profile.warnCount) +
                                   "): the warning comes before the failover; found " +
                                   std::to_string(profile.failoverCount));
        }
    }
    if (profile.failoverCountAfterRestart < profile.failoverCount) {
        if (auto afterRestart = at("failover_count_after_restart")) {
            diagnostics.report(afterRestart->mark(), afterRestart->path,
                               "expected at least failover_count (" + std::to_string(profile.failoverCount) +
                                   "): right after a restart the orchestrator is more careful, never less; found " +
                                   std::to_string(profile.failoverCountAfterRestart));
        } else if (auto failover = at("failover_count")) {
            diagnostics.report(failover->mark(), failover->path,
                               "expected at most failover_count_after_restart (" +
                                   std::to_string(profile.failoverCountAfterRestart) + "); found " +
                                   std::to_string(profile.failoverCount));
        }
    }
}

}  // namespace

MonitoringProfile readMonitoring(Reader& reader, const Field& field, const MonitoringProfile& inherited) {
    MappingReader map(reader.diagnostics, field,
                      {"profile", "interval", "timeout", "warn_count", "failover_count", "failover_count_after_restart",
                       "shutdown_policy", "shutdown_grace"});
    MonitoringProfile profile = inherited;
    if (!map.isMapping()) return profile;
    if (auto name = map.find("profile")) {
        const auto names = monitoringProfileNames();
        if (auto index = readChoiceIndex(reader.diagnostics, *name, names)) {
            profile = *monitoringProfileNamed(names[*index]);
            profile.shutdownPolicy = inherited.shutdownPolicy;  // not part of a profile
            profile.shutdownGrace = inherited.shutdownGrace;
        }
    }
    if (auto shutdown = map.find("shutdown_policy"))
        if (auto index = readChoiceIndex(reader.diagnostics, *shutdown, shutdownPolicyNames()))
            profile.shutdownPolicy = static_cast<ShutdownPolicy>(*index);
    if (auto grace = map.find("shutdown_grace"))
        if (auto value = readDuration(reader.diagnostics, *grace, kShortestShutdownGrace, kLongestShutdownGrace))
            profile.shutdownGrace = *value;
    readProbeDuration(reader, map, "interval", kShortestInterval, profile.interval);
    readProbeDuration(reader, map, "timeout", kShortestTimeout, profile.timeout);
    readCount(reader, map, "warn_count", profile.warnCount);
    readCount(reader, map, "failover_count", profile.failoverCount);
    readCount(reader, map, "failover_count_after_restart", profile.failoverCountAfterRestart);
    checkRelations(reader, map, profile);
    return profile;
}

}  // namespace faxover::policy::read
