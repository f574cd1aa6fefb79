#include "faxover/hook/ProtectedCache.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace faxover::hook {

Result<std::vector<std::string>> readProtectedCache(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) return std::vector<std::string>{};
    std::ifstream file(path);
    if (!file) return "cannot read the protected-domain cache " + path + ": " + std::strerror(errno);
    std::vector<std::string> domains;
    std::string line;
    while (std::getline(file, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        domains.push_back(line);
    }
    if (file.bad()) return "cannot read the protected-domain cache " + path;
    return domains;
}

Result<void> writeProtectedCache(const std::string& path, const std::vector<std::string>& domains,
                                 const std::string& source) {
    const std::filesystem::path target(path);
    std::error_code error;
    std::filesystem::create_directories(target.parent_path(), error);
    if (error) return "cannot create " + target.parent_path().string() + ": " + error.message();

    std::ostringstream text;
    text << "# Protected domains (names and UUIDs), one a line, as " << source << " listed them at "
         << Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::ISO8601_FORMAT)
         << ".\n# Written by faxover-libvirt-hook; it refuses these domains while the orchestrator cannot be "
            "reached.\n";
    for (const auto& domain : domains) text << domain << '\n';
    const std::string content = text.str();

    // Two hooks may run at once (libvirt starts domains in parallel): each writes its own file.
    const std::string temporary = path + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return "cannot write " + temporary + ": " + std::strerror(errno);
    const bool written =
        ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
    const int writeErrno = errno;
    ::close(fd);
    if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(written ? errno : writeErrno);
        ::unlink(temporary.c_str());
        return "cannot write " + path + ": " + why;
    }
    return outcome::success();
}

}  // namespace faxover::hook
