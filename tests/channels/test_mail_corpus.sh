#!/bin/bash
# test_mail_corpus.sh - sundesk-mailgate --dry-run on each message of mail/corpus gives the
# fields of its .json (text, charsets, threading ids, class, bounce fields, attachments); the
# program's refusals: too big (65, one stderr line), not a message (65), bad options (75).
set -uo pipefail
bin=${SD_BIN:?SD_BIN must point at the build directory}
gate=$bin/tools/mailgate/sundesk-mailgate
corpus=$(dirname "$0")/mail/corpus
tmp=$(mktemp -d /tmp/sd-mail-corpus.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

n=0
for eml in "$corpus"/*.eml; do
    name=$(basename "$eml" .eml)
    n=$((n + 1))
    if ! env -u SENDER "$gate" --dry-run <"$eml" >"$tmp/$name.json" 2>"$tmp/$name.err"; then
        bad "$name: exit $? $(cat "$tmp/$name.err")"
        continue
    fi
    if /usr/bin/python3 - "$corpus/$name.json" "$tmp/$name.json" <<'PY'; then ok; else bad "$name: differs from $name.json"; fi
import json, sys
want, got = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
if want != got:
    for k in sorted(set(want) | set(got)):
        if want.get(k) != got.get(k):
            print("  %s: wanted %r, got %r" % (k, want.get(k), got.get(k)))
    sys.exit(1)
PY
done
[ "$n" -ge 19 ] && ok || bad "only $n messages in the corpus"

# The same bytes twice: the same made Message-ID (an MTA's retry is the same message).
a=$("$gate" --dry-run <"$corpus/no_message_id.eml" | grep '"message_id"')
b=$("$gate" --dry-run <"$corpus/no_message_id.eml" | grep '"message_id"')
[ -n "$a" ] && [ "$a" = "$b" ] && ok || bad "made Message-ID not stable: $a / $b"

# Too big: 65 and one line the MTA quotes in its bounce.
err=$("$gate" --dry-run --max-bytes 1000 <"$corpus/attachments.eml" 2>&1 >/dev/null); rc=$?
[ $rc -eq 65 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [[ $err == *"larger than 1000 bytes"* ]] &&
    ok || bad "too big: rc=$rc err=$err"
# Exactly at the limit is taken.
size=$(stat -c %s "$corpus/mailing_list.eml")
"$gate" --dry-run --max-bytes "$size" <"$corpus/mailing_list.eml" >/dev/null && ok || bad "at the limit refused"
# Not a message.
err=$(printf '\x00\x01\x02 binary junk' | "$gate" --dry-run 2>&1 >/dev/null); rc=$?
[ $rc -eq 65 ] && [[ $err == *"not an e-mail message"* ]] && ok || bad "junk: rc=$rc err=$err"
err=$("$gate" --dry-run </dev/null 2>&1 >/dev/null); rc=$?
[ $rc -eq 65 ] && ok || bad "empty input: rc=$rc err=$err"
# Bad options: 75 (the MTA keeps the mail while the alias is fixed), one line.
err=$("$gate" --bogus </dev/null 2>&1); rc=$?
[ $rc -eq 75 ] && [[ $err == *"unknown option --bogus"* ]] && ok || bad "bad option: rc=$rc err=$err"
err=$("$gate" --max-bytes 12x </dev/null 2>&1); rc=$?
[ $rc -eq 75 ] && [[ $err == *"--max-bytes"* ]] && ok || bad "bad --max-bytes: rc=$rc err=$err"
err=$("$gate" </dev/null 2>&1); rc=$?
[ $rc -eq 75 ] && [[ $err == *"--data DIR and --node ENDPOINT"* ]] && ok || bad "no node: rc=$rc err=$err"
"$gate" --help | grep -q "Exit status" && ok || bad "--help"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
