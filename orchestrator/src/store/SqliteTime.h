#pragma once
// How SqliteStore keeps instants: INTEGER nanoseconds since the system clock's epoch (the *_ns
// columns). One place, so the write side and the read side cannot drift apart.
#include "faxover/orchestrator/ports/StoreRecords.h"

#include <Poco/Types.h>

#include <chrono>

namespace faxover::orchestrator::store {

inline Poco::Int64 toNanos(TimePoint time) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

inline TimePoint fromNanos(Poco::Int64 nanos) {
    return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(nanos)));
}

}  // namespace faxover::orchestrator::store
