#include "faxover/hook/Answer.h"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace faxover::hook {

namespace {

// The first line of an error body, short enough for one log line.
std::string firstLine(const std::string& body) {
    std::string line = body.substr(0, body.find('\n'));
    if (line.size() > 200) line = line.substr(0, 200) + "...";
    return line;
}

}  // namespace

Result<MayStartAnswer> parseMayStartAnswer(int httpStatus, const std::string& body) {
    if (httpStatus != 200) return "answered HTTP " + std::to_string(httpStatus) + ": " + firstLine(body);
    Poco::JSON::Object::Ptr object;
    try {
        object = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& error) {
        return "answered something that is not a JSON object: " + error.displayText();
    } catch (const std::exception&) {
        return std::string("answered something that is not a JSON object");
    }
    if (object.isNull()) return std::string("answered something that is not a JSON object");
    MayStartAnswer answer;
    const auto allowed = object->get("allowed");
    if (!allowed.isBoolean()) return std::string("answer has no boolean \"allowed\"");
    answer.allowed = allowed.extract<bool>();
    const auto reason = object->get("reason");
    if (!reason.isString()) return std::string("answer has no string \"reason\"");
    answer.reason = reason.extract<std::string>();
    // One line: libvirt prints it, and it goes into the log as one line.
    for (char& c : answer.reason)
        if (c == '\n' || c == '\r') c = ' ';
    auto list = object->getArray("protected");
    if (list.isNull()) return std::string("answer has no array \"protected\"");
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto item = list->get(static_cast<unsigned>(i));
        if (!item.isString()) return std::string("answer's \"protected\" holds something that is not a string");
        const std::string domain = item.extract<std::string>();
        // One a line in the cache file: a name may hold spaces, never a line break.
        if (domain.empty() || domain.find_first_of("\r\n") != std::string::npos)
            return "answer's \"protected\" holds an invalid name '" + domain + "'";
        answer.protectedDomains.push_back(domain);
    }
    return answer;
}

}  // namespace faxover::hook
