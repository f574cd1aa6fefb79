#pragma once
// A heartbeat as the engine reads it (engine/GuestHealth.h). Pure.
#include "faxover/faxguest/Protocol.h"
#include "faxover/orchestrator/engine/GuestHealth.h"

#include <cstdint>

namespace faxover::orchestrator::agent {

// What the heartbeat says, taken as answered (the caller decides whether it is recent enough).
// `arrivedNs`: the daemon's wall clock when it arrived.
engine::GuestHealth healthOf(const faxguest::Heartbeat& heartbeat, std::int64_t arrivedNs);

// "board" when the guest sees fax boards, "sr140" for an SR140 or soft-modem stack, "" otherwise.
std::string telephonyOf(const faxguest::Telephony& telephony);

}  // namespace faxover::orchestrator::agent
