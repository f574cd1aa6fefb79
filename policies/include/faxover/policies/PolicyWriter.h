#pragma once
// Policy -> YAML in the policy format, every value written out (defaults included, each host's
// monitoring profile resolved). Loading the result gives back an equal Policy, which the tests
// check; it is also how the effective policy can be shown to an admin.
#include "faxover/policies/Policy.h"

#include <string>

namespace faxover::policy {

std::string formatPolicy(const Policy& policy);

}  // namespace faxover::policy
