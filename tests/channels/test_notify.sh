#!/usr/bin/env bash
# test_notify.sh - the rules of notifications out on a real sundeskd, its mail caught by a
# recording `sendmail` (one file per message; the Postfix path is test_mail_out.sh): history is
# never replayed (tickets made while mail was off get nothing when it is turned on); a ticket of
# a customer gets the acknowledgement at the customer's address, in the customer's language and
# time zone; a ticket handed to another site is no longer this site's to tell; an admin's
# template wins over the built-in one; mail/auto_per_hour holds the notice that would pass the
# limit (queued, with the reason); a major incident mails the contact list; a bulletin mails
# mail/bulletin_to; a refused mail (sendmail's EX_DATAERR) is failed at once, with the reason;
# no mail to an address a bounce marked; SMTP to nobody leaves the notice queued for its backoff,
# with the reason.
set -uo pipefail
. "$(dirname "$0")/../integration/lib.sh"

mkdir -p "$dir/mails" "$dir/templates/en"
cat >"$dir/sendmail" <<EOF
#!/bin/sh
f="$dir/mails/\$(date +%s%N).eml"
cat >"\$f"
grep -q '^To: refuse' "\$f" && { echo "550 no such user" >&2; exit 65; }
exit 0
EOF
chmod 755 "$dir/sendmail"
conf() { # conf MAIL_TRANSPORT [MORE_MAIL_LINES]
    cat >"$dir/desk.zpl" <<EOF
node
    site = APAC
schedule
    site
        name = APAC
        zone = Asia/Shanghai
        hours = "mon-sun 00:00-24:00"
    site
        name = EMEA
        zone = Europe/London
        hours = "mon-sun 00:00-24:00"
mail
    address = desk@example.com
    domain = desk.example.com
    transport = $1
    sendmail = $dir/sendmail
    templates = $dir/templates
    console_url = https://desk.example.com/
    bulletin_to = all-staff@example.com, it-leads@example.com
    auto_per_hour = 3
${2:-}
EOF
}
count() { ls "$dir/mails" | wc -l; }
has_mails() { [ "$(count)" -ge "$1" ]; }
# mail N FIELD: a header of the N-th mail (decoded), or its body.
mail() {
    /usr/bin/python3 - "$(ls -d "$dir"/mails/* | sort | sed -n "$1p")" "$2" <<'PY'
import email, sys
from email.header import decode_header, make_header
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
if sys.argv[2] == "body":
    print(m.get_payload(decode=True).decode("utf-8"))
else:
    print(str(make_header(decode_header(m.get(sys.argv[2], "")))))
PY
}

# 1. Mail off: tickets are made, nothing is sent; turned on, they are not replayed.
conf off
start_node --config "$dir/desk.zpl" || bad "node did not start"
old=$(sd ticket new --title "before mail" --requester old@example.com --channel email | head -1)
expect_fail "sends no notices" outbox list
stop_node
conf sendmail
start_node --config "$dir/desk.zpl" || bad "node did not restart"
check "no history replayed" "$(json outbox list -- "len(d)")" 0
expect_ok ticket comment "$old" "a reply after mail was turned on" --public
has_mails 1 || within 30 has_mails 1 || bad "no reply mail"
check "the new event is sent" "$(mail 1 to)" old@example.com

# 2. A customer's ticket: the customer's address, language (en) and time zone.
expect_ok user new li --name "Li Wei" --role agent
c=$(sd customer new --name "Anna Berg" --email anna@example.se --language en --time-zone Europe/Stockholm)
t=$(sd ticket new --title "Laptop will not boot" --requester li --customer "$c" | head -1)
within 30 has_mails 2 || bad "no acknowledgement for the customer: $(sd outbox list)"
check "to the customer" "$(mail 2 to)" anna@example.se
check "in English" "$(mail 2 subject)" "[$t] We received your request: Laptop will not boot"
has "(Europe/Stockholm, UTC+01:00)" "$(mail 2 body)"

# 3. An admin's template wins (en/reply.txt); a ticket handed to EMEA is EMEA's to tell.
printf 'Subject: [{ticket}] Answer from the desk\n\n{text}\n-- \nYour IT desk ({site})\n' \
    >"$dir/templates/en/reply.txt"
expect_ok ticket comment "$t" "Hold the power button for ten seconds." --public
within 30 has_mails 3 || bad "no reply"
check "the admin's subject" "$(mail 3 subject)" "[$t] Answer from the desk"
has "Your IT desk (APAC)" "$(mail 3 body)"
expect_ok ticket handover "$t" --to EMEA
expect_ok ticket comment "$t" "EMEA will call you." --public
# a later notice of an APAC ticket comes out; the EMEA one never did
t2=$(sd ticket new --title "Printer" --requester wu@example.com | head -1)
within 30 has_mails 4 || bad "no acknowledgement for $t2"
check "the next mail is $t2's" "$(mail 4 to)" wu@example.com
check "nothing for the handed-over ticket" "$(json outbox list --ticket "$t" -- "len(d)")" 2

