#include "faxover/orchestrator/engine/HostHealth.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <vector>

using namespace faxover::orchestrator::engine;
using faxover::hv::Reachability;
using faxover::policy::MonitoringProfile;

namespace {

// Fixed counts (suspect at 2, failed at 5, 10 after a restart): these tests are about the rules,
// not about the default profile's numbers (docs/policy.md), which may be tuned.
MonitoringProfile profile() { return MonitoringProfile{"test", std::chrono::milliseconds(1000), std::chrono::milliseconds(500), 2, 5, 10}; }

const ProbeRound kBoth{Reachability::Reachable, true};
const ProbeRound kNone{Reachability::Unreachable, false};
const ProbeRound kTcpOnly{Reachability::Unreachable, true};
const ProbeRound kLibvirtOnly{Reachability::Reachable, false};

// A tracker that has answered once: the normal failover count applies.
HostHealthTracker answeredTracker() {
    HostHealthTracker tracker("lab1", profile());
    REQUIRE(tracker.observe(kBoth));
    return tracker;
}

// Feeds `count` rounds and returns every transition in order.
std::vector<HealthTransition> feed(HostHealthTracker& tracker, const ProbeRound& round, int count) {
    std::vector<HealthTransition> out;
    for (int i = 0; i < count; ++i)
        if (auto transition = tracker.observe(round)) out.push_back(*transition);
    return out;
}

}  // namespace

TEST_CASE("host health: a new tracker is unknown and the first answered round makes it ok", "[engine]") {
    HostHealthTracker tracker("lab1", profile());
    CHECK(tracker.state() == HostHealthState::Unknown);
    CHECK_FALSE(tracker.heardFrom());
    auto transition = tracker.observe(kBoth);
    REQUIRE(transition);
    CHECK(transition->host == "lab1");
    CHECK(transition->from == HostHealthState::Unknown);
    CHECK(transition->to == HostHealthState::Ok);
    CHECK(transition->missed == 0);
    CHECK_FALSE(transition->recovered);
    CHECK(transition->reason == "libvirt and TCP both answer");
    CHECK(tracker.heardFrom());
    CHECK_FALSE(tracker.observe(kBoth));  // no change, no line
}

TEST_CASE("host health: ok -> suspect at warn count -> failed at failover count", "[engine]") {
    auto tracker = answeredTracker();
    CHECK_FALSE(tracker.observe(kNone));  // 1 missed: below warnCount, nothing visible
    CHECK(tracker.state() == HostHealthState::Ok);
    CHECK(tracker.missed() == 1);

    auto suspect = tracker.observe(kNone);
    REQUIRE(suspect);
    CHECK(suspect->from == HostHealthState::Ok);
    CHECK(suspect->to == HostHealthState::Suspect);
    CHECK(suspect->missed == 2);
    CHECK(suspect->reason == "libvirt and TCP both silent for 2 rounds; suspect at 2, fails at 5");

    CHECK(feed(tracker, kNone, 2).empty());  // 3, 4: still suspect
    auto failed = tracker.observe(kNone);
    REQUIRE(failed);
    CHECK(failed->from == HostHealthState::Suspect);
    CHECK(failed->to == HostHealthState::Failed);
    CHECK(failed->missed == 5);
    CHECK(failed->reason == "libvirt and TCP both silent for 5 rounds; fails at 5");
    CHECK(failed->describe() == "lab1: suspect -> failed (missed 5): libvirt and TCP both silent for 5 rounds; fails at 5");
}

TEST_CASE("host health: failed is sticky until a fully answered round, which reports recovered", "[engine]") {
    auto tracker = answeredTracker();
    REQUIRE(feed(tracker, kNone, 5).size() == 2);
    REQUIRE(tracker.state() == HostHealthState::Failed);

    CHECK(feed(tracker, kNone, 100).empty());
    CHECK(feed(tracker, kTcpOnly, 3).empty());      // one signal does not end a failure
    CHECK(feed(tracker, kLibvirtOnly, 3).empty());
    CHECK(tracker.state() == HostHealthState::Failed);

    auto back = tracker.observe(kBoth);
    REQUIRE(back);
    CHECK(back->from == HostHealthState::Failed);
    CHECK(back->to == HostHealthState::Ok);
    CHECK(back->recovered);
    CHECK(back->missed == 0);
    CHECK(back->reason == "recovered: libvirt and TCP both answer again");
    CHECK(tracker.missed() == 0);
}

