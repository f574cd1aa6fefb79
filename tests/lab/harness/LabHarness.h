#pragma once
// C++ access to the lab (tests/lab/faxover-lab): hosts, fault injection and guest templates, for
// the lab tests and the demo. Failures throw std::runtime_error carrying the script's own message:
// a lab that cannot do what a test asks must fail that test loudly.
#include "faxover/hypervisor/Types.h"

#include <string>
#include <vector>

namespace faxover::lab {

struct LabHost {
    std::string name;     // lab1, lab2, ...
    std::string uri;      // qemu+tcp://198.18.0.11/system
    std::string address;  // 198.18.0.11
    hv::HostConfig config() const { return {name, uri, address}; }
};

enum class Guest { Linux, Diskless };

class Lab {
public:
    // Starts a fresh lab of `hostCount` hosts and owns it: the destructor tears it down.
    static Lab start(unsigned hostCount);
    // Uses the lab that is already up (started by the ctest fixture) and leaves it up. First puts it
    // back as `up` left it (`faxover-lab repair`: hosts powered on, links healed, relays and rate
    // limits removed), or rebuilds it when it cannot be mended; what it did goes to stderr.
    static Lab attach();
    // How many hosts the ctest fixture starts (tests/lab/CMakeLists.txt), for a rebuild.
    static constexpr std::size_t kSharedLabHosts = 3;
    // `faxover-lab repair`'s exit code when only down + up can mend the lab.
    static constexpr int kLabBeyondRepair = 3;

    Lab(Lab&& other) noexcept;
    Lab& operator=(Lab&&) = delete;
    Lab(const Lab&) = delete;
    ~Lab();

    const std::vector<LabHost>& hosts() const { return hosts_; }
    // What attach() mended before handing the lab over ("REPAIRED lab2 powered on (was off)" lines,
    // or the rebuild), "" when the lab was as `up` left it.
    const std::string& repairs() const { return repairs_; }
    const LabHost& host(std::size_t index) const { return hosts_.at(index); }

    void powerOff(const std::string& host) const;
    void powerOn(const std::string& host) const;
    void crashLibvirtd(const std::string& host) const;
    void stopLibvirtd(const std::string& host) const;  // SIGTERM: a clean stop, its daemon hook runs
    void startLibvirtd(const std::string& host) const;
    void cutNetwork(const std::string& host) const;
    void healNetwork(const std::string& host) const;
    // This machine's own link to the lab (where the orchestrator, virsh and the tests run) cut and
    // healed: every host falls silent to it at once while the hosts still reach each other.
    // faxover-lab cut-orchestrator / heal-orchestrator; attach() heals it too.
    void cutOrchestrator() const;
    void healOrchestrator() const;
    void degrade(const std::string& host, const std::string& rate) const;
    void undegrade(const std::string& host) const;

    // A TCP relay in front of `host`'s libvirtd adding `delayMs` each way (faxover-lab relay);
    // returns the URI to connect through it. Clients of the host's own URI are not affected.
    std::string relay(const std::string& host, unsigned delayMs) const;
    // The relay keeps its connections open but forwards nothing (a hung link) ... until unstall,
    // which delivers what it buffered meanwhile.
    void stall(const std::string& host) const;
    void unstall(const std::string& host) const;
    // Stops the relay (its connections close) and removes its address. Idempotent.
    void unrelay(const std::string& host) const;

    std::vector<int> qemuPids(const std::string& host) const;
    // Host-side path of a lab guest's serial console log on `host`.
    std::string consolePath(const std::string& host, const std::string& domain) const;

    // Where `path` (absolute, inside `host`: /etc/libvirt/..., /var/lib/libvirt/...) is on this
    // machine: under the host's state folder for its per-host directories, else `path` itself.
    std::string hostPath(const std::string& host, const std::string& path) const;

    // Domain XML of a lab guest, renamed to `name` (with its own console file and no UUID, so
    // libvirt assigns one). Built with the XML layer, from the templates in tests/lab/guests/.
    static std::string guestXml(Guest guest, const std::string& name);

    static std::string scriptPath();
    // tests/lab/fence_faxlab, the lab's fence agent (next to the script).
    static std::string fenceAgentPath();

private:
    Lab(std::vector<LabHost> hosts, bool owned, std::string repairs = "")
        : hosts_(std::move(hosts)), owned_(owned), repairs_(std::move(repairs)) {}
    std::vector<LabHost> hosts_;
    bool owned_ = false;
    std::string repairs_;
};

struct CommandOutput {
    int exitCode = 0;
    std::string out;
    std::string err;
};

// Runs `program` with these arguments and `input` on its stdin (closed once written; a program
// given input must read it); captures both output streams without deadlocking on any of them. This
// build's lab helpers are passed to it as FAXLAB_RELAY, FAXLAB_REAPER, FAXLAB_HOOK and FAXLAB_AGENT.
CommandOutput runProgram(const std::string& program, const std::vector<std::string>& arguments,
                         const std::string& input = {});
// Runs the lab script with these arguments.
CommandOutput runLabScript(const std::vector<std::string>& arguments);

}  // namespace faxover::lab
