// ApiServer and ApiClient end to end, over a unix socket in a temporary folder and over loopback
// TCP with an ephemeral port, with a scripted AdminApi behind the server.
#include "api_server_support.h"
#include "api_test_support.h"
#include "HostileClients.h"
#include "faxover/orchestrator/api/ApiClient.h"
#include "faxover/orchestrator/api/ApiServer.h"
#include "faxover/orchestrator/api/Json.h"

#include <Poco/Net/ServerSocket.h>

#include <catch2/catch.hpp>

#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <random>
#include <thread>

using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;
using faxover::orchestrator::engine::AdminCommand;
using faxover::orchestrator::engine::Verb;
using faxover::orchestrator::engine::verbNamed;
using faxover::orchestrator::ErrorKind;

namespace {

ApiEndpoint unixEndpoint(const std::string& path) { return parseApiEndpoint("unix:" + path).value(); }

std::string myUserName() {
    const passwd* entry = ::getpwuid(::getuid());
    return entry != nullptr ? entry->pw_name : "uid:" + std::to_string(::getuid());
}

std::string commandBody(const std::string& verb, const std::string& service, const std::string& host = "") {
    return toJson(AdminCommand{verbNamed(verb).value(), service, host, ""});
}

}  // namespace

TEST_CASE("over a unix socket the client reads the status and sends commands", "[api][server]") {
    TempDir folder;
    FakeAdminApi fake;
    RunningServer running(fake, unixEndpoint(folder.file("run/faxover/faxover.sock")));
    ApiClient client(running.endpoint());

    auto status = client.status();
    REQUIRE(status);
    CHECK(status.value() == sampleStatus());

    auto reply = client.execute({Verb::Migrate, "fax-a", "lab2", ""});
    REQUIRE(reply);
    CHECK(reply.value() == fake.reply);
    REQUIRE(fake.received().size() == 1);
    CHECK(fake.received()[0] == AdminCommand{Verb::Migrate, "fax-a", "lab2", "admin:" + myUserName()});
}

TEST_CASE("the unix socket is created 0600 in a new folder and removed at stop", "[api][server]") {
    TempDir folder;
    const std::string path = folder.file("deep/er/faxover.sock");
    FakeAdminApi fake;
    ApiServer server(fake, unixEndpoint(path));
    REQUIRE(server.start());
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK(S_ISSOCK(info.st_mode));
    CHECK((info.st_mode & 0777) == 0600);
    server.stop();
    CHECK_FALSE(std::filesystem::exists(path));
    server.stop();  // idempotent
}

TEST_CASE("the actor comes from the peer's credentials, never from the request body", "[api][server]") {
    TempDir folder;
    FakeAdminApi fake;
    RunningServer running(fake, unixEndpoint(folder.file("faxover.sock")));
    ApiClient client(running.endpoint());
    REQUIRE(client.execute({Verb::Failover, "fax-a", "", "admin:mallory"}));
    const auto answer = rawRequest(running.endpoint(), "POST", "/v1/commands",
                                   R"({"verb":"stop","service":"fax-b","actor":"admin:mallory"})");
    CHECK(answer.status == 202);
    REQUIRE(fake.received().size() == 2);
    for (const auto& command : fake.received()) CHECK(command.actor == "admin:" + myUserName());
}

