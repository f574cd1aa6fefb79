#pragma once
// Fax boards for a random cluster (fault_fuzzer --boards, issue #5): each host gets none, one or
// two boards, mostly Brooktrout TR1034s on trunk pri-a (what a board service asks for), some on
// another trunk, some Dialogic boards of another model, so that a board service sometimes has
// nowhere to go. The same boards are written into policy.yaml and cluster.yaml.
#include <map>
#include <random>
#include <string>
#include <vector>

namespace faxover::fuzz {

struct BoardDraft {
    std::string address;      // 0000:03:00.0 or 0000:04:00.0
    bool brooktrout = true;   // a tr1034, else a Dialogic board of a model no service accepts
    std::string trunkGroup;   // pri-a, the board services' trunk, or pri-b
    bool taken = false;       // a VM holds it at the start
    bool fitsBoardService() const { return brooktrout && trunkGroup == "pri-a"; }
};

using HostBoards = std::map<std::string, std::vector<BoardDraft>>;  // by host

// The first host always has a fitting board, so a board service's trunk group exists.
HostBoards randomBoards(std::mt19937_64& random, const std::vector<std::string>& hosts);

// policy.yaml: the top-level `board_models` and a host's `boards` (nothing when it has none).
std::string policyBoardModels();
std::string policyHostBoards(const std::vector<BoardDraft>& boards);
// policy.yaml: a board service's keys, after its name and domain.
std::string policyBoardServiceKeys();
// cluster.yaml: ", boards: [...]" inside a host's flow mapping (nothing when it has none).
std::string clusterHostBoards(const std::vector<BoardDraft>& boards);

}  // namespace faxover::fuzz
