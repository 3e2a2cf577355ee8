#!/usr/bin/env bash
# test_config.sh - sundeskd config files: a site's own id and policy, and one clear line per mistake.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# refused CONFIG-TEXT PATTERN: sundeskd exits 1 with one stderr line matching PATTERN.
refused() {
    printf '%s\n' "$1" >"$dir/bad.zpl"
    local err rc
    err=$("$bin/node/sundeskd" --data "$dir/never" --config "$dir/bad.zpl" 2>&1 >/dev/null); rc=$?
    if [ $rc -eq 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [[ $err == *"$2"* ]]; then ok
    else bad "config '$1' -> rc=$rc '$err' (wanted '$2')"; fi
}

refused $'node\n    colour = blue' "node/colour: unknown option"
refused $'node\n    site = apac' "node/site: must be"
refused $'node\n    role = boss' "node/role: must be site or hub"
refused $'weather\n    sun = yes' "unknown section 'weather'"
refused $'policy\n    matrix = "1 2 3"' "policy/matrix: must be 9 priorities"
refused $'policy\n    response_hours = "1 1 x 24"' "policy/response_hours"
refused $'node\n    endpoint = tcp://10.0.0.1:5555' "local clients only"
site=$'schedule\n    site\n        name = EMEA'
refused "$site"$'\n        zone = Europe/Londn' "schedule/site: EMEA: bad name or unknown time zone"
refused "$site"$'\n        zone = Europe/London\n        hours = "mon-fri 08:00-17:70"' "EMEA/hours"
refused "$site"$'\n        zone = Europe/London\n        holidays = "2026-02-30"' "EMEA/holidays"
refused "$site"$'\n        zone = Europe/London\n        ics = /nonexistent.ics' "EMEA/ics: cannot open"
refused "$site"$'\n        zone = Europe/London\n    site\n        name = EMEA\n        zone = UTC' \
    "EMEA: listed twice"
refused $'schedule\n    follow_sun = "P7"' "schedule/follow_sun: bad value"
refused $'schedule\n    clock_speed = 100' "the test clock needs clock_start and clock_speed"
refused $'mail\n    auto_per_hour = 0' "mail/auto_per_hour: bad value '0' (1 to 1000)"
refused $'mail\n    auto_per_hour = lots' "mail/auto_per_hour: bad value 'lots' (1 to 1000)"
cat >"$dir/sched.zpl" <<EOT
schedule
    site
        name = EMEA
        zone = Europe/London
        hours = "mon-fri 08:00-17:00"
        ics = $(cd "$(dirname "$0")/../node/data" && pwd)/holidays.ics
EOT
out=$("$bin/node/sundeskd" --check-config --config "$dir/sched.zpl"); rc=$?
[ $rc -eq 0 ] && [[ $out == *"1 site calendars"* ]] && ok || bad "--check-config with .ics: $out"
err=$("$bin/node/sundeskd" --data "$dir/never" --config "$dir/missing.zpl" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ $err == *"cannot read the config file"* ]] && ok || bad "missing file: $err"
[ ! -e "$dir/never/data.mdb" ] && ok || bad "a bad config still created a store"

cat >"$dir/apac.zpl" <<'EOT'
node
    site = APAC
    role = site
policy
    matrix = "1 1 2 2 3 4 3 4 4"
    response_hours = "2 4 8 24"
    resolve_hours = "4 8 24 48"
EOT
out=$("$bin/node/sundeskd" --check-config --config "$dir/apac.zpl"); rc=$?
[ $rc -eq 0 ] && [[ $out == *"site APAC"* ]] && ok || bad "--check-config: $out"
"$bin/node/sundeskd" --help | grep -- "--config FILE" >/dev/null && ok || bad "sundeskd --help"
# --check-config FILE: every problem on its own line in one run, certificates included.
out=$("$bin/node/sundeskd" --check-config "$dir/apac.zpl"); rc=$?
[ $rc -eq 0 ] && [[ $out == *"metrics off"* ]] && ok || bad "--check-config FILE: $out"
cat >"$dir/many.zpl" <<EOT
node
    site = apac
    role = boss
metrics
    port = 99999
    address = any
replication
    cert = $dir/nokeys/apac.cert
    certs = $dir/nocerts
    pub = tcp://0.0.0.0:7101
    sync = tcp://0.0.0.0:7102
EOT
err=$("$bin/node/sundeskd" --check-config "$dir/many.zpl" 2>&1 >/dev/null); rc=$?
for want in "node/site: must be" "node/role: must be" "metrics/port: bad value" \
    "metrics/address: bad value" "apac.cert_secret: secret key file missing" \
    "apac.cert_sign: signing key missing" "replication/certs: $dir/nocerts is not a directory"; do
    [[ $err == *"$want"* ]] || bad "--check-config did not report '$want': $err"
