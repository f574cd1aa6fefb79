#include "faxover/orchestrator/Completion.h"

#include "faxover/orchestrator/api/ApiClient.h"
#include "faxover/orchestrator/api/ApiEndpoint.h"

#include <cstdlib>
#include <iostream>

namespace faxover::orchestrator {

std::string bashCompletionScript() {
    // Admin words from docs/cli.md; names come from the daemon named by --api, else FAXOVER_API.
    return R"BASH(# bash completion for faxover: faxover completion bash > /etc/bash_completion.d/faxover
_faxover_names() {
    local api=() i
    for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
        if [[ ${COMP_WORDS[i]} == --api ]]; then api=(--api "${COMP_WORDS[i + 1]}"); fi
        if [[ ${COMP_WORDS[i]} == --api=* ]]; then api=("${COMP_WORDS[i]}"); fi
    done
    COMPREPLY=($(compgen -W "$(faxover "${api[@]}" completion names "$1" 2>/dev/null)" -- "$2"))
}
_faxover() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local commands="status migrate failover failback maintenance suspend resume stop fence demote license boards daemon inventory policy help completion"
    local i word command="" operands=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        case $word in
            --api | --since | --format | --policy | --store | --hook-listen) ((i++)) ;;
            -*) ;;
            *) if [[ -z $command ]]; then command=$word; else operands+=("$word"); fi ;;
        esac
    done
    case $prev in
        --format) COMPREPLY=($(compgen -W "table csv json" -- "$cur")); return ;;
        --policy | --store) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --api | --since | --hook-listen) return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--api --json --yes --no-wait --since --format --help" -- "$cur"))
        return
    fi
    case $command in
        "" | help) COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
        migrate | failover) if ((${#operands[@]} == 0)); then _faxover_names services "$cur"; elif ((${#operands[@]} == 1)); then _faxover_names hosts "$cur"; fi ;;
        failback | suspend | resume | stop | demote) if ((${#operands[@]} == 0)); then _faxover_names services "$cur"; fi ;;
        maintenance) if ((${#operands[@]} == 0)); then COMPREPLY=($(compgen -W "enable disable" -- "$cur")); elif ((${#operands[@]} == 1)); then _faxover_names hosts "$cur"; fi ;;
        fence) if ((${#operands[@]} == 0)); then COMPREPLY=($(compgen -W "confirm" -- "$cur")); elif ((${#operands[@]} == 1)); then _faxover_names hosts "$cur"; fi ;;
        license | licence) if ((${#operands[@]} == 0)); then COMPREPLY=($(compgen -W "status audit" -- "$cur")); fi ;;
        policy) if ((${#operands[@]} == 0)); then COMPREPLY=($(compgen -W "check" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi ;;
        completion) if ((${#operands[@]} == 0)); then COMPREPLY=($(compgen -W "bash" -- "$cur")); fi ;;
    esac
}
complete -F _faxover faxover
)BASH";
}

bool printNames(api::AdminApi& api, const std::string& kind, std::ostream& out) {
    auto status = api.status();
    if (!status) return false;
    if (kind == "services")
        for (const auto& service : status.value().services) out << service.name << '\n';
    else
        for (const auto& host : status.value().hosts) out << host.name << '\n';
    return true;
}

int runCompletion(const std::vector<std::string>& arguments) {
    if (arguments.size() == 1 && arguments[0] == "bash") {
        std::cout << bashCompletionScript();
        return 0;
    }
    // [--api ADDRESS] names services|hosts (the script passes the command line's --api on).
    std::vector<std::string> rest = arguments;
    std::string address;
    if (const char* fromEnvironment = std::getenv("FAXOVER_API"); fromEnvironment != nullptr) address = fromEnvironment;
    if (address.empty()) address = api::kDefaultApiAddress;
    if (rest.size() >= 2 && rest[0] == "--api") {
        address = rest[1];
        rest.erase(rest.begin(), rest.begin() + 2);
    } else if (!rest.empty() && rest[0].starts_with("--api=")) {
        address = rest[0].substr(6);
        rest.erase(rest.begin());
    }
    if (rest.size() != 2 || rest[0] != "names" || (rest[1] != "services" && rest[1] != "hosts")) {
        std::cerr << "usage: faxover completion bash\n"
                     "       faxover [--api ADDRESS] completion names services|hosts\n"
                     "bash: prints a bash completion script (faxover completion bash > "
                     "/etc/bash_completion.d/faxover)\n";
        return 2;
    }
    auto endpoint = api::parseApiEndpoint(address);
    if (!endpoint) return 2;
    api::ApiClient client(endpoint.value());
    return printNames(client, rest[1], std::cout) ? 0 : 1;
}

}  // namespace faxover::orchestrator
