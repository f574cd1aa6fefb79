#include "faxover/orchestrator/licence/ProcessLicenceSteps.h"

#include "process/ChildProcess.h"

#include "faxover/policies/Duration.h"

#include <boost/process/search_path.hpp>

#include <chrono>

namespace faxover::orchestrator::licence {

hv::Result<std::string> ProcessLicenceSteps::run(const ports::LicenceStepRequest& request) {
    const bool apply = request.event == ports::LicenceEvent::Apply;
    const policy::Licence& licence = *request.licence;
    const policy::LicenceStep& step = apply ? *licence.apply : *licence.revoke;
    const std::string event = apply ? "apply" : "revoke";
    const std::string what = "licence " + licence.id + " " + event + " step";

    std::string program = step.command;
    if (program.front() != '/') program = boost::process::search_path(step.command).string();
    if (program.empty()) return hv::Error{hv::ErrorKind::InvalidArgument, what + ": " + step.command + " not found in PATH"};

    // What the step acts on; the key stays in its file, named but never copied.
    const std::map<std::string, std::string> environment{
        {"FAXOVER_EVENT", event},           {"FAXOVER_LICENCE", licence.id},
        {"FAXOVER_PRODUCT", licence.product}, {"FAXOVER_KEY_FILE", licence.keyFile},
        {"FAXOVER_SERVICE", request.service}, {"FAXOVER_ON_BEHALF_OF", request.onBehalfOf},
        {"FAXOVER_DOMAIN", request.domain},   {"FAXOVER_HOST", request.host},
        {"FAXOVER_HOST_URI", request.hostUri},
    };
    const auto deadline = std::chrono::steady_clock::now() + step.timeout;
    BOOST_OUTCOME_TRY(run, process::runChildProcess(what, program, step.arguments, "", environment, deadline));
    const std::string said = process::lastLine(run.output);
    if (run.timedOut)
        return hv::Error{hv::ErrorKind::Timeout, what + ": still running after " + policy::formatDuration(step.timeout) +
                                                     "; killed" + (said.empty() ? "" : ": " + said)};
    if (run.exitStatus != 0)
        return hv::Error{hv::ErrorKind::OperationFailed,
                         what + ": exit " + std::to_string(run.exitStatus) + (said.empty() ? "" : ": " + said)};
    return said.empty() ? step.command + " exit 0" : said;
}

}  // namespace faxover::orchestrator::licence
