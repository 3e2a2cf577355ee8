#!/usr/bin/env bash
# test_http_door.sh - the HTTP front door as an administrator meets it: where it listens (--http, the
# http section, node status), TLS with a real certificate (cookies then Secure), a non-loopback
# address refused without TLS, a taken port, the console's files (and nothing beside them), and
# a stop that does not wait for open live streams. The API's routes: tests/http.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# A port the kernel says is free now (a fixed range collided with other tests' nodes).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
mkdir -p "$dir/console/assets"
echo '<!doctype html><title>sundesk</title>' >"$dir/console/index.html"
echo 'console.log("app")' >"$dir/console/assets/app.js"
echo 'TOPSECRET-42' >"$dir/secret.txt"
printf 'node\n    site = WEB\nhttp\n    port = %s\n    console = %s\n' "$port" "$dir/console" \
    >"$dir/web.zpl"
start_node --config "$dir/web.zpl" || bad "node did not start"

# status() CODE URL [curl args]: the HTTP status of a request.
status() { curl -s -o "$dir/body" -w '%{http_code}' "${@:2}" "$1"; }

# Where it listens: the log, node status, loopback only.
grep -q "http: url=$url/" "$dir/node.log" && ok || bad "no http url in the log"
sd --json node status | grep -q "\"http\":\"$url/\"" && ok || bad "node status has no http url"
bound=$(ss -ltnH "sport = :$port" | awk '{print $4}')
[ "$bound" = "127.0.0.1:$port" ] && ok || bad "http bound to '$bound', not 127.0.0.1:$port"

# The console's files, with their types and a content security policy; nothing else.
[ "$(status "$url/")" = 200 ] && grep -q sundesk "$dir/body" && ok || bad "GET / is not index.html"
ctype=$(curl -s -o /dev/null -w '%{content_type}' "$url/assets/app.js")
[[ $ctype == text/javascript* ]] && ok || bad "app.js served as '$ctype'"
curl -s -D - -o /dev/null "$url/" | grep -qi "^content-security-policy: default-src 'self'" && ok ||
    bad "no CSP on the console"
for path in "/assets/..%2f..%2fsecret.txt" "/assets/../secret.txt" "/assets/.hidden" \
    "/assets/nothere.js" "/secret.txt"; do
    code=$(status "$url$path" --path-as-is)
    [ "$code" = 404 ] && ! grep -q TOPSECRET "$dir/body" && ok || bad "$path gave $code"
done
[ "$(status "$url/" -X POST)" = 405 ] && ok || bad "POST / is not 405"
[ "$(status "$url/api/v1/openapi.json")" = 200 ] && grep -q '"openapi"' "$dir/body" && ok ||
    bad "no OpenAPI document"
[ "$(status "$url/api/v1/tickets")" = 401 ] && grep -q '"code":"unauthenticated"' "$dir/body" &&
    ok || bad "no 401 problem without a token"

# A stop does not wait for a live stream to end.
sd user new ann --name Ann --role agent >/dev/null
token=$(sd --json token new --user ann | sed -n 's/.*"token":"\(sdt_[0-9a-f]*\)".*/\1/p')
curl -s -N -H "Authorization: Bearer $token" "$url/api/v1/events" >"$dir/sse" &
sse=$!
within 5 grep -q connected "$dir/sse" && ok || bad "the live stream did not open"
t0=$(s_now_ms)
stop_node && ok || bad "node did not stop cleanly with a live stream open"
[ $(($(s_now_ms) - t0)) -lt 5000 ] && ok || bad "the stop waited for the live stream"
wait $sse 2>/dev/null

# A taken port: configured, the start fails with one line.
python3 -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); time.sleep(30)' "$port" &
holder=$!
s_held() { ss -ltn "sport = :$port" | grep -q LISTEN; }
within 5 s_held || bad "could not hold port $port"
err=$(timeout 10 "$bin/node/sundeskd" --data "$dir/d2" --http "127.0.0.1:$port" 2>&1 >/dev/null)
rc=$?
[ $rc -eq 1 ] && [[ $err == *"http: cannot serve on 127.0.0.1 port $port"* ]] && ok ||
    bad "a taken port: rc=$rc err=$err"
kill $holder 2>/dev/null; wait $holder 2>/dev/null

# Beyond loopback only with TLS.
printf 'node\n    site = WEB\nhttp\n    address = 0.0.0.0\n    port = %s\n' "$port" >"$dir/open.zpl"
out=$("$bin/node/sundeskd" --check-config "$dir/open.zpl" 2>&1)
[[ $out == *"not loopback; serving it needs tls_cert and tls_key"* ]] && ok ||
    bad "plain HTTP beyond loopback accepted: $out"

# TLS with a real certificate: the API over https, the session cookie Secure.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$dir/key.pem" -out "$dir/cert.pem" \
    2>/dev/null && chmod 600 "$dir/key.pem"
printf 'node\n    site = WEB\nhttp\n    port = %s\n    tls_cert = %s\n    tls_key = %s\n' \
    "$port" "$dir/cert.pem" "$dir/key.pem" >"$dir/tls.zpl"
start_node --config "$dir/tls.zpl" || bad "TLS node did not start"
grep -q "http: url=https://127.0.0.1:$port/" "$dir/node.log" && ok || bad "no https url"
echo 'secret-pass-1' | sd user passwd ann --password-stdin >/dev/null
headers=$(curl -s --cacert "$dir/cert.pem" -D - -o "$dir/body" -X POST \
    -H 'Content-Type: application/json' -d '{"login":"ann","password":"secret-pass-1"}' \
    "https://127.0.0.1:$port/api/v1/session")
[[ $headers == *"201"* ]] && grep -qi "^set-cookie: sd_session=sds_.*; Secure" <<<"$headers" && ok ||
    bad "TLS login: $headers"
[ "$(status "https://127.0.0.1:$port/api/v1/tickets" --cacert "$dir/cert.pem" \
    -H "Authorization: Bearer $token")" = 200 ] && ok || bad "API over TLS"
code=$(status "$url/api/v1/tickets")
[ "$code" != 200 ] && ok || bad "plain HTTP answered on the TLS port"
stop_node || bad "TLS node did not stop cleanly"
finish
