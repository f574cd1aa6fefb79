#include "process/Redaction.h"

#include <Poco/String.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

namespace faxover::orchestrator::process {

std::string redact(std::string text, std::vector<std::string> secrets) {
    std::erase_if(secrets, [](const std::string& secret) { return secret.empty(); });
    std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    for (const auto& secret : secrets) Poco::replaceInPlace(text, secret, std::string(kRedacted));
    return text;
}

std::vector<std::string> secretsInFile(const std::string& path) {
    std::ifstream file(path);
    if (!file) return {};
    const std::string content((std::istreambuf_iterator<char>(file)), {});
    std::vector<std::string> secrets{Poco::trim(content)};
    std::istringstream lines(content);
    for (std::string line; std::getline(lines, line);) {
        line = Poco::trim(line);
        if (!line.empty()) secrets.push_back(line);
    }
    return secrets;
}

}  // namespace faxover::orchestrator::process
