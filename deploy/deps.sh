#!/usr/bin/env bash
# deps.sh - installs the Debian 12 packages sundesk needs to build and test (only the missing ones);
# clang and libclang-rt-14-dev (libFuzzer) build the fuzz harnesses of tests/fuzz; chromium and
# fonts-noto-cjk (Chinese text) run the web console's browser tests (Node.js and npm come with
# the machine); libxapian-dev (the full-text index, node/search) and libsqlite3-dev (FTS5, the
# search benchmark's comparison); libgmime-3.0-dev (sundesk-mailgate's MIME parsing),
# libcurl4-openssl-dev (outbound SMTP, chat robots), and for the channels' tests a real MTA
# (postfix, run by the tests with their own config on loopback) and prometheus-alertmanager.
set -euo pipefail

packages=(build-essential cmake pkg-config libzmq3-dev libczmq-dev liblmdb-dev libmsgpack-dev
          libsodium-dev libcmocka-dev libical-dev libmicrohttpd-dev libjansson-dev tzdata lmdb-utils
          python3 python3-zmq python3-msgpack iproute2 clang libclang-rt-14-dev chromium
          fonts-noto-cjk libxapian-dev libsqlite3-dev libgmime-3.0-dev libcurl4-openssl-dev
          postfix prometheus-alertmanager "$@")
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "sundesk: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    # postfix asks how to configure the system's mail; the desk's tests run their own instance
    echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