namespace {

// Runs `call` in a child process with the uid of `nobody`; true when the child's call succeeded.
bool succeedsAsNobody(const std::function<bool()>& call) {
    const pid_t child = ::fork();
    if (child == 0) {
        const passwd* nobody = ::getpwnam("nobody");
        const bool dropped = nobody != nullptr && ::setgid(nobody->pw_gid) == 0 && ::setuid(nobody->pw_uid) == 0;
        ::_exit(dropped && call() ? 0 : 1);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

TEST_CASE("another user cannot reach the 0600 socket, and is named by the kernel when allowed", "[api][server]") {
    if (::geteuid() != 0 || ::getpwnam("nobody") == nullptr) {
        WARN("needs root and a 'nobody' user to switch uid; checked only as the current user elsewhere");
        return;
    }
    TempDir folder;
    std::filesystem::permissions(folder.path(), std::filesystem::perms::all);  // let nobody into the folder
    FakeAdminApi fake;
    RunningServer running(fake, unixEndpoint(folder.file("faxover.sock")));
    const auto stopAsNobody = [&] { return bool(ApiClient(running.endpoint()).execute({Verb::Stop, "fax-a", "", "admin:root"})); };
    CHECK_FALSE(succeedsAsNobody(stopAsNobody));
    CHECK(fake.received().empty());
    // The daemon runs: the CLI says permission denied and who may use the socket, not "is it running?".
    const std::string denied = "permission denied on " + running.endpoint().path +
                               ": the daemon's socket may be used by root only; run faxover as that user (e.g. with sudo)";
    CHECK(succeedsAsNobody([&] {
        auto status = ApiClient(running.endpoint()).status();
        return !status && status.error().kind == ErrorKind::AccessDenied && status.error().message == denied;
    }));

    std::filesystem::permissions(running.endpoint().path, std::filesystem::perms::all);  // as an admin might, wrongly
    CHECK(succeedsAsNobody(stopAsNobody));
    REQUIRE(fake.received().size() == 1);
    CHECK(fake.received()[0].actor == "admin:nobody");
}

TEST_CASE("a stale socket file is replaced, a live one or a regular file is not", "[api][server]") {
    TempDir folder;
    const std::string path = folder.file("faxover.sock");
    FakeAdminApi fake;
    {
        // A socket file whose server is gone, as a killed daemon leaves it.
        Poco::Net::ServerSocket leftover;
        leftover.bind(Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, path));
        leftover.listen();
        leftover.close();
    }
    REQUIRE(std::filesystem::exists(path));
    RunningServer first(fake, unixEndpoint(path));
    CHECK(ApiClient(first.endpoint()).status());

    ApiServer second(fake, unixEndpoint(path));
    auto refused = second.start();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == ErrorKind::Refused);
    CHECK(ApiClient(first.endpoint()).status());  // the first server is undisturbed

    const std::string notSocket = folder.file("precious.txt");
    std::ofstream(notSocket) << "keep me";
    ApiServer third(fake, unixEndpoint(notSocket));
    auto notReplaced = third.start();
    REQUIRE_FALSE(notReplaced);
    CHECK(notReplaced.error().kind == ErrorKind::BadRequest);
    CHECK(std::filesystem::file_size(notSocket) == 7);
}

TEST_CASE("over loopback TCP the actor is the claimed user, marked tcp", "[api][server]") {
    FakeAdminApi fake;
    RunningServer running(fake, kLoopback);
    CHECK(running.endpoint().port != 0);
    ApiClient client(running.endpoint());
    client.setClaimedUserForTcp("ops");
    REQUIRE(client.status());
    REQUIRE(client.execute({Verb::MaintenanceEnable, "", "lab1", ""}));
    REQUIRE(fake.received().size() == 1);
    CHECK(fake.received()[0].actor == "tcp:admin:ops");

    CHECK(rawRequest(running.endpoint(), "POST", "/v1/commands", commandBody("stop", "fax-a")).status == 400);
    const auto forged = rawRequest(running.endpoint(), "POST", "/v1/commands", commandBody("stop", "fax-a"),
                                   {{"X-Faxover-User", "root admin:alice"}});
    CHECK(forged.status == 400);
    CHECK_THAT(forged.body, Catch::Contains("X-Faxover-User"));
    CHECK(fake.received().size() == 1);
}

TEST_CASE("the server refuses addresses that are not loopback", "[api][server]") {
    FakeAdminApi fake;
    for (const auto& address : {"tcp:0.0.0.0:0", "tcp:[::]:0", "tcp:192.0.2.1:7480"}) {
        INFO(address);
        ApiServer server(fake, parseApiEndpoint(address).value());
        auto started = server.start();
        REQUIRE_FALSE(started);
        CHECK(started.error().kind == ErrorKind::BadRequest);
        CHECK_THAT(started.error().message, Catch::Contains("not a loopback address"));
    }
}

TEST_CASE("the daemon's refusals reach the client with their kind and HTTP status", "[api][server]") {
    TempDir folder;
    FakeAdminApi fake;
    RunningServer running(fake, unixEndpoint(folder.file("faxover.sock")));
    ApiClient client(running.endpoint());
    struct Case {
        ErrorKind kind;
        int httpStatus;
    };
    for (const auto& each : {Case{ErrorKind::BadRequest, 400}, Case{ErrorKind::Refused, 409},
                             Case{ErrorKind::StoreFailed, 503}, Case{ErrorKind::Busy, 429},
                             Case{ErrorKind::Internal, 500}}) {
        fake.executeError = faxover::orchestrator::Error{each.kind, "fax-a is already migrating to lab2"};
        auto refused = client.execute({Verb::Migrate, "fax-a", "", ""});
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == each.kind);
        CHECK(refused.error().message == "fax-a is already migrating to lab2");
        const auto raw = rawRequest(running.endpoint(), "POST", "/v1/commands", commandBody("migrate", "fax-a"));
        CHECK(raw.status == each.httpStatus);
        CHECK(errorFromJson(raw.body).value().error.kind == each.kind);
    }
    fake.statusError = faxover::orchestrator::Error{ErrorKind::Internal, "store unreadable"};
    CHECK(rawRequest(running.endpoint(), "GET", "/v1/status").status == 500);
    CHECK(client.status().error().message == "store unreadable");
}

