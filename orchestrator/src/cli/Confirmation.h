#pragma once
// Reading the admin's answer to a [y/N] question.
#include <iosfwd>

namespace faxover::orchestrator {

// True for "y" or "yes" in any case; anything else, or end of input, is no.
bool saysYes(std::istream& in);

}  // namespace faxover::orchestrator
