#include "read/Syntax.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <array>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace faxover::policy::read {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isHexDigit(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool allOf(std::string_view text, bool (*predicate)(char)) {
    for (char c : text) {
        if (!predicate(c)) return false;
    }
    return true;
}

// Exactly `count` decimal digits.
std::optional<int> fixedDigits(std::string_view text, std::size_t count) {
    if (text.size() != count || !allOf(text, isDigit)) return std::nullopt;
    int value = 0;
    for (char c : text) value = value * 10 + (c - '0');
    return value;
}

std::optional<unsigned> hexNumber(std::string_view text, std::size_t maxDigits) {
    if (text.empty() || text.size() > maxDigits || !allOf(text, isHexDigit)) return std::nullopt;
    unsigned value = 0;
    for (char c : text) value = value * 16 + static_cast<unsigned>(isDigit(c) ? c - '0' : lower(c) - 'a' + 10);
    return value;
}

// Zero-padded to `width` digits (times and dates). Streams, not snprintf: g++ -O2 cannot prove
// a fixed buffer is wide enough for every long and fails the build under -Werror.
std::string padded(long value, int width) {
    std::ostringstream text;
    text << std::setw(width) << std::setfill('0') << value;
    return text.str();
}

std::string twoDigits(long value) { return padded(value, 2); }

}  // namespace

bool isName(std::string_view text) {
    if (text.empty() || text.size() > 63) return false;
    if (!isAlpha(text.front()) && !isDigit(text.front())) return false;
    for (char c : text) {
        if (!isAlpha(c) && !isDigit(c) && c != '.' && c != '_' && c != '-') return false;
    }
    return true;
}

namespace {

// The port libvirt's client uses when the URI names none.
int defaultPort(std::string_view transport) {
    if (transport == "tcp") return 16509;
    if (transport == "tls") return 16514;
    if (transport == "ssh" || transport == "libssh" || transport == "libssh2") return 22;
    return 0;
}

bool isTransport(std::string_view transport) {
    for (std::string_view known : {"", "tcp", "tls", "ssh", "libssh", "libssh2", "unix", "ext"})
        if (transport == known) return true;
    return false;
}

}  // namespace

std::string lowered(std::string text) {
    for (char& c : text) c = lower(c);
    return text;
}

LibvirtUriReading parseLibvirtUri(std::string_view text) {
    const auto separator = text.find("://");
    if (separator == std::string_view::npos || separator == 0) return {};
    for (char c : text) {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return {};
    }
    LibvirtUri uri;
    uri.scheme = std::string(text.substr(0, separator));
    if (!isAlpha(uri.scheme.front())) return {};
    for (char c : uri.scheme) {
        if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') return {};
    }
    Poco::URI parsed;
    try {
        parsed = Poco::URI(std::string(text));
    } catch (const Poco::SyntaxException& error) {
        // Poco says "bad or invalid port number: 99999".
        const std::string said = error.message();
        if (said.find("port") != std::string::npos && said.rfind(": ") != std::string::npos)
            return {std::nullopt, "port " + said.substr(said.rfind(": ") + 2) + " is not a TCP port (1 to 65535)"};
        return {std::nullopt, error.displayText()};
    }
    const std::string scheme = lowered(uri.scheme);
    if (scheme == "http" || scheme == "https")
        return {std::nullopt, "this is a web address (a management web interface?), not the address of libvirtd"};
    const auto plus = scheme.find('+');
    const std::string driver = scheme.substr(0, plus);
    const std::string transport = plus == std::string::npos ? "" : scheme.substr(plus + 1);
    if (driver != "qemu" && driver != "test")
        return {std::nullopt, "Faxover drives QEMU/KVM virtual machines: the driver must be qemu, not '" + driver + "'"};
    if (!isTransport(transport))
        return {std::nullopt, "'" + transport + "' is not a libvirt transport (tcp, tls, ssh, libssh, libssh2, unix, ext)"};
    const std::string_view rest = text.substr(separator + 3);
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return {};  // libvirt needs a path: /system, /default, ...
    uri.authority = std::string(rest.substr(0, slash));
    uri.path = parsed.getPath();
    const int port = parsed.getSpecifiedPort() != 0 ? parsed.getSpecifiedPort() : defaultPort(transport);
    const std::string host = lowered(uri.host());
    uri.identity = scheme + "://" + host + (host.empty() || port == 0 ? "" : ":" + std::to_string(port)) + uri.path;
    return {uri, ""};
}