# 4. auto_per_hour = 3: wu@ gets the ack and two replies; the third reply is held, queued.
for i in 1 2 3; do expect_ok ticket comment "$t2" "reply $i" --public; done
within 30 has_mails 6 || bad "replies 1 and 2 not sent"
held() { json outbox list --ticket "$t2" --state queued -- "len(d)" | grep -qx 1; }
within 30 held || bad "the third reply was not held: $(sd outbox list --ticket "$t2")"
has "held: wu@example.com had 3 automatic mails in the last hour" "$(sd outbox list --ticket "$t2" --state queued)"
check "six mails" "$(count)" 6

# 5. A major incident mails its contact list; a bulletin mails bulletin_to.
expect_ok major new network --notify "noc@example.com, li, cio@example.com"
expect_ok ticket update "$t2" --category network
expect_ok ticket declare-major "$t2" --note "Whole floor without printing"
within 30 has_mails 7 || bad "no major-incident mail: $(sd outbox list)"
check "the contact list's addresses" "$(mail 7 to)" "noc@example.com,cio@example.com"
has "Whole floor without printing" "$(mail 7 body)"
expect_ok bulletin new --title "Mail maintenance" --valid-until 2100-01-01 --body "Saturday 22:00"
within 30 has_mails 8 || bad "no bulletin mail"
check "bulletin_to" "$(mail 8 to)" "all-staff@example.com,it-leads@example.com"
has "Saturday 22:00" "$(mail 8 body)"

# 6. A refused mail fails at once with sendmail's reason; it is shown and can be retried.
t3=$(sd ticket new --title "x" --requester refuse@example.com | head -1)
failed() { json outbox list --ticket "$t3" --state failed -- "len(d)" | grep -qx 1; }
within 30 failed || bad "not failed: $(sd outbox list --ticket "$t3")"
has "exited with 65: 550 no such user" "$(sd outbox list --ticket "$t3")"
check "no history for it" "$(json contact list --ticket "$t3" -- "len(d)")" 0

# 7. A bounce of our acknowledgement marks the address: no more mail to it.
t5=$(sd ticket new --title "bounce" --requester gone@example.com | head -1)
n=$(($(count) + 1))
within 30 has_mails $n || bad "no acknowledgement for $t5"
ackid=$(json outbox list --ticket "$t5" -- "d[0]['id']")
bmid="bounce-1@mx.example.com"
bid=$(/usr/bin/python3 -c "import hashlib,sys; print('M-'+hashlib.blake2b(('email\n'+sys.argv[1]).encode(),digest_size=16).hexdigest()[:30])" "$bmid")
expect_ok message mail --id "$bid" --message-id "$bmid" --from mailer-daemon@mx.example.com \
    --subject "Undelivered Mail Returned to Sender" --class bounce --bounce-for "<$ackid>" \
    --bounce-recipient gone@example.com --bounce-status 5.1.1
expect_ok ticket comment "$t5" "Are you still there?" --public
t6=$(sd ticket new --title "after the bounce" --requester here@example.com | head -1)
within 30 has_mails $((n + 1)) || bad "no acknowledgement for $t6"
check "the bounced address got nothing more" "$(mail $((n + 1)) to)" here@example.com
check "no reply queued for it" "$(json outbox list --ticket "$t5" -- "len(d)")" 1

# 8. SMTP to a port nobody listens on: the notice stays queued, retried later, with the reason.
stop_node
conf smtp "    smtp_url = smtp://127.0.0.1:$(free_port)"
start_node --config "$dir/desk.zpl" || bad "node did not restart with smtp"
t4=$(sd ticket new --title "y" --requester later@example.com | head -1)
tried() { json outbox list --ticket "$t4" -- "d[0]['attempts']" 2>/dev/null | grep -qx 1; }
within 30 tried || bad "not tried: $(sd outbox list --ticket "$t4")"
check "queued again" "$(json outbox list --ticket "$t4" -- "d[0]['state']")" queued
check "after its backoff" "$(json outbox list --ticket "$t4" -- "d[0]['next_at'] > d[0]['created_at'] + 20000")" True
has "smtp smtp://127.0.0.1:" "$(sd outbox list --ticket "$t4")"
expect_fail "is not failed or unknown" outbox retry "$(json outbox list --ticket "$t4" -- "d[0]['id']")"
finish
