#include "RandomBoards.h"

#include "Random.h"

namespace faxover::fuzz {

HostBoards randomBoards(std::mt19937_64& random, const std::vector<std::string>& hosts) {
    HostBoards boards;
    for (const auto& host : hosts) {
        const bool first = host == hosts.front();
        const int count = first ? uniform(random, 1, 2) : uniform(random, 0, 2);
        for (int i = 0; i < count; ++i) {
            BoardDraft board;
            board.address = i == 0 ? "0000:03:00.0" : "0000:04:00.0";
            const bool mustFit = first && i == 0;
            board.brooktrout = mustFit || chance(random, 0.8);
            board.trunkGroup = mustFit || chance(random, 0.8) ? "pri-a" : "pri-b";
            boards[host].push_back(board);
        }
    }
    return boards;
}

std::string policyBoardModels() {
    return "board_models:\n"
           "  - { name: tr1034, vendor_id: 0x12e4, device_id: 0x4d01 }\n"
           "  - { name: dialogic-5001, vendor_id: 0x12c7, device_id: 0x5001 }\n";
}

std::string policyHostBoards(const std::vector<BoardDraft>& boards) {
    if (boards.empty()) return "";
    std::string text = "    boards:\n";
    for (const auto& board : boards)
        text += "      - { pci_address: \"" + board.address + "\", model: " +
                (board.brooktrout ? "tr1034" : "dialogic-5001") + ", trunk_group: " + board.trunkGroup + " }\n";
    return text;
}

std::string policyBoardServiceKeys() {
    return "    telephony: board\n    trunk_group: pri-a\n    board_models: [tr1034]\n"
           "    telco_hook: { command: /usr/local/sbin/reroute-t1, arguments: [--carrier, acme], timeout: 30s }\n";
}

std::string clusterHostBoards(const std::vector<BoardDraft>& boards) {
    if (boards.empty()) return "";
    std::string text = ", boards: [";
    for (const auto& board : boards) {
        if (&board != &boards.front()) text += ", ";
        text += board.brooktrout ? board.address
                                 : "{ address: " + board.address + ", vendor: 0x12c7, device: 0x5001, driver: dlgc }";
    }
    return text + "]";
}

}  // namespace faxover::fuzz