TEST_CASE("bad requests get 400, 404, 405 or 413 and never reach the AdminApi", "[api][server]") {
    TempDir folder;
    FakeAdminApi fake;
    RunningServer running(fake, unixEndpoint(folder.file("faxover.sock")));
    const ApiEndpoint endpoint = running.endpoint();

    CHECK(rawRequest(endpoint, "GET", "/v1/statuses").status == 404);
    CHECK(rawRequest(endpoint, "GET", "/").status == 404);
    const auto wrongMethod = rawRequest(endpoint, "GET", "/v1/commands");
    CHECK(wrongMethod.status == 405);
    CHECK(wrongMethod.allow == "POST");
    CHECK(rawRequest(endpoint, "POST", "/v1/status", "{}").allow == "GET");
    CHECK(rawRequest(endpoint, "DELETE", "/v1/status").status == 405);
    CHECK(rawRequest(endpoint, "GET", "/v1/status?verbose=1").status == 200);

    const auto malformed = rawRequest(endpoint, "POST", "/v1/commands", R"({"verb":"migrate","service":)");
    CHECK(malformed.status == 400);
    CHECK_THAT(errorFromJson(malformed.body).value().error.message, Catch::Contains("malformed JSON"));
    const auto wrongType = rawRequest(endpoint, "POST", "/v1/commands", R"({"verb":"migrate","service":["fax-a"]})");
    CHECK(wrongType.status == 400);
    CHECK_THAT(wrongType.body, Catch::Contains("service: expected a string"));
    const auto missing = rawRequest(endpoint, "POST", "/v1/commands", R"({"verb":"failover"})");
    CHECK(missing.status == 400);
    CHECK_THAT(missing.body, Catch::Contains("failover needs a service"));
    CHECK(rawRequest(endpoint, "POST", "/v1/commands").status == 411);  // no Content-Length: not waited for
    CHECK(rawRequest(endpoint, "POST", "/v1/commands", "", {{"Content-Length", "0"}}).status == 400);

    const std::string oversized = R"({"verb":"stop","service":")" + std::string(70 * 1024, 'x') + R"("})";
    CHECK(rawRequest(endpoint, "POST", "/v1/commands", oversized).status == 413);
    CHECK(rawRequest(endpoint, "POST", "/v1/commands", oversized, {}, true).status == 413);
    const std::string justFits = R"({"verb":"stop","service":")" + std::string(kMaxRequestBody - 100, 'x') + R"("})";
    CHECK(rawRequest(endpoint, "POST", "/v1/commands", justFits).status == 202);

    REQUIRE(fake.received().size() == 1);
    CHECK(fake.received()[0].service.size() == kMaxRequestBody - 100);
}