std::string LibvirtUri::host() const {
    std::string_view rest = authority;
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
    // A port follows the last ':' outside an IPv6 literal's brackets.
    const auto closingBracket = rest.rfind(']');
    const auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && (closingBracket == std::string_view::npos || colon > closingBracket)) {
        rest = rest.substr(0, colon);
    }
    return std::string(rest);
}

bool isNetworkAddress(std::string_view text) {
    if (text.empty() || text.size() > 253) return false;
    if (text.front() == '[') {  // IPv6: [fd00::11]
        if (text.back() != ']' || text.size() < 4) return false;
        for (char c : text.substr(1, text.size() - 2)) {
            if (!isHexDigit(c) && c != ':' && c != '.') return false;
        }
        return true;
    }
    if (text.front() == '.' || text.front() == '-' || text.back() == '.') return false;
    for (char c : text) {
        if (!isAlpha(c) && !isDigit(c) && c != '.' && c != '-') return false;
    }
    return true;
}

std::optional<std::string> parsePciAddress(std::string_view text) {
    // DDDD:BB:SS.F, or BB:SS.F meaning domain 0000.
    std::string_view domain = "0000";
    if (text.size() == 12) {
        if (text[4] != ':') return std::nullopt;
        domain = text.substr(0, 4);
        text = text.substr(5);
    }
    if (text.size() != 7 || text[2] != ':' || text[5] != '.') return std::nullopt;
    auto domainValue = hexNumber(domain, 4);
    auto bus = hexNumber(text.substr(0, 2), 2);
    auto slot = hexNumber(text.substr(3, 2), 2);
    auto function = hexNumber(text.substr(6, 1), 1);
    if (!domainValue || !bus || !slot || !function || *slot > 0x1f || *function > 7) return std::nullopt;
    std::array<char, 16> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%04x:%02x:%02x.%x", *domainValue, *bus, *slot, *function);
    return std::string(buffer.data());
}

std::optional<std::uint16_t> parsePciId(std::string_view text) {
    if (text.size() < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return std::nullopt;
    auto value = hexNumber(text.substr(2), 4);
    if (!value) return std::nullopt;
    return static_cast<std::uint16_t>(*value);
}

std::string formatPciId(std::uint16_t id) {
    std::array<char, 8> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "0x%04x", static_cast<unsigned>(id));
    return buffer.data();
}

std::optional<std::string> parseUuid(std::string_view text) {
    static constexpr std::array<std::size_t, 5> kGroups{8, 4, 4, 4, 12};
    if (text.size() != 36) return std::nullopt;
    std::string canonical;
    std::size_t position = 0;
    for (std::size_t group = 0; group < kGroups.size(); ++group) {
        if (group > 0) {
            if (text[position] != '-') return std::nullopt;
            canonical += '-';
            ++position;
        }
        for (std::size_t i = 0; i < kGroups[group]; ++i, ++position) {
            if (!isHexDigit(text[position])) return std::nullopt;
            canonical += lower(text[position]);
        }
    }
    return canonical;
}

std::optional<std::chrono::minutes> parseTimeOfDay(std::string_view text, bool allowMidnightEnd) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    auto hours = fixedDigits(text.substr(0, 2), 2);
    auto minutes = fixedDigits(text.substr(3, 2), 2);
    if (!hours || !minutes || *minutes > 59) return std::nullopt;
    if (*hours == 24 && *minutes == 0 && allowMidnightEnd) return std::chrono::minutes(24 * 60);
    if (*hours > 23) return std::nullopt;
    return std::chrono::minutes(*hours * 60 + *minutes);
}

std::string formatTimeOfDay(std::chrono::minutes sinceMidnight) {
    const long total = static_cast<long>(sinceMidnight.count());
    return twoDigits(total / 60) + ":" + twoDigits(total % 60);
}

