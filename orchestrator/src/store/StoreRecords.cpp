#include "faxover/orchestrator/ports/StoreRecords.h"

namespace faxover::orchestrator::store {

// The words stored in the file and shown to admins; every Store implementation uses these.
const char* toString(OutcomeStatus status) {
    switch (status) {
        case OutcomeStatus::Succeeded: return "succeeded";
        case OutcomeStatus::Failed: return "failed";
        case OutcomeStatus::Abandoned: return "abandoned";
    }
    return "failed";
}

}  // namespace faxover::orchestrator::store
