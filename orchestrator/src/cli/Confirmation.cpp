#include "cli/Confirmation.h"

#include <algorithm>
#include <cctype>
#include <istream>
#include <string>

namespace faxover::orchestrator {

bool saysYes(std::istream& in) {
    std::string answer;
    if (!std::getline(in, answer)) return false;
    std::transform(answer.begin(), answer.end(), answer.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return answer == "y" || answer == "yes";
}

}  // namespace faxover::orchestrator
