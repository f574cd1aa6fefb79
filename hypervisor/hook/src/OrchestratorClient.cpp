#include "faxover/hook/OrchestratorClient.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <istream>

namespace faxover::hook {

namespace {

constexpr std::size_t kMaxBody = 1 << 20;  // a list of protected domains, not a download

Result<MayStartAnswer> ask(const std::string& base, const HookConfig& config, const std::string& domain,
                           const std::string& uuid) {
    Poco::URI uri(base + "/v1/hook/may-start");
    uri.addQueryParameter("host", config.host);
    uri.addQueryParameter("uuid", uuid);
    uri.addQueryParameter("name", domain);
    auto answer = exchange(uri.toString(), Poco::Net::HTTPRequest::HTTP_GET, "", config.timeout);
    if (!answer) return answer.error();
    return parseMayStartAnswer(answer.value().status, answer.value().body);
}

}  // namespace

Result<HttpAnswer> exchange(const std::string& url, const std::string& method, const std::string& body,
                            std::chrono::milliseconds timeout) {
    try {
        const Poco::URI uri(url);
        Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
        const Poco::Timespan span(std::chrono::duration_cast<std::chrono::microseconds>(timeout).count());
        session.setTimeout(span, span, span);
        Poco::Net::HTTPRequest request(method, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("User-Agent", "faxover-libvirt-hook");
        if (!body.empty()) {
            request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        HttpAnswer answer{static_cast<int>(response.getStatus()), ""};
        char chunk[4096];
        while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
            answer.body.append(chunk, static_cast<std::size_t>(in.gcount()));
            if (answer.body.size() > kMaxBody) return std::string("answered more than 1 MiB");
        }
        return answer;
    } catch (const Poco::TimeoutException&) {
        return "no answer within " + std::to_string(timeout.count()) + " ms";
    } catch (const Poco::Exception& error) {
        return error.displayText();
    } catch (const std::exception& error) {
        return std::string(error.what());
    }
}

Consultation askOrchestrators(const HookConfig& config, const std::string& domain, const std::string& uuid) {
    Consultation result;
    for (const auto& base : config.orchestrators) {
        auto answer = ask(base, config, domain, uuid);
        if (answer) return {answer.value(), base, ""};
        result.orchestrator += (result.orchestrator.empty() ? "" : ", ") + base;
        const std::string why = config.orchestrators.size() > 1 ? base + ": " + answer.error() : answer.error();
        result.failure += (result.failure.empty() ? "" : "; ") + why;
    }
    return result;
}

}  // namespace faxover::hook
