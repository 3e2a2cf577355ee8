#!/usr/bin/env python3
"""robot_receiver.py - a local stand-in for the chat vendors' robot endpoints, for tests.

It listens on 127.0.0.1, takes POSTs at /wecom/..., /dingtalk/..., /feishu/... and /webhook/...,
recomputes each kind's signature on its own (from the vendors' published rules, not from
sundesk's code: REFERENCE.md "Chat robots"), checks the payload's shape and size, answers as the
vendor does, and appends one JSON line per request to the log:
  {"kind", "path", "ok", "problem", "content", "body", "time"}
"ok" is true only when the signature and the payload are right.

A path with /plain in it is checked as a robot without a secret (no signature expected).
A path ending in /busy answers with the vendor's rate error (HTTP 429 for the webhook); one
ending in /down answers HTTP 500.

Usage: robot_receiver.py --log FILE --port-file FILE [--secret-file FILE] [--max-skew S]
The port it listens on is written to --port-file once it listens. Stops on SIGTERM.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LIMITS = {"wecom": 2048, "dingtalk": 15000, "feishu": 15000, "webhook": 16384}
CUT = "\u2026"
WEBHOOK_FIELDS = ["event", "ticket", "priority", "team", "site", "text", "url"]


def vendor_reply(kind, ok, busy, problem):
    """The vendor-shaped answer: (HTTP status, JSON body)."""
    if kind == "wecom":
        if busy:
            return 200, {"errcode": 45009, "errmsg": "api freq out of limit"}
        return 200, {"errcode": 0 if ok else 40008, "errmsg": "ok" if ok else problem}
    if kind == "dingtalk":
        if busy:
            return 200, {"errcode": 130101, "errmsg": "send too fast"}
        return 200, {"errcode": 0 if ok else 310000, "errmsg": "ok" if ok else problem}
    if kind == "feishu":
        if busy:
            return 200, {"code": 9499, "msg": "too many request"}
        return 200, {"code": 0 if ok else 19021, "msg": "success" if ok else problem, "data": {}}
    if busy:
        return 429, {"error": "slow down"}
    return (200, {"ok": True}) if ok else (401, {"error": problem})


class Receiver(BaseHTTPRequestHandler):
    server_version = "robot-receiver/1"

    def log_message(self, fmt, *args):  # quiet: the log file is the record
        pass

    def check(self, kind, query, body):
        """Returns (problem or "", content text) for one request."""
        srv = self.server
        secret = None if "/plain" in self.path else srv.secret
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            return "Content-Type is not application/json", ""
        try:
            doc = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            return "body is not UTF-8 JSON: %s" % e, ""
        now = time.time()
        if kind == "wecom":
            if doc.get("msgtype") != "text" or not isinstance(doc.get("text"), dict):
                return "msgtype text with a text object expected", ""
            content = doc["text"].get("content")
            if doc["text"].get("mentioned_list") != [] or \
                    doc["text"].get("mentioned_mobile_list") != []:
                return "mentioned lists expected empty", content or ""
            if "key" not in query:
                return "the key query parameter is missing", content or ""
        elif kind == "dingtalk":
            if doc.get("msgtype") != "text" or not isinstance(doc.get("text"), dict):
                return "msgtype text with a text object expected", ""
            content = doc["text"].get("content")
            at = doc.get("at")
            if at != {"atMobiles": [], "isAtAll": False}:
                return "at expected {atMobiles: [], isAtAll: false}", content or ""
            if secret is not None:
                raw = dict(p.split("=", 1) for p in self.raw_query.split("&") if "=" in p)
                stamp, sign = raw.get("timestamp"), raw.get("sign")
                if not stamp or not sign:
                    return "timestamp and sign query parameters expected", content or ""
                if abs(int(stamp) / 1000 - now) > srv.max_skew:
                    return "timestamp too far from now", content or ""
                mac = hmac.new(secret, (stamp + "\n").encode() + secret, hashlib.sha256).digest()
                want = urllib.parse.quote(base64.b64encode(mac).decode(), safe="")
                if sign != want:
                    return "sign mismatch", content or ""
        elif kind == "feishu":
            if doc.get("msg_type") != "text" or not isinstance(doc.get("content"), dict):
                return "msg_type text with a content object expected", ""
            content = doc["content"].get("text")
            if secret is not None:
                stamp, sign = doc.get("timestamp"), doc.get("sign")
                if not isinstance(stamp, str) or not isinstance(sign, str):
                    return "timestamp and sign (strings) expected in the body", content or ""
                if abs(int(stamp) - now) > srv.max_skew:
                    return "timestamp too far from now", content or ""
                key = (stamp + "\n").encode() + secret
                want = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
                if sign != want:
                    return "sign mismatch", content or ""
        else:
            if sorted(doc.keys()) != sorted(WEBHOOK_FIELDS) or \
                    not all(isinstance(doc[k], str) for k in WEBHOOK_FIELDS):
                return "exactly the string fields %s expected" % WEBHOOK_FIELDS, ""
            content = doc["text"]
            header = self.headers.get("X-Sundesk-Signature")
            if secret is not None:
                want = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(header or "", want):
                    return "X-Sundesk-Signature mismatch", content
            elif header is not None:
                return "a signature without a secret", content
        if not isinstance(content, str) or not content:
            return "empty content", ""
        if len(content.encode("utf-8")) > LIMITS[kind]:
            return "content over %d bytes" % LIMITS[kind], content
        return "", content

    def do_POST(self):
        parsed = urllib.parse.urlsplit(self.path)
        self.raw_query = parsed.query
        query = urllib.parse.parse_qs(parsed.query)
        kind = parsed.path.strip("/").split("/")[0]
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length > 0 else b""
        if kind not in LIMITS:
            problem, content = "unknown path", ""
        else:
            problem, content = self.check(kind, query, body)
        busy = parsed.path.endswith("/busy")
        down = parsed.path.endswith("/down")
        entry = {"kind": kind, "path": parsed.path, "ok": not problem and not busy and not down,
                 "problem": problem or ("busy" if busy else "down" if down else ""),
                 "content": content, "body": body.decode("utf-8", "replace"),
                 "time": time.time()}
        with self.server.lock:
            with open(self.server.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        if down:
            status, reply = 500, {"error": "down"}
        else:
            status, reply = vendor_reply(kind, not problem, busy, problem)
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--secret-file", help="the robots' signing secret (one for all kinds)")
    ap.add_argument("--max-skew", type=float, default=3600.0)
    args = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    srv.log = args.log
    srv.lock = threading.Lock()
    srv.max_skew = args.max_skew
    srv.secret = None
    if args.secret_file:
        with open(args.secret_file, "rb") as f:
            srv.secret = f.read().split(b"\n")[0].rstrip(b"\r")
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=srv.shutdown).start())
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