done
[ $rc -eq 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 7 ] && ok || bad "7 problems, rc 1: $err"
mkdir "$dir/cwd"
(cd "$dir/cwd" && "$bin/node/sundeskd" --check-config "$dir/apac.zpl" >/dev/null)
[ ! -e "$dir/cwd/sundesk-data" ] && ok || bad "--check-config created a data directory"
printf 'metrics\n    port = 9470\n' >"$dir/metrics.zpl"
out=$("$bin/node/sundeskd" --check-config "$dir/metrics.zpl"); rc=$?
[ $rc -eq 0 ] && [[ $out == *"metrics on"* ]] && ok || bad "metrics section: $out"

# The chat section: robot subsections; a secret file must be its owner's only and is never shown.
robot=$'chat\n    robot\n        name = ops'
refused $'chat\n    colour = blue' "chat/colour: unknown option"
refused "$robot"$'\n        kind = icq\n        url = http://x/' "robot ops/kind: bad kind"
refused "$robot"$'\n        kind = wecom\n        url = ftp://x/?key=K1' "robot ops/url: bad url"
refused "$robot"$'\n        kind = wecom' "robot ops: kind and url are needed"
refused "$robot"$'\n        kind = webhook\n        url = http://x/\n        events = new_p1,lunch' \
    "robot ops/events: bad events"
refused "$robot"$'\n        kind = webhook\n        url = http://x/\n        per_minute = 0' \
    "robot ops/per_minute: bad per_minute (1 to 600)"
refused "$robot"$'\n        kind = webhook\n        url = http://x/\n    robot\n        name = ops\n        kind = webhook\n        url = http://y/' \
    "robot ops is configured twice"
printf 'SEKRET-4711\n' >"$dir/robot.secret"; chmod 644 "$dir/robot.secret"
refused "$robot"$'\n        kind = dingtalk\n        url = http://x/\n        secret_file = '"$dir/robot.secret" \
    "must exist and be readable by its owner only (chmod 600)"
err=$("$bin/node/sundeskd" --check-config "$dir/bad.zpl" 2>&1)
[[ $err != *SEKRET* ]] && ok || bad "the secret was shown: $err"
chmod 600 "$dir/robot.secret"
refused "$robot"$'\n        kind = wecom\n        url = http://x/\n        secret_file = '"$dir/robot.secret" \
    "a wecom robot signs nothing"
cat >"$dir/chat.zpl" <<EOT
chat
    robot
        name = ops-dingtalk
        kind = dingtalk
        url = "https://oapi.dingtalk.com/robot/send?access_token=T"
        secret_file = $dir/robot.secret
        events = new_p1, breach, page
        teams = network, servers
        sites = APAC
        per_minute = 10
    robot = all-hooks
        kind = webhook
        url = http://127.0.0.1:9/hook
EOT
out=$("$bin/node/sundeskd" --check-config "$dir/chat.zpl" 2>&1) && [[ $out != *SEKRET* ]] && ok ||
    bad "a valid chat section: $out"


# The example configs of deploy/examples pass the check, with their paths moved to real keys.
mkdir -p "$dir/etc/keys" "$dir/etc/certs" "$dir/etc/signers"
for n in hub:HUB:hub emea:EMEA:site apac:APAC:site amer:AMER:site; do
    IFS=: read -r name site role <<<"$n"
    "$bin/tools/sundesk" keygen "$name" --site "$site" --role "$role" --dir "$dir/etc/keys" >/dev/null
    cp "$dir/etc/keys/$name.cert" "$dir/etc/certs/"
    cp "$dir/etc/keys/$name.cert" "$dir/etc/signers/"
done
for ex in hub region; do
    sed "s#/etc/sundesk#$dir/etc#g" "$(dirname "$0")/../../deploy/examples/$ex.zpl" >"$dir/$ex.zpl"
    out=$("$bin/node/sundeskd" --check-config "$dir/$ex.zpl" 2>&1) && ok ||
        bad "deploy/examples/$ex.zpl: $out"
done
# A certificate of another site is caught by the check, not only at start.
sed "s#site = EMEA#site = AMER#" "$dir/region.zpl" >"$dir/wrong.zpl"
err=$("$bin/node/sundeskd" --check-config "$dir/wrong.zpl" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ $err == *"certificate of site EMEA, but this node is AMER"* ]] && ok ||
    bad "a certificate of another site: $err"

start_node --config "$dir/apac.zpl" || bad "node did not start"
id=$(sd ticket new --title "Config test" --requester r@example.com --impact 1 --urgency 2)
[ "$id" = APAC-000001 ] && ok || bad "id '$id'"
json=$(sd --json ticket show "$id")
read -r pri span <<<"$(/usr/bin/python3 -c "import json,sys; t=json.loads(sys.argv[1]); \
print(t['priority'], (t['response_due'] - t['created_at']) // 3600000)" "$json")"
[ "$pri" = P1 ] && ok || bad "configured matrix: priority $pri"
[ "$span" = 2 ] && ok || bad "configured response target: $span h"
# A second node on the same data directory is refused.
err=$("$bin/node/sundeskd" --data "$data" --config "$dir/apac.zpl" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ $err == *"already running"* ]] && ok || bad "second node: $err"
stop_node || bad "unclean stop"
# The store belongs to APAC: starting it as another site is refused.
err=$("$bin/node/sundeskd" --data "$data" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ $err == *"cannot open the store"* ]] && ok || bad "site mismatch: $err"

finish
