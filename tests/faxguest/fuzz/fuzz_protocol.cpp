// libFuzzer harness for the guest agent's protocol parser (clang only: `make fuzz-faxguest`).
// Every input must be parsed or refused without a crash or a sanitizer report; a line that parses
// must encode to a line that parses again and encodes the same; the line reader must never hand
// out more than its limit.
#include "faxover/faxguest/Protocol.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace faxover::faxguest;

namespace {

std::string encode(const Message& message) {
    return std::visit([](const auto& m) { return encodeLine(m); }, message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const ParseResult parsed = parseLine(input);
    if (parsed.has_value()) {
        const std::string once = encode(parsed.value());
        const ParseResult again = parseLine(once);
        if (!again.has_value() || encode(again.value()) != once) std::abort();
    } else if (parsed.error().message.empty()) {
        std::abort();
    }
    LineReader reader(256);
    for (const LineReader::Item& item : reader.feed(input)) {
        if (item.line.size() > 256) std::abort();
    }
    return 0;
}
