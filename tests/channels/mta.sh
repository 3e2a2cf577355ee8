# mta.sh - a test-owned Postfix on loopback, for the channels' tests (sourced after
# tests/integration/lib.sh, which gives $dir, free_port and the cleanup this hooks into).
#
# Its own config_directory, queue_directory, data_directory and log file under $dir/mta; smtpd
# on a free 127.0.0.1 port ($mta_port); every address is delivered locally: the desk's address
# $mta_desk (support@desk.sundesk.test) through the alias pipe $MTA_DESK_COMMAND (when set
# before mta_start; else to the mailbox like the rest), and every other recipient, of any
# domain, into one mbox file, $mta_mailbox (a catch-all: luser_relay). Nothing leaves the
# machine. Retries are fast (queue_run_delay and backoff 1-2 s) and mta_flush forces one.
#
#   MTA_DESK_COMMAND='/path/sundesk-mailgate --node tcp://127.0.0.1:P --token-file F'
#   mta_start                       starts Postfix (returns 1 with its log when it cannot)
#   mta_send FILE [RCPT] [SENDER]   submits FILE over SMTP (default RCPT $mta_desk, SENDER the
#                                   From address; "" for a null sender <>)
#   mta_mailbox_count               messages in $mta_mailbox now
#   mta_wait_mailbox N [SECONDS]    waits until $mta_mailbox holds at least N messages
#   mta_queue_count                 messages in Postfix's queue (deferred, active, ...)
#   mta_wait_queue_empty [SECONDS]  waits until the queue is empty
#   mta_flush                       makes Postfix retry its deferred mail now
#   mta_stop                        stops Postfix (also done on exit)
#   mta_log                         prints Postfix's log (for a failure's message)
#   $mta_sendmail                   the sendmail(1) command line that submits to it (-t -i to
#                                   add), e.g. for the node's mail/sendmail
#
# The pipe runs as $mta_user (nobody: default_privs, the alias file being root's): a token file
# the command reads must be that user's and 0600 (mta_token_file TOKEN prints such a file's
# path), and $dir is opened to it (mode 0711) on start. Postfix runs as root here (a container
# without systemd); `postfix -c DIR` needs no entry in the system's main.cf for that.
mta_dir="$dir/mta"
mta_port=""
mta_user=nobody
mta_domain=desk.sundesk.test
mta_desk="support@$mta_domain"
mta_mailbox="$mta_dir/box/mailbox"
mta_sendmail="/usr/sbin/sendmail -C $mta_dir/etc" # or MAIL_CONFIG=$mta_dir/etc for sendmail
mta_running=""

s_mta_cleanup() {
    [ -n "$mta_running" ] && postfix -c "$mta_dir/etc" stop >/dev/null 2>&1
    mta_running=""
}
# lib.sh calls $LIB_BEFORE_RM before it removes $dir: Postfix stops first (a test that sets its
# own LIB_BEFORE_RM does so before sourcing this file; it is called after).
s_mta_prev_before_rm=${LIB_BEFORE_RM:-}
s_mta_before_rm() {
    s_mta_cleanup
    [ -z "$s_mta_prev_before_rm" ] || $s_mta_prev_before_rm
}
LIB_BEFORE_RM=s_mta_before_rm

