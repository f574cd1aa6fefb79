#pragma once
// The hook's decision, a pure function of what it found out (docs/hook.md, "Decision"):
//   the orchestrator answered      -> its answer, nothing else counts (no override, no cache);
//   no answer (unreachable, timeout, error, garbage, bad config)
//                                  -> refuse a protected domain (in the cache) unless a valid
//                                     override names it; allow any other domain;
//   the domain XML was unreadable  -> refuse if the name is cached (no override), else allow.
#include "faxover/hook/Answer.h"
#include "faxover/hook/Overrides.h"

#include <optional>
#include <string>
#include <vector>

namespace faxover::hook {

struct DecisionInput {
    std::string domain{};                    // the name libvirt passed as argv[1]
    std::string uuid{};                      // from the XML; empty when it could not be read
    std::string xmlProblem{};                // why the XML could not be read, or empty
    std::string host{};                      // this host's policy name
    std::optional<MayStartAnswer> answer{};  // set when an orchestrator answered
    std::string orchestrator{};              // who answered, or the URL(s) that were tried
    std::string failure{};                   // why there is no answer
    std::vector<std::string> cachedProtected{};
    OverrideFile overrides{};
    std::string overridePath{};
};

struct Decision {
    bool allow = false;
    std::string message{};  // for stderr (libvirt shows it when the start fails); may be empty
    std::string logLine{};  // one line for the hook's log: "DOMAIN UUID: allowed|refused (BASIS): ..."
};

Decision decide(const DecisionInput& input);

}  // namespace faxover::hook
