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
# `history 1` is a builtin; its output goes through this file because $(…) would fork. It is appended to and
# read on through a descriptor kept open, because truncating a file on every command costs ~0.4 ms on ext4.
_lanyard_scratch=$_lanyard_home/spool/$_lanyard_session.scratch
_lanyard_paused=$_lanyard_home/history/paused
_lanyard_secret_re=
# A `case` over globs that every secret matches spares most commands the regex, which bash compiles on every
# use (~0.2 ms). Without the globs file (older versions wrote none) every command goes to the regex.
_lanyard_secret_case='*'
if [[ -r $_lanyard_home/history/secrets.ere ]]; then
  IFS= read -r -d '' _lanyard_secret_re < "$_lanyard_home/history/secrets.ere"
  if [[ -r $_lanyard_home/history/secrets.globs ]]; then
    mapfile -t _lanyard_secret_globs < "$_lanyard_home/history/secrets.globs"
    printf -v _lanyard_secret_case '%s|' "${_lanyard_secret_globs[@]}"
    _lanyard_secret_case=${_lanyard_secret_case%|}
    unset _lanyard_secret_globs
  fi
fi
_lanyard_user=${USER:-${LOGNAME-}}
_lanyard_last=
# The directory a command starts in is the one its prompt was shown in.
_lanyard_cwd=$PWD

# PS0 is expanded just before a command runs: an arithmetic subscript stores the start time, expanding to nothing.
if [[ -n ${EPOCHREALTIME-} ]]; then
  PS0=${PS0-}'${_lanyard_void[_lanyard_t0=${EPOCHREALTIME//[!0-9]/}]-}'
else
  # Whole seconds (bash 4.4): written without a fraction, so the ingester does not take them for unique.
  PS0=${PS0-}'${_lanyard_void[_lanyard_t0=\D{%s}]-}'
fi

# Empties the scratch file and opens it for reading: at start, when it has grown, when it held a command kept
# out of history, and when the descriptor no longer reads it (closed or reused by the user's own redirections).
_lanyard_scratch_reset() {
  [[ -n ${_lanyard_rfd-} ]] && exec {_lanyard_rfd}<&-
  : >| "$_lanyard_scratch"
  exec {_lanyard_rfd}<"$_lanyard_scratch"
  _lanyard_scratch_size=0
}

_lanyard_scratch_reset

# Appends the newest history entry to the scratch file and reads it back into the caller's _lanyard_line
# (the caller makes HISTTIMEFORMAT empty, so no time stamp comes with it).
_lanyard_history_1() {
  builtin history 1 >>"$_lanyard_scratch" && IFS= read -r -d '' -u "$_lanyard_rfd" _lanyard_line
  # "  123  command\n" (a `*` after the number marks an edited entry); anything else was not read from the scratch file.
  _lanyard_line=${_lanyard_line#"${_lanyard_line%%[![:space:]]*}"}
  [[ $_lanyard_line == [0-9]* ]]
}

# Whether the caller's _lanyard_cmd matches the secrets pattern. Lanyard writes the globs (letters, digits,
# `*[]._/=-` only); anything else in the file is not put in code: every command then goes to the regex.
if [[ -z $_lanyard_secret_re ]]; then
  _lanyard_secret() { return 1; }
else
  [[ $_lanyard_secret_case =~ ^[][A-Za-z0-9_*./=|-]+$ ]] || _lanyard_secret_case='*'
  eval "_lanyard_secret() { case \$_lanyard_cmd in $_lanyard_secret_case) [[ \$_lanyard_cmd =~ \$_lanyard_secret_re ]] ;; *) return 1 ;; esac; }"
fi
unset _lanyard_secret_case

# Kept to few statements: each costs microseconds, on every prompt.
_lanyard_precmd() {
  local status=$? t1=${EPOCHREALTIME//[!0-9]/} t0=${_lanyard_t0-} cwd=$_lanyard_cwd _lanyard_line= _lanyard_cmd num HISTTIMEFORMAT=
  _lanyard_t0= _lanyard_cwd=$PWD
  # No command ran since the last prompt (but the first prompt must learn where the loaded history ends).
  [[ -n $t0 || -z $_lanyard_last ]] || return $status
  _lanyard_history_1 || { _lanyard_scratch_reset; _lanyard_history_1; }
  (( (_lanyard_scratch_size += ${#_lanyard_line}) < 65536 )) || _lanyard_scratch_reset
  num=${_lanyard_line%%[!0-9]*}
  # No new entry (an empty line, or one the shell kept out of history: ignorespace, ignoredups, set +o history),
  # or the first prompt, which only notes where the history loaded from the file ends.
  [[ -n $num && $num != "$_lanyard_last" && -n $_lanyard_last ]] || { _lanyard_last=${_lanyard_last:-${num:-0}}; return $status; }
  _lanyard_last=$num
  # The text between the number's two-character gap and the closing newline.
  _lanyard_cmd=${_lanyard_line:${#num}+2:${#_lanyard_line}-${#num}-3}
  if [[ -n ${LANYARD_HISTORY_OFF-} || -e $_lanyard_paused || -z $_lanyard_cmd || $_lanyard_cmd == ' '* ]] || _lanyard_secret; then
    # A command kept out of history must not linger in the scratch file either.
    _lanyard_scratch_reset
    return $status
  fi
  if [[ -n $t1 ]]; then
    t0=${t0:0:${#t0}-6}.${t0:${#t0}-6} t1=${t1:0:${#t1}-6}.${t1:${#t1}-6}
  else
    printf -v t1 '%(%s)T' -1
  fi
  printf 'L1\0%s\0bash\0%s\0%s\0%s\0%s\0%s\0%s\0%s\0' "$_lanyard_session" "${HOSTNAME-}" "$_lanyard_user" \
    "$t0" "$t1" "$status" "$cwd" "$_lanyard_cmd" >> "$_lanyard_spool"
  return $status
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
