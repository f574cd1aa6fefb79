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

struct HttpAnswer {
    int status = 0;
    std::string body{};
};
// One HTTP exchange with an orchestrator (`url` with its path and query; `body` sent as JSON when
// not empty), within `timeout` for each of connect, send and receive: its status and body (at
// most 1 MiB), or why there is none.
Result<HttpAnswer> exchange(const std::string& url, const std::string& method, const std::string& body,
                            std::chrono::milliseconds timeout);

Consultation askOrchestrators(const HookConfig& config, const std::string& domain, const std::string& uuid);

}  // namespace faxover::hook
