#include "read/TextCheck.h"

#include <array>
#include <cstdio>

namespace faxover::policy::read {

namespace {

std::string hexByte(unsigned char byte) {
    std::array<char, 8> text{};
    std::snprintf(text.data(), text.size(), "0x%02X", static_cast<unsigned>(byte));
    return text.data();
}

// How many bytes the UTF-8 sequence starting at `at` has, or 0 when it is not valid UTF-8
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8Length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the second byte's range
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return 0;
    }
    if (at + length > text.size()) return 0;
    if (byte(at + 1) < low || byte(at + 1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) return 0;
    return length;
}

bool isControl(unsigned char byte) { return (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F; }

// The character a Latin-1 (or Windows-1252) editor meant by this byte, as UTF-8.
std::string asLatin1(unsigned char byte) {
    return std::string{static_cast<char>(0xC0 | (byte >> 6)), static_cast<char>(0x80 | (byte & 0x3F))};
}

}  // namespace

bool checkIsText(Diagnostics& diagnostics, std::string_view text) {
    SourcePosition position{1, 1};
    for (std::size_t at = 0; at < text.size();) {
        const auto byte = static_cast<unsigned char>(text[at]);
        if (isControl(byte)) {
            diagnostics.report(position, "",
                               "expected UTF-8 text; found byte " + hexByte(byte) +
                                   ", a control character: this is not a text file (is it the policy?)",
                               PolicyErrorKind::YamlSyntax);
            return false;
        }
        const std::size_t length = utf8Length(text, at);
        if (length == 0) {
            diagnostics.report(position, "",
                               "expected UTF-8 text; found byte " + hexByte(byte) + ", which is not UTF-8" +
                                   (byte >= 0xA0 ? " (a Latin-1 or Windows-1252 '" + asLatin1(byte) + "'?)" : "") +
                                   ": save the file as UTF-8",
                               PolicyErrorKind::YamlSyntax);
            return false;
        }
        if (byte == '\n') {
            ++position.line;
            position.column = 1;
        } else {
            ++position.column;
        }
        at += length;
    }
    return true;
}

}  // namespace faxover::policy::read
