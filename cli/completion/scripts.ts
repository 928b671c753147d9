/**
 * The completion scripts `otc-jobs completion bash|zsh|fish` prints. Each is a thin wrapper that asks
 * `otc-jobs __complete` (engine.ts) for the candidates of the word under the cursor, so they never go
 * stale; they need `otc-jobs` on PATH (`npm link`, or a global install).
 */
export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

const BASH = String.raw`# otc-jobs completion for bash. Load it now:   source <(otc-jobs completion bash)
# or for every shell:  otc-jobs completion bash > ~/.local/share/bash-completion/completions/otc-jobs
_otc_jobs() {
  # The words up to the cursor, split at blanks only (COMP_WORDS also splits at "=").
  local line="@{COMP_LINE:0:COMP_POINT}" cur="@{COMP_WORDS[COMP_CWORD]}"
  local -a words
  read -ra words <<< "$line"
  [[ $line =~ [[:space:]]$ ]] && words+=("")
  local IFS=$'\n' entry value files=0
  local -a out=()
  for entry in $(otc-jobs __complete "@{words[@]:1}" 2>/dev/null); do
    if [[ $entry == ":files" ]]; then files=1; continue; fi
    value="@{entry%%$'\t'*}"
    # After "--flag=", bash replaces only the text after "=".
    [[ $cur != *=* && $value == --*=* ]] && value="@{value#*=}"
    out+=("$value")
  done
  if (( files )); then
    COMPREPLY=($(compgen -f -- "@{cur#*=}"))
  else
    COMPREPLY=("@{out[@]}")
  fi
}
complete -o default -F _otc_jobs otc-jobs
`;

const ZSH = String.raw`#compdef otc-jobs
# otc-jobs completion for zsh. Load it now (after compinit):  source <(otc-jobs completion zsh)
# or for every shell:  otc-jobs completion zsh > "@{fpath[1]}/_otc-jobs"
_otc_jobs() {
  local line files=0
  local -a cands
  for line in "@{(@f)$(otc-jobs __complete "@{(@)words[2,CURRENT]}" 2>/dev/null)}"; do
    [[ -z $line ]] && continue
    if [[ $line == :files ]]; then files=1; continue; fi
    if [[ $line == *$'\t'* ]]; then
      cands+=("@{@{line%%$'\t'*}//:/\\:}:@{line#*$'\t'}")
    else
      cands+=("@{line//:/\\:}")
    fi
  done
  if (( files )); then _files; return; fi
  (( @{#cands} )) && _describe -t otc-jobs 'otc-jobs' cands
}
if [[ @{zsh_eval_context[-1]} == loadautofunc ]]; then
  _otc_jobs "$@"
else
  compdef _otc_jobs otc-jobs
fi
`;

const FISH = String.raw`# otc-jobs completion for fish. Load it now:   otc-jobs completion fish | source
# or for every shell:  otc-jobs completion fish > ~/.config/fish/completions/otc-jobs.fish
function __otc_jobs_complete
    set -l words (commandline -opc) (commandline -ct)
    for line in (otc-jobs __complete $words[2..-1] 2>/dev/null)
        if test "$line" = ":files"
            __fish_complete_path (commandline -ct)
        else
            echo $line
        end
    end
end
complete -c otc-jobs -f -a '(__otc_jobs_complete)'
`;

/** The scripts are written with `@{` for the shells' `${`, which a template literal would take. */
export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell].replace(/@\{/g, "${");
}
