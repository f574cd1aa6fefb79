#pragma once
// A progress fraction (0..1) as a whole percent, floored: 99.9% done is not yet 100%. The tiny
// nudge keeps 0.29 (28.999... in binary) at 29.
#include <algorithm>

namespace faxover::orchestrator {

inline int wholePercent(double fraction) { return static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 100.0 + 1e-9); }

}  // namespace faxover::orchestrator
