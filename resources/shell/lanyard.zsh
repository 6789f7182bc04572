# Lanyard history hook for zsh. Each command is recorded with shell builtins only — no process is started
# per command — into a per-session spool that Lanyard ingests. Not recorded: commands starting with a space,
# commands matching the secrets patterns, anything while LANYARD_HISTORY_OFF is set or history is paused.
# Ctrl+R opens Lanyard's search unless LANYARD_NO_CTRL_R is set.
[[ -o interactive ]] || return 0
(( ${+_lanyard_hooked} )) && return 0
typeset -g _lanyard_hooked=1
zmodload zsh/datetime 2>/dev/null

typeset -g _lanyard_home=${LANYARD_HOME:-@LANYARD_HOME@}
# Every folder made here is the owner's only, as Lanyard makes them (mkdir -m sets the last one alone).
[[ -d $_lanyard_home/spool ]] || (umask 077 && command mkdir -p -- "$_lanyard_home/spool")
typeset -g _lanyard_session="${EPOCHSECONDS}-$$-$RANDOM"
typeset -g _lanyard_spool=$_lanyard_home/spool/$_lanyard_session.spool
typeset -g _lanyard_paused=$_lanyard_home/history/paused
typeset -g _lanyard_secret_re=
# A `case` over globs that every secret matches spares most commands the regex, which zsh compiles on every
# use. Without the globs file (older versions wrote none) every command goes to the regex.
typeset -g _lanyard_secret_case='*'
if [[ -r $_lanyard_home/history/secrets.ere ]]; then
  _lanyard_secret_re="$(<$_lanyard_home/history/secrets.ere)"
  [[ -r $_lanyard_home/history/secrets.globs ]] && _lanyard_secret_case=${(j:|:)${(f)"$(<$_lanyard_home/history/secrets.globs)"}}
fi
# Whether $1 matches the secrets pattern (written only when secrets are dropped; else the ingester redacts them).
# Past 4 KiB the check is left to the ingester, which is linear where a regex engine need not be. Lanyard writes
# the globs (letters, digits, `*[]._/=-` only); anything else in the file is not put in code: every command then
# goes to the regex.
if [[ -z $_lanyard_secret_re ]]; then
  _lanyard_secret() { return 1 }
else
  [[ $_lanyard_secret_case =~ '^[][A-Za-z0-9_*./=|-]+$' ]] || _lanyard_secret_case='*'
  eval "_lanyard_secret() { (( \${#1} <= 4096 )) || return 1; case \$1 in ($_lanyard_secret_case) setopt localoptions no_re_match_pcre; [[ \$1 =~ \$_lanyard_secret_re ]] ;; (*) return 1 ;; esac }"
fi
unset _lanyard_secret_case
typeset -g _lanyard_user=${${USER:-${LOGNAME-}}//$'\0'}
typeset -g _lanyard_cmd= _lanyard_t0= _lanyard_cwd=

_lanyard_preexec() {
  # $1 is the line exactly as typed, even when the history mechanism drops it.
  _lanyard_cmd=$1
  _lanyard_t0=$EPOCHREALTIME
  _lanyard_cwd=$PWD
}

_lanyard_precmd() {
  local exit_status=$? t1=$EPOCHREALTIME cmd=$_lanyard_cmd t0=$_lanyard_t0
  _lanyard_cmd= _lanyard_t0=
  [[ -n $t0 && -n $cmd && $cmd != ' '* && -z ${LANYARD_HISTORY_OFF-} && ! -e $_lanyard_paused ]] || return 0
  _lanyard_secret "$cmd" && return 0
  # An L3 record (main/history/spool.ts): a zsh string can hold NUL, so the command's backslashes are doubled and
  # its NULs written as \0 (and NULs a user put in $HOST or $USER left out): no text can end a field early.
  cmd=${cmd//\\/\\\\}
  printf 'L3\0%s\0zsh\0%s\0%s\0%s\0%s\0%s\0%s\0%s\0\\\0' "$_lanyard_session" "${HOST//$'\0'}" "$_lanyard_user" \
    "$t0" "$t1" "$exit_status" "$_lanyard_cwd" "${cmd//$'\0'/\\0}" >> "$_lanyard_spool"
}

autoload -Uz add-zsh-hook
add-zsh-hook preexec _lanyard_preexec
# First in line, so $? is still the command's.
precmd_functions=(_lanyard_precmd ${${precmd_functions-}:#_lanyard_precmd})

if [[ -z ${LANYARD_NO_CTRL_R-} ]]; then
  # Puts the chosen command in the buffer for editing; never runs it. Esc leaves the buffer as it was.
  _lanyard_ctrl_r() {
    local picked
    picked=$(@LANYARD_PICKER@ --session-hint "$_lanyard_session" --query "$BUFFER" </dev/tty)
    if (( $? == 0 )); then
      BUFFER=$picked
      CURSOR=${#BUFFER}
    fi
    zle reset-prompt
  }
  zle -N _lanyard_ctrl_r
  bindkey -M emacs '^R' _lanyard_ctrl_r
  bindkey -M viins '^R' _lanyard_ctrl_r
fi

# The context-aware Up-arrow, when chosen (`lanyard history up-arrow on`): the first Up asks Lanyard once for this
# directory's, this session's, then all commands starting with the typed text; Up and Down then walk that list in
# the shell. A buffer that is not the one last shown starts a new walk. Otherwise Up is zle's own.
if [[ -e $_lanyard_home/history/up-arrow ]]; then
  typeset -ga _lanyard_up_items=()
  typeset -g _lanyard_up_at=0 _lanyard_up_typed= _lanyard_up_shown=
  _lanyard_up_show() {
    if (( _lanyard_up_at == 0 )); then BUFFER=$_lanyard_up_typed; else BUFFER=$_lanyard_up_items[_lanyard_up_at]; fi
    CURSOR=$#BUFFER
    _lanyard_up_shown=$BUFFER
  }
  _lanyard_up() {
    if (( _lanyard_up_at == 0 )) || [[ $BUFFER != "$_lanyard_up_shown" ]]; then
      _lanyard_up_typed=$BUFFER _lanyard_up_at=0
      _lanyard_up_items=(${(0)"$(@LANYARD_RECALL@ --session-hint "$_lanyard_session" --query "$BUFFER" </dev/null 2>/dev/null)"})
    fi
    (( _lanyard_up_at < $#_lanyard_up_items )) || return 0
    (( ++_lanyard_up_at ))
    _lanyard_up_show
  }
  _lanyard_down() {
    (( _lanyard_up_at > 0 )) && [[ $BUFFER == "$_lanyard_up_shown" ]] || return 0
    (( --_lanyard_up_at ))
    _lanyard_up_show
  }
  zle -N _lanyard_up
  zle -N _lanyard_down
  for _lanyard_map in emacs viins; do
    bindkey -M $_lanyard_map '^[[A' _lanyard_up '^[OA' _lanyard_up '^[[B' _lanyard_down '^[OB' _lanyard_down
  done
  unset _lanyard_map
fi