mta_start() {
    mta_port=$(free_port)
    mkdir -p "$mta_dir/etc" "$mta_dir/queue" "$mta_dir/data" || return 1
    chmod 711 "$dir" "$mta_dir"
    mkdir -p "$mta_dir/box" && : >"$mta_mailbox" # its own directory: local(8) makes its lock
    chown "$mta_user" "$mta_dir/box" "$mta_mailbox" && chmod 700 "$mta_dir/box" &&
        chmod 600 "$mta_mailbox"
    chown postfix "$mta_dir/data"
    local daemon_dir
    daemon_dir=$(postconf -dh daemon_directory)
    cat >"$mta_dir/etc/main.cf" <<EOF
compatibility_level = 3.6
config_directory = $mta_dir/etc
queue_directory = $mta_dir/queue
data_directory = $mta_dir/data
daemon_directory = $daemon_dir
shlib_directory = $(postconf -dh shlib_directory)
mail_owner = postfix
setgid_group = postdrop
default_privs = $mta_user
maillog_file_prefixes = $dir
maillog_file = $mta_dir/maillog
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
myhostname = mta.sundesk.test
mydomain = sundesk.test
myorigin = $mta_domain
mydestination = $mta_domain, localhost
default_transport = local
relay_transport = local
local_recipient_maps =
luser_relay = catchall
alias_maps = hash:$mta_dir/etc/aliases
alias_database = hash:$mta_dir/etc/aliases
allow_mail_to_files = alias
allow_mail_to_commands = alias
command_time_limit = 120s
biff = no
append_dot_mydomain = no
smtputf8_enable = yes
smtpd_banner = \$myhostname ESMTP sundesk test
message_size_limit = 20971520
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
delay_warning_time = 0
bounce_queue_lifetime = 1h
maximal_queue_lifetime = 1h
EOF
    cat >"$mta_dir/etc/master.cf" <<EOF
127.0.0.1:$mta_port inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
    {
        echo "catchall: $mta_mailbox"
        echo "postmaster: catchall"
        echo "mailer-daemon: catchall"
        if [ -n "${MTA_DESK_COMMAND:-}" ]; then
            echo "support: \"|$MTA_DESK_COMMAND\""
        else
            echo "support: catchall"
        fi
    } >"$mta_dir/etc/aliases"
    postalias -c "$mta_dir/etc" "$mta_dir/etc/aliases" || return 1
    if ! postfix -c "$mta_dir/etc" check >"$mta_dir/check.log" 2>&1 ||
        ! postfix -c "$mta_dir/etc" start >>"$mta_dir/check.log" 2>&1; then
        cat "$mta_dir/check.log" "$mta_dir/maillog" 2>/dev/null
        return 1
    fi
    mta_running=1
    within 15 s_mta_listening || { mta_log; return 1; }
}
s_mta_listening() { /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $mta_port), 1).close()" 2>/dev/null; }

mta_send() {
    local file=$1 rcpt=${2:-$mta_desk}
    /usr/bin/python3 - "$mta_port" "$file" "$rcpt" "${3-__from__}" <<'PY'
import email, email.utils, smtplib, sys
port, path, rcpt, sender = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
data = open(path, "rb").read()
if sender == "__from__":
    msg = email.message_from_bytes(data)
    sender = email.utils.parseaddr(str(msg.get("From", "")))[1]
with smtplib.SMTP("127.0.0.1", port, timeout=30) as s:
    s.sendmail(sender, [rcpt], data)
PY
}

mta_mailbox_count() { grep -c '^From ' "$mta_mailbox" 2>/dev/null || true; }
s_mta_mailbox_has() { [ "$(mta_mailbox_count)" -ge "$1" ]; }
mta_wait_mailbox() { within "${2:-30}" s_mta_mailbox_has "$1"; }

mta_queue_count() { find "$mta_dir/queue/incoming" "$mta_dir/queue/active" "$mta_dir/queue/deferred" "$mta_dir/queue/maildrop" -type f 2>/dev/null | wc -l; }
s_mta_queue_empty() { [ "$(mta_queue_count)" -eq 0 ]; }
mta_wait_queue_empty() { within "${1:-30}" s_mta_queue_empty; }

mta_flush() { postqueue -c "$mta_dir/etc" -f; }
mta_stop() { s_mta_cleanup; }
mta_log() { cat "$mta_dir/maillog" 2>/dev/null; }

# mta_token_file TOKEN: writes TOKEN to a file only the pipe's user can read; prints its path.
mta_token_file() {
    local f="$mta_dir/mailgate.token"
    mkdir -p "$mta_dir"
    printf '%s\n' "$1" >"$f"
    chown "$mta_user" "$f" && chmod 600 "$f"
    echo "$f"
}
