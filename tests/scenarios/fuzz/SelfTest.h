#pragma once
#include "Sequence.h"

#include <cstddef>

namespace faxover::fuzz {

// Breaks each licence and board check on purpose and expects it to say so; 0 when every case behaves.
int selfTest(const Workspace& workspace);

// The board checks' cases (BoardSelfTest.cpp): sets `cases` and returns how many misbehaved.
int boardSelfTest(const Workspace& workspace, std::size_t& cases);

}  // namespace faxover::fuzz
