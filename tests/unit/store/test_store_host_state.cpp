// Host records and the service counters added in schema version 2.
#include "store_test_support.h"

#include <catch2/catch.hpp>

using namespace store_test;
using namespace faxover::orchestrator::store;
using faxover::hv::ErrorKind;

TEST_CASE("store: host state is compare-and-set on its own revision", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    const HostRecord fenced{false, "confirmed", at(1, 7), "fence_ipmilan: off exit 0, status exit 2", 0};
    auto created = db->putHostState("hv1", fenced, 0);
    REQUIRE(created);
    CHECK(created.value() == 1);

    auto stale = db->putHostState("hv1", HostRecord{true, "", at(2), "kernel update", 0}, 0);
    REQUIRE_FALSE(stale);
    CHECK(stale.error().kind == ErrorKind::OperationInvalid);
    CHECK(stale.error().message ==
          "host hv1: revision conflict: expected revision 0, the store holds 1; re-read and retry");

    auto updated = db->putHostState("hv1", HostRecord{true, "", at(2), "kernel update", 0}, 1);
    REQUIRE(updated);
    CHECK(updated.value() == 2);
    // Host and service revisions are counted apart: a service of the same name starts at 1.
    CHECK(db->putServiceState("hv1", ServiceRecord{"running", "hv2", at(2), 0}, 0).value() == 1);

    auto hosts = db->hostStates();
    REQUIRE(hosts);
    REQUIRE(hosts.value().size() == 1);
    CHECK(hosts.value().at("hv1") == HostRecord{true, "", at(2), "kernel update", 2});
}

TEST_CASE("store: host states are listed by name with every field", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    REQUIRE(db->putHostState("hv2", HostRecord{true, "", at(5), "drain for BIOS update", 0}, 0));
    REQUIRE(db->putHostState("hv1", HostRecord{false, "confirmed", at(6, 1), "fenced after 15 missed probes", 0}, 0));
    auto hosts = db->hostStates();
    REQUIRE(hosts);
    REQUIRE(hosts.value().size() == 2);
    CHECK(hosts.value().begin()->first == "hv1");
    CHECK(hosts.value().at("hv1") == HostRecord{false, "confirmed", at(6, 1), "fenced after 15 missed probes", 1});
    CHECK(hosts.value().at("hv2") == HostRecord{true, "", at(5), "drain for BIOS update", 1});
}

TEST_CASE("store: a host state needs a name and a known fence word", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    auto unnamed = db->putHostState("", HostRecord{}, 0);
    REQUIRE_FALSE(unnamed);
    CHECK(unnamed.error().kind == ErrorKind::InvalidArgument);
    CHECK(unnamed.error().message == "a host state needs a host name");

    auto badFence = db->putHostState("hv1", HostRecord{false, "maybe", at(1), "", 0}, 0);
    REQUIRE_FALSE(badFence);
    CHECK(badFence.error().kind == ErrorKind::InvalidArgument);
    CHECK_THAT(badFence.error().message, Catch::Contains("hv1") && Catch::Contains("maybe"));
    CHECK(db->hostStates().value().empty());
}

TEST_CASE("store: service counters, reason, target and definition round-trip and survive reopening", "[store]") {
    TempDir dir;
    const std::string path = dir.file("s.db");
    ServiceRecord failing{"recovering", "hv2", at(3), 0, 2, 1, "start on hv2 failed: no memory", "hv3",
                          "<domain type='kvm'><name>fax1</name></domain>"};
    {
        auto db = openOrFail(path);
        REQUIRE(db->putServiceState("fax1", failing, 0));
    }
    auto db = openOrFail(path);
    failing.revision = 1;
    CHECK(db->serviceStates().value().at("fax1") == failing);

    auto negative = db->putServiceState("fax1", ServiceRecord{"recovering", "hv2", at(4), 0, -1, 0, ""}, 1);
    REQUIRE_FALSE(negative);
    CHECK(negative.error().kind == ErrorKind::InvalidArgument);
}

TEST_CASE("store: a batch puts host and service state together, or neither", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("s.db"));
    Batch fence;
    fence.add(AppendIntent{sampleIntent("fax1")})
        .add(PutHostState{"hv1", HostRecord{false, "confirmed", at(1), "hv1 confirmed off", 0}, 0})
        .add(PutServiceState{"fax1", ServiceRecord{"recovering", "hv2", at(1), 0, 0, 1, "hv1 fenced"}, 0});
    auto committed = db->commit(fence);
    REQUIRE(committed);
    CHECK(committed.value().hostRevisions == std::vector<Revision>{1});
    CHECK(committed.value().revisions == std::vector<Revision>{1});

    Batch conflicting;
    conflicting.add(PutServiceState{"fax1", ServiceRecord{"running", "hv2", at(2), 0}, 1})
        .add(PutHostState{"hv1", HostRecord{true, "", at(2), "", 0}, 5});
    auto refused = db->commit(conflicting);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == ErrorKind::OperationInvalid);
    CHECK(db->serviceStates().value().at("fax1").state == "recovering");
    CHECK(db->hostStates().value().at("hv1").fence == "confirmed");
}
