// `faxover license status|audit` and `faxover demote` against a fake AdminApi: output in each
// format (the CSV parsed back), --since forms and mistakes, confirmation, exit codes.
#include "cli_test_support.h"
#include "faxover/orchestrator/api/Json.h"

using namespace faxover::orchestrator;
using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;
using faxover::orchestrator::engine::AdminCommand;
using faxover::orchestrator::engine::Verb;
using faxover::orchestrator::ErrorKind;

namespace {

// An RFC 4180 reader, independent of the writer: records end in CRLF, quoted fields may hold
// commas, doubled quotes and line breaks.
std::vector<std::vector<std::string>> readCsv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            REQUIRE(field.empty());  // a quote only opens a field
            quoted = true;
        } else if (c == ',') {
            record.push_back(std::move(field));
            field.clear();
        } else if (c == '\r') {
            REQUIRE(text.substr(i, 2) == "\r\n");
            record.push_back(std::move(field));
            field.clear();
            records.push_back(std::move(record));
            record.clear();
            ++i;
        } else {
            REQUIRE(c != '\n');  // a bare LF outside quotes is not RFC 4180
            field += c;
        }
    }
    REQUIRE_FALSE(quoted);
    REQUIRE(field.empty());
    REQUIRE(record.empty());  // the last record ends in CRLF too
    return records;
}

}  // namespace

