#include "faxover/hook/HookLog.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace faxover::hook {

Result<void> appendLog(const std::string& path, const std::string& host, const std::string& line) {
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
    std::string oneLine = line;  // a parser's or a peer's message may hold line breaks
    for (char& c : oneLine)
        if (c == '\n' || c == '\r') c = ' ';
    const std::string text =
        Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::ISO8601_FRAC_FORMAT) + " " +
        (host.empty() ? "-" : host) + " prepare begin: " + oneLine + "\n";
    // O_APPEND and one write: lines of hooks running at once never interleave.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) return "cannot open the hook log " + path + ": " + std::strerror(errno);
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const int writeErrno = errno;
    ::close(fd);
    if (!written) return "cannot write the hook log " + path + ": " + std::strerror(writeErrno);
    return outcome::success();
}

}  // namespace faxover::hook
