#include "cli/BoardOutput.h"

#include "cli/TextTable.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ostream>
#include <string_view>

namespace faxover::orchestrator {

namespace {

// The states in which a board cannot be given to a VM: the admin must act (docs/cli.md).
constexpr std::array<std::string_view, 5> kUnusableStates = {"missing", "wrong-device", "unmapped", "not-inventoried",
                                                              "other-vm"};

bool unusable(const api::BoardView& board) {
    return std::find(kUnusableStates.begin(), kUnusableStates.end(), board.state) != kUnusableStates.end();
}

// The policy's model name; for a board no policy entry maps, the PCI ids it reports, as lspci
// prints them, so the admin can write the entry.
std::string modelCell(const api::BoardView& board) {
    if (!board.model.empty() || (board.vendorId == 0 && board.deviceId == 0)) return orDash(board.model);
    char ids[16];
    std::snprintf(ids, sizeof ids, "%04x:%04x", static_cast<unsigned>(board.vendorId),
                  static_cast<unsigned>(board.deviceId));
    return ids;
}

}  // namespace

void printBoardTable(const std::vector<api::BoardView>& boards, std::ostream& out) {
    if (boards.empty()) {
        out << "no fax boards: none in the policy and none inventoried on its hosts\n";
        return;
    }
    std::vector<TableRow> rows;
    for (const auto& board : boards) {
        rows.push_back({board.host, board.pciAddress, modelCell(board), orDash(board.trunkGroup), orDash(board.driver),
                        orDash(board.holder), orDash(board.state)});
    }
    printTable({"HOST", "ADDRESS", "MODEL", "TRUNK", "DRIVER", "HOLDER", "STATE"}, rows, out);
    bool headed = false;
    for (const auto& board : boards) {
        if (!unusable(board)) continue;
        if (!headed) out << "\nnot usable:\n";
        headed = true;
        out << "  " << board.host << ' ' << board.pciAddress << ": " << board.state
            << (board.detail.empty() ? "" : ": " + board.detail) << '\n';
    }
}

}  // namespace faxover::orchestrator