std::optional<std::chrono::minutes> parseUtcOffset(std::string_view text) {
    if (text.size() != 6 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
    auto magnitude = parseTimeOfDay(text.substr(1), false);
    if (!magnitude || *magnitude > std::chrono::hours(14)) return std::nullopt;
    return text[0] == '-' ? -*magnitude : *magnitude;
}

std::string formatUtcOffset(std::chrono::minutes offset) {
    const char sign = offset < std::chrono::minutes(0) ? '-' : '+';
    return sign + formatTimeOfDay(offset < std::chrono::minutes(0) ? -offset : offset);
}

std::optional<std::chrono::sys_seconds> parseTimestamp(std::string_view text) {
    // YYYY-MM-DDTHH:MM then optional :SS then Z or an offset.
    if (text.size() < 17 || text[4] != '-' || text[7] != '-' || text[10] != 'T') return std::nullopt;
    auto year = fixedDigits(text.substr(0, 4), 4);
    auto month = fixedDigits(text.substr(5, 2), 2);
    auto day = fixedDigits(text.substr(8, 2), 2);
    auto timeOfDay = parseTimeOfDay(text.substr(11, 5), false);
    if (!year || !month || !day || !timeOfDay) return std::nullopt;
    std::string_view rest = text.substr(16);
    int seconds = 0;
    if (rest.size() >= 3 && rest[0] == ':') {
        auto parsed = fixedDigits(rest.substr(1, 2), 2);
        if (!parsed || *parsed > 59) return std::nullopt;  // no leap seconds: nobody schedules in one
        seconds = *parsed;
        rest = rest.substr(3);
    }
    std::chrono::minutes offset{0};
    if (rest != "Z") {
        auto parsedOffset = parseUtcOffset(rest);
        if (!parsedOffset) return std::nullopt;
        offset = *parsedOffset;
    }
    const std::chrono::year_month_day date{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                                           std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok()) return std::nullopt;
    const std::chrono::sys_seconds instant = std::chrono::sys_days(date) + *timeOfDay + std::chrono::seconds(seconds) - offset;
    if (instant < std::chrono::sys_seconds{}) return std::nullopt;  // before 1970: a typo, never a plan
    return instant;
}

std::string calendarMistake(std::string_view text) {
    if (text.size() < 10 || text[4] != '-' || text[7] != '-') return "";
    auto year = fixedDigits(text.substr(0, 4), 4);
    auto month = fixedDigits(text.substr(5, 2), 2);
    auto day = fixedDigits(text.substr(8, 2), 2);
    if (!year || !month || !day) return "";
    const std::string date(text.substr(0, 10));
    if (*month < 1 || *month > 12) return date + " is not a date: there is no month " + twoDigits(*month);
    static constexpr std::array<const char*, 12> kMonths{"January", "February", "March",     "April",   "May",      "June",
                                                         "July",    "August",   "September", "October", "November", "December"};
    const std::chrono::year_month_day_last last{std::chrono::year(*year) / std::chrono::month(static_cast<unsigned>(*month)) /
                                                std::chrono::last};
    const auto days = static_cast<int>(static_cast<unsigned>(last.day()));
    if (*day < 1 || *day > days)
        return date + " is not a date: " + kMonths[static_cast<std::size_t>(*month - 1)] + " " + std::to_string(*year) +
               " has " + std::to_string(days) + " days";
    return "";
}

std::string formatTimestamp(std::chrono::sys_seconds instant) {
    const auto days = std::chrono::floor<std::chrono::days>(instant);
    const std::chrono::year_month_day date{days};
    const long secondsOfDay = static_cast<long>((instant - days).count());
    return padded(static_cast<int>(date.year()), 4) + "-" + twoDigits(static_cast<unsigned>(date.month())) + "-" +
           twoDigits(static_cast<unsigned>(date.day())) + "T" + twoDigits(secondsOfDay / 3600) + ":" +
           twoDigits(secondsOfDay / 60 % 60) + ":" + twoDigits(secondsOfDay % 60) + "Z";
}

namespace {

struct SizeUnit {
    std::string_view suffix{};
    std::uint64_t mebibytes = 0;
};
constexpr std::array<SizeUnit, 3> kSizeUnits{{{"TiB", 1024 * 1024}, {"GiB", 1024}, {"MiB", 1}}};

}  // namespace

std::optional<std::uint64_t> parseMemorySize(std::string_view text) {
    for (const SizeUnit& unit : kSizeUnits) {
        if (text.size() <= unit.suffix.size() || !text.ends_with(unit.suffix)) continue;
        const std::string_view digits = text.substr(0, text.size() - unit.suffix.size());
        if (digits.size() > 9 || !allOf(digits, isDigit)) return std::nullopt;  // 9 digits: no overflow
        std::uint64_t value = 0;
        for (char c : digits) value = value * 10 + static_cast<std::uint64_t>(c - '0');
        return value * unit.mebibytes;
    }
    return std::nullopt;
}

std::string formatMemorySize(std::uint64_t mebibytes) {
    for (const SizeUnit& unit : kSizeUnits) {
        if (mebibytes != 0 && mebibytes % unit.mebibytes == 0) {
            return std::to_string(mebibytes / unit.mebibytes) + std::string(unit.suffix);
        }
    }
    return std::to_string(mebibytes) + "MiB";
}

bool isAbsolutePath(std::string_view text) {
    if (text.empty() || text.front() != '/') return false;
    for (char c : text) {
        if (static_cast<unsigned char>(c) < ' ' || c == 0x7f) return false;
    }
    return true;
}

}  // namespace faxover::policy::read
