#include "faxover/orchestrator/Error.h"

#include <array>

namespace faxover::orchestrator {

namespace {

struct KindRow {
    ErrorKind kind;
    const char* wireName;
    int httpStatus;
    int exitCode;
};

// The one table: every kind, its name in the API's error document, the HTTP status the API answers
// it with, and the exit code the CLI ends with (docs/cli.md).
constexpr std::array kKinds = {
    KindRow{ErrorKind::BadRequest, "BadRequest", 400, kAdminRefused},
    KindRow{ErrorKind::NotFound, "NotFound", 404, kAdminRefused},
    KindRow{ErrorKind::Refused, "Refused", 409, kAdminRefused},
    KindRow{ErrorKind::StoreFailed, "StoreFailed", 503, kAdminTryAgain},
    KindRow{ErrorKind::Busy, "Busy", 429, kAdminTryAgain},
    KindRow{ErrorKind::NotSupported, "NotSupported", 501, kAdminRefused},
    KindRow{ErrorKind::DaemonUnreachable, "DaemonUnreachable", 503, kAdminUnreachable},
    KindRow{ErrorKind::AccessDenied, "AccessDenied", 403, kAdminAccessDenied},
    KindRow{ErrorKind::Internal, "Internal", 500, kAdminRefused},
};

const KindRow& rowOf(ErrorKind kind) {
    for (const KindRow& row : kKinds)
        if (row.kind == kind) return row;
    return kKinds.back();  // not reached: the table lists every kind (test_error.cpp checks it)
}

}  // namespace

const char* wireNameOf(ErrorKind kind) { return rowOf(kind).wireName; }

std::optional<ErrorKind> errorKindNamed(std::string_view wireName) {
    for (const KindRow& row : kKinds)
        if (wireName == row.wireName) return row.kind;
    return std::nullopt;
}

int httpStatusOf(ErrorKind kind) { return rowOf(kind).httpStatus; }

int exitCodeOf(ErrorKind kind) { return rowOf(kind).exitCode; }

}  // namespace faxover::orchestrator
