#include "faxover/orchestrator/Completion.h"

#include "faxover/orchestrator/api/ApiClient.h"
#include "faxover/orchestrator/api/ApiEndpoint.h"

#include <cstdlib>
#include <iostream>

namespace faxover::orchestrator {

std::string bashCompletionScript() {
    // Admin words from docs/cli.md; names come from the daemon named by --api, else FAXOVER_API.
    return R"BASH(# bash completion for faxover: faxover completion bash > /etc/bash_completion.d/faxover
# The line is read from COMP_LINE, split at blanks only: bash's COMP_WORDS also splits at ':' and
# '=', which would cut --api unix:/PATH into pieces.
# Names from the daemon the line names (--api), else $FAXOVER_API; none when it does not answer.
# `api` and `cur` are _faxover's locals (bash scopes them dynamically).
_faxover_names() { COMPREPLY=($(compgen -W "$(faxover completion names "$1" "${api[@]}" 2>/dev/null)" -- "$cur")); }
_faxover() {
    local cur=${COMP_WORDS[COMP_CWORD]} words
    if [[ -n ${COMP_LINE-} ]]; then
        read -ra words <<<"${COMP_LINE:0:COMP_POINT}"
        if [[ ${COMP_LINE:0:COMP_POINT} == *[[:blank:]] ]]; then words+=(""); fi
    else
        words=("${COMP_WORDS[@]:0:COMP_CWORD + 1}")
    fi
    local prev=${words[${#words[@]} - 2]}
    local commands="status migrate failover failback maintenance suspend resume stop vm disable enable fence demote license boards daemon inventory policy help completion"
    local i word command="" operands=() api=()
    for ((i = 1; i < ${#words[@]} - 1; i++)); do
        word=${words[i]}
        case $word in
            --api) api=(--api "${words[i + 1]}"); ((i++)) ;;
            --api=*) api=(--api "${word#--api=}") ;;
            --since | --format | --policy | --store | --hook-listen) ((i++)) ;;
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
        migrate | failover) if ((${#operands[@]} == 0)); then _faxover_names services; elif ((${#operands[@]} == 1)); then _faxover_names hosts; fi ;;
        status | failback | suspend | resume | stop | demote | disable | enable) if ((${#operands[@]} == 0)); then _faxover_names services; fi ;;
        maintenance) if ((${#operands[@]} == 0)); then COMPREPLY=($(compgen -W "enable disable" -- "$cur")); elif ((${#operands[@]} == 1)); then _faxover_names hosts; fi ;;
        vm) if ((${#operands[@]} == 0)); then COMPREPLY=($(compgen -W "stop start" -- "$cur")); elif ((${#operands[@]} == 1)); then _faxover_names services; fi ;;
        fence) if ((${#operands[@]} == 0)); then COMPREPLY=($(compgen -W "confirm" -- "$cur")); elif ((${#operands[@]} == 1)); then _faxover_names hosts; fi ;;
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
    // names services|hosts [--api ADDRESS] (the script passes the completed line's --api on).
    std::string address;
    if (const char* fromEnvironment = std::getenv("FAXOVER_API"); fromEnvironment != nullptr) address = fromEnvironment;
    if (address.empty()) address = api::kDefaultApiAddress;
    const bool withApi = arguments.size() == 4 && arguments[2] == "--api";
    if (withApi) address = arguments[3];
    if ((arguments.size() != 2 && !withApi) || arguments[0] != "names" ||
        (arguments[1] != "services" && arguments[1] != "hosts")) {
        std::cerr << "usage: faxover completion bash\n"
                     "       faxover completion names services|hosts [--api ADDRESS]\n"
                     "bash: prints a bash completion script (faxover completion bash > "
                     "/etc/bash_completion.d/faxover)\n";
        return 2;
    }
    auto endpoint = api::parseApiEndpoint(address);
    if (!endpoint) return 2;
    api::ApiClient client(endpoint.value());
    return printNames(client, arguments[1], std::cout) ? 0 : 1;
}

}  // namespace faxover::orchestrator
