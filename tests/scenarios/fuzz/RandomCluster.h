#pragma once
// A small random cluster as the text of a scenario's policy.yaml and cluster.yaml: 2-4 hosts, 1-4
// services with some anti-affinity, priorities, preferences and failback, sometimes a licence with
// fewer seats than its active services, sometimes a standby service; with boards, fax boards and
// board-mode services.
#include <random>
#include <string>
#include <vector>

namespace faxover::fuzz {

struct ClusterOptions {
    // stands_in_for / standby_capacity on standbys (the ledger runtime's policy keys, issue #4).
    bool promotion = false;
    // Licences with fewer seats than their active services: the ledger runtime's policies allow
    // it (the service waits for a seat); before it, the loader refuses such a policy.
    bool fewerSeats = true;
    // Fax boards on the hosts and board-mode services (issue #5; RandomBoards.h).
    bool boards = false;
};

struct ClusterModel {
    std::vector<std::string> hosts;      // h1, h2, ...
    std::vector<std::string> services;   // fax-a, ...; each service's domain has its name
    std::vector<std::string> standbys;   // services with role standby
    std::vector<std::string> manualFenced;  // hosts whose last fence level is manual
    bool witness = false;  // the policy names a fencing.witness (its address answers unless witness-down)
    std::string policyYaml;
    std::string clusterYaml;
    std::string summary;  // one line for the README: what the cluster is
};

ClusterModel randomCluster(std::mt19937_64& random, const ClusterOptions& options);

}  // namespace faxover::fuzz
