#pragma once
#include "Sequence.h"

namespace faxover::fuzz {

// Breaks each licence check on purpose and expects it to say so; 0 when every case behaves.
int selfTest(const Workspace& workspace);

}  // namespace faxover::fuzz
