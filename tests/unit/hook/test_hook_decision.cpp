// The hook's decision (docs/hook.md, "Decision"): the orchestrator's answer when there is one; without
// one, fail closed for cached protected domains unless a valid override names them.
#include "faxover/hook/Decision.h"

#include <catch2/catch.hpp>

using namespace faxover::hook;
using Catch::Matchers::Contains;

namespace {

const WallClock::time_point kNow = WallClock::from_time_t(1795348800);  // 2026-11-22T12:00:00Z
const std::string kUuid = "6f0a3c7e-2b1d-4d8a-9a4e-5c1f0e2b7d31";

enum class Reply { Allowed, Refused, Unreachable };
enum class OverrideLine { None, Valid, Expired, Malformed };

DecisionInput input(Reply reply, bool cached, OverrideLine line) {
    DecisionInput in;
    in.domain = "fax-01";
    in.uuid = kUuid;
    in.host = "host-b";
    in.overridePath = "/etc/libvirt/hooks/faxover-override.conf";
    if (reply == Reply::Unreachable) {
        in.orchestrator = "http://10.0.0.5:8471";
        in.failure = "Connection refused";
    } else {
        in.orchestrator = "http://10.0.0.5:8471";
        in.answer = MayStartAnswer{reply == Reply::Allowed,
                                   reply == Reply::Allowed ? "licence free" : "fax-01 runs on host-a",
                                   {"fax-01", kUuid}};
    }
    if (cached) in.cachedProtected = {"other", "fax-01"};
    const char* text = "";
    switch (line) {
        case OverrideLine::None:
            break;
        case OverrideLine::Valid:
            text = "fax-01 until=2026-11-22T13:00:00Z reason=site down, ticket 7\n";
            break;
        case OverrideLine::Expired:
            text = "fax-01 until=2026-11-22T11:00:00Z reason=last week\n";
            break;
        case OverrideLine::Malformed:
            text = "fax-01 whenever it suits\n";
            break;
    }
    in.overrides = parseOverrides(text, kNow);
    return in;
}

}  // namespace

TEST_CASE("hook decision: a reachable orchestrator has the last word", "[hook]") {
    for (bool cached : {false, true}) {
        for (auto line : {OverrideLine::None, OverrideLine::Valid, OverrideLine::Expired, OverrideLine::Malformed}) {
            INFO("cached " << cached << ", override " << static_cast<int>(line));
            const Decision allowed = decide(input(Reply::Allowed, cached, line));
            CHECK(allowed.allow);
            CHECK(allowed.message.empty());
            CHECK_THAT(allowed.logLine,
                       Contains("fax-01 " + kUuid + ": allowed (orchestrator http://10.0.0.5:8471): licence free"));

            const Decision refused = decide(input(Reply::Refused, cached, line));
            CHECK_FALSE(refused.allow);  // a valid override never beats an explicit refusal
            CHECK(refused.message == "faxover: refusing to start fax-01 on host-b: fax-01 runs on host-a");
            CHECK_THAT(refused.logLine, Contains("refused (orchestrator http://10.0.0.5:8471): fax-01 runs on host-a"));
        }
    }
}

TEST_CASE("hook decision: unreachable, a protected domain is refused unless validly overridden", "[hook]") {
    for (auto line : {OverrideLine::None, OverrideLine::Expired, OverrideLine::Malformed}) {
        INFO("override " << static_cast<int>(line));
        const Decision decision = decide(input(Reply::Unreachable, true, line));
        CHECK_FALSE(decision.allow);
        CHECK_THAT(decision.message,
                   Contains("faxover: refusing to start fax-01 on host-b: fax-01 is protected and the "
                            "orchestrator at http://10.0.0.5:8471 could not be reached "
                            "(Connection refused)"));
        // The message tells the admin how to override.
        CHECK_THAT(decision.message, Contains("add the line 'fax-01 until=TIME reason=TEXT'"));
        CHECK_THAT(decision.message, Contains("/etc/libvirt/hooks/faxover-override.conf"));
        CHECK_THAT(decision.logLine, Contains("refused (fail closed)"));
        if (line == OverrideLine::Expired) CHECK_THAT(decision.message, Contains("line 1: expired"));
        if (line == OverrideLine::Malformed) CHECK_THAT(decision.message, Contains("line 1: malformed"));
    }
    const Decision overridden = decide(input(Reply::Unreachable, true, OverrideLine::Valid));
    CHECK(overridden.allow);
    CHECK_THAT(overridden.message, Contains("starting protected fax-01 on host-b under the admin override"));
    CHECK_THAT(overridden.logLine, Contains("allowed (override)"));
    CHECK_THAT(overridden.logLine, Contains("line 1 until 2026-11-22T13:00:00Z, reason: site down, ticket 7"));
}

TEST_CASE("hook decision: unreachable, a domain not in the cache starts with a message", "[hook]") {
    for (auto line : {OverrideLine::None, OverrideLine::Valid, OverrideLine::Expired, OverrideLine::Malformed}) {
        const Decision decision = decide(input(Reply::Unreachable, false, line));
        CHECK(decision.allow);
        CHECK_THAT(decision.message, Contains("fax-01 is not a protected domain; starting it on host-b although the "
                                              "orchestrator at http://10.0.0.5:8471 could not be reached"));
        CHECK_THAT(decision.logLine, Contains("allowed (not protected)"));
    }
}

TEST_CASE("hook decision: the cache and overrides match a domain by name or UUID", "[hook]") {
    DecisionInput in = input(Reply::Unreachable, false, OverrideLine::None);
    in.cachedProtected = {"6F0A3C7E-2B1D-4D8A-9A4E-5C1F0E2B7D31"};  // a renamed domain keeps its UUID
    CHECK_FALSE(decide(in).allow);
    in.overrides = parseOverrides(kUuid + " until=2026-11-22T13:00:00Z reason=by uuid\n", kNow);
    CHECK(decide(in).allow);
    in.overrides = parseOverrides("fax-1 until=2026-11-22T13:00:00Z reason=another domain\n", kNow);
    CHECK_FALSE(decide(in).allow);
}

TEST_CASE("hook decision: unreadable XML fails closed for a cached name, with no override", "[hook]") {
    DecisionInput in = input(Reply::Unreachable, true, OverrideLine::Valid);
    in.uuid.clear();
    in.xmlProblem = "the domain XML is not well-formed: Syntax error";
    const Decision refused = decide(in);
    CHECK_FALSE(refused.allow);
    CHECK(refused.message ==
          "faxover: refusing to start fax-01 on host-b: fax-01 is protected and libvirt's domain XML "
          "could not be read: the domain XML is not well-formed: Syntax error");
    CHECK_THAT(refused.logLine, Contains("fax-01 -: refused (fail closed)"));

    in.cachedProtected = {"other"};
    const Decision allowed = decide(in);
    CHECK(allowed.allow);
    CHECK_THAT(allowed.message, Contains("although its domain XML could not be read"));
}