TEST_CASE("license status prints a table per licence with its free seats", "[api][cli][licence]") {
    FakeAdminApi fake;
    const auto run = runCli({"license", "status"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK(run.err.empty());
    CHECK(run.out ==
          "sr140-pool  product sr140  seats 2/2 used\n"
          "SERVICE  ON BEHALF OF  HOST  SINCE      APPLIED\n"
          "fax-a    -             lab1  3m12s ago  yes\n"
          "fax-s    fax-b         lab3  4s ago     no\n"
          "\n"
          "board-1  product board  seats 0/1 used, 1 free\n"
          "no holders\n");

    fake.licenceList[0].seats = 5;
    CHECK_THAT(runCli({"licence", "status"}, fake).out, Catch::StartsWith("sr140-pool  product sr140  seats 2/5 used, 3 free\n"));
    fake.licenceList.clear();
    CHECK(runCli({"license", "status"}, fake).out == "no licences in the policy\n");
}

TEST_CASE("license status --json prints the licences document", "[api][cli][licence]") {
    FakeAdminApi fake;
    const auto run = runCli({"--json", "license", "status"}, fake);
    CHECK(run.status == kAdminOk);
    auto back = licencesFromJson(run.out);
    REQUIRE(back);
    CHECK(back.value() == sampleLicences());
}

TEST_CASE("license audit prints a table, RFC 4180 CSV or JSON", "[api][cli][licence]") {
    FakeAdminApi fake;
    const auto table = runCli({"license", "audit"}, fake);
    CHECK(table.status == kAdminOk);
    CHECK_THAT(table.out, Catch::StartsWith("SEQ  AT                        EVENT     LICENCE     SERVICE  ON BEHALF OF  HOST  "
                                            "FROM  ACTOR                          REASON\n"
                                            "1    2024-05-01T11:00:00.000Z  grant     sr140-pool  fax-a    -             lab1  "
                                            "-     daemon                         fax-a started on lab1\n"));
    // One line per entry: the reason's line break does not split its row.
    CHECK_THAT(table.out, Catch::Contains("promoted, seat moved\n3    "));

    const auto csv = runCli({"license", "audit", "--format", "csv"}, fake);
    CHECK(csv.status == kAdminOk);
    const auto records = readCsv(csv.out);
    REQUIRE(records.size() == 4);
    CHECK(records[0] == std::vector<std::string>{"sequence", "at", "event", "licence", "service", "on_behalf_of", "host",
                                                 "from_host", "actor", "reason"});
    const auto audit = sampleAudit();
    const auto& entry = audit[1];
    CHECK(records[2] == std::vector<std::string>{"2", "2024-05-01T11:59:00.250Z", "transfer", "sr140-pool", "fax-s", "fax-b",
                                                 "lab3", "lab2", "admin:root", entry.reason});
    CHECK(records[3][8] == "libvirt-hook:lab2@198.18.0.12");
    CHECK(records[3][9] == "fax-b runs on lab3: no second copy");

    for (const auto& arguments : {std::vector<std::string>{"license", "audit", "--format=json"},
                                  std::vector<std::string>{"license", "audit", "--json"},
                                  std::vector<std::string>{"--json", "license", "audit", "--format", "json"}}) {
        const auto json = runCli(arguments, fake);
        CHECK(json.status == kAdminOk);
        auto back = licenceAuditFromJson(json.out);
        REQUIRE(back);
        CHECK(back.value() == sampleAudit());
    }

    fake.auditEntries.clear();
    CHECK(readCsv(runCli({"license", "audit", "--format", "csv"}, fake).out).size() == 1);
    CHECK(runCli({"license", "audit", "--json"}, fake).out == "[]\n");
}

TEST_CASE("license audit --since takes ISO 8601 dates, date-times and spans back from now", "[api][cli][licence]") {
    using namespace std::chrono;
    CHECK(std::holds_alternative<std::monostate>(parsed({"license", "audit"}).since));
    CHECK(parsed({"license", "audit", "--since", "2024-05-01"}).since == AuditSince{sampleNow() - 12h});
    CHECK(parsed({"license", "audit", "--since=2024-05-01T14:00+02:00"}).since == AuditSince{sampleNow()});
    CHECK(parsed({"license", "audit", "--since", "24h"}).since == AuditSince{seconds{86400}});
    CHECK(parsed({"--since", "7d", "licence", "audit"}).since == AuditSince{seconds{7 * 86400}});
    CHECK(parsed({"license", "audit", "--since", "90m"}).since == AuditSince{seconds{5400}});

    FakeAdminApi fake;
    REQUIRE(runCli({"license", "audit", "--since", "24h"}, fake).status == kAdminOk);
    REQUIRE(runCli({"license", "audit", "--since", "2024-04-30T00:00Z"}, fake).status == kAdminOk);
    REQUIRE(runCli({"license", "audit"}, fake).status == kAdminOk);
    REQUIRE(fake.auditSinces().size() == 3);
    CHECK(fake.auditSinces()[0] == sampleNow() - 24h);
    CHECK(fake.auditSinces()[1] == sampleNow() - 36h);
    CHECK_FALSE(fake.auditSinces()[2]);
}

TEST_CASE("bad --since and --format values are usage errors that say what was wrong", "[api][cli][licence]") {
    struct Case {
        const char* since;
        const char* why;
    };
    for (const auto& each : {Case{"yesterday", "no valid date"}, Case{"24x", "not a span like 24h"},
                             Case{"-3d", "no valid date"}, Case{"h", "not a span"}, Case{"99999999999w", "not a span"},
                             Case{"2024-05-01T12:00", "needs a zone"}, Case{"2024-13-01", "no valid date"}}) {
        INFO(each.since);
        CHECK_THAT(usageError({"license", "audit", "--since", each.since}),
                   Catch::StartsWith("--since ") && Catch::Contains(each.why) && Catch::Contains("24h"));
    }
    CHECK(usageError({"license", "audit", "--since"}) == "--since needs a time T");
    CHECK(usageError({"license", "audit", "--format", "xml"}) == "--format 'xml': expected table, csv or json");
    CHECK(usageError({"license", "audit", "--json", "--format", "csv"}) == "--json and --format csv contradict each other");
    CHECK(usageError({"status", "--since", "24h"}) == "--since goes with license audit");
    CHECK(usageError({"license", "status", "--format", "csv"}) == "--format goes with license audit");
    CHECK(usageError({"license"}) == "license takes status or audit");
    CHECK(usageError({"license", "revoke"}) == "license takes status or audit");
    CHECK(usageError({"license", "status", "extra"}) == "usage: faxover license status");

    FakeAdminApi fake;
    const auto run = runCli({"license", "audit", "--since", "soon"}, fake);
    CHECK(run.status == kAdminUsage);
    CHECK(fake.auditSinces().empty());
}

TEST_CASE("license commands report the daemon's refusals with exit 1", "[api][cli][licence]") {
    FakeAdminApi fake;
    fake.licencesError = faxover::orchestrator::Error{ErrorKind::NotSupported, "the licence ledger is not built yet"};
    const auto status = runCli({"license", "status"}, fake);
    CHECK(status.status == kAdminRefused);
    CHECK(status.err == "faxover: the licence ledger is not built yet\n");
    CHECK(status.out.empty());
    fake.auditError = faxover::orchestrator::Error{ErrorKind::DaemonUnreachable, "cannot connect"};
    CHECK(runCli({"license", "audit"}, fake).status == kAdminUnreachable);
}

TEST_CASE("demote asks first, naming the primaries the standby stands in for", "[api][cli][licence]") {
    CHECK(parsed({"demote", "fax-s"}).command == AdminCommand{Verb::Demote, "fax-s", "", ""});
    CHECK(parsed({"demote", "fax-s", "-y"}).yes);
    CHECK(usageError({"demote"}) == "usage: faxover demote SERVICE [--yes]");
    CHECK(usageError({"demote", "fax-s", "lab1"}) == "usage: faxover demote SERVICE [--yes]");
    CHECK(isAdminCommand("demote"));
    CHECK(isAdminCommand("license"));
    CHECK(isAdminCommand("licence"));

    FakeAdminApi fake;
    fake.reply = CommandReply{"fax-s: demoted, seats of fax-b given back"};
    const auto yes = runCli({"demote", "fax-s"}, fake, {"y\n", true});
    CHECK(yes.status == kAdminOk);
    CHECK(yes.out ==
          "A demoted standby gives back the seats it holds for its primaries and stops standing in for them "
          "(fax-s stands in for fax-b).\nDemote fax-s? [y/N] fax-s: demoted, seats of fax-b given back\n");
    REQUIRE(fake.received().size() == 1);
    CHECK(fake.received()[0] == AdminCommand{Verb::Demote, "fax-s", "", ""});

    const auto no = runCli({"demote", "fax-a"}, fake, {"n\n", true});
    CHECK(no.status == kAdminRefused);
    CHECK_THAT(no.out, Catch::Contains("for them.\nDemote fax-a? [y/N] "));  // fax-a holds no one's seat
    CHECK(no.err == "faxover: not confirmed, nothing done\n");

    const auto script = runCli({"demote", "fax-s"}, fake);
    CHECK(script.status == kAdminUsage);
    CHECK_THAT(script.err, Catch::Contains("demote fax-s needs a confirmation") && Catch::Contains("--yes"));
    CHECK(fake.received().size() == 1);

    CHECK(runCli({"demote", "fax-s", "--yes"}, fake).status == kAdminOk);
    CHECK(fake.received().size() == 2);
    fake.executeError = faxover::orchestrator::Error{ErrorKind::Refused, "fax-s stands in for no primary"};
    const auto refused = runCli({"demote", "fax-s", "--yes"}, fake);
    CHECK(refused.status == kAdminRefused);
    CHECK(refused.err == "faxover: fax-s stands in for no primary\n");
}

TEST_CASE("the usage text lists the licence commands and demote", "[api][cli][licence]") {
    std::ostringstream out;
    printAdminUsage(out);
    CHECK_THAT(out.str(), Catch::Contains("faxover [--api ADDRESS] [--json] license status\n") &&
                              Catch::Contains("license audit [--since T] [--format table|csv|json]\n") &&
                              Catch::Contains("demote SERVICE [--yes]\n") && Catch::Contains("24h"));
}
