#pragma once
// The local API's wire format: the AdminApi values as JSON (Poco::JSON underneath). Every parser
// returns InvalidArgument naming the offending field ("services[1].since: ...") for malformed,
// wrong-typed or missing input; none throws. Unknown fields are ignored, so a newer daemon may add
// some without breaking an older CLI. docs/cli.md shows each document.
#include "faxover/orchestrator/Error.h"
#include "faxover/orchestrator/api/AdminApi.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faxover::orchestrator::api {

// Instants travel as ISO 8601 UTC with milliseconds, "2024-05-01T12:03:04.123Z"; finer parts are
// dropped (floored) on the way out. Parsing accepts exactly that shape.
std::string toIsoUtc(WallTime time);
Result<WallTime> parseIsoUtc(std::string_view text);

// An instant as a person or a script writes it (`faxover license audit --since`, `?since=`): an
// ISO 8601 date ("2024-05-01", midnight UTC), or a date-time whose zone is required so that it is
// never read in the wrong one: "2024-05-01T14:03Z", "2024-05-01T14:03:04.5+02:00", "...-0130".
// Seconds and their fraction (up to 9 digits) are optional. The wire format is one of these.
Result<WallTime> parseIsoInstant(std::string_view text);

// Whether a date lies within what a WallTime can hold: it counts nanoseconds in 64 bits, from about
// 1678 to 2262. Both parsers refuse dates outside it (they would overflow, not just be wrong).
inline bool fitsWallTime(const std::chrono::year_month_day& date) {
    return date.year() >= std::chrono::year{1678} && date.year() <= std::chrono::year{2261};
}

enum class JsonStyle { Compact, Indented };

std::string toJson(const ClusterStatus& status, JsonStyle style = JsonStyle::Compact);
// One service of the status (`faxover status SERVICE --json`), as it is inside the status document.
std::string toJson(const ServiceView& service, JsonStyle style = JsonStyle::Compact);
std::string toJson(const engine::AdminCommand& command);
std::string toJson(const CommandReply& reply);
// {"error": {"kind": "OperationInvalid", "message": "..."}}; kind is the ErrorKind's C++ name.
std::string toJson(const Error& error);
// The licence documents (issue #4): the two lists are JSON arrays.
std::string toJson(const std::vector<LicenceView>& licences, JsonStyle style = JsonStyle::Compact);
std::string toJson(const std::vector<LicenceAuditEntry>& entries, JsonStyle style = JsonStyle::Compact);
std::string toJson(const StartPermission& permission);  // {"allowed":..,"reason":..,"protected":[..]}
// The board documents (issue #5): `faxover boards` and the dry run of a command, JSON arrays.
std::string toJson(const std::vector<BoardView>& boards, JsonStyle style = JsonStyle::Compact);
std::string toJson(const std::vector<PlannedMove>& moves, JsonStyle style = JsonStyle::Compact);

Result<ClusterStatus> clusterStatusFromJson(std::string_view text);
Result<engine::AdminCommand> adminCommandFromJson(std::string_view text);
Result<CommandReply> commandReplyFromJson(std::string_view text);
Result<std::vector<LicenceView>> licencesFromJson(std::string_view text);
Result<std::vector<LicenceAuditEntry>> licenceAuditFromJson(std::string_view text);
Result<StartPermission> startPermissionFromJson(std::string_view text);
// The hook's planned shutdown report: {"host": H, "event": "shutdown"|"reboot"|"back", "domain": D}.
Result<HostEvent> hostEventFromJson(std::string_view text);
std::string toJson(const HostEventReply& reply);  // {"message": ...}
Result<std::vector<BoardView>> boardsFromJson(std::string_view text);
Result<std::vector<PlannedMove>> planFromJson(std::string_view text);
// An error document, parsed: the error the daemon reported is the value, and a failure means the
// document itself was unreadable. (Outcome cannot hold Error as both value and error.)
struct ReportedError {
    Error error;
};
Result<ReportedError> errorFromJson(std::string_view text);

}  // namespace faxover::orchestrator::api
