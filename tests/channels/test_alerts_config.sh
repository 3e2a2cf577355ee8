#!/usr/bin/env bash
# test_alerts_config.sh - the alerts section of sundeskd's config: a good one is taken, and each
# mistake is one clear line (sundeskd exits 1).
set -uo pipefail
. "$(dirname "$0")/../integration/lib.sh"
# refused TEXT PATTERN: `sundeskd --check-config` on TEXT fails with one line holding PATTERN.
refused() {
    local out
    printf '%s\n' "$1" >"$dir/bad.zpl"
    if out=$("$bin/node/sundeskd" --check-config --config "$dir/bad.zpl" 2>&1); then
        bad "config '$1' taken"
    else
        [ "$(wc -l <<<"$out")" -eq 1 ] && [[ $out == *"$2"* ]] && ok || bad "config '$1' -> '$out' (wanted '$2')"
    fi
}
src=$'alerts\n    source\n        name = prom\n        kind = alertmanager\n        user = prom'
cat >"$dir/good.zpl" <<EOT
$src
        team = ops
        category = monitoring
        site = SHA
    source
        name = pd.main
        kind = pagerduty
        user = pd
        routing_key = R0123456789
    flap_window = 0
    severity_critical = 1,1
    severity_info = 3,3
EOT
out=$("$bin/node/sundeskd" --check-config --config "$dir/good.zpl" 2>&1) && ok || bad "a good alerts section refused: $out"
refused $'alerts\n    flap_window = soon' "alerts/flap_window: bad value 'soon'"
refused $'alerts\n    flap_window = 999999' "0 to 604800 seconds"
refused $'alerts\n    severity_critical = 1' "alerts/severity_critical: bad value '1' (IMPACT,URGENCY"
refused $'alerts\n    severity_fatal = 1,1' "unknown option"
refused $'alerts\n    source\n        kind = alertmanager\n        user = prom' "name = NAME is needed"
refused $'alerts\n    source\n        name = a b\n        kind = alertmanager\n        user = p' "name = NAME is needed"
refused $'alerts\n    source\n        name = prom\n        kind = nagios\n        user = prom' \
    "alerts/source/kind: bad value 'nagios' (alertmanager or pagerduty)"
refused $'alerts\n    source\n        name = prom\n        kind = alertmanager' "alerts/source prom: kind and user are needed"
refused "$src"$'\n        colour = red' "unknown option 'colour'"
refused "$src"$'\n'"$src" "alerts/source prom: named twice"
refused $'alerts\n    team = ops' "unknown option"
finish
