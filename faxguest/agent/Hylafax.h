#pragma once
// What the agent knows about a HylaFAX server (docs/guest-agent.md, "The HylaFAX check"): its
// daemons, its client protocol, its scheduler's modem states, its queues; and how it holds and
// releases outbound jobs.
#include "Config.h"

#include "faxover/faxguest/Protocol.h"

#include <string>
#include <vector>

namespace faxover::faxguest::agent {

struct HylafaxStatus {
    std::vector<CheckResult> checks{};  // hylafax.faxq, .hfaxd, .protocol, .scheduler, .queues
    std::string version{};              // from hfaxd's greeting, "" when it did not answer
    std::vector<ModemState> modems{};
    Queues queues{};
};

HylafaxStatus checkHylafax(const HylafaxConfig& config);

// The result of hfaxd's protocol exchange: ok, the detail, the version its greeting names.
struct ProtocolAnswer {
    bool ok = false;
    std::string detail{};
    std::string version{};
};
ProtocolAnswer exchangeWithHfaxd(const HylafaxConfig& config);

// Queue depths from the spool: outbound = q* files in sendq, active = those in state 6 (the job
// is being sent), inbound = fax*.tif in recvq.
Queues countQueues(const std::string& spool);

// "Modem ttyIAX0 (+1.555): Running and idle" lines of `faxstat -s`.
std::vector<ModemState> parseModemStates(const std::string& faxstatOutput);

// Marks every configured modem `state` (busy, ready) with faxstate: through faxgetty's FIFO when
// one serves the modem, else straight to faxq (-n, for send-only modems set up with faxmodem).
// Empty on success, else what failed.
std::string setModemState(const HylafaxConfig& config, const std::string& state);

// Submits the test fax with sendfax; ok and sendfax's answer ("request id is 4 ...").
std::pair<bool, std::string> sendTestFax(const HylafaxConfig& config);

}  // namespace faxover::faxguest::agent
