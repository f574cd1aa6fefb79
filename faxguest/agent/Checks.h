#pragma once
// The generic checks (process, tcp, command) and what the agent sees of the telephony and itself.
#include "Config.h"

#include "faxover/faxguest/Protocol.h"

namespace faxover::faxguest::agent {

CheckResult runCheck(const CheckConfig& check);

// Fax boards on the PCI bus (by the configured vendor ids), SR140 and soft-modem configured.
Telephony seeTelephony(const TelephonyConfig& config);

// VmRSS of this process from /proc/self/status, 0 when unknown.
std::int64_t ownRssKiB();

}  // namespace faxover::faxguest::agent
