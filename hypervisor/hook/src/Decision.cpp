#include "faxover/hook/Decision.h"

#include <Poco/String.h>

#include <algorithm>

namespace faxover::hook {

namespace {

// Names compare exactly (libvirt's names are case-sensitive); UUIDs in any case.
bool names(const std::string& entry, const DecisionInput& input) {
    if (entry == input.domain) return true;
    return !input.uuid.empty() && Poco::icompare(entry, input.uuid) == 0;
}

bool isCached(const DecisionInput& input) {
    return std::any_of(input.cachedProtected.begin(), input.cachedProtected.end(),
                       [&](const std::string& entry) { return names(entry, input); });
}

const Override* overrideFor(const DecisionInput& input) {
    for (const auto& entry : input.overrides.valid)
        if (names(entry.domain, input)) return &entry;
    return nullptr;
}

std::string ignoredOverrides(const DecisionInput& input) {
    if (input.overrides.ignored.empty()) return "";
    std::string text = " (ignored in " + input.overridePath + ": ";
    for (std::size_t i = 0; i < input.overrides.ignored.size(); ++i)
        text += (i ? "; " : "") + input.overrides.ignored[i];
    return text + ")";
}

std::string subject(const DecisionInput& input) {
    return input.domain + " " + (input.uuid.empty() ? "-" : input.uuid);
}

Decision allow(const DecisionInput& input, const std::string& basis, const std::string& detail,
               const std::string& message = "") {
    return {true, message, subject(input) + ": allowed (" + basis + "): " + detail};
}

Decision refuse(const DecisionInput& input, const std::string& basis, const std::string& reason) {
    return {false, "faxover: refusing to start " + input.domain + " on " + input.host + ": " + reason,
            subject(input) + ": refused (" + basis + "): " + reason};
}

Decision withoutAnswer(const DecisionInput& input) {
    const std::string unreachable =
        "the orchestrator at " + input.orchestrator + " could not be reached (" + input.failure + ")";
    if (!isCached(input)) {
        return allow(input, "not protected", unreachable,
                     "faxover: " + input.domain + " is not a protected domain; starting it on " + input.host +
                         " although " + unreachable);
    }
    if (const Override* entry = overrideFor(input)) {
        const std::string detail = "admin override " + input.overridePath + " line " + std::to_string(entry->line) +
                                   " until " + entry->untilText + ", reason: " + entry->reason + "; " + unreachable;
        return allow(input, "override", detail,
                     "faxover: starting protected " + input.domain + " on " + input.host + " under the " + detail);
    }
    return refuse(input, "fail closed",
                  input.domain + " is protected and " + unreachable + "; to start it anyway while it cannot be " +
                      "reached, add the line '" + input.domain + " until=TIME reason=TEXT' (TIME at most " +
                      std::to_string(kMaxOverride.count()) + " h ahead, as YYYY-MM-DDTHH:MM:SSZ) to " +
                      input.overridePath + ignoredOverrides(input));
}

}  // namespace

Decision decide(const DecisionInput& input) {
    if (!input.xmlProblem.empty()) {
        // The orchestrator was not asked (it needs the UUID); an override does not cover this: the
        // XML comes from libvirt itself, so this is a bug to fix, not an outage to bridge.
        if (isCached(input))
            return refuse(
                input, "fail closed",
                input.domain + " is protected and libvirt's domain XML could not be read: " + input.xmlProblem);
        return allow(input, "not protected", "domain XML unreadable: " + input.xmlProblem,
                     "faxover: " + input.domain + " is not a protected domain; starting it on " + input.host +
                         " although its domain XML could not be read: " + input.xmlProblem);
    }
    if (input.answer) {
        // A reachable orchestrator has the last word: no cache, no override.
        if (input.answer->allowed) return allow(input, "orchestrator " + input.orchestrator, input.answer->reason);
        return refuse(input, "orchestrator " + input.orchestrator, input.answer->reason);
    }
    return withoutAnswer(input);
}

}  // namespace faxover::hook
