// The licence ledger and its audit log in the SQLite store (schema version 3).
#include "store_test_support.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

#include <catch2/catch.hpp>

using namespace faxover::orchestrator::store;
using namespace store_test;

namespace {

LicenceAuditRecord auditLine(const std::string& event, const std::string& service, int second) {
    return {0, at(second), event, "lic", service, "", "hv1", "", "daemon", "because"};
}

}  // namespace

TEST_CASE("store ledger: seats are put, moved and removed in batches, in grant order", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("ledger.db"));
    REQUIRE(db->commit(Batch{}
                           .add(PutSeat{{"lic", "fax-b", "", "hv1", at(1), false}})
                           .add(PutSeat{{"lic", "dr", "fax-c", "hv3", at(1), true}})
                           .add(AppendLicenceAudit{auditLine("grant", "fax-b", 1)})));
    REQUIRE(db->commit(Batch{}.add(PutSeat{{"lic", "fax-a", "", "hv2", at(2), true}})));
    // Moving fax-b keeps its place: grant order is the order seats were first given.
    REQUIRE(db->commit(Batch{}.add(PutSeat{{"lic", "fax-b", "", "hv4", at(3), true}})));
    auto seats = db->seats().value();
    REQUIRE(seats.size() == 3);
    CHECK(seats[0] == SeatRecord{"lic", "fax-b", "", "hv4", at(3), true});
    CHECK(seats[1].onBehalfOf == "fax-c");
    CHECK(seats[2].service == "fax-a");

    REQUIRE(db->commit(Batch{}.add(RemoveSeat{"lic", "dr", "fax-c"})));
    CHECK(db->seats().value().size() == 2);
}

TEST_CASE("store ledger: a batch with a bad seat write stores nothing of it", "[store]") {
    TempDir dir;
    auto db = openOrFail(dir.file("ledger.db"));
    auto removedNothing = db->commit(Batch{}
                                         .add(PutSeat{{"lic", "fax-a", "", "hv1", at(1), true}})
                                         .add(RemoveSeat{"lic", "fax-z", ""}));
    REQUIRE_FALSE(removedNothing);
    CHECK(removedNothing.error().kind == ErrorKind::InvalidArgument);
    CHECK(removedNothing.error().message == "licence lic: fax-z holds no seat to give back");
    CHECK(db->seats().value().empty());
    CHECK_FALSE(db->commit(Batch{}.add(PutSeat{{"lic", "fax-a", "", "", at(1), true}})));
}

TEST_CASE("store ledger: the licence audit log reads back from a time and is append-only", "[store]") {
    TempDir dir;
    const std::string path = dir.file("ledger.db");
    auto db = openOrFail(path);
    for (int second = 1; second <= 3; ++second)
        REQUIRE(db->commit(Batch{}.add(AppendLicenceAudit{auditLine("grant", "fax" + std::to_string(second), second)})));
    auto all = db->licenceAudit(at(0), 100).value();
    REQUIRE(all.size() == 3);
    CHECK(all[0].sequence == 1);
    CHECK(all[2] == LicenceAuditRecord{3, at(3), "grant", "lic", "fax3", "", "hv1", "", "daemon", "because"});
    CHECK(db->licenceAudit(at(2), 100).value().size() == 2);
    CHECK(db->licenceAudit(at(0), 1).value().size() == 1);
    CHECK_FALSE(db->commit(Batch{}.add(AppendLicenceAudit{auditLine("borrow", "fax9", 4)})));  // unknown event
    db.reset();

    // Not even SQL written by hand can change or remove a line.
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session raw("SQLite", path);
    CHECK_THROWS_AS((raw << "UPDATE licence_audit SET reason = 'forged'", Poco::Data::Keywords::now), Poco::Exception);
    CHECK_THROWS_AS((raw << "DELETE FROM licence_audit", Poco::Data::Keywords::now), Poco::Exception);
}
