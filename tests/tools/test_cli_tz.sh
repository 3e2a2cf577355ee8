#!/usr/bin/env bash
# test_cli_tz.sh - the CLI shows a ticket's times in the viewer's zone (--tz, else $TZ, else
# the desk user's time_zone, else UTC) with the offset named, and the owner site's clock beside the due times (its zone from
# schedule.now), against a real sundeskd whose site EMEA runs on Europe/London; --json stays
# in Unix ms; an unknown zone exits 2 with one line.
set -uo pipefail
. "$(dirname "$0")/../integration/lib.sh"
export XDG_CONFIG_HOME="$dir/cfg"
unset SUNDESK_TOKEN TZ
hasnt() { [[ $2 != *"$1"* ]] && ok || bad "did not want '$1' in: $2"; }
cat >"$dir/emea.zpl" <<'EOT'
node
    site = EMEA
    role = site
schedule
    site
        name = EMEA
        zone = Europe/London
        hours = "mon-sun 00:00-24:00"
EOT
start_node --config "$dir/emea.zpl" || bad "node did not start"

id=$(sd ticket new --title "VPN down" --impact 2 --urgency 2)
json=$(sd --json ticket show "$id")
ms() { printf '%s' "$json" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
due=$(ms resolve_due) created=$(ms created_at)
[[ $due =~ ^[0-9]{13}$ ]] && ok || bad "--json resolve_due not Unix ms: $due"
# at ZONE MS: the minute of MS in ZONE as date(1) sees it.
at() { TZ=$1 date -d "@$(($2 / 1000))" "+%Y-%m-%d %H:%M"; }
off() { local o; o=$(TZ=$1 date -d "@$(($2 / 1000))" +%z); [ "${o:3:2}" = 00 ] && o=${o:0:3}; printf '%s' "$o"; }

card=$(sd --tz Asia/Shanghai ticket show "$id")
has "times in    Asia/Shanghai; site EMEA on Europe/London" "$card"
has "created     $(at Asia/Shanghai "$created")+08" "$card"
has "resolve due $(at Asia/Shanghai "$due")+08 (EMEA $(at Europe/London "$due")$(off Europe/London "$due"))" "$card"

card=$(sd --tz Europe/London ticket show "$id")
has "times in    Europe/London; site EMEA on Europe/London" "$card"
has "resolve due $(at Europe/London "$due")$(off Europe/London "$due")"$'\n' "$card"
hasnt "(EMEA " "$card" # the site's clock is the viewer's: not shown twice

card=$(TZ=America/New_York sd ticket show "$id")
has "times in    America/New_York" "$card"
has "created     $(at America/New_York "$created")$(off America/New_York "$created")" "$card"
card=$(TZ=America/New_York sd --tz Asia/Shanghai ticket show "$id")
has "times in    Asia/Shanghai" "$card" # --tz wins over $TZ

card=$(sd ticket show "$id")
has "times in    UTC" "$card"
has "created     $(at UTC "$created")Z" "$card"
list=$(sd --tz Asia/Shanghai ticket list)
has "$(at Asia/Shanghai "$due")+08" "$list"
hist=$(sd --tz Asia/Shanghai ticket history "$id")
has "$(at Asia/Shanghai "$created")+08" "$hist"
[ "$(sd --tz Asia/Shanghai --json ticket show "$id")" = "$json" ] && ok || bad "--json changed by --tz"

# No --tz and no $TZ: the desk user's own time_zone (from auth.whoami); the bootstrap admin
# has none and sees UTC.
sd user new li.wei --name "Li Wei" --role agent --time-zone Asia/Shanghai >/dev/null ||
    bad "user new li.wei"
tok=$(sd token new --user li.wei --days 1)
has "zone   Asia/Shanghai" "$(sd --token "$tok" whoami)"
card=$(sd --token "$tok" ticket show "$id")
has "times in    Asia/Shanghai" "$card"
has "created     $(at Asia/Shanghai "$created")+08" "$card"
has "times in    Europe/London" "$(sd --token "$tok" --tz Europe/London ticket show "$id")"
has "times in    America/New_York" "$(TZ=America/New_York sd --token "$tok" ticket show "$id")"

err=$(sd --tz Mars/Olympus_Mons ticket show "$id" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [[ $err == *"unknown time zone"* ]] &&
    ok || bad "unknown zone: rc=$rc $err"
stop_node
finish
