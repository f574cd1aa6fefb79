#include "faxover/orchestrator/licence/ProcessLicenceSteps.h"

#include "process/ChildProcess.h"
#include "process/Redaction.h"

namespace faxover::orchestrator::licence {

hv::Result<std::string> ProcessLicenceSteps::run(const ports::LicenceStepRequest& request) {
    const bool apply = request.event == ports::LicenceEvent::Apply;
    const policy::Licence& licence = *request.licence;
    const std::string event = apply ? "apply" : "revoke";
    // What the step acts on; the key stays in its file, named but never copied.
    const std::map<std::string, std::string> environment{
        {"FAXOVER_EVENT", event},           {"FAXOVER_LICENCE", licence.id},
        {"FAXOVER_PRODUCT", licence.product}, {"FAXOVER_KEY_FILE", licence.keyFile},
        {"FAXOVER_SERVICE", request.service}, {"FAXOVER_ON_BEHALF_OF", request.onBehalfOf},
        {"FAXOVER_DOMAIN", request.domain},   {"FAXOVER_HOST", request.host},
        {"FAXOVER_HOST_URI", request.hostUri},
    };
    // A step that prints the key (a product's activation tool echoing it) must not put it in the
    // log and the audit.
    return process::runCommandStep("licence " + licence.id + " " + event + " step",
                                   apply ? *licence.apply : *licence.revoke, environment,
                                   process::secretsInFile(licence.keyFile));
}

}  // namespace faxover::orchestrator::licence
