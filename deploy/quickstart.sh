#!/usr/bin/env bash
# quickstart.sh - installs, builds, starts a single-site node in ./sundesk-data and walks a
# ticket through the whole seed-001 workflow with the sundesk CLI. The node keeps running.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/deps.sh"
echo "building sundesk in $root/build (log: $root/build.log) ..."
if ! BUILD_DIR="$root/build" "$root/deploy/build.sh" >"$root/build.log" 2>&1; then
    tail -20 "$root/build.log"; echo "sundesk: the build failed; see $root/build.log" >&2; exit 1
fi
bin="$root/build"
data=${SUNDESK_DATA:-$PWD/sundesk-data}
sd() { "$bin/tools/sundesk" --data "$data" "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n$ sundesk %s\n' "$1" "${*:2}"; sd "${@:2}"; }

if ! sd node ping >/dev/null 2>&1; then
    mkdir -p "$data"
    nohup "$bin/node/sundeskd" --data "$data" >>"$data/sundeskd.log" 2>&1 &
    for _ in $(seq 50); do sd node ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
echo "sundeskd is running on $data (log: $data/sundeskd.log)"
export SUNDESK_AUTHOR=li.lei
id=$(sd ticket new --title "Cannot print to the 3rd-floor printer" --requester wang.fang@example.com \
     --channel phone --category hardware/printer --impact 2 --urgency 1 \
     --description "Jobs stay in the queue since this morning.")
echo; echo "1. recorded the request as $id (priority from impact x urgency)"
step "2. tell the customer it is accepted and when to expect a reply" ticket ack "$id"
step "3. route it to the responsible team" ticket assign "$id" zhang.wei --team desktop --tier L1.5
step "4. handle it" ticket start "$id"
step "   keep the customer informed (public reply)" ticket comment "$id" "We are on it; a technician is on the way." --public
step "   wait for the customer" ticket pending "$id" customer --reason "needs the printer's asset tag"
step "   the customer answered" ticket start "$id"
step "   5. track progress (internal work note)" ticket comment "$id" "Fuser replaced."
step "6. confirm the result" ticket resolve "$id" "Replaced the fuser unit; test page printed."
step "7. close with the customer's satisfaction" ticket close "$id" 5 --feedback "Fixed within the hour"
step "the per-ticket report" ticket report "$id"
step "the queue" ticket list
cat <<EOT

Done. Try: $bin/tools/sundesk --data $data ticket new --title "..." --requester you@example.com
Stop the node with: kill \$(pgrep -f "sundeskd --data $data")
EOT
