// The orchestrator's error kinds: one table gives each its wire name, HTTP status and exit code.
#include "faxover/orchestrator/Error.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>

namespace {

using faxover::orchestrator::ErrorKind;
namespace orch = faxover::orchestrator;

constexpr ErrorKind kEveryKind[] = {ErrorKind::BadRequest,   ErrorKind::NotFound,          ErrorKind::Refused,
                                    ErrorKind::StoreFailed,  ErrorKind::Busy,              ErrorKind::NotSupported,
                                    ErrorKind::DaemonUnreachable, ErrorKind::AccessDenied, ErrorKind::Internal};

}  // namespace

TEST_CASE("every error kind has its own wire name, read back as the same kind", "[error]") {
    std::set<std::string> names;
    for (const ErrorKind kind : kEveryKind) {
        const std::string name = orch::wireNameOf(kind);
        CHECK(names.insert(name).second);
        REQUIRE(orch::errorKindNamed(name).has_value());
        CHECK(*orch::errorKindNamed(name) == kind);
    }
    CHECK_FALSE(orch::errorKindNamed("HostUnreachable").has_value());
    CHECK_FALSE(orch::errorKindNamed("").has_value());
}

TEST_CASE("error kinds map to the HTTP statuses and exit codes docs/cli.md lists", "[error]") {
    CHECK(orch::httpStatusOf(ErrorKind::BadRequest) == 400);
    CHECK(orch::httpStatusOf(ErrorKind::NotFound) == 404);
    CHECK(orch::httpStatusOf(ErrorKind::Refused) == 409);
    CHECK(orch::httpStatusOf(ErrorKind::Busy) == 429);
    CHECK(orch::httpStatusOf(ErrorKind::NotSupported) == 501);
    CHECK(orch::httpStatusOf(ErrorKind::StoreFailed) == 503);
    CHECK(orch::httpStatusOf(ErrorKind::Internal) == 500);
    CHECK(orch::exitCodeOf(ErrorKind::Refused) == orch::kAdminRefused);
    CHECK(orch::exitCodeOf(ErrorKind::DaemonUnreachable) == orch::kAdminUnreachable);
    CHECK(orch::exitCodeOf(ErrorKind::AccessDenied) == orch::kAdminAccessDenied);
    CHECK(orch::exitCodeOf(ErrorKind::StoreFailed) == orch::kAdminTryAgain);
    CHECK(orch::exitCodeOf(ErrorKind::Busy) == orch::kAdminTryAgain);
    for (const ErrorKind kind : kEveryKind) CHECK(orch::exitCodeOf(kind) != orch::kAdminOk);
}
