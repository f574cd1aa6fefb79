// The real `faxover` binary: every command answers --help, `faxover help COMMAND` and a command
// named without what it needs show that command's help, and the bash completion script completes
// commands and the running daemon's service and host names.
#include "TempDir.h"
#include "api_server_support.h"
#include "api_test_support.h"

#include <boost/process.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;

namespace {

namespace bp = boost::process;

struct Ran {
    int status = -1;
    std::string out;
    std::string err;
};

Ran runProgram(const std::string& program, const std::vector<std::string>& arguments, bp::environment environment = boost::this_process::environment()) {
    bp::ipstream out;
    bp::ipstream err;
    bp::child child(bp::exe = program, bp::args = arguments, bp::std_out > out, bp::std_err > err, bp::std_in < bp::null,
                    environment);
    Ran ran;
    std::string line;
    while (std::getline(out, line)) ran.out += line + "\n";
    while (std::getline(err, line)) ran.err += line + "\n";
    child.wait();
    ran.status = child.exit_code();
    return ran;
}

Ran runFaxover(const std::vector<std::string>& arguments) { return runProgram(FAXOVER_BINARY, arguments); }

}  // namespace

TEST_CASE("every command answers --help, and faxover help COMMAND is the same", "[cli][help]") {
    const std::vector<std::vector<std::string>> commands{
        {"status"}, {"migrate"}, {"failover"}, {"failback"}, {"maintenance"}, {"maintenance", "enable"},
        {"maintenance", "disable"}, {"suspend"}, {"resume"}, {"stop"}, {"fence"}, {"fence", "confirm"}, {"demote"},
        {"vm"}, {"vm", "stop"}, {"vm", "start"}, {"disable"}, {"enable"},
        {"license"}, {"licence"}, {"license", "status"}, {"license", "audit"}, {"boards"}, {"daemon"}, {"inventory"},
        {"policy"}, {"policy", "check"}};
    for (const auto& words : commands) {
        auto withHelp = words;
        withHelp.push_back("--help");
        INFO(withHelp.front() << (words.size() > 1 ? " " + words[1] : ""));
        const Ran help = runFaxover(withHelp);
        CHECK(help.status == 0);
        CHECK(help.err.empty());
        CHECK_THAT(help.out, Catch::Contains("faxover " + (words.front() == "licence" ? "license" : words.front())));
        auto asked = words;
        asked.insert(asked.begin(), "help");
        CHECK(runFaxover(asked).out == help.out);
        withHelp.back() = "-h";
        CHECK(runFaxover(withHelp).out == help.out);
    }
    CHECK_THAT(runFaxover({"migrate", "--help"}).out, Catch::Contains("Synopsis: faxover migrate SERVICE [HOST] [--yes]"));
    CHECK_THAT(runFaxover({"daemon", "--help"}).out, Catch::Contains("--hook-listen ADDRESS:PORT"));
}

TEST_CASE("a command named without what it needs shows its help, with exit status 2", "[cli][help]") {
    const Ran migrate = runFaxover({"migrate"});
    CHECK(migrate.status == 2);
    CHECK_THAT(migrate.err, Catch::StartsWith("faxover: usage: faxover migrate SERVICE [HOST] [--yes]\n") &&
                                Catch::Contains("the host to move it to"));
    const Ran license = runFaxover({"license"});
    CHECK(license.status == 2);
    CHECK_THAT(license.err, Catch::StartsWith("faxover: license takes status or audit\n") && Catch::Contains("audit"));
    const Ran unknown = runFaxover({"explode"});
    CHECK(unknown.status == 2);
    const Ran daemon = runFaxover({"daemon", "--polcy", "x"});
    CHECK(daemon.status == 2);
    CHECK_THAT(daemon.err, Catch::StartsWith("faxover daemon: unknown option '--polcy'\n"));
}

TEST_CASE("bash completion completes commands, and names from the running daemon", "[cli][completion]") {
    faxover::test::TempDir folder;
    FakeAdminApi fake;
    RunningServer running(fake, ApiEndpoint{ApiEndpoint::Transport::UnixSocket, folder.file("faxover.sock")});
    const std::string script = folder.file("faxover.bash");
    const Ran printed = runFaxover({"completion", "bash"});
    REQUIRE(printed.status == 0);
    std::ofstream(script) << printed.out;

    // Completes COMP_WORDS as bash would, with this build's faxover first on PATH.
    const auto complete = [&](const std::string& words, int current, const std::string& apiInEnvironment = "") {
        auto environment = boost::this_process::environment();
        environment["PATH"] = std::filesystem::path(FAXOVER_BINARY).parent_path().string() + ":" +
                              environment["PATH"].to_string();
        environment["FAXOVER_API"] = apiInEnvironment.empty() ? "unix:" + folder.file("faxover.sock") : apiInEnvironment;
        const Ran ran = runProgram(bp::search_path("bash").string(),
                                   {"-c", "source '" + script + "'; COMP_WORDS=(" + words + "); COMP_CWORD=" +
                                              std::to_string(current) + "; _faxover; echo \"${COMPREPLY[*]}\""},
                                   environment);
        return ran.out;
    };
    CHECK(complete("faxover mig", 1) == "migrate\n");
    CHECK(complete("faxover main", 1) == "maintenance\n");
    CHECK(complete("faxover maintenance e", 2) == "enable\n");
    CHECK(complete("faxover migrate ''", 2) == "fax-a fax-b\n");
    CHECK(complete("faxover migrate fax-a ''", 3) == "lab1 lab2\n");
    CHECK(complete("faxover --json failover fax-a l", 4) == "lab1 lab2\n");
    CHECK(complete("faxover fence confirm lab", 3) == "lab1 lab2\n");
    CHECK(complete("faxover license a", 2) == "audit\n");
    CHECK(complete("faxover status --js", 2) == "--json\n");
    CHECK(complete("faxover license audit --format c", 4) == "csv\n");
    // The line's own --api, in both spellings, wins over FAXOVER_API. Bash would split
    // 'unix:/PATH' at ':' in COMP_WORDS; the script reads COMP_LINE, as bash sets it.
    const auto completeLine = [&](const std::string& line) {
        auto environment = boost::this_process::environment();
        environment["PATH"] = std::filesystem::path(FAXOVER_BINARY).parent_path().string() + ":" +
                              environment["PATH"].to_string();
        environment["FAXOVER_API"] = "unix:" + folder.file("nobody.sock");
        return runProgram(bp::search_path("bash").string(),
                          {"-c", "source '" + script + "'; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; "
                                 "COMP_WORDS=(''); COMP_CWORD=0; _faxover; echo \"${COMPREPLY[*]}\""},
                          environment)
            .out;
    };
    CHECK(completeLine("faxover --api unix:" + folder.file("faxover.sock") + " migrate fax-a ") == "lab1 lab2\n");
    const std::string elsewhere = "unix:" + folder.file("nobody.sock");
    const std::string socket = "unix:" + folder.file("faxover.sock");
    CHECK(complete("faxover migrate ''", 2, elsewhere) == "\n");
    CHECK(complete("faxover --api " + socket + " migrate ''", 4, elsewhere) == "fax-a fax-b\n");
    CHECK(complete("faxover --api=" + socket + " suspend ''", 3, elsewhere) == "fax-a fax-b\n");
}
