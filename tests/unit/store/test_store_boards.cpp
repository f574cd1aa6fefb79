// Fax board reservations in the SQLite store (schema version 4; invariant 4: one VM per board).
#include "store_test_support.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

#include <catch2/catch.hpp>

using namespace faxover::orchestrator::store;
using namespace store_test;

TEST_CASE("store boards: reservations are put and replaced in batches and read in reservation order", "[store][boards]") {
    TempDir dir;
    auto db = openOrFail(dir.file("boards.db"));
    CHECK(db->boardReservations().value().empty());
    REQUIRE(db->commit(Batch{}
                           .add(PutBoardReservation{{"lab2", "0000:04:00.0", "fax-b", at(1), false}})
                           .add(PutBoardReservation{{"lab1", "0000:03:00.0", "fax-a", at(1), false}})));
    REQUIRE(db->commit(Batch{}.add(PutBoardReservation{{"lab1", "0000:05:00.0", "fax-c", at(2), false}})));
    // Replacing lab2's board (fax-b starts releasing it) keeps its place: first in the order.
    REQUIRE(db->commit(Batch{}.add(PutBoardReservation{{"lab2", "0000:04:00.0", "fax-b", at(3), true}})));
    auto reservations = db->boardReservations().value();
    REQUIRE(reservations.size() == 3);
    CHECK(reservations[0] == BoardReservationRecord{"lab2", "0000:04:00.0", "fax-b", at(3), true});
    CHECK(reservations[1] == BoardReservationRecord{"lab1", "0000:03:00.0", "fax-a", at(1), false});
    CHECK(reservations[2].service == "fax-c");

    // The same address on another host is another board.
    REQUIRE(db->commit(Batch{}.add(PutBoardReservation{{"lab3", "0000:04:00.0", "fax-d", at(4, 7), false}})));
    CHECK(db->boardReservations().value().size() == 4);

    REQUIRE(db->commit(Batch{}.add(RemoveBoardReservation{"lab2", "0000:04:00.0"})));
    reservations = db->boardReservations().value();
    REQUIRE(reservations.size() == 3);
    CHECK(reservations[0].service == "fax-a");
    CHECK(reservations[2] == BoardReservationRecord{"lab3", "0000:04:00.0", "fax-d", at(4, 7), false});
}

TEST_CASE("store boards: a board holds one reservation so a second service replaces the first", "[store][boards]") {
    TempDir dir;
    auto db = openOrFail(dir.file("boards.db"));
    REQUIRE(db->commit(Batch{}.add(PutBoardReservation{{"lab1", "0000:03:00.0", "fax-a", at(1), false}})));
    REQUIRE(db->commit(Batch{}.add(PutBoardReservation{{"lab1", "0000:03:00.0", "fax-b", at(2), false}})));
    auto reservations = db->boardReservations().value();
    REQUIRE(reservations.size() == 1);
    CHECK(reservations[0].service == "fax-b");
}

TEST_CASE("store boards: a bad reservation write rolls back the whole batch", "[store][boards]") {
    TempDir dir;
    auto db = openOrFail(dir.file("boards.db"));
    auto releasedNothing = db->commit(Batch{}
                                          .add(PutBoardReservation{{"lab1", "0000:03:00.0", "fax-a", at(1), false}})
                                          .add(AppendAudit{{at(1), "daemon", "fax-a", "board-reserve", "start", ""}})
                                          .add(RemoveBoardReservation{"lab1", "0000:09:00.0"}));
    REQUIRE_FALSE(releasedNothing);
    CHECK(releasedNothing.error().kind == ErrorKind::InvalidArgument);
    CHECK(releasedNothing.error().message == "board 0000:09:00.0 on lab1 is not reserved: nothing to release");
    CHECK(db->boardReservations().value().empty());
    CHECK(db->audit(at(0), 10).value().empty());

    for (const BoardReservationRecord& incomplete :
         {BoardReservationRecord{"", "0000:03:00.0", "fax-a", at(1), false},
          BoardReservationRecord{"lab1", "", "fax-a", at(1), false},
          BoardReservationRecord{"lab1", "0000:03:00.0", "", at(1), false}}) {
        auto refused = db->commit(Batch{}.add(PutBoardReservation{incomplete}));
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == ErrorKind::InvalidArgument);
        CHECK(refused.error().message == "a board reservation needs a host, a PCI address and a service");
    }
    CHECK(db->boardReservations().value().empty());
}

TEST_CASE("store boards: reservations survive a reopen and the file refuses a second row per board", "[store][boards]") {
    TempDir dir;
    const std::string path = dir.file("boards.db");
    auto db = openOrFail(path);
    REQUIRE(db->commit(Batch{}.add(PutBoardReservation{{"lab1", "0000:03:00.0", "fax-a", at(1, 5), true}})));
    db.reset();
    auto reopened = openOrFail(path);
    REQUIRE(reopened->boardReservations().value() ==
            std::vector<BoardReservationRecord>{{"lab1", "0000:03:00.0", "fax-a", at(1, 5), true}});
    reopened.reset();

    // Invariant 4 holds in the file too: SQL written by hand cannot give a board a second holder.
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session raw("SQLite", path);
    CHECK_THROWS_AS((raw << "INSERT INTO board_reservations (host, pci_address, service, since_ns, releasing,"
                            " reserved_seq) VALUES ('lab1', '0000:03:00.0', 'fax-b', 0, 0, 9)",
                     Poco::Data::Keywords::now),
                    Poco::Exception);
    CHECK_THROWS_AS((raw << "UPDATE board_reservations SET releasing = 2", Poco::Data::Keywords::now),
                    Poco::Exception);
}