TEST_CASE("host health: suspect returns to ok on a fully answered round and the count resets", "[engine]") {
    auto tracker = answeredTracker();
    feed(tracker, kNone, 4);
    REQUIRE(tracker.state() == HostHealthState::Suspect);
    auto ok = tracker.observe(kBoth);
    REQUIRE(ok);
    CHECK(ok->from == HostHealthState::Suspect);
    CHECK(ok->to == HostHealthState::Ok);
    CHECK_FALSE(ok->recovered);
    CHECK(ok->reason == "libvirt and TCP both answer again");
    CHECK(tracker.missed() == 0);
    // The count starts over: 4 more missed rounds are suspect, not failed.
    feed(tracker, kNone, 4);
    CHECK(tracker.state() == HostHealthState::Suspect);
}

TEST_CASE("host health: one missing signal is degraded and names the signal", "[engine]") {
    auto tracker = answeredTracker();
    auto noLibvirt = tracker.observe(kTcpOnly);
    REQUIRE(noLibvirt);
    CHECK(noLibvirt->from == HostHealthState::Ok);
    CHECK(noLibvirt->to == HostHealthState::Degraded);
    CHECK(noLibvirt->reason == "libvirt connection down, management address answers TCP");
    CHECK(tracker.missing() == MissingSignal::Libvirt);
    CHECK_FALSE(tracker.observe(kTcpOnly));  // same condition: no new line

    auto noTcp = tracker.observe(kLibvirtOnly);  // the other signal now: a new line
    REQUIRE(noTcp);
    CHECK(noTcp->from == HostHealthState::Degraded);
    CHECK(noTcp->to == HostHealthState::Degraded);
    CHECK(noTcp->reason == "management address does not answer TCP, libvirt connection up");
    CHECK(tracker.missing() == MissingSignal::Tcp);

    auto ok = tracker.observe(kBoth);
    REQUIRE(ok);
    CHECK(ok->to == HostHealthState::Ok);
    CHECK(tracker.missing() == MissingSignal::None);
}

TEST_CASE("host health: a degraded round ends a run of missed rounds", "[engine]") {
    auto tracker = answeredTracker();
    feed(tracker, kNone, 4);
    REQUIRE(tracker.state() == HostHealthState::Suspect);
    auto degraded = tracker.observe(kTcpOnly);
    REQUIRE(degraded);
    CHECK(degraded->from == HostHealthState::Suspect);
    CHECK(degraded->to == HostHealthState::Degraded);
    CHECK(degraded->missed == 0);
    CHECK(tracker.missed() == 0);
    CHECK_FALSE(tracker.observe(kNone));  // 1 missed: still degraded, nothing visible
    CHECK(tracker.state() == HostHealthState::Degraded);
    auto suspect = tracker.observe(kNone);
    REQUIRE(suspect);
    CHECK(suspect->from == HostHealthState::Degraded);
    CHECK(suspect->to == HostHealthState::Suspect);
}

TEST_CASE("host health: one signal alone never fails a host, even after thousands of rounds", "[engine]") {
    const std::vector<std::vector<ProbeRound>> patterns{
        {kTcpOnly},
        {kLibvirtOnly},
        {kTcpOnly, kLibvirtOnly},
        {ProbeRound{Reachability::Unknown, true}},
        {kNone, kTcpOnly},                  // silence never reaches warnCount in a row
        {kTcpOnly, kNone, kLibvirtOnly, kNone},
    };
    for (std::size_t p = 0; p < patterns.size(); ++p) {
        INFO("pattern " << p);
        HostHealthTracker tracker("lab1", profile());
        std::vector<HealthTransition> transitions;
        for (int i = 0; i < 5000; ++i) {
            if (auto transition = tracker.observe(patterns[p][static_cast<std::size_t>(i) % patterns[p].size()]))
                transitions.push_back(*transition);
            REQUIRE(tracker.state() != HostHealthState::Failed);
            REQUIRE(tracker.state() != HostHealthState::Suspect);
        }
        CHECK(tracker.state() == HostHealthState::Degraded);
        for (const auto& transition : transitions) CHECK(transition.to == HostHealthState::Degraded);
    }
}

