#pragma once
// The small grammars of the policy format, as pure functions: each returns the value (canonical
// where there is more than one spelling) or nothing. The writer uses the format* functions, so
// what it writes is what these accept.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faxover::policy::read {

// Names of hosts, services, sites, windows, licences, board models, trunk groups:
// a letter or digit, then letters, digits, '.', '_' or '-'; 63 characters at most.
bool isName(std::string_view text);
inline constexpr std::string_view kNameGrammar =
    "a name (letters, digits, '.', '_', '-'; starting with a letter or digit; at most 63 characters)";

// A libvirt URI as far as Faxover needs to know it: DRIVER[+TRANSPORT]://[USER@][HOST[:PORT]]/PATH[?QUERY],
// DRIVER qemu (or libvirt's test driver), read as RFC 3986 by Poco::URI.
struct LibvirtUri {
    std::string scheme{};     // e.g. qemu+tcp
    std::string authority{};  // e.g. root@10.0.0.11:16509; empty for a local URI
    std::string path{};       // e.g. /system
    bool remote() const { return !authority.empty(); }
    // The authority without USER@ and :PORT: "root@[fd00::11]:16509" -> "[fd00::11]".
    std::string host() const;
    // One spelling per libvirt host, to find two entries for it: scheme and host in lower case, the
    // transport's default port written out ("QEMU+TCP://HV1/system" -> "qemu+tcp://hv1:16509/system").
    std::string identity{};
};
// The URI, or why it is not one Faxover can use ("port 99999 is not a TCP port (1 to 65535)").
struct LibvirtUriReading {
    std::optional<LibvirtUri> uri{};
    std::string problem{};  // "" when it is simply not shaped like a URI
};
LibvirtUriReading parseLibvirtUri(std::string_view text);

// `text` with ASCII letters in lower case (host names and addresses compare without case).
std::string lowered(std::string text);

// A host name, IPv4 address or bracketed IPv6 address, with no scheme, path or port.
bool isNetworkAddress(std::string_view text);

// "0000:03:00.0" (or "03:00.0", domain 0) -> "0000:03:00.0", lower-case.
std::optional<std::string> parsePciAddress(std::string_view text);
// "0x12e4" -> 0x12e4: 0x and one to four hex digits.
std::optional<std::uint16_t> parsePciId(std::string_view text);
std::string formatPciId(std::uint16_t id);

// 8-4-4-4-12 hex digits -> lower-case.
std::optional<std::string> parseUuid(std::string_view text);

// "HH:MM", 00:00 to 23:59, and 24:00 when allowMidnightEnd.
std::optional<std::chrono::minutes> parseTimeOfDay(std::string_view text, bool allowMidnightEnd);
std::string formatTimeOfDay(std::chrono::minutes sinceMidnight);
// "+HH:MM" or "-HH:MM", at most 14:00 either way.
std::optional<std::chrono::minutes> parseUtcOffset(std::string_view text);
std::string formatUtcOffset(std::chrono::minutes offset);

// ISO 8601 / RFC 3339 instant with an explicit offset: YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|-HH:MM).
std::optional<std::chrono::sys_seconds> parseTimestamp(std::string_view text);
// For a timestamp parseTimestamp refuses although it is shaped like one: the calendar's reason
// ("2027-02-30 is not a date: February 2027 has 28 days"); "" otherwise.
std::string calendarMistake(std::string_view text);
std::string formatTimestamp(std::chrono::sys_seconds instant);  // always UTC, "...Z"

// "512MiB", "64GiB", "2TiB" -> MiB. Binary units only: memory is counted in them.
std::optional<std::uint64_t> parseMemorySize(std::string_view text);
std::string formatMemorySize(std::uint64_t mebibytes);

// Starts with '/', no control characters.
bool isAbsolutePath(std::string_view text);

}  // namespace faxover::policy::read
