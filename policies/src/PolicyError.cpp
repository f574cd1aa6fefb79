#include "faxover/policies/PolicyLoader.h"

namespace faxover::policy {

std::string PolicyError::toString() const {
    std::string text = file;
    if (line > 0) text += ":" + std::to_string(line) + ":" + std::to_string(column);
    text += ": ";
    if (!key.empty()) text += key + ": ";
    if (kind == PolicyErrorKind::Warning) text += "warning: ";
    return text + message;
}

}  // namespace faxover::policy
