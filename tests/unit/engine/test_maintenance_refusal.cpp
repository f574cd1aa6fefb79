// Whether a host may enter maintenance: only while it runs (issue 12 defect 8).
#include "faxover/orchestrator/engine/Engine.h"

#include <catch2/catch.hpp>

using namespace faxover::orchestrator::engine;

namespace {

HostObservation hostIn(HostHealthState health, FenceStatus fence = FenceStatus::None) {
    HostObservation host;
    host.name = "lab1";
    host.health = health;
    host.fence = fence;
    return host;
}

}  // namespace

TEST_CASE("maintenance is accepted for a host that runs, ok or degraded", "[engine]") {
    CHECK(maintenanceRefusal(hostIn(HostHealthState::Ok)).empty());
    CHECK(maintenanceRefusal(hostIn(HostHealthState::Degraded)).empty());
}

TEST_CASE("maintenance is refused for a host that is down or may be, saying why", "[engine]") {
    CHECK(maintenanceRefusal(hostIn(HostHealthState::Suspect)) ==
          "maintenance of lab1 refused: it is suspect (libvirt and TCP silent); wait until it answers or fails");
    CHECK(maintenanceRefusal(hostIn(HostHealthState::Failed)) ==
          "maintenance of lab1 refused: it has failed (powered off or cut off: libvirt and TCP silent); its services "
          "recover by failover. Enable maintenance once it is back and ok");
    CHECK(maintenanceRefusal(hostIn(HostHealthState::Unknown)) ==
          "maintenance of lab1 refused: it has not answered since the daemon started; wait until it does");
    // A fence outranks health: a fenced host that already answers again is still refused until it is ok.
    CHECK(maintenanceRefusal(hostIn(HostHealthState::Ok, FenceStatus::Confirmed)) ==
          "maintenance of lab1 refused: it is fenced (confirmed powered off); its services recover by failover. "
          "Enable maintenance once it is back and ok");
    CHECK_THAT(maintenanceRefusal(hostIn(HostHealthState::Failed, FenceStatus::InProgress)),
               Catch::Contains("it is being fenced"));
    CHECK_THAT(maintenanceRefusal(hostIn(HostHealthState::Failed, FenceStatus::AwaitingAdmin)),
               Catch::Contains("waits for 'faxover fence confirm lab1'"));
}