TEST_CASE("host health: until the host has answered, the after-restart count applies", "[engine]") {
    HostHealthTracker tracker("lab1", profile());
    CHECK(tracker.failAfter() == 10);
    CHECK_FALSE(tracker.observe(kNone));  // 1: unknown stays unknown
    auto suspect = tracker.observe(kNone);
    REQUIRE(suspect);
    CHECK(suspect->from == HostHealthState::Unknown);
    CHECK(suspect->to == HostHealthState::Suspect);
    CHECK(suspect->reason ==
          "libvirt and TCP both silent for 2 rounds; suspect at 2, fails at 10 (not heard from since the orchestrator started)");
    CHECK(feed(tracker, kNone, 7).empty());  // 3..9: suspect, not failed at 5
    CHECK(tracker.state() == HostHealthState::Suspect);
    auto failed = tracker.observe(kNone);
    REQUIRE(failed);
    CHECK(failed->to == HostHealthState::Failed);
    CHECK(failed->missed == 10);
    CHECK(failed->reason == "libvirt and TCP both silent for 10 rounds; fails at 10 (not heard from since the orchestrator started)");
}

TEST_CASE("host health: one signal answering once is enough to leave the after-restart count", "[engine]") {
    HostHealthTracker tracker("lab1", profile());
    tracker.observe(kTcpOnly);
    CHECK(tracker.heardFrom());
    CHECK(tracker.failAfter() == 5);
    auto transitions = feed(tracker, kNone, 5);
    REQUIRE(transitions.size() == 2);
    CHECK(transitions[1].to == HostHealthState::Failed);
    CHECK(transitions[1].missed == 5);
}

TEST_CASE("host health: the IPFX-compatible counts, 5 / 15 / 30", "[engine]") {
    MonitoringProfile ipfx;
    ipfx.warnCount = 5;
    ipfx.failoverCount = 15;
    ipfx.failoverCountAfterRestart = 30;
    HostHealthTracker fresh("hv1", ipfx);
    auto freshTransitions = feed(fresh, kNone, 30);
    REQUIRE(freshTransitions.size() == 2);
    CHECK(freshTransitions[0].missed == 5);
    CHECK(freshTransitions[1].missed == 30);

    HostHealthTracker running("hv1", ipfx);
    running.observe(kBoth);
    auto transitions = feed(running, kNone, 15);
    REQUIRE(transitions.size() == 2);
    CHECK(transitions[0].to == HostHealthState::Suspect);
    CHECK(transitions[0].missed == 5);
    CHECK(transitions[1].to == HostHealthState::Failed);
    CHECK(transitions[1].missed == 15);
}

TEST_CASE("host health: an unknown libvirt connection is not an answer", "[engine]") {
    HostHealthTracker tracker("lab1", profile());
    CHECK_FALSE(tracker.observe(ProbeRound{Reachability::Unknown, false}));
    CHECK(tracker.missed() == 1);
    CHECK_FALSE(tracker.heardFrom());
    auto degraded = tracker.observe(ProbeRound{Reachability::Unknown, true});
    REQUIRE(degraded);
    CHECK(degraded->to == HostHealthState::Degraded);
    CHECK(degraded->reason == "libvirt did not answer this round, management address answers TCP");
}

TEST_CASE("host health: the same rounds give the same transitions, and copies continue alike", "[engine]") {
    const ProbeRound rounds[] = {kBoth, kNone, kTcpOnly, kLibvirtOnly};
    std::uint32_t seed = 12345;
    std::vector<ProbeRound> sequence;
    for (int i = 0; i < 4000; ++i) {
        seed = seed * 1664525u + 1013904223u;
        // Biased toward silence so every state is visited.
        const std::uint32_t pick = (seed >> 16) % 10;
        sequence.push_back(pick < 6 ? kNone : rounds[pick % 4]);
    }
    auto run = [&](HostHealthTracker tracker, std::size_t from) {
        std::vector<HealthTransition> out;
        for (std::size_t i = from; i < sequence.size(); ++i)
            if (auto transition = tracker.observe(sequence[i])) out.push_back(*transition);
        return out;
    };
    const auto first = run(HostHealthTracker("lab1", profile()), 0);
    const auto second = run(HostHealthTracker("lab1", profile()), 0);
    CHECK(first == second);
    bool sawFailed = false;
    for (const auto& transition : first) sawFailed = sawFailed || transition.to == HostHealthState::Failed;
    CHECK(sawFailed);

    HostHealthTracker original("lab1", profile());
    for (std::size_t i = 0; i < 2000; ++i) original.observe(sequence[i]);
    HostHealthTracker copy = original;
    CHECK(copy == original);
    CHECK(run(copy, 2000) == run(original, 2000));
}
