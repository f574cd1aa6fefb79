#pragma once
// Asks the orchestrator(s) of the configuration, in order, until one gives a valid answer.
#include "faxover/hook/Answer.h"
#include "faxover/hook/Config.h"

#include <optional>
#include <string>

namespace faxover::hook {

struct Consultation {
    std::optional<MayStartAnswer> answer{};
    std::string orchestrator{};  // the URL that answered, or every URL tried
    std::string failure{};       // "URL: why" for each one tried, when none answered
};

Consultation askOrchestrators(const HookConfig& config, const std::string& domain, const std::string& uuid);

}  // namespace faxover::hook
