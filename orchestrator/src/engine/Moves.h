#pragma once
// How a running service leaves its host (live migration or cold move), for the rules and for
// admin commands alike. Internal to the engine.
#include "BoardBook.h"
#include "DecisionContext.h"
#include "faxover/orchestrator/engine/Placement.h"

#include <string>

namespace faxover::orchestrator::engine {

class Moves {
public:
    Moves(DecisionContext& context, BoardBook& boards);

    // Why the service cannot live-migrate now; "" when it can.
    std::string liveMigrationBlocker(const policy::ServicePolicy& service) const;
    // A planned move of a healthy service (drain, failback, an admin's migrate): its fax service
    // is quiesced first. A relocation after its fax service died: always cold (a live migration
    // would carry the dead service along), nothing to quiesce.
    enum class Why { Planned, Relocation };
    // Live migration if the policy and the domain allow it (and it is planned), else a cold move;
    // reserves the target's board for a board-mode service.
    void move(const policy::ServicePolicy& service, const std::string& from, const Placement& to,
              const std::string& reason, const std::string& actor, Why why = Why::Planned);

private:
    DecisionContext& context_;
    BoardBook& boards_;
};

}  // namespace faxover::orchestrator::engine
