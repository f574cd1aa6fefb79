#include "faxover/orchestrator/fence/SecretFiles.h"

#include <sys/stat.h>

#include <cstdio>

namespace faxover::orchestrator::fence {
namespace {

// "group and others", "others", "group", or "" for a file only its owner may read.
std::string whoElseReads(mode_t mode) {
    const bool group = (mode & S_IRGRP) != 0;
    const bool others = (mode & S_IROTH) != 0;
    if (group && others) return "group and others";
    if (others) return "others";
    if (group) return "group";
    return "";
}

void check(const std::string& user, const std::string& what, const std::string& path,
           std::vector<std::string>& warnings) {
    struct stat info {};
    if (path.empty() || ::stat(path.c_str(), &info) != 0) return;
    const std::string readers = whoElseReads(info.st_mode);
    if (readers.empty()) return;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    warnings.push_back(user + ": " + what + " " + path + " is readable by " + readers + " (mode " + mode +
                       "); chmod 600 it");
}

}  // namespace

std::vector<std::string> secretFileWarnings(const policy::Policy& policy) {
    std::vector<std::string> warnings;
    for (const auto& host : policy.hosts)
        for (const auto& level : host.fence) check("host " + host.name, "fence password file", level.passwordFile, warnings);
    for (const auto& licence : policy.licences) check("licence " + licence.id, "key file", licence.keyFile, warnings);
    return warnings;
}

}  // namespace faxover::orchestrator::fence
