#include "RandomCluster.h"

#include "Random.h"
#include "RandomBoards.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace faxover::fuzz {

namespace {

struct ServiceDraft {
    std::string name;
    int memoryMiB = 1024;
    int priority = 0;  // 0: the policy's default
    std::string preferred;
    bool failback = false;
    bool restartOnly = false;
    std::string antiAffinity;
    std::string licence;
    bool standby = false;
    std::string standsInFor;
    bool board = false;  // telephony board: a PCI fax board, cold moves only
    std::string faxHealth;  // the service's fax_health block, "" for the defaults
};

// Mostly short pauses and small budgets, so that a sequence of a few minutes reaches every step of
// the fax-health escalation (VM restart, relocation, every step used), not only the first restart
// of the fax service that the defaults' 30 s delays allow; sometimes act off or the defaults.
std::string randomFaxHealth(std::mt19937_64& random) {
    if (chance(random, 0.2)) return "";
    std::ostringstream out;
    out << "    fax_health:\n";
    if (chance(random, 0.1)) out << "      act: off\n";
    out << "      down_after: " << uniform(random, 1, 3) << "\n"
        << "      restart_service: {max: " << uniform(random, 0, 2) << ", delay: " << uniform(random, 0, 4) << "s}\n"
        << "      restart_vm: {max: " << uniform(random, 0, 1) << ", delay: " << uniform(random, 0, 10) << "s}\n"
        << "      relocate: {max: " << uniform(random, 0, 1) << "}\n"
        << "      lost_heartbeats_after: " << uniform(random, 1, 4) << "\n"
        << "      quiesce_timeout: " << uniform(random, 1, 30) << "s\n";
    return out.str();
}

void writeHosts(std::ostringstream& out, std::mt19937_64& random, ClusterModel& model, const HostBoards& boards) {
    out << "version: 1\nhosts:\n";
    for (std::size_t i = 0; i < model.hosts.size(); ++i) {
        const auto& host = model.hosts[i];
        const std::string address = "10.0.0." + std::to_string(i + 1);
        out << "  - name: " << host << "\n    uri: qemu+tcp://" << address << "/system\n    migration_address: "
            << address << "\n    fence:\n";
        const int fence = uniform(random, 0, 9);  // mostly an agent; sometimes an admin is the last resort
        if (fence < 8) {
            out << "      method: agent\n      command: fence_sim\n";
        } else if (fence == 8) {
            out << "      method: manual\n      instructions: switch " << host << " off at the PDU\n";
            model.manualFenced.push_back(host);
        } else {
            out << "      - method: agent\n        command: fence_sim\n      - method: manual\n"
                << "        instructions: call the data centre\n";
            model.manualFenced.push_back(host);
        }
        if (const auto found = boards.find(host); found != boards.end()) out << policyHostBoards(found->second);
    }
}

void writeService(std::ostringstream& out, const ServiceDraft& service, const ClusterOptions& options) {
    out << "  - name: " << service.name << "\n    domain: " << service.name << "\n";
    out << (service.board ? policyBoardServiceKeys() : "    telephony: sr140\n");
    if (service.priority) out << "    priority: " << service.priority << "\n";
    if (!service.preferred.empty()) out << "    preferred_hosts: [" << service.preferred << "]\n";
    if (service.failback) out << "    failback: on\n";
    if (service.restartOnly) out << "    recovery: restart-only\n";
    if (!service.antiAffinity.empty()) out << "    anti_affinity: [" << service.antiAffinity << "]\n";
    if (!service.licence.empty()) out << "    licence: " << service.licence << "\n";
    if (service.standby) {
        out << "    role: standby\n";
        if (options.promotion && !service.standsInFor.empty())
            out << "    stands_in_for: [" << service.standsInFor << "]\n    standby_capacity: 1\n";
    }
    out << service.faxHealth;
}

}  // namespace

