# Lanyard history hook for bash 4.4+ (5.0+ for sub-second times). Each command is recorded with shell
# builtins only — no process is started per command — into a per-session spool that Lanyard ingests.
# Not recorded: commands starting with a space, commands matching the secrets patterns, anything while
# LANYARD_HISTORY_OFF is set or history is paused. Ctrl+R opens Lanyard's search unless LANYARD_NO_CTRL_R is set.
[[ $- == *i* ]] || return 0
[[ -n ${_lanyard_hooked-} ]] && return 0
_lanyard_hooked=1

_lanyard_home=${LANYARD_HOME:-@LANYARD_HOME@}
[[ -d $_lanyard_home/spool ]] || command mkdir -p -m 700 -- "$_lanyard_home/spool"
printf -v _lanyard_session '%(%s)T-%d-%d' -1 "$$" "$RANDOM"
_lanyard_spool=$_lanyard_home/spool/$_lanyard_session.spool
# `history 1` is a builtin; its output goes through this file because $(…) would fork.
_lanyard_scratch=$_lanyard_home/spool/$_lanyard_session.scratch
_lanyard_paused=$_lanyard_home/history/paused
_lanyard_secret_re=
[[ -r $_lanyard_home/history/secrets.ere ]] && IFS= read -r -d '' _lanyard_secret_re < "$_lanyard_home/history/secrets.ere"
_lanyard_user=${USER:-${LOGNAME-}}
_lanyard_last=
# The directory a command starts in is the one its prompt was shown in.
_lanyard_cwd=$PWD

# PS0 is expanded just before a command runs: an arithmetic subscript stores the start time, expanding to nothing.
if [[ -n ${EPOCHREALTIME-} ]]; then
  PS0=${PS0-}'${_lanyard_void[_lanyard_t0=${EPOCHREALTIME//[!0-9]/}]-}'
else
  PS0=${PS0-}'${_lanyard_void[_lanyard_t0=\D{%s}000000]-}'
fi

# The newest history entry: sets _lanyard_num and _lanyard_cmd.
_lanyard_newest() {
  local HISTTIMEFORMAT line
  unset HISTTIMEFORMAT
  builtin history 1 >| "$_lanyard_scratch" 2>/dev/null || return 1
  IFS= read -r -d '' line < "$_lanyard_scratch"
  line=${line#"${line%%[![:space:]]*}"}
  _lanyard_num=${line%%[!0-9]*}
  _lanyard_cmd=${line:${#_lanyard_num}+2}
  _lanyard_cmd=${_lanyard_cmd%$'\n'}
}

_lanyard_precmd() {
  local status=$? t1
  if [[ -n ${EPOCHREALTIME-} ]]; then t1=${EPOCHREALTIME//[!0-9]/}; else printf -v t1 '%(%s)T000000' -1; fi
  local t0=${_lanyard_t0-} cwd=$_lanyard_cwd
  unset _lanyard_t0
  _lanyard_cwd=$PWD
  if [[ -z $_lanyard_last ]]; then
    # First prompt: remember where the history loaded from the file ends.
    _lanyard_newest && _lanyard_last=${_lanyard_num:-0}
    return "$status"
  fi
  [[ -n $t0 ]] || return "$status"
  _lanyard_newest || return "$status"
  # No new entry: an empty line, or one the shell kept out of history (ignorespace, ignoredups, set +o history).
  [[ -n $_lanyard_num && $_lanyard_num != "$_lanyard_last" ]] || return "$status"
  _lanyard_last=$_lanyard_num
  if [[ -n ${LANYARD_HISTORY_OFF-} || -e $_lanyard_paused || -z $_lanyard_cmd || $_lanyard_cmd == ' '* ]] ||
    [[ -n $_lanyard_secret_re && $_lanyard_cmd =~ $_lanyard_secret_re ]]; then
    # A command kept out of history must not linger in the scratch file either.
    : >| "$_lanyard_scratch"
    return "$status"
  fi
  printf 'L1\0%s\0bash\0%s\0%s\0%s\0%s\0%s\0%s\0%s\0' "$_lanyard_session" "${HOSTNAME-}" "$_lanyard_user" \
    "${t0:0:${#t0}-6}.${t0:${#t0}-6}" "${t1:0:${#t1}-6}.${t1:${#t1}-6}" "$status" "$cwd" "$_lanyard_cmd" >> "$_lanyard_spool"
  return "$status"
}

# Run first, so $? is still the command's; hand it on unchanged to whatever PROMPT_COMMAND did before.
if [[ -n ${bash_preexec_imported-}${__bp_imported-} ]]; then
  precmd_functions=(_lanyard_precmd "${precmd_functions[@]}")
elif [[ ${PROMPT_COMMAND@a} == *a* ]]; then
  PROMPT_COMMAND=(_lanyard_precmd "${PROMPT_COMMAND[@]}")
else
  PROMPT_COMMAND="_lanyard_precmd${PROMPT_COMMAND:+; $PROMPT_COMMAND}"
fi

if [[ -z ${LANYARD_NO_CTRL_R-} ]]; then
  # Puts the chosen command on the prompt for editing; never runs it. Esc leaves the line as it was.
  _lanyard_ctrl_r() {
    local picked
    picked=$(@LANYARD_CLI@ history search -i --session-hint "$_lanyard_session" --query "$READLINE_LINE" </dev/tty) || return 0
    READLINE_LINE=$picked
    READLINE_POINT=${#picked}
  }
  bind -x '"\C-r": _lanyard_ctrl_r' 2>/dev/null
fi
