#pragma once
// One reader per section of the policy format. Each reads what it can, reports what it cannot
// and returns values with defaults where reading failed; list readers return one element per
// list item, valid or not, so that policy.hosts[i] always comes from hosts[i] in the file.
#include "faxover/policies/Policy.h"
#include "read/Diagnostics.h"
#include "read/Fields.h"
#include "read/Symbols.h"

#include <map>
#include <vector>

namespace faxover::policy::read {

struct Reader {
    Diagnostics& diagnostics;
    Symbols& symbols;
};

Policy readPolicy(Reader& reader, const Field& root);

MonitoringProfile readMonitoring(Reader& reader, const Field& field, const MonitoringProfile& inherited);
FencingSettings readFencingSettings(Reader& reader, const Field& field);
std::vector<FenceLevel> readFence(Reader& reader, const Field& field, const FencingSettings& settings);
std::vector<HostPolicy> readHosts(Reader& reader, const Field& field, const MonitoringProfile& monitoring,
                                  const FencingSettings& fencing);
std::vector<ServicePolicy> readServices(Reader& reader, const Field& field);
// A service's `fax_health` (docs/policy.md): the defaults for what is not written.
FaxHealthPolicy readFaxHealth(Reader& reader, const Field& field);
// key: value labels (hosts' `labels`, services' `required_labels`).
std::map<std::string, std::string> readLabels(Reader& reader, const Field& field);
std::vector<MaintenanceWindow> readMaintenance(Reader& reader, const Field& field);

// A program to run: licences' apply and revoke steps, services' telco hooks.
CommandStep readCommandStep(Reader& reader, const Field& field);

// A service's guest_agent: its channel, heartbeat timeout and rate limit.
GuestAgentPolicy readGuestAgent(Reader& reader, const Field& field);

EventSettings readEvents(Reader& reader, const Field& field);

std::vector<Licence> readLicences(Reader& reader, const Field& field);
// A standby's primaries must be active services with a licence (their seat is what it takes).
void checkStandbys(Diagnostics& diagnostics, const Policy& policy);

std::vector<BoardModel> readBoardModels(Reader& reader, const Field& field);
std::vector<HostBoard> readHostBoards(Reader& reader, const Field& field);
// A service in board telephony needs some host's board of one of its models on its trunk group;
// reading alone cannot tell, as boards, models and services may come in any order.
void checkBoardServices(Diagnostics& diagnostics, const Policy& policy);

}  // namespace faxover::policy::read
