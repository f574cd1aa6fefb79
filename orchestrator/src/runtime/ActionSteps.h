#pragma once
// The hypervisor steps of each action, run on the Executor, away from the decision loop. Each
// returns a one-line message for the intent's outcome, or the error that ended it.
#include "faxover/hypervisor/Hypervisor.h"
#include "faxover/policies/Policy.h"

#include <optional>
#include <string>

namespace faxover::orchestrator::runtime {

// A board-mode start on another host: the board the domain gets there, and the one its definition
// names now.
struct BoardSwap {
    std::string from{};  // "" when the definition's board is not known: its only PCI hostdev is it
    std::string to{};
};

struct ActionContext {
    std::string domain{};         // name or UUID, as the policy names it
    std::string definitionXml{};  // last definition read from a host
    policy::DomainXmlSource xmlSource{};
    hv::Duration shutdownTimeout{120000};  // graceful shutdown before destroy (cold moves, shutdowns)
    std::optional<BoardSwap> board{};
    // The service's guest agent answered last round: a planned move quiesces its fax service first
    // for up to `quiesceTimeout` (docs/engine.md, "Fax health").
    bool guestAgent = false;
    hv::Duration quiesceTimeout{120000};
};

// The definition with its board hostdev pointed at `swap.to` (the XML layer, never string edits).
hv::Result<std::string> withBoard(const std::string& definitionXml, const BoardSwap& swap);

// Defines the domain on `host` when it is not defined there, then starts it (already running
// counts as started). With a board swap, the target board is first detached from its host driver
// (vfio-pci) and the domain is defined there anew with its hostdev pointed at that board.
hv::Result<std::string> startOn(hv::Hypervisor& hypervisor, const std::string& host, const ActionContext& context);

hv::Result<std::string> liveMigrate(hv::Hypervisor& hypervisor, const std::string& from, const std::string& to,
                                    const ActionContext& context, const hv::ProgressCallback& progress);

// Shuts the domain down on `from` (destroying it after the timeout), starts it on `to`, and then
// undefines it on `from` so that no stale definition can be started there by hand.
hv::Result<std::string> coldMove(hv::Hypervisor& hypervisor, const std::string& from, const std::string& to,
                                 ActionContext context);

// Shuts the domain down on `host` as an admin asked (vm stop, disable): graceful, destroyed after
// the timeout. It stays defined there, so that a start brings it back where it was.
hv::Result<std::string> shutDown(hv::Hypervisor& hypervisor, const std::string& host, const ActionContext& context);

// Restarts the VM where it runs, after its fax service died (docs/engine.md, "Fax health"): a
// shutdown as above, then a start on the same host.
hv::Result<std::string> restartVm(hv::Hypervisor& hypervisor, const std::string& host, const ActionContext& context);

// Gives a released board back to its host driver; says which driver has it now when the host tells.
hv::Result<std::string> giveBoardBack(hv::Hypervisor& hypervisor, const std::string& host, const std::string& board);

}  // namespace faxover::orchestrator::runtime
