#pragma once
// A policy is UTF-8 text. A file that is not (a Latin-1 'é', a binary picked by mistake) is refused
// before the YAML parser sees it: the parser would report a raw byte as an escape or token error.
#include "read/Diagnostics.h"

#include <string_view>

namespace faxover::policy::read {

// True when `text` is UTF-8 without control characters other than tab, line feed and carriage
// return; otherwise reports the first offending byte at its line and column and returns false.
bool checkIsText(Diagnostics& diagnostics, std::string_view text);

}  // namespace faxover::policy::read
