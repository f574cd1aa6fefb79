#pragma once
// The one YAML document of a policy, parsed with yaml-cpp.
#include "read/Diagnostics.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string_view>

namespace faxover::policy::read {

// The document's root (a null node for an empty text), or nothing after reporting why: a YAML
// syntax error, or a second document (which would otherwise be silently ignored). Throws only
// what yaml-cpp throws beyond its ParserException; the caller catches that.
std::optional<YAML::Node> parseSingleDocument(Diagnostics& diagnostics, std::string_view yaml);

}  // namespace faxover::policy::read
