#pragma once
// What the actions that finished since the last decision mean. Internal to the engine.
#include "BoardBook.h"
#include "DecisionContext.h"
#include "SeatBook.h"

namespace faxover::orchestrator::engine {

class Outcomes {
public:
    Outcomes(DecisionContext& context, SeatBook& seats, BoardBook& boards);

    void apply(const FinishedAction& finished);

private:
    DecisionContext& context_;
    SeatBook& seats_;
    BoardBook& boards_;
};

}  // namespace faxover::orchestrator::engine
