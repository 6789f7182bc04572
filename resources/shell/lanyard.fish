# Lanyard history hook for fish. Each command is recorded with builtins only — no process is started per
# command — into a per-session spool that Lanyard ingests. Not recorded: commands starting with a space,
# commands matching the secrets patterns, anything in private mode, while LANYARD_HISTORY_OFF is set or
# while history is paused.
if status is-interactive; and not set -q _lanyard_hooked
    set -g _lanyard_hooked 1
    if set -q LANYARD_HOME
        set -g _lanyard_home $LANYARD_HOME
    else
        set -g _lanyard_home @LANYARD_HOME@
    end
    # Every folder made here is the owner's only, as Lanyard makes them (mkdir -m sets the last one alone).
    if not test -d $_lanyard_home/spool
        set -l mask (umask)
        umask 077
        command mkdir -p -- $_lanyard_home/spool
        umask $mask
    end
    set -g _lanyard_session (random)-$fish_pid-(random)
    set -g _lanyard_spool $_lanyard_home/spool/$_lanyard_session.spool
    set -g _lanyard_paused $_lanyard_home/history/paused
    set -g _lanyard_secret_re ''
    test -r $_lanyard_home/history/secrets.ere; and read -z _lanyard_secret_re <$_lanyard_home/history/secrets.ere
    set -g _lanyard_user $USER

    # fish has no clock builtin. Where /proc/uptime exists, reading it is a builtin `read`, and one `date` at
    # startup turns it into wall-clock time; elsewhere the start is left empty and Lanyard dates the record itself.
    set -g _lanyard_clock_offset ''
    if test -r /proc/uptime
        read -l up _ </proc/uptime
        set -l now (command date +%s.%N)
        set _lanyard_clock_offset (math --scale 3 "$now - $up")
    end
    function _lanyard_now
        test -n "$_lanyard_clock_offset"; or return
        read -l up _ </proc/uptime
        math --scale 3 "$_lanyard_clock_offset + $up"
    end

    set -g _lanyard_cwd $PWD
    set -g _lanyard_t0 ''
    function _lanyard_preexec --on-event fish_preexec
        set -g _lanyard_cwd $PWD
        set -g _lanyard_t0 (_lanyard_now)
    end

    function _lanyard_postexec --on-event fish_postexec
        set -l exit_status $status
        set -l duration $CMD_DURATION
        set -l cmd $argv[1]
        set -l t0 $_lanyard_t0
        set -g _lanyard_t0 ''
        test -n "$cmd"; or return
        string match -q -- ' *' $cmd; and return
        set -q LANYARD_HISTORY_OFF; or set -q fish_private_mode; or test -e $_lanyard_paused; and return
        # Only when secrets are dropped (else the ingester redacts them); past 4 KiB left to the ingester, which is
        # linear where PCRE2 need not be.
        test -n "$_lanyard_secret_re"; and test (string length -- $cmd) -le 4096; and string match -rq -- $_lanyard_secret_re $cmd; and return
        set -l t1 ''
        test -n "$t0"; and set t1 (math --scale 3 "$t0 + $duration / 1000")
        # An L3 record (main/history/spool.ts): backslashes doubled (a fish string cannot hold NUL), kept one
        # argument by `string collect` whatever its lines. Every field is quoted: an empty list would shift the rest.
        set cmd (string replace -a -- '\\' '\\\\' $cmd | string collect)
        printf 'L3\0%s\0fish\0%s\0%s\0%s\0%s\0%s\0%s\0%s\0\\\\\0' "$_lanyard_session" "$hostname" "$_lanyard_user" \
            "$t0" "$t1" "$exit_status" "$_lanyard_cwd" "$cmd" >>$_lanyard_spool
    end

    # The context-aware Up-arrow, when chosen (`lanyard history up-arrow on`): the first Up asks Lanyard once for
    # this directory's, this session's, then all commands starting with the typed text; Up and Down then walk that
    # list in the shell. A line that is not the one last shown starts a new walk. Otherwise Up is fish's own.
    if test -e $_lanyard_home/history/up-arrow
        set -g _lanyard_up_items
        set -g _lanyard_up_at 0
        set -g _lanyard_up_typed ''
        set -g _lanyard_up_shown ''
        function _lanyard_up_show
            set -l line $_lanyard_up_typed
            test $_lanyard_up_at -gt 0; and set line $_lanyard_up_items[$_lanyard_up_at]
            commandline -r -- $line
            commandline -C (string length -- $line)
            set -g _lanyard_up_shown $line
        end
        function _lanyard_up
            set -l line (commandline | string collect)
            if test $_lanyard_up_at -eq 0; or test "$line" != "$_lanyard_up_shown"
                set -g _lanyard_up_typed $line
                set -g _lanyard_up_at 0
                set -g _lanyard_up_items (@LANYARD_RECALL@ --session-hint $_lanyard_session --query "$line" </dev/null 2>/dev/null | string split0)
            end
            test $_lanyard_up_at -lt (count $_lanyard_up_items); or return
            set -g _lanyard_up_at (math $_lanyard_up_at + 1)
            _lanyard_up_show
        end
        function _lanyard_down
            set -l line (commandline | string collect)
            test $_lanyard_up_at -gt 0; and test "$line" = "$_lanyard_up_shown"; or return
            set -g _lanyard_up_at (math $_lanyard_up_at - 1)
            _lanyard_up_show
        end
        # Bound again whenever fish (re)loads its key bindings, which would put its own Up back.
        function _lanyard_up_bind --on-variable fish_key_bindings
            for mode in default insert
                bind -M $mode \e\[A _lanyard_up
                bind -M $mode \eOA _lanyard_up
                bind -M $mode \e\[B _lanyard_down
                bind -M $mode \eOB _lanyard_down
            end
        end
        _lanyard_up_bind
    end
end
