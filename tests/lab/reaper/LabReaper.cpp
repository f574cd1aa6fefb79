// faxover-lab-reaper COMMAND [ARG...]: runs COMMAND (a daemon that forks into the background, such
// as `libvirtd -d`) under a child subreaper that stays behind and reaps whatever the daemon leaves
// orphaned (QEMU processes, helpers). On a real host, init (systemd) reaps dead processes at once;
// in a container whose init reaps them late, libvirtd waits for a killed QEMU to be reaped before
// it reports the domain stopped, so every VM crash would look a second or more slower than on real
// hardware. Exits with COMMAND's status once COMMAND itself has exited; the reaper lives on in the
// background until nothing is left to reap.
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace {

int exitStatusOf(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: faxover-lab-reaper COMMAND [ARG...]\n");
        return 2;
    }
    int report[2];
    if (::pipe(report) != 0) return 1;
    const pid_t reaper = ::fork();
    if (reaper < 0) return 1;
    if (reaper > 0) {  // the caller's process: waits for COMMAND's status, then returns it
        ::close(report[1]);
        int status = 1;
        const ssize_t got = ::read(report[0], &status, sizeof status);
        ::waitpid(reaper, nullptr, WNOHANG);
        return got == sizeof status ? status : 1;
    }
    ::close(report[0]);
    ::setsid();
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    const pid_t command = ::fork();
    if (command < 0) return 1;
    if (command == 0) {
        ::close(report[1]);
        ::execvp(argv[1], argv + 1);
        std::perror(argv[1]);
        std::_Exit(127);
    }
    int status = 0;
    while (::waitpid(command, &status, 0) < 0 && errno == EINTR) {
    }
    const int result = exitStatusOf(status);
    (void)::write(report[1], &result, sizeof result);
    ::close(report[1]);
    // Orphans of COMMAND now have this process as parent: reap them until none is left.
    for (;;) {
        if (::waitpid(-1, nullptr, 0) < 0 && errno == ECHILD) return 0;
    }
}
