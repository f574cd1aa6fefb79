// ISO 8601 UTC with milliseconds, by the C++20 calendar: no time zone database, no locale, and a
// strict shape on the way in, since only Faxover writes these strings.
#include "faxover/orchestrator/api/Json.h"

#include <cctype>
#include <iomanip>
#include <sstream>

namespace faxover::orchestrator::api {

namespace {

using namespace std::chrono;

constexpr std::string_view kShape = "0000-00-00T00:00:00.000Z";  // '0' marks a digit

Error badTime(std::string_view text) {
    return Error{ErrorKind::BadRequest,
                     "expected an ISO 8601 UTC time like 2024-05-01T12:03:04.123Z, got '" + std::string(text) + "'"};
}

int digitsAt(std::string_view text, std::size_t position, std::size_t count) {
    int value = 0;
    for (std::size_t i = position; i < position + count; ++i) value = value * 10 + (text[i] - '0');
    return value;
}

bool hasShape(std::string_view text) {
    if (text.size() != kShape.size()) return false;
    for (std::size_t i = 0; i < kShape.size(); ++i) {
        const bool digit = std::isdigit(static_cast<unsigned char>(text[i])) != 0;
        if (kShape[i] == '0' ? !digit : text[i] != kShape[i]) return false;
    }
    return true;
}

}  // namespace

std::string toIsoUtc(WallTime time) {
    const auto millis = floor<milliseconds>(time);
    const auto day = floor<days>(millis);
    const year_month_day date{day};
    const hh_mm_ss clock{millis - day};
    std::ostringstream text;
    text << std::setfill('0') << std::setw(4) << static_cast<int>(date.year()) << '-' << std::setw(2)
         << static_cast<unsigned>(date.month()) << '-' << std::setw(2) << static_cast<unsigned>(date.day()) << 'T'
         << std::setw(2) << clock.hours().count() << ':' << std::setw(2) << clock.minutes().count() << ':'
         << std::setw(2) << clock.seconds().count() << '.' << std::setw(3) << clock.subseconds().count() << 'Z';
    return text.str();
}

Result<WallTime> parseIsoUtc(std::string_view text) {
    if (!hasShape(text)) return badTime(text);
    const year_month_day date{year{digitsAt(text, 0, 4)}, month{static_cast<unsigned>(digitsAt(text, 5, 2))},
                              day{static_cast<unsigned>(digitsAt(text, 8, 2))}};
    const int hour = digitsAt(text, 11, 2);
    const int minute = digitsAt(text, 14, 2);
    const int second = digitsAt(text, 17, 2);
    if (!date.ok() || !fitsWallTime(date) || hour > 23 || minute > 59 || second > 59) return badTime(text);
    const auto instant = sys_days{date} + hours{hour} + minutes{minute} + seconds{second} +
                         milliseconds{digitsAt(text, 20, 3)};
    return WallTime{duration_cast<WallTime::duration>(instant.time_since_epoch())};
}

}  // namespace faxover::orchestrator::api