TEST_CASE("garbage on the socket does not hurt the server", "[api][server]") {
    TempDir folder;
    FakeAdminApi fake;
    RunningServer running(fake, unixEndpoint(folder.file("faxover.sock")));
    std::mt19937 random(99);
    for (int attempt = 0; attempt < 20; ++attempt) {
        Poco::Net::StreamSocket socket(socketAddressOf(running.endpoint()));
        std::string junk(512, '\0');
        for (auto& byte : junk) byte = static_cast<char>(random() % 256);
        if (attempt % 2 == 0) junk = "GET /v1/status HTTP/1.1\r\nContent-Length: -5\r\n" + junk;
        socket.sendBytes(junk.data(), static_cast<int>(junk.size()));
        socket.shutdownSend();
        socket.setReceiveTimeout(Poco::Timespan(5, 0));
        char answer[256];
        try {
            while (socket.receiveBytes(answer, sizeof answer) > 0) {
            }
        } catch (const Poco::Exception&) {
            // A reset is a fine answer to garbage.
        }
    }
    CHECK(ApiClient(running.endpoint()).status());
}

TEST_CASE("concurrent clients are all served", "[api][server]") {
    FakeAdminApi fake;
    RunningServer running(fake, kLoopback);
    constexpr int kClients = 8;
    constexpr int kRequestsEach = 20;
    std::atomic<int> failures{0};
    std::vector<std::thread> clients;
    for (int index = 0; index < kClients; ++index) {
        clients.emplace_back([&, index] {
            ApiClient client(running.endpoint());
            client.setClaimedUserForTcp("client" + std::to_string(index));
            for (int request = 0; request < kRequestsEach; ++request) {
                const bool ok = request % 2 == 0 ? bool(client.status())
                                                 : bool(client.execute({Verb::Suspend, "fax-" + std::to_string(index), "", ""}));
                if (!ok) ++failures;
            }
        });
    }
    for (auto& client : clients) client.join();
    CHECK(failures == 0);
    CHECK(fake.received().size() == kClients * kRequestsEach / 2);
    CHECK(fake.statusCalls() == kClients * kRequestsEach / 2);
}

TEST_CASE("no daemon reads as DaemonUnreachable naming the address", "[api][server]") {
    TempDir folder;
    const ApiEndpoint nowhere = unixEndpoint(folder.file("nobody.sock"));
    auto unix = ApiClient(nowhere).status();
    REQUIRE_FALSE(unix);
    CHECK(unix.error().kind == ErrorKind::DaemonUnreachable);
    CHECK_THAT(unix.error().message, Catch::Contains(nowhere.toString()) && Catch::Contains("daemon is not answering at") && Catch::Contains("is `faxover daemon` running?"));

    ApiEndpoint closedPort;
    {
        FakeAdminApi fake;
        RunningServer gone(fake, kLoopback);
        closedPort = gone.endpoint();
    }
    auto tcp = ApiClient(closedPort).execute({Verb::Stop, "fax-a", "", ""});
    REQUIRE_FALSE(tcp);
    CHECK(tcp.error().kind == ErrorKind::DaemonUnreachable);
    CHECK_THAT(tcp.error().message, Catch::Contains(closedPort.toString()));
}

TEST_CASE("a daemon that does not answer in time reads as DaemonUnreachable", "[api][server]") {
    TempDir folder;
    FakeAdminApi fake;
    fake.executeDelay = std::chrono::milliseconds(800);
    RunningServer running(fake, unixEndpoint(folder.file("faxover.sock")));
    ApiClient client(running.endpoint(), ApiClientTimeouts{std::chrono::milliseconds(500), std::chrono::milliseconds(200)});
    auto late = client.execute({Verb::Stop, "fax-a", "", ""});
    REQUIRE_FALSE(late);
    CHECK(late.error().kind == ErrorKind::DaemonUnreachable);
}

TEST_CASE("stop returns promptly with idle connections open", "[api][server]") {
    TempDir folder;
    FakeAdminApi fake;
    ApiServer server(fake, unixEndpoint(folder.file("faxover.sock")));
    REQUIRE(server.start());
    std::vector<Poco::Net::StreamSocket> idle;
    for (int index = 0; index < 6; ++index) idle.emplace_back(socketAddressOf(server.boundEndpoint()));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto before = std::chrono::steady_clock::now();
    server.stop();
    CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(2));
}