ClusterModel randomCluster(std::mt19937_64& random, const ClusterOptions& options) {
    ClusterModel model;
    const int hostCount = uniform(random, 2, 4);
    for (int i = 1; i <= hostCount; ++i) model.hosts.push_back("h" + std::to_string(i));
    std::map<std::string, int> freeMiB;
    for (const auto& host : model.hosts) freeMiB[host] = chance(random, 0.2) ? 6144 : 16384;  // sometimes tight

    std::vector<ServiceDraft> services(static_cast<std::size_t>(uniform(random, 1, 4)));
    std::vector<std::string> licences;
    if (chance(random, 0.7)) licences.push_back("lic-a");
    if (!licences.empty() && chance(random, 0.25)) licences.push_back("lic-b");
    for (std::size_t i = 0; i < services.size(); ++i) {
        auto& service = services[i];
        service.name = std::string("fax-") + static_cast<char>('a' + i);
        model.services.push_back(service.name);
        service.memoryMiB = chance(random, 0.3) ? 4096 : 1024;
        if (chance(random, 0.3)) service.priority = uniform(random, 1, 100);
        if (chance(random, 0.25)) {
            service.preferred = pick(random, model.hosts);
            service.failback = chance(random, 0.5);
        }
        service.restartOnly = chance(random, 0.15);
        if (i > 0 && chance(random, 0.25)) service.antiAffinity = services[static_cast<std::size_t>(uniform(random, 0, static_cast<int>(i) - 1))].name;
        if (!licences.empty() && chance(random, 0.75)) service.licence = pick(random, licences);
    }
    // The last service is sometimes a standby: an archive copy that runs without a seat.
    if (services.size() >= 2 && chance(random, 0.3)) {
        auto& standby = services.back();
        standby.standby = true;
        standby.licence.clear();
        for (const auto& other : services)
            if (!other.standby && !other.licence.empty()) standby.standsInFor = other.name;
        model.standbys.push_back(standby.name);
    }
    // Boards only when asked for: a run without them draws exactly the numbers it always did.
    HostBoards boards;
    if (options.boards) {
        boards = randomBoards(random, model.hosts);
        for (auto& service : services) {
            service.board = !service.standby && chance(random, 0.5);
            if (service.board) service.memoryMiB = 1024;  // the fax-board template's
        }
    }

    // Seats: between one and one more than the active services using each licence, so some
    // sequences have fewer seats than services that want one.
    std::map<std::string, int> seats, running;
    std::ostringstream policy;
    writeHosts(policy, random, model, boards);
    if (options.boards) policy << policyBoardModels();
    if (!licences.empty()) policy << "licences:\n";
    for (const auto& licence : licences) {
        int users = 0;
        for (const auto& service : services) users += service.licence == licence && !service.standby;
        seats[licence] = uniform(random, options.fewerSeats ? 1 : std::max(1, users), std::max(1, users + 1));
        policy << "  - id: " << licence << "\n    product: hylafax-enterprise\n    key_file: /etc/faxover/licences/"
               << licence << ".key\n    seats: " << seats[licence] << "\n";
    }

    // Where each VM is at the start: where it fits, apart from its anti-affine partner; running
    // unless its licence's seats are all taken (a real cluster never starts over its seats).
    std::ostringstream cluster;
    cluster << "hosts:\n";
    for (const auto& host : model.hosts)
        cluster << "  - { name: " << host << ", cpus: 8, memory_mib: " << freeMiB[host] << clusterHostBoards(boards[host])
                << " }\n";
    cluster << "domains:\n";
    std::map<std::string, std::string> placed;
    int stopped = 0;
    auto freeBoard = [&](const std::string& host) -> BoardDraft* {
        for (auto& board : boards[host])
            if (board.fitsBoardService() && !board.taken) return &board;
        return nullptr;
    };
    for (const auto& service : services) {
        std::vector<std::string> fits;
        for (const auto& host : model.hosts)
            if (freeMiB[host] >= service.memoryMiB && (service.antiAffinity.empty() || placed[service.antiAffinity] != host) &&
                (!service.board || freeBoard(host) != nullptr))
                fits.push_back(host);
        const std::string host = fits.empty() ? pick(random, model.hosts) : pick(random, fits);
        bool run = !fits.empty();
        if (!service.licence.empty() && run) run = running[service.licence]++ < seats[service.licence];
        if (run) freeMiB[host] -= service.memoryMiB;
        stopped += !run;
        placed[service.name] = host;
        // A board VM that runs holds a free fitting board of its host; a stopped one keeps the
        // template's board address, which its host may not even have: the daemon must rewrite it.
        std::string board;
        if (service.board && run) {
            BoardDraft* taken = freeBoard(host);
            taken->taken = true;
            board = ", board: " + taken->address;
        }
        const std::string templateName = service.board ? "fax-board" : service.memoryMiB == 4096 ? "fax-4g" : "fax-1g";
        cluster << "  - { name: " << service.name << ", template: " << templateName << ", host: " << host << board
                << ", running: " << (run ? "true" : "false") << " }\n";
    }
    cluster << "shared_storage: [/shared]\n";
    // Drawn last, so that the rest of the cluster is what it always was for a seed. Without a
    // witness, a 2-host cluster that loses a host waits for an admin (docs/engine.md).
    model.witness = chance(random, 0.6);
    // Fax health after it, for the same reason.
    for (auto& service : services) service.faxHealth = randomFaxHealth(random);
    policy << "services:\n";
    for (const auto& service : services) writeService(policy, service, options);
    if (model.witness) policy << "fencing:\n  witness: { address: 10.0.9.1 }\n";
    model.policyYaml = policy.str();
    model.clusterYaml = cluster.str();
    model.summary = std::to_string(model.hosts.size()) + " hosts, " + std::to_string(services.size()) + " services (" +
                    std::to_string(stopped) + " stopped at the start, " + std::to_string(model.standbys.size()) +
                    " standby), " + std::to_string(licences.size()) + " licences";
    if (options.boards) {
        int boardServices = 0, boardCount = 0;
        for (const auto& service : services) boardServices += service.board;
        for (const auto& [host, hostBoards] : boards) boardCount += static_cast<int>(hostBoards.size());
        model.summary += ", " + std::to_string(boardServices) + " board services, " + std::to_string(boardCount) + " boards";
    }
    model.summary += model.witness ? ", a witness" : ", no witness";
    return model;
}

}  // namespace faxover::fuzz
