#!/usr/bin/env bash
# test_customers.sh - customers through the sundesk CLI against a real sundeskd: new, find by a
# noisy phone number, a ticket from a phone call (customer, requester and VIP filled), the
# caller's card, merge (both ids lead to the survivor, whose card has the duplicate's tickets),
# an unknown caller, policy/phone_country, and the CSV import: 100,000 rows, then one found by
# its number; a file with one bad row imports nothing and names the line.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
expect_ok() { local out; if out=$(sd "$@" 2>&1); then ok; else bad "sundesk $* -> $out"; fi; }
# expect_fail PATTERN ARGS...: exits 1 with exactly one stderr line matching PATTERN.
expect_fail() {
    local pattern=$1 err rc; shift
    err=$(sd "$@" 2>&1 >/dev/null); rc=$?
    if [ $rc -eq 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [[ $err == *$pattern* ]]; then ok
    else bad "sundesk $* -> rc=$rc err=$err (wanted '$pattern')"; fi
}

start_node || bad "node did not start"
expect_ok user new wang --name "Wang Fang" --role requester

# new prints the id; the phones are kept as written and found in E.164.
id=$(sd customer new --name "Wang Fang" --email Wang.Fang@example.com --email wf@corp.cn \
     --phone "+86 21 5555 0101" --phone "138 0013 8000" --vip --org Acme --dept Finance)
check "customer new" "$id" LOCAL-C-000001
check "phones_e164" "$(json customer show "$id" -- "d['phones_e164']")" "+862155550101,+8613800138000"
check "find by a noisy number" "$(json customer find --phone "0086 (21) 5555-0101 ext 12" -- "d[0]['id']")" "$id"
check "find by e-mail, any case" "$(json customer find --email WANG.FANG@EXAMPLE.COM -- "d[0]['id']")" "$id"
check "find by name prefix" "$(json customer find --name wang -- "len(d)")" 1
expect_fail "'call me maybe' is not a phone number" customer new --name "Bad" --phone "call me maybe"
expect_fail "is not an e-mail address" customer new --name "Bad" --email "nobody"

# A phone call: the ticket names the customer, the requester is its first e-mail, and the
# VIP flag raises impact 2 x urgency 2 (P3) one step.
t1=$(sd ticket new --title "Printer jam" --phone "021 5555 0101" --channel phone)
check "ticket customer" "$(json ticket show "$t1" -- "d['customer']")" "$id"
check "ticket requester" "$(json ticket show "$t1" -- "d['requester']")" Wang.Fang@example.com
check "VIP priority" "$(json ticket show "$t1" -- "d['priority']")" P2
expect_fail "no customer has phone +862155550199" ticket new --title "x" --phone "021 5555 0199"
expect_fail "no customer has e-mail nobody@example.com" ticket new --title "x" --email nobody@example.com

# A customer linked to a requester login: tickets by e-mail are that user's; not VIP: P3.
id2=$(sd customer new --name "Wang Fang" --email fang.wang@example.com --phone "021 5555 0102" --user wang)
t2=$(sd ticket new --title "VPN" --email FANG.WANG@example.com)
check "linked requester" "$(json ticket show "$t2" -- "d['requester']")" wang
check "not VIP" "$(json ticket show "$t2" -- "d['priority']")" P3
t3=$(sd ticket new --title "Old issue" --customer "$id2")
expect_ok ticket cancel "$t3" --reason duplicate

# The card: open and done tickets, empty assets and contacts.
check "card open" "$(json lookup --phone "+86 21 5555 0102" -- "[t['id'] for t in d['open_tickets']]")" "['$t2']"
check "card past" "$(json lookup --phone "+86 21 5555 0102" -- "[t['id'] for t in d['past_tickets']]")" "['$t3']"
check "card keys" "$(json lookup --email fang.wang@example.com -- "sorted(d)")" \
    "['assets', 'contacts', 'customer', 'open_tickets', 'past_tickets']"
out=$(sd lookup --phone "021 5555 0101")
[[ $out == *"Wang Fang (LOCAL-C-000001)  VIP"* && $out == *"$t1"* && $out == *"Last closed tickets: none"* ]] \
    && ok || bad "card text: $out"
expect_fail "no customer has phone +12125550100" lookup --phone "+1 (212) 555-0100"
expect_fail "is not a phone number" lookup --phone "call me"

# Merge: the duplicate's id, number and e-mail lead to the survivor, whose card shows both
# customers' tickets; the duplicate takes no more edits, and the survivor is not merged back.
expect_ok customer merge "$id2" --into "$id"
check "merged_into" "$(sd --json customer list | /usr/bin/python3 -c \
    "import json,sys; print([c.get('merged_into') for c in json.load(sys.stdin) if c['id']=='$id2'][0])")" "$id"
check "show merged id" "$(json customer show "$id2" -- "d['id']")" "$id"
check "lookup by the duplicate's number" "$(json lookup --phone "021 5555 0102" -- "d['customer']['id']")" "$id"
check "survivor's card" "$(json lookup --id "$id" -- "sorted(t['id'] for t in d['open_tickets'])")" \
    "$(printf "['%s', '%s']" "$t1" "$t2")"
check "new ticket for a merged id" "$(json ticket new --title "Again" --customer "$id2" -- "d['customer']")" "$id"
expect_fail "was merged into $id" customer update "$id2" --notes "late"
expect_fail "is merged into $id already" customer merge "$id" --into "$id2"
expect_fail "cannot be merged into itself" customer merge "$id" --into "$id"
expect_ok customer update "$id" --no-vip --notes "call after 10"
check "update" "$(json customer show "$id" -- "d['vip']")" False

# policy/phone_country: national numbers are the configured country's.
stop_node || bad "stop"
printf 'policy\n    phone_country = 44\n' >"$dir/uk.zpl"
start_node --config "$dir/uk.zpl" || bad "node did not restart with phone_country"
uk=$(sd customer new --name "Jo Bloggs" --phone "020 7946 0018")
check "UK national number" "$(json customer show "$uk" -- "d['phones_e164']")" "+442079460018"
check "find UK" "$(json customer find --phone "+44 (0)20 7946 0018" -- "d[0]['id']")" "$uk"
printf 'policy\n    phone_country = 0044\n' >"$dir/bad.zpl"
err=$("$bin/node/sundeskd" --data "$dir/never" --config "$dir/bad.zpl" 2>&1 >/dev/null)
[[ $err == *"policy/phone_country: must be a country code"* ]] && ok || bad "bad phone_country: $err"
stop_node || bad "stop"
start_node || bad "node did not restart"

# Import: one bad row, nothing imported, the line named.
cat >"$dir/bad.csv" <<'EOT'
name,email,phone,organisation,department,vip,site
Good One,good.one@example.com,021 6666 0001,Acme,IT,false,LOCAL
"Quoted, ""Two""",two@example.com,"021 6666 0002, 138 6666 0002",Acme,IT,yes,LOCAL
Bad Three,not-an-address,021 6666 0003,Acme,IT,no,LOCAL
EOT
err=$(sd customer import "$dir/bad.csv" 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] && [[ $err == *"line 4: 'not-an-address' is not an e-mail address"* ]] \
    && [[ $err == *"1 bad row; nothing imported"* ]] && ok || bad "bad import: rc=$rc $err"
check "nothing imported" "$(json customer find --email good.one@example.com -- "len(d)")" 0

# 100,000 rows, pipelined; then a row is found by its number, by index.
/usr/bin/python3 - "$dir/big.csv" <<'EOT'
import sys
with open(sys.argv[1], "w") as f:
    f.write("name,email,phone,organisation,department,vip,site\n")
    for i in range(100000):
        f.write(f'"Customer {i}, Jr",c{i}@example.com,"+86 21 {7000 + i // 10000} {i % 10000:04d}",'
                f"Org {i % 50},Dept,{'true' if i % 97 == 0 else 'false'},LOCAL\n")
EOT
start=$(s_now_ms)
out=$(sd --timeout 60000 customer import "$dir/big.csv" 2>&1) && ok || bad "import: $out"
check "imported" "$out" "imported 100000 customers"
echo "imported 100000 customers in $(( $(s_now_ms) - start )) ms"
check "lookup an imported row" "$(json lookup --phone "021 7004 2345" -- "d['customer']['name']")" "Customer 42345, Jr"
check "its e-mail" "$(json lookup --email C99999@example.com -- "d['customer']['vip']")" False
check "the same import again adds nothing" "$(sd --timeout 60000 customer import "$dir/big.csv")" "imported 100000 customers"
check "no duplicate" "$(json customer find --phone "021 7009 9999" -- "len(d)")" 1

finish
