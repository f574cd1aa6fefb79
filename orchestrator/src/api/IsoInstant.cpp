// parseIsoInstant: the ISO 8601 forms an admin types, read with a small cursor. Strict about
// what it takes (every part range-checked, nothing left over) so that a typo is an error, not a
// silently different instant.
#include "faxover/orchestrator/api/Json.h"

#include <cctype>
#include <optional>

namespace faxover::orchestrator::api {

namespace {

using namespace std::chrono;

class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {}
    bool done() const { return at_ == text_.size(); }
    // Exactly `count` digits, or nothing (the cursor does not move then).
    std::optional<int> digits(std::size_t count) {
        if (text_.size() - at_ < count) return std::nullopt;
        int value = 0;
        for (std::size_t i = at_; i < at_ + count; ++i) {
            if (std::isdigit(static_cast<unsigned char>(text_[i])) == 0) return std::nullopt;
            value = value * 10 + (text_[i] - '0');
        }
        at_ += count;
        return value;
    }
    bool take(std::string_view choices) {
        if (done() || choices.find(text_[at_]) == std::string_view::npos) return false;
        ++at_;
        return true;
    }
    char peek() const { return done() ? '\0' : text_[at_]; }

private:
    std::string_view text_;
    std::size_t at_ = 0;
};

Error badInstant(std::string_view text, const std::string& why) {
    return Error{ErrorKind::BadRequest,
                     "'" + std::string(text) + "': " + why +
                         " (expected an ISO 8601 date like 2024-05-01 or a date-time with its zone like "
                         "2024-05-01T12:03Z or 2024-05-01T14:03:04+02:00)"};
}

std::optional<sys_days> dateAt(Cursor& cursor) {
    const auto y = cursor.digits(4);
    if (!y || !cursor.take("-")) return std::nullopt;
    const auto m = cursor.digits(2);
    if (!m || !cursor.take("-")) return std::nullopt;
    const auto d = cursor.digits(2);
    if (!d) return std::nullopt;
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
    if (!date.ok() || !fitsWallTime(date)) return std::nullopt;
    return sys_days{date};
}

// ".5", ".123456789": up to nanoseconds.
std::optional<nanoseconds> fractionAt(Cursor& cursor) {
    if (!cursor.take(".")) return nanoseconds{0};
    long long value = 0;
    int count = 0;
    while (count < 9 && std::isdigit(static_cast<unsigned char>(cursor.peek())) != 0) {
        value = value * 10 + (*cursor.digits(1));
        ++count;
    }
    if (count == 0 || std::isdigit(static_cast<unsigned char>(cursor.peek())) != 0) return std::nullopt;
    for (int i = count; i < 9; ++i) value *= 10;
    return nanoseconds{value};
}

// "Z", "+02:00", "-0130", "+05": the offset to subtract to reach UTC.
std::optional<minutes> zoneAt(Cursor& cursor) {
    if (cursor.take("Zz")) return minutes{0};
    const char sign = cursor.peek();
    if (!cursor.take("+-")) return std::nullopt;
    const auto h = cursor.digits(2);
    if (!h || *h > 23) return std::nullopt;
    const bool colon = cursor.take(":");
    const auto m = !colon && cursor.done() ? std::optional<int>(0) : cursor.digits(2);
    if (!m || *m > 59) return std::nullopt;
    const minutes offset{*h * 60 + *m};
    return sign == '-' ? -offset : offset;
}

}  // namespace

Result<WallTime> parseIsoInstant(std::string_view text) {
    Cursor cursor(text);
    const auto date = dateAt(cursor);
    if (!date) return badInstant(text, "no valid date YYYY-MM-DD at the start");
    if (cursor.done()) return WallTime{duration_cast<WallTime::duration>(date->time_since_epoch())};
    if (!cursor.take("Tt ")) return badInstant(text, "expected 'T' and a time after the date");
    const auto hour = cursor.digits(2);
    const bool colon = cursor.take(":");
    const auto minute = colon ? cursor.digits(2) : std::nullopt;
    if (!hour || !minute || *hour > 23 || *minute > 59) return badInstant(text, "expected a time HH:MM[:SS]");
    std::optional<int> second = 0;
    if (cursor.take(":")) second = cursor.digits(2);
    if (!second || *second > 59) return badInstant(text, "bad seconds");
    const auto fraction = fractionAt(cursor);
    if (!fraction) return badInstant(text, "bad fraction of a second");
    if (cursor.done()) return badInstant(text, "the time needs a zone, 'Z' for UTC or an offset like +02:00");
    const auto offset = zoneAt(cursor);
    if (!offset || !cursor.done()) return badInstant(text, "bad zone after the time (use 'Z' or an offset like +02:00)");
    const auto instant = *date + hours{*hour} + minutes{*minute} + seconds{*second} + *fraction - *offset;
    return WallTime{duration_cast<WallTime::duration>(instant.time_since_epoch())};
}

}  // namespace faxover::orchestrator::api