TEST_CASE("slow clients hold neither the hook listener nor its workers: a deadline per request, a limit per client", "[api][server][hostile]") {
    FakeAdminApi fake;
    fake.permission = StartPermission{true, "it runs on h1", {"fax-a"}};
    RunningServer running(fake, kLoopback, ApiRole::Hook);
    const ApiEndpoint endpoint = running.endpoint();

    // 200 slow connections from one address (127.0.0.1): it gets 8, the rest are answered 429 at once.
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::unique_ptr<faxover::hostile::TricklingClient>> attackers;
    for (int i = 0; i < 200; ++i) attackers.push_back(std::make_unique<faxover::hostile::TricklingClient>(socketAddressOf(endpoint), "127.0.0.1"));
    int held = 0;
    std::vector<std::chrono::milliseconds> answeredIn;
    while (std::chrono::steady_clock::now() - started < std::chrono::seconds(12)) {
        held = 0;
        for (auto& attacker : attackers)
            if (attacker && attacker->trickle()) ++held; else attacker.reset();
        // Another host (127.0.0.2) asks meanwhile, and is answered as fast as ever.
        const auto before = std::chrono::steady_clock::now();
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress::IPv4);
        socket.impl()->bind(Poco::Net::SocketAddress("127.0.0.2", 0), true);
        socket.connect(socketAddressOf(endpoint));
        Poco::Net::HTTPClientSession session(socket);
        Poco::Net::HTTPRequest request("GET", "/v1/hook/may-start?host=h2&name=fax-a", "HTTP/1.1");
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::string body;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
        CHECK(response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK);
        answeredIn.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - before));
        if (held == 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(900));
    }
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(held == 0);  // every slow request was cut off at its deadline (10 s)
    CHECK(took < std::chrono::seconds(12));
    CHECK(took > std::chrono::seconds(9));
    REQUIRE(answeredIn.size() >= 5);
    CHECK(*std::max_element(answeredIn.begin(), answeredIn.end()) < std::chrono::milliseconds(1000));
}

TEST_CASE("a request with an impossible length or none is answered at once, not dropped or waited for", "[api][server][hostile]") {
    TempDir folder;
    FakeAdminApi fake;
    RunningServer running(fake, unixEndpoint(folder.file("faxover.sock")));
    const auto answerTo = [&](const std::string& head) {
        return faxover::hostile::rawExchange(socketAddressOf(running.endpoint()), "", head);
    };
    const auto before = std::chrono::steady_clock::now();
    const std::string huge = answerTo("POST /v1/commands HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616\r\n\r\n");
    CHECK_THAT(huge, Catch::StartsWith("HTTP/1.0 400") && Catch::Contains("malformed request header"));
    const std::string none = answerTo("POST /v1/commands HTTP/1.1\r\nHost: x\r\n\r\n{\"verb\":");
    CHECK_THAT(none, Catch::StartsWith("HTTP/1.1 411") && Catch::Contains("needs Content-Length"));
    CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(2));
    CHECK(fake.received().empty());
}

TEST_CASE("over TCP the admin API answers only requests addressed to loopback (no DNS rebinding)", "[api][server][hostile]") {
    FakeAdminApi fake;
    RunningServer running(fake, kLoopback);
    const std::map<std::string, std::string> user{{"X-Faxover-User", "ops"}};
    for (const std::string host : {"localhost", "localhost:7480", "127.0.0.1:7480", "[::1]:7480", "127.0.0.2"}) {
        auto headers = user;
        headers["Host"] = host;
        CHECK(rawRequest(running.endpoint(), "GET", "/v1/status", "", headers).status == 200);
    }
    for (const std::string host : {"attacker.example", "attacker.example:7480", "10.0.0.1:7480", "localhost.attacker.example"}) {
        auto headers = user;
        headers["Host"] = host;
        const auto refused = rawRequest(running.endpoint(), "GET", "/v1/status", "", headers);
        CHECK(refused.status == 421);
        CHECK_THAT(errorMessage(refused), Catch::StartsWith("Host '" + host + "' is not a loopback name or address"));
    }
    CHECK(fake.statusCalls() == 5);
}
