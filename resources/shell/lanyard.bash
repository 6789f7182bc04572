# Lanyard history hook for bash 4.4+ (5.0+ for sub-second times). Each command is recorded with shell
# builtins only — no process is started per command — into a per-session spool that Lanyard ingests.
# Nothing is written while LANYARD_HISTORY_OFF is set or history is paused, nor for a command bash keeps out of
# its own history (HISTCONTROL, `set +o history`). Commands starting with a space or matching the secrets
# patterns are dropped when Lanyard reads the spool, not here: bash gives a command's text only as the output of
# `history 1`, and reading that back costs more than the rest of the hook. The spool is in a 0700 folder and
# emptied at every ingest. Ctrl+R opens Lanyard's search unless LANYARD_NO_CTRL_R is set.
[[ $- == *i* ]] || return 0
[[ -n ${_lanyard_hooked-} ]] && return 0
_lanyard_hooked=1

_lanyard_home=${LANYARD_HOME:-@LANYARD_HOME@}
# Every folder made here is the owner's only, as Lanyard makes them (mkdir -m sets the last one alone).
[[ -d $_lanyard_home/spool ]] || (umask 077 && command mkdir -p -- "$_lanyard_home/spool")
printf -v _lanyard_session '%(%s)T-%d-%d' -1 "$$" "$RANDOM"
_lanyard_spool=$_lanyard_home/spool/$_lanyard_session.spool
_lanyard_paused=$_lanyard_home/history/paused
# An L2 record (main/history/spool.ts): L2, session, shell, host, user, start, end, exit, cwd, then what
# `history 1` prints, each ended by NUL. The fixed fields go into printf's format once (as text: `\` and `%`
# doubled; `\000` is NUL), leaving four arguments per command.
_lanyard_format=L2
for _lanyard_field in "$_lanyard_session" bash "${HOSTNAME-}" "${USER:-${LOGNAME-}}"; do
  _lanyard_field=${_lanyard_field//\\/\\\\}
  _lanyard_format+='\000'${_lanyard_field//%/%%}
done
_lanyard_format+='\000%s\000%s\000%s\000%s\000'
unset _lanyard_field
_lanyard_t0=
_lanyard_last=${HISTCMD-}
# The directory a command starts in is the one its prompt was shown in.
_lanyard_cwd=$PWD

# PS0 is expanded just before a command runs: the subscript of an associative array is expanded as text, so
# `:=` stores the start time there and the whole expands to nothing.
declare -A _lanyard_void
if [[ -n ${EPOCHREALTIME-} ]]; then
  PS0=${PS0-}'${_lanyard_void[${_lanyard_t0:=$EPOCHREALTIME}]-}'
else
  PS0=${PS0-}'${_lanyard_void[${_lanyard_t0:=\D{%s}}]-}'
fi

# Kept to few statements: each costs microseconds, on every prompt.
_lanyard_precmd() {
  local status=$? t1=${EPOCHREALTIME-} t0=$_lanyard_t0 HISTTIMEFORMAT=$'\1'
  # A record only when a command ran and bash added it to its history: HISTCMD moves only then, mostly. (It
  # reads 1 while history is off, and nothing once the user unsets it: an entry written twice then is known
  # by its number when Lanyard reads the spool.)
  if [[ -n $t0 && ${HISTCMD:-x$t0} != "$_lanyard_last" && -z ${LANYARD_HISTORY_OFF-} && ! -e $_lanyard_paused ]]; then
    [[ -n $t1 ]] || printf -v t1 '%(%s)T' -1
    # `history 1` prints "  123  <HISTTIMEFORMAT>command\n": the \1 marks where the command starts.
    { printf "$_lanyard_format" "$t0" "$t1" "$status" "$_lanyard_cwd"; builtin history 1; printf '\0'; } >>"$_lanyard_spool"
  fi
  _lanyard_last=${HISTCMD-} _lanyard_t0= _lanyard_cwd=$PWD
  return $status
}

# Run first, so $? is still the command's; hand it on unchanged to whatever PROMPT_COMMAND did before.
if [[ -n ${bash_preexec_imported-}${__bp_imported-} ]]; then
  precmd_functions=(_lanyard_precmd "${precmd_functions[@]}")
elif [[ -v PROMPT_COMMAND && ${PROMPT_COMMAND@a} == *a* ]]; then
  PROMPT_COMMAND=(_lanyard_precmd "${PROMPT_COMMAND[@]}")
else
  PROMPT_COMMAND="_lanyard_precmd${PROMPT_COMMAND:+; $PROMPT_COMMAND}"
fi

if [[ -z ${LANYARD_NO_CTRL_R-} ]]; then
  # Puts the chosen command on the prompt for editing; never runs it. Esc leaves the line as it was.
  _lanyard_ctrl_r() {
    local picked
    picked=$(@LANYARD_PICKER@ --session-hint "$_lanyard_session" --query "$READLINE_LINE" </dev/tty) || return 0
    READLINE_LINE=$picked
    READLINE_POINT=${#picked}
  }
  bind -x '"\C-r": _lanyard_ctrl_r' 2>/dev/null
fi

# The context-aware Up-arrow, when chosen (`lanyard history up-arrow on`): the first Up asks Lanyard once for this
# directory's, this session's, then all commands starting with the typed text; Up and Down then walk that list in
# the shell. A line that is not the one last shown starts a new walk. Otherwise Up is readline's own.
if [[ -e $_lanyard_home/history/up-arrow ]]; then
  _lanyard_up_items=() _lanyard_up_at=-1 _lanyard_up_typed= _lanyard_up_shown=
  _lanyard_up_show() {
    if (( _lanyard_up_at < 0 )); then READLINE_LINE=$_lanyard_up_typed; else READLINE_LINE=${_lanyard_up_items[_lanyard_up_at]}; fi
    READLINE_POINT=${#READLINE_LINE}
    _lanyard_up_shown=$READLINE_LINE
  }
  _lanyard_up() {
    if (( _lanyard_up_at < 0 )) || [[ $READLINE_LINE != "$_lanyard_up_shown" ]]; then
      local item
      _lanyard_up_typed=$READLINE_LINE _lanyard_up_at=-1 _lanyard_up_items=()
      while IFS= read -r -d '' item; do _lanyard_up_items+=("$item"); done < <(@LANYARD_RECALL@ --session-hint "$_lanyard_session" --query "$READLINE_LINE" </dev/null 2>/dev/null)
    fi
    (( _lanyard_up_at + 1 < ${#_lanyard_up_items[@]} )) || return 0
    (( ++_lanyard_up_at ))
    _lanyard_up_show
  }
  _lanyard_down() {
    (( _lanyard_up_at >= 0 )) && [[ $READLINE_LINE == "$_lanyard_up_shown" ]] || return 0
    (( --_lanyard_up_at ))
    _lanyard_up_show
  }
  for _lanyard_map in emacs vi-insert; do
    bind -m "$_lanyard_map" -x '"\e[A": _lanyard_up' 2>/dev/null
    bind -m "$_lanyard_map" -x '"\eOA": _lanyard_up' 2>/dev/null
    bind -m "$_lanyard_map" -x '"\e[B": _lanyard_down' 2>/dev/null
    bind -m "$_lanyard_map" -x '"\eOB": _lanyard_down' 2>/dev/null
  done
  unset _lanyard_map
fi
