#pragma once
// The local API's wire format: the AdminApi values as JSON (Poco::JSON underneath). Every parser
// returns InvalidArgument naming the offending field ("services[1].since: ...") for malformed,
// wrong-typed or missing input; none throws. Unknown fields are ignored, so a newer daemon may add
// some without breaking an older CLI. docs/cli.md shows each document.
#include "faxover/hypervisor/Result.h"
#include "faxover/orchestrator/api/AdminApi.h"

#include <optional>
#include <string>
#include <string_view>

namespace faxover::orchestrator::api {

// Instants travel as ISO 8601 UTC with milliseconds, "2024-05-01T12:03:04.123Z"; finer parts are
// dropped (floored) on the way out. Parsing accepts exactly that shape.
std::string toIsoUtc(WallTime time);
hv::Result<WallTime> parseIsoUtc(std::string_view text);

enum class JsonStyle { Compact, Indented };

std::string toJson(const ClusterStatus& status, JsonStyle style = JsonStyle::Compact);
std::string toJson(const AdminCommand& command);
std::string toJson(const CommandReply& reply);
// {"error": {"kind": "OperationInvalid", "message": "..."}}; kind is the ErrorKind's C++ name.
std::string toJson(const hv::Error& error);

hv::Result<ClusterStatus> clusterStatusFromJson(std::string_view text);
hv::Result<AdminCommand> adminCommandFromJson(std::string_view text);
hv::Result<CommandReply> commandReplyFromJson(std::string_view text);
// An error document, parsed: the error the daemon reported is the value, and a failure means the
// document itself was unreadable. (Outcome cannot hold hv::Error as both value and error.)
struct ReportedError {
    hv::Error error;
};
hv::Result<ReportedError> errorFromJson(std::string_view text);

// The wire names of error kinds ("HostUnreachable", ...), both ways.
const char* wireName(hv::ErrorKind kind);
std::optional<hv::ErrorKind> errorKindNamed(std::string_view name);

}  // namespace faxover::orchestrator::api
