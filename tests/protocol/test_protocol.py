#!/usr/bin/python3
"""Protocol test: a client written from proto/PROTOCOL.md alone.

Starts a real sundeskd on a temporary data directory, talks msgpack over
ZeroMQ (DEALER, and once REQ) to ipc://TMPDIR/sundesk.sock and checks the
documented behaviour: operations, state machine, results and exact error
codes for malformed input. On the ipc socket the test, run by root (or by the
account the node runs as), is the bootstrap admin "root@LOCAL"; the agents alice
and carol it creates act with API tokens ("auth"). Needs Debian's python3-zmq and
python3-msgpack (run with /usr/bin/python3). SD_BIN is the build directory.

"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import msgpack
import zmq

TIMEOUT_MS = 5000
HOUR = 3600 * 1000
PROTOCOL_MD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "proto",
                           "PROTOCOL.md")

passed = 0
failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok   %s" % name)
    else:
        failed += 1
        print("FAIL %s %s" % (name, detail))
    return cond


class NoReply(Exception):
    pass


class Client:
    def __init__(self, ctx, endpoint, kind=zmq.DEALER):
        self.sock = ctx.socket(kind)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect(endpoint)
        self.next_id = 100

    def send_frames(self, frames):
        self.sock.send_multipart(frames)
        if not self.sock.poll(TIMEOUT_MS):
            raise NoReply("no reply within %d ms" % TIMEOUT_MS)
        return self.sock.recv_multipart()

    def raw(self, body):
        """Sends one frame, returns (reply bytes, decoded reply)."""
        frames = self.send_frames([body])
        if len(frames) != 1:
            raise NoReply("expected one reply frame, got %d" % len(frames))
        return frames[0], msgpack.unpackb(frames[0], raw=False)

    def call(self, op, args=None, **extra):
        self.next_id += 1
        msg = {"v": 1, "id": self.next_id, "op": op}
        if args is not None:
            msg["args"] = args
        msg.update(extra)
        _, reply = self.raw(msgpack.packb(msg, use_bin_type=True))
        if reply.get("id") != self.next_id:
            raise NoReply("reply id %r, expected %d" % (reply.get("id"), self.next_id))
        return reply

    def close(self):
        self.sock.close(0)


def error_code(reply):
    if reply.get("ok") is False and isinstance(reply.get("error"), dict):
        return reply["error"].get("code")
    return None


def expect_error(name, reply, code):
    got = error_code(reply)
    ok = check(name, got == code, "expected %s, got %r" % (code, reply))
    if ok:
        msg = reply["error"].get("message")
        check(name + " (message is one line)", isinstance(msg, str) and "\n" not in msg)


def expect_ok(name, reply):
    ok = reply.get("ok") is True and "result" in reply
    check(name, ok, repr(reply)[:400])
    return reply.get("result") if ok else None


def documented_ticket_keys():
    """The keys of the ticket object, in order, from the table of PROTOCOL.md section 6."""
    keys, inside = [], False
    with open(PROTOCOL_MD, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                inside = line.startswith("## 6. The ticket object")
            elif inside and line.startswith("| `"):
                keys.append(line.split("`")[1])
    return keys


def new_agent(client, login, name):
    """Creates user login with the agent role and an API token for it; returns the token."""
    u = expect_ok("user.new " + login, client.call("user.new", {
        "id": login, "display_name": name, "role": "agent"}))
    if not u:
        return None
    check("user.new %s: record" % login, u["id"] == login and u["display_name"] == name
          and u["roles"] == ["agent"] and u["active"] is True and u["origin_site"] == "LOCAL"
          and "password_hash" not in u, repr(u))
    t = expect_ok("token.new for " + login, client.call("token.new", {
        "user": login, "name": "protocol test"}))
    if not t:
        return None
    check("token.new %s: shown once, sdt_ and 64 hex" % login,
          t["token"].startswith("sdt_") and len(t["token"]) == 68, repr(t))
    who = expect_ok("whoami with %s's token" % login, client.call(
        "auth.whoami", auth=t["token"]))
    check("whoami: the token's user", who and who["user"] == login and who["superuser"] is False
          and who["via"] == "token " + t["id"]
          and who["roles"] == [{"role": "agent", "sites": ""}], repr(who))
    return t["token"]


def mp_str(s):
    """A msgpack str header + raw bytes (for hand-made invalid strings)."""
    assert len(s) < 32
    return bytes([0xA0 | len(s)]) + s


def run(client, ctx, endpoint, proc):
    # ---- node.ping, the documented example bytes, REQ socket -------------
    r = client.call("node.ping")
    res = expect_ok("node.ping", r)
    if res:
        check("node.ping result", res.get("site") == "LOCAL" and res.get("role") == "site"
              and isinstance(res.get("version"), str), repr(res))
        check("reply envelope keys", list(r.keys()) == ["v", "id", "ok", "result"], repr(r))

    body, r = client.raw(bytes.fromhex("83a17601a2696401a26f70a96e6f64652e70696e67"))
    check("example hex request", r.get("ok") is True and r.get("id") == 1 and
          body.startswith(bytes.fromhex("84a17601a2696401a26f6bc3a6726573756c7483")), body.hex())

    req = Client(ctx, endpoint, zmq.REQ)
    try:
        _, r = req.raw(msgpack.packb({"v": 1, "id": 7, "op": "node.ping"}))
        check("REQ socket ping", r.get("ok") is True and r.get("id") == 7, repr(r))
    finally:
        req.close()

    frames = client.send_frames([b"", msgpack.packb({"v": 1, "id": 8, "op": "node.ping"})])
    check("DEALER with empty delimiter gets it mirrored",
          len(frames) == 2 and frames[0] == b"" and msgpack.unpackb(frames[1])["ok"] is True,
          repr(frames))

    # ---- who asks: root on the ipc socket; the agents alice and carol with tokens ----
    me = expect_ok("auth.whoami", client.call("auth.whoami"))
    if not me:
        return
    root = me["user"]
    check("whoami: root on ipc is the bootstrap admin", root == "root@LOCAL"
          and me["superuser"] is True and me["site"] == "LOCAL"
          and me["via"].startswith("unix uid "), repr(me))
    alice = new_agent(client, "alice", "Alice Adams")
    carol = new_agent(client, "carol", "Carol Chen")
    if not (alice and carol):
        return

    # ---- life cycle: new -> ack -> assign -> start -> pending -> start ---
    #      -> resolve -> close --------------------------------------------
    t = expect_ok("ticket.new", client.call("ticket.new", {
        "title": "VPN down", "requester": "bob@example.com",
        "impact": 1, "urgency": 2, "channel": "phone", "category": "network/vpn",
        "description": "since 9:00\nall users"}, auth=alice))
    if not t:
        return
    tid = t["id"]
    check("new: id form", tid == "LOCAL-000001", tid)
    check("new: status new", t["status"] == "new")
    check("new: defaults", t["type"] == "incident" and t["major"] is False and t["tier"] == "L1"
          and t["waiting_on"] == "none" and t["assignee"] is None and t["comments"] == [], repr(t))
    check("new: owner and sites", t["owner"] == "alice" and t["origin_site"] == "LOCAL"
          and t["owner_site"] == "LOCAL")
    check("new: priority from matrix (impact 1, urgency 2 -> P2)", t["priority"] == "P2")
    check("new: due times P2 (1 h, 8 h)", t["response_due"] == t["created_at"] + 1 * HOUR
          and t["resolve_due"] == t["created_at"] + 8 * HOUR, repr(t))
    check("new: times plausible", abs(t["created_at"] - time.time() * 1000) < 60000
          and t["updated_at"] >= t["created_at"])
    expected_keys = documented_ticket_keys()
    check("ticket keys as documented in PROTOCOL.md section 6", list(t.keys()) == expected_keys,
          "node %r, documented %r" % (list(t.keys()), expected_keys))
    check("new: SLA and handover fields", t["sla_state"] == "ok" and t["escalated"] is False
          and t["sla_reason"] is None and t["sla_at"] == 0 and t["sla_paused_at"] == 0
          and t["handover_from"] is None and t["handover_at"] == 0
          and t["handover_note"] is None and t["tier_since"] == t["created_at"], repr(t))
    check("new: P2 does not follow the sun by default", t["follow_sun"] is False)

    expect_error("assign from new refused", client.call(
        "ticket.assign", {"id": tid, "assignee": "carol"}, auth=alice), "bad_transition")

    t = expect_ok("ticket.ack", client.call("ticket.ack", {"id": tid}, auth=alice))
    if t:
        check("ack: acknowledged", t["status"] == "acknowledged" and t["acknowledged_at"] > 0
              and t["reply_due"] == t["response_due"], repr(t))
    t = expect_ok("ticket.assign", client.call("ticket.assign", {
        "id": tid, "assignee": "carol", "team": "network", "tier": "L2"}, auth=alice))
    if t:
        check("assign: assigned", t["status"] == "assigned" and t["assignee"] == "carol"
              and t["team"] == "network" and t["tier"] == "L2", repr(t))
    t = expect_ok("ticket.start", client.call("ticket.start", {"id": tid}, auth=carol))
    if t:
        check("start: in_progress", t["status"] == "in_progress")
    before = t
    t = expect_ok("ticket.pending", client.call("ticket.pending", {
        "id": tid, "waiting_on": "customer", "reason": "needs logs"}, auth=carol))
    if t:
        check("pending: fields", t["status"] == "pending" and t["waiting_on"] == "customer"
              and t["status_reason"] == "needs logs", repr(t))
        check("pending: SLA clock paused", t["sla_paused_at"] >= t["created_at"]
              and t["sla_paused_at"] == t["updated_at"], repr(t))
    time.sleep(0.05)
    t = expect_ok("ticket.start again", client.call("ticket.start", {"id": tid}, auth=carol))
    if t:
        check("start: clears waiting_on and reason", t["status"] == "in_progress"
              and t["waiting_on"] == "none" and t["status_reason"] is None, repr(t))
        check("start: SLA clock runs again, due time moved by the wait",
              t["sla_paused_at"] == 0 and before and t["resolve_due"] > before["resolve_due"],
              repr(t))
    t = expect_ok("ticket.comment", client.call("ticket.comment", {
        "id": tid, "body": "Working on it.", "public": True}, auth=carol))
    if t:
        c = t["comments"]
        check("comment: added", len(c) == 1 and c[0]["body"] == "Working on it."
              and c[0]["public"] is True and c[0]["author"] == "carol"
              and c[0]["at"] == c[0]["hlc"] >> 16 and c[0]["origin"] == "LOCAL", repr(c))
        check("comment: first_response_at", t["first_response_at"] == c[0]["at"])
    t = expect_ok("ticket.resolve", client.call("ticket.resolve", {
        "id": tid, "resolution": "Restarted the VPN gateway."}, auth=carol))
    if t:
        check("resolve: fields", t["status"] == "resolved" and t["resolved_at"] > 0
              and t["resolution"] == "Restarted the VPN gateway.", repr(t))
    t = expect_ok("ticket.close", client.call("ticket.close", {
        "id": tid, "satisfaction": 4, "feedback": "thanks"}, auth=alice))
    if t:
        check("close: fields", t["status"] == "closed" and t["closed_at"] > 0
              and t["satisfaction"] == 4 and t["feedback"] == "thanks", repr(t))

    # ---- refused transitions ---------------------------------------------
    r = client.call("ticket.close", {"id": tid, "satisfaction": 5}, auth=alice)
    expect_error("close a closed ticket", r, "bad_transition")
    expect_error("start a closed ticket", client.call(
        "ticket.start", {"id": tid}), "bad_transition")
    t = expect_ok("ticket.get", client.call("ticket.get", {"id": tid}))
    if t:
        check("get: refused requests left no trace", t["status"] == "closed"
              and t["satisfaction"] == 4 and len(t["comments"]) == 1, repr(t))
    expect_error("get unknown ticket", client.call("ticket.get", {"id": "LOCAL-999999"}),
                 "not_found")
    expect_error("write unknown ticket", client.call(
        "ticket.ack", {"id": "LOCAL-999999"}), "not_found")

    # ---- more tickets for list --------------------------------------------
    p1 = expect_ok("new P1", client.call("ticket.new", {
        "title": "Mail down", "requester": "eve", "impact": 1, "urgency": 1,
        "assignee": "carol"}))
    p4 = expect_ok("new P4", client.call("ticket.new", {
        "title": "New mouse", "requester": "eve", "impact": 3, "urgency": 3,
        "type": "service_request"}))
    if not (p1 and p4):
        return
    check("P1 due times (1 h, 4 h)", p1["priority"] == "P1"
          and p1["resolve_due"] == p1["created_at"] + 4 * HOUR)
    check("P1 follows the sun by default, P4 does not",
          p1["follow_sun"] is True and p4["follow_sun"] is False)
    check("P4 due times (24 h, 120 h)", p4["priority"] == "P4"
          and p4["response_due"] == p4["created_at"] + 24 * HOUR
          and p4["resolve_due"] == p4["created_at"] + 120 * HOUR)

    res = expect_ok("ticket.list", client.call("ticket.list", {}))
    if res:
        ids = [x["id"] for x in res["tickets"]]
        check("list: queue order (open by priority, closed last)",
              ids == [p1["id"], p4["id"], tid], repr(ids))
        check("list: more false", res["more"] is False)
        check("list: comments left out", all(x["comments"] == [] for x in res["tickets"]))
    res = expect_ok("list open", client.call("ticket.list", {"open": True}))
    if res:
        check("list open: only open", [x["id"] for x in res["tickets"]] == [p1["id"], p4["id"]])
    res = expect_ok("list status", client.call("ticket.list", {"status": "closed"}))
    if res:
        check("list status=closed", [x["id"] for x in res["tickets"]] == [tid])
    res = expect_ok("list priority", client.call("ticket.list", {"priority": "P4"}))
    if res:
        check("list priority=P4", [x["id"] for x in res["tickets"]] == [p4["id"]])
    res = expect_ok("list assignee", client.call("ticket.list", {"assignee": "carol"}))
    if res:
        check("list assignee=carol", [x["id"] for x in res["tickets"]] == [p1["id"], tid])
    res = expect_ok("list requester+open", client.call(
        "ticket.list", {"requester": "eve", "status": "new"}))
    if res:
        check("list requester=eve status=new", [x["id"] for x in res["tickets"]]
              == [p1["id"], p4["id"]])
    res = expect_ok("list page 1", client.call("ticket.list", {"limit": 2}))
    if res:
        check("list page 1: 2 and more", len(res["tickets"]) == 2 and res["more"] is True)
        last = res["tickets"][-1]["id"]
        res = expect_ok("list page 2", client.call("ticket.list", {"limit": 2, "after": last}))
        if res:
            check("list page 2: the rest", [x["id"] for x in res["tickets"]] == [tid]
                  and res["more"] is False, repr(res))

    # ---- history -----------------------------------------------------------
    res = expect_ok("ticket.history", client.call("ticket.history", {"id": tid}))
    if res:
        ev = res["events"]
        check("history: events and their changes", list(res.keys()) == ["events", "changes"]
              and res["changes"] == [None] * len(ev), repr(res)[:300])
        ops = [e["op"] for e in ev]
        check("history: ops in order", ops == ["create", "ack", "assign", "start", "pending",
                                                "start", "comment", "resolve", "close"], repr(ops))
        check("history: envelopes", all(
            list(e.keys()) == ["v", "origin", "seq", "hlc", "entity", "key", "op", "author",
                               "fields"] and e["v"] == 1 and e["entity"] == "ticket"
            and e["key"] == tid and e["origin"] == "LOCAL" for e in ev), repr(ev[:1]))
        # Seqs 1..4 are the users and tokens of alice and carol (events like a ticket's).
        check("history: seq 5..n+4, hlc increasing",
              [e["seq"] for e in ev] == list(range(5, len(ev) + 5))
              and all(a["hlc"] < b["hlc"] for a, b in zip(ev, ev[1:])))
        check("history: comment fields", ev[6]["fields"] == {"body": "Working on it.",
                                                             "public": True}, repr(ev[6]))
        check("history: close carries status register",
              ev[8]["fields"].get("status") == "closed" and "reopen_count" in ev[8]["fields"]
              and "title" not in ev[8]["fields"], repr(ev[8]))
        check("history: create author", ev[0]["author"] == "alice"
              and ev[0]["fields"]["title"] == "VPN down")
        check("history: each event's author is who sent it",
              [e["author"] for e in ev] == ["alice"] * 3 + ["carol"] * 5 + ["alice"],
              repr([e["author"] for e in ev]))
    expect_error("history unknown ticket", client.call("ticket.history", {"id": "NOPE-1"}),
                 "not_found")

    # ---- strict decoding -----------------------------------------------------
    r = client.call("ticket.frobnicate", {"id": tid})
    expect_error("unknown op", r, "unknown_op")
    expect_error("unknown argument", client.call("node.ping", {"colour": "red"}),
                 "unknown_field")
    expect_error("argument of another op", client.call(
        "ticket.get", {"id": tid, "limit": 5}), "unknown_field")
    expect_error("misspelt argument is unknown, not missing", client.call(
        "ticket.new", {"titel": "t", "requester": "r"}), "unknown_field")
    expect_error("unknown reported before missing", client.call(
        "ticket.get", {"limit": 5}), "unknown_field")
    expect_error("missing argument", client.call(
        "ticket.assign", {"id": p4["id"]}), "missing_field")
    expect_error("update with nothing", client.call(
        "ticket.update", {"id": p4["id"]}), "missing_field")
    expect_error("wrong type (str for int)", client.call(
        "ticket.new", {"title": "t", "requester": "r", "impact": "high"}),
        "wrong_type")
    expect_error("wrong type (int for bool)", client.call(
        "ticket.comment", {"id": tid, "body": "x", "public": 1}), "wrong_type")
    expect_error("wrong type (bin for str)", client.call(
        "ticket.get", {"id": tid.encode()}), "wrong_type")
    expect_error("args not a map", client.call("node.ping", ["x"]), "wrong_type")
    expect_error("int out of range", client.call(
        "ticket.new", {"title": "t", "requester": "r", "urgency": 4}),
        "out_of_range")
    expect_error("unknown enum value", client.call(
        "ticket.list", {"status": "open"}), "out_of_range")
    expect_error("empty non-empty string", client.call(
        "ticket.new", {"title": "", "requester": "r"}), "out_of_range")
    expect_error("too-long string", client.call(
        "ticket.new", {"title": "x" * 201, "requester": "r"}), "too_long")
    r = client.call("ticket.new", {"title": "x" * 200, "requester": "r"})
    check("string at its limit accepted", r.get("ok") is True, repr(r)[:200])
    expect_error("newline in a line field", client.call(
        "ticket.new", {"title": "two\nlines", "requester": "r"}), "bad_utf8")
    expect_error("control char in multi-line field", client.call(
        "ticket.comment", {"id": tid, "body": "bell\x07"}), "bad_utf8")
    r = client.call("ticket.comment", {"id": tid, "body": "l1\nl2\tx\r\n"})
    check("tab/newline allowed in multi-line field", r.get("ok") is True, repr(r)[:200])

    # Who asks is proven, never declared: no author argument, and a wrong token is refused
    # even on the ipc socket, where the peer alone would have been enough.
    r = client.call("ticket.ack", {"id": p4["id"], "author": "mallory"})
    expect_error("args.author refused", r, "unknown_field")
    check("args.author refused: says why", r["error"]["message"] == "args.author: not accepted; "
          "the node records the authenticated caller as the author", repr(r))
    for name, token in (("unknown API token", "sdt_" + "0" * 64), ("malformed API token", "sdt_x"),
                        ("unknown session", "sds_" + "0" * 64), ("not a token", "hunter2")):
        expect_error("auth: " + name, client.call("ticket.ack", {"id": p4["id"]}, auth=token),
                     "unauthenticated")
    expect_error("auth: not a string", client.call("node.ping", auth=5), "wrong_type")
    expect_error("auth: empty", client.call("node.ping", auth=""), "out_of_range")
    t = expect_ok("refused callers changed nothing", client.call("ticket.get", {"id": p4["id"]}))
    if t:
        check("refused callers: still new", t["status"] == "new", repr(t))

    # Invalid UTF-8, assembled by hand: {"v":1,"id":51,"op":"ticket.get","args":{"id":<ff fe>}}
    body = (b"\x84" + mp_str(b"v") + b"\x01" + mp_str(b"id") + b"\x33" + mp_str(b"op")
            + mp_str(b"ticket.get") + mp_str(b"args") + b"\x81" + mp_str(b"id")
            + mp_str(b"\xff\xfe"))
    _, r = client.raw(body)
    expect_error("invalid UTF-8", r, "bad_utf8")
    check("invalid UTF-8: id echoed", r.get("id") == 51)
    body = body[:-3] + mp_str(b"\xc0\xaf")  # overlong '/'
    _, r = client.raw(body)
    expect_error("overlong UTF-8", r, "bad_utf8")

    _, r = client.raw(b"\xc1")
    expect_error("malformed msgpack (0xc1)", r, "bad_msgpack")
    check("malformed msgpack: id 0", r.get("id") == 0)
    good = msgpack.packb({"v": 1, "id": 52, "op": "node.ping"})
    _, r = client.raw(good[:-3])
    expect_error("truncated msgpack", r, "bad_msgpack")
    _, r = client.raw(b"")
    expect_error("empty body", r, "bad_msgpack")
    _, r = client.raw(good + b"\x00")
    expect_error("trailing bytes", r, "trailing_bytes")
    check("trailing bytes: id 0", r.get("id") == 0)
    _, r = client.raw(bytes.fromhex("ddffffffff"))
    expect_error("array-size bomb", r, "bad_msgpack")
    _, r = client.raw(bytes.fromhex("dfffffffff"))
    expect_error("map-size bomb", r, "bad_msgpack")
    _, r = client.raw(bytes.fromhex("dbffffffff") + b"abc")
    expect_error("string-length bomb", r, "bad_msgpack")
    nested = 1
    for _ in range(9):
        nested = [nested]
    _, r = client.raw(msgpack.packb({"v": 1, "id": 53, "op": "node.ping", "args": {"a": nested}}))
    expect_error("nesting too deep", r, "too_big")
    _, r = client.raw(msgpack.packb({"v": 1, "id": 54, "op": "ticket.get",
                                     "args": {"id": "x" * 70000}}))
    expect_error("body over 65536 bytes", r, "too_big")
    _, r = client.raw(msgpack.packb([1, 2]))
    expect_error("request not a map", r, "wrong_type")
    expect_error("bad version", client.call("node.ping", v=2), "bad_version")
    _, r = client.raw(msgpack.packb({"id": 55, "op": "node.ping"}))
    expect_error("missing v", r, "missing_field")
    _, r = client.raw(msgpack.packb({"v": 1, "id": 58, "op": "node.ping", "extra": 1}))
    expect_error("unknown top-level key", r, "unknown_field")
    check("unknown top-level key: id 0", r.get("id") == 0)
    # {"v":1,"id":56,"op":"node.ping","v":1}
    _, r = client.raw(b"\x84" + mp_str(b"v") + b"\x01" + mp_str(b"id") + b"\x38" + mp_str(b"op")
                      + mp_str(b"node.ping") + mp_str(b"v") + b"\x01")
    expect_error("duplicate top-level key", r, "duplicate")
    # {"v":1,"id":57,"op":"ticket.get","args":{"id":"a","id":"b"}}
    _, r = client.raw(b"\x84" + mp_str(b"v") + b"\x01" + mp_str(b"id") + b"\x39" + mp_str(b"op")
                      + mp_str(b"ticket.get") + mp_str(b"args") + b"\x82" + mp_str(b"id")
                      + mp_str(b"a") + mp_str(b"id") + mp_str(b"b"))
    expect_error("duplicate argument", r, "duplicate")
    frames = client.send_frames([b"x", good])
    check("bad framing", len(frames) == 1 and error_code(msgpack.unpackb(frames[0])) ==
          "bad_framing", repr(frames))

    # ---- pipelining: several requests in flight, matched by id ---------------
    for i in range(5):
        client.sock.send(msgpack.packb({"v": 1, "id": 900 + i, "op": "ticket.comment", "args": {
            "id": p4["id"], "body": "note %d" % i}}))
    got = []
    for _ in range(5):
        if not client.sock.poll(TIMEOUT_MS):
            raise NoReply("pipelined reply missing")
        got.append(msgpack.unpackb(client.sock.recv()))
    check("pipelined replies in order", [g["id"] for g in got] == list(range(900, 905))
          and all(g["ok"] for g in got))

    # ---- still serving -------------------------------------------------------
    check("node alive after bad input", proc.poll() is None)
    r = client.call("node.ping")
    check("ping after bad input", r.get("ok") is True)
    res = expect_ok("node.status", client.call("node.status"))
    if res:
        check("status counts", res["tickets"].get("closed") == 1
              and res["tickets"].get("new") == 3 and len(res["tickets"]) == 8, repr(res))
    res = expect_ok("node.digest", client.call("node.digest"))
    if res:
        check("digest is 64 hex", isinstance(res["digest"], str) and len(res["digest"]) == 64)

    # nil where a string must be present is refused, and the node keeps serving.
    for op, args in (("ticket.get", {"id": None}),
                     ("ticket.comment", {"id": tid, "body": None}),
                     ("ticket.new", {"title": None, "requester": "r"})):
        try:
            r = client.call(op, args)
            check("nil refused: %s %r" % (op, args), error_code(r) == "wrong_type", repr(r))
        except NoReply as e:
            check("nil refused: %s %r" % (op, args), False, str(e))
    check("ping after nil arguments", client.call("node.ping").get("ok") is True)

    run_follow_the_sun(client, tid, root, alice)
    run_precedence_and_empty(client, root, alice)


def run_follow_the_sun(client, closed_id, root, alice):
    """ticket.handover, handover.report, SLA filter and schedule ops on a node without
    calendars: any site id is accepted, schedule.* is unavailable."""
    t = expect_ok("new follow-the-sun ticket", client.call("ticket.new", {
        "title": "Payroll run stuck", "requester": "hr@example.com",
        "impact": 3, "follow_sun": True}))
    if not t:
        return
    hid = t["id"]
    check("new: follow_sun as asked", t["follow_sun"] is True and t["priority"] == "P4")
    u = expect_ok("update follow_sun", client.call("ticket.update", {
        "id": hid, "follow_sun": False}))
    if u:
        check("update: follow_sun off, due times kept on the wall clock",
              u["follow_sun"] is False and u["resolve_due"] == t["resolve_due"], repr(u))

    before = t
    t = expect_ok("ticket.handover", client.call("ticket.handover", {
        "id": hid, "site": "EMEA", "note": "Call hr before 10:00."}))
    if t:
        check("handover: owner site moved", t["owner_site"] == "EMEA"
              and t["handover_from"] == "LOCAL" and t["owner"] == root
              and t["status"] == "new", repr(t))
        check("handover: handover_at is now", t["handover_at"] == t["updated_at"]
              and abs(t["handover_at"] - time.time() * 1000) < 60000, repr(t))
        note = t["handover_note"] or ""
        check("handover: agent note then generated note",
              note.startswith("Call hr before 10:00.\nHandover LOCAL -> EMEA at ")
              and "Status: new, P4, tier L1" in note and "SLA (ok)" in note, repr(note))
        check("handover: due times kept (7x24, no calendars)",
              t["resolve_due"] == before["resolve_due"], repr(t))
    expect_error("handover to the owner site", client.call("ticket.handover", {
        "id": hid, "site": "EMEA"}), "invalid")
    expect_error("handover without site", client.call("ticket.handover", {
        "id": hid}), "missing_field")
    expect_error("handover to an empty site", client.call("ticket.handover", {
        "id": hid, "site": ""}), "out_of_range")
    expect_error("handover to a too-long site", client.call("ticket.handover", {
        "id": hid, "site": "S" * 17}), "too_long")
    expect_error("handover of a closed ticket", client.call("ticket.handover", {
        "id": closed_id, "site": "AMER"}), "bad_transition")
    expect_error("handover of an unknown ticket", client.call("ticket.handover", {
        "id": "LOCAL-999999", "site": "AMER"}), "not_found")
    # Only the owner site (or the hub) hands a ticket over: peers refuse anyone else's handover
    # (replication/trust.h), so the node does not make one. This single node is LOCAL; EMEA
    # owns the ticket now.
    r = client.call("ticket.handover", {"id": hid, "site": "AMER"}, auth=alice)
    expect_error("second handover, away from the owner site", r, "forbidden")
    check("second handover: the refusal names the owner site",
          "owned by site EMEA" in r.get("error", {}).get("message", ""), repr(r))
    t3 = expect_ok("a second ticket", client.call("ticket.new", {"title": "Printer jam"},
                                                  auth=alice))
    if t3:
        expect_ok("its handover, by alice", client.call("ticket.handover", {
            "id": t3["id"], "site": "AMER"}, auth=alice))

    res = expect_ok("history with handovers", client.call("ticket.history", {"id": hid}))
    if res:
        ev = [e for e in res["events"] if e["op"] == "handover"]
        check("history: handover events carry the owner register", len(ev) == 1
              and ev[0]["author"] == root and ev[0]["fields"].get("owner_site") == "EMEA"
              and ev[0]["fields"].get("handover_from") == "LOCAL"
              and "handover_note" in ev[0]["fields"] and "title" not in ev[0]["fields"],
              repr(ev[:1]))

    res = expect_ok("handover.report", client.call("handover.report", {}))
    if res:
        h = res["handovers"]
        check("report: both moves, oldest first", [(x["from"], x["to"]) for x in h]
              == [("LOCAL", "EMEA"), ("LOCAL", "AMER")] and res["more"] is False, repr(res))
        check("report: entry keys", all(list(x.keys()) == ["id", "at", "from", "to", "by",
                                                            "origin", "note", "taken",
                                                            "receiver"] for x in h), repr(h))
        if t and len(h) == 2:
            check("report: entry fields", h[0]["id"] == hid and h[0]["by"] == root
                  and h[0]["origin"] == "LOCAL" and h[0]["at"] == t["handover_at"]
                  and h[0]["note"] == t["handover_note"] and h[1]["by"] == "alice", repr(h))
    res = expect_ok("report --site", client.call("handover.report", {"site": "EMEA"}))
    if res:
        check("report: site filter (from or to)", [x["to"] for x in res["handovers"]] == ["EMEA"])
    res = expect_ok("report --site AMER", client.call("handover.report", {"site": "AMER"}))
    if res:
        check("report: site filter, the other move", [x["to"] for x in res["handovers"]]
              == ["AMER"])
    res = expect_ok("report limit", client.call("handover.report", {"limit": 1}))
    if res:
        check("report: limit and more", len(res["handovers"]) == 1 and res["more"] is True)
    future = int(time.time() * 1000) + HOUR
    res = expect_ok("report since", client.call("handover.report", {"since": future}))
    if res:
        check("report: since filter", res == {"handovers": [], "more": False}, repr(res))
    expect_error("report: wrong type for since", client.call(
        "handover.report", {"since": "yesterday"}), "wrong_type")

    res = expect_ok("list sla breached", client.call("ticket.list", {"sla": "breached"}))
    if res:
        check("list sla=breached: none yet", res["tickets"] == [], repr(res)[:200])
    res = expect_ok("list sla ok", client.call("ticket.list", {"sla": "ok", "open": True}))
    if res:
        check("list sla=ok: the open tickets", hid in [x["id"] for x in res["tickets"]])
    expect_error("list sla unknown value", client.call("ticket.list", {"sla": "late"}),
                 "out_of_range")

    expect_error("schedule.now without calendars", client.call("schedule.now"), "unavailable")
    expect_error("schedule.coverage without calendars", client.call(
        "schedule.coverage", {"days": 3}), "unavailable")
    expect_error("schedule.coverage days 0", client.call("schedule.coverage", {"days": 0}),
                 "out_of_range")
    expect_error("schedule.coverage days 32", client.call("schedule.coverage", {"days": 32}),
                 "out_of_range")
    expect_error("schedule.now takes no arguments", client.call(
        "schedule.now", {"days": 1}), "unknown_field")


def run_precedence_and_empty(client, root, alice):
    """Section 3: which error a request with several faults gets; absent, nil and "" on
    writes; section 10: a handover.report since past 48-bit stamp times."""
    def top(name, obj, code, want_id):
        if isinstance(obj, bytes):
            _, r = client.raw(obj)
        else:
            _, r = client.raw(msgpack.packb(obj))
        expect_error("precedence: " + name, r, code)
        check("precedence: %s (reply id %d)" % (name, want_id), r.get("id") == want_id, repr(r))

    top("unknown key before a bad v", {"x": 1, "v": 2, "id": 5, "op": "node.ping"},
        "unknown_field", 0)
    top("unknown key after a bad v", {"v": 2, "id": 5, "op": "node.ping", "x": 1},
        "unknown_field", 0)
    dup = (b"\x84" + msgpack.packb("id") + msgpack.packb("s") + msgpack.packb("v") +
           msgpack.packb(1) + msgpack.packb("op") + msgpack.packb("node.ping") +
           msgpack.packb("v") + msgpack.packb(1))
    top("duplicate key after a bad id", dup, "duplicate", 0)
    top("bad id before a bad v", {"v": 2, "id": -1, "op": "node.ping"}, "wrong_type", 0)
    top("v before op", {"op": "nope", "v": 2, "id": 3}, "bad_version", 3)
    top("op before args", {"v": 1, "id": 4, "op": "nope", "args": 5}, "unknown_op", 4)
    top("args nil", {"v": 1, "id": 6, "op": "node.ping", "args": None}, "wrong_type", 6)
    expect_error("args: first bad key in message order", client.call(
        "ticket.new", {"impact": 9, "titel": "x"}), "out_of_range")
    expect_error("args: a value before the op's unknown argument", client.call(
        "ticket.get", {"id": 5, "title": "x"}), "wrong_type")
    expect_error("nil required non-empty string", client.call(
        "ticket.new", {"title": None, "requester": "r"}), "wrong_type")
    expect_error("missing required string", client.call(
        "ticket.new", {"requester": "r"}), "missing_field")

    # The requester defaults to the caller.
    t = expect_ok("new without requester", client.call("ticket.new", {"title": "My laptop"}))
    if t:
        check("requester defaults to the caller", t["requester"] == root, repr(t["requester"]))
    t = expect_ok("new without requester by alice", client.call(
        "ticket.new", {"title": "My laptop too"}, auth=alice))
    if t:
        check("requester defaults to the caller (token)", t["requester"] == "alice"
              and t["owner"] == "alice", repr(t))

    new = {"title": "empty and nil", "requester": "r"}
    t = expect_ok("new, description absent", client.call("ticket.new", new))
    if not t:
        return
    tid = t["id"]
    check("absent description is nil", t["description"] is None, repr(t["description"]))
    t = expect_ok("new, description and team \"\"", client.call(
        "ticket.new", dict(new, description="", team="")))
    if t:
        check("\"\" stays \"\"", t["description"] == "" and t["team"] == "", repr(t))
    t = expect_ok("update description x", client.call(
        "ticket.update", {"id": tid, "description": "x", "category": "net"}))
    t = expect_ok("update description \"\"", client.call(
        "ticket.update", {"id": tid, "description": ""}))
    if t:
        check("update \"\": empty, category kept", t["description"] == "" and
              t["category"] == "net", repr(t))
    t = expect_ok("update description nil", client.call(
        "ticket.update", {"id": tid, "description": None, "category": None}))
    if t:
        check("update nil: cleared", t["description"] is None and t["category"] is None, repr(t))
    res = expect_ok("history of updates", client.call("ticket.history", {"id": tid}))
    if res:
        changes = [c for e, c in zip(res["events"], res["changes"]) if e["op"] == "update"]
        check("history: what each update changed, from and to", changes == [
            {"from": {"description": None, "category": None},
             "to": {"description": "x", "category": "net"}},
            {"from": {"description": "x"}, "to": {"description": ""}},
            {"from": {"description": "", "category": "net"},
             "to": {"description": None, "category": None}}], repr(changes))
        check("history: no change for other events", all(
            c is None for e, c in zip(res["events"], res["changes"]) if e["op"] != "update"))
    expect_error("update title \"\"", client.call(
        "ticket.update", {"id": tid, "title": ""}), "out_of_range")
    expect_ok("ack", client.call("ticket.ack", {"id": tid}))
    # An assignee is an active desk user with the agent or manager role.
    r = client.call("ticket.assign", {"id": tid, "assignee": "nobody"})
    expect_error("assign to an unknown user", r, "not_found")
    check("assign to an unknown user: names them", "nobody" in r["error"]["message"], repr(r))
    expect_ok("a requester", client.call("user.new", {
        "id": "rita", "display_name": "Rita Roe", "role": "requester"}))
    r = client.call("ticket.assign", {"id": tid, "assignee": "rita"})
    expect_error("assign to a requester", r, "out_of_range")
    check("assign to a requester: names them", "rita" in r["error"]["message"], repr(r))
    expect_error("new with an unknown assignee", client.call(
        "ticket.new", {"title": "t", "assignee": "nobody"}), "not_found")
    t = expect_ok("assign team x", client.call(
        "ticket.assign", {"id": tid, "assignee": "alice", "team": "x"}))
    t = expect_ok("assign, team absent", client.call(
        "ticket.assign", {"id": tid, "assignee": "carol"}))
    if t:
        check("absent team kept", t["team"] == "x", repr(t["team"]))
    t = expect_ok("assign, team nil", client.call(
        "ticket.assign", {"id": tid, "assignee": "carol", "team": None}))
    if t:
        check("nil team cleared", t["team"] is None, repr(t["team"]))
    expect_error("cancel reason nil", client.call(
        "ticket.cancel", {"id": tid, "reason": None}), "missing_field")
    t = expect_ok("cancel reason \"\"", client.call(
        "ticket.cancel", {"id": tid, "reason": ""}))
    if t:
        check("status_reason \"\"", t["status_reason"] == "", repr(t["status_reason"]))
    r = expect_ok("list after nil", client.call("ticket.list", {"after": None, "limit": 1}))
    if r:
        check("after nil: the first page", len(r["tickets"]) == 1, repr(r)[:200])
    r = expect_ok("list after \"\"", client.call("ticket.list", {"after": ""}))
    if r:
        check("after \"\": empty page", r["tickets"] == [], repr(r)[:200])

    r = expect_ok("report since 0", client.call("handover.report", {"since": 0}))
    if r and check("a handover to look past", len(r["handovers"]) > 0, repr(r)):
        at = r["handovers"][0]["at"]
        for since in ((1 << 48) + at, (1 << 48) - 1, (1 << 64) - 1):
            r = expect_ok("report since %d" % since, client.call(
                "handover.report", {"since": since}))
            check("report since %d: empty, not wrapped" % since,
                  r == {"handovers": [], "more": False}, repr(r)[:200])


def main():
    sd_bin = os.environ.get("SD_BIN")
    if not sd_bin:
        print("SD_BIN (the build directory) is not set")
        return 2
    daemon = os.path.join(sd_bin, "node", "sundeskd")
    tmp = tempfile.mkdtemp(prefix="sdproto")
    ctx = zmq.Context()
    proc = None
    client = None
    log = None
    try:
        log = open(os.path.join(tmp, "sundeskd.log"), "w")
        proc = subprocess.Popen([daemon, "--data", tmp], stdout=log, stderr=subprocess.STDOUT)
        sock_path = os.path.join(tmp, "sundesk.sock")
        deadline = time.time() + 10
        while not os.path.exists(sock_path) and time.time() < deadline and proc.poll() is None:
            time.sleep(0.05)
        if not check("node started", os.path.exists(sock_path), "no %s" % sock_path):
            return 1
        client = Client(ctx, "ipc://" + sock_path)
        try:
            run(client, ctx, "ipc://" + sock_path, proc)
        except NoReply as e:
            check("node answered", False, "%s (node %s)" % (
                e, "exited %s" % proc.returncode if proc.poll() is not None else "running"))
        client.close()
        client = None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                rc = proc.wait(10)
            except subprocess.TimeoutExpired:
                rc = "timeout"
            check("SIGTERM: node exits 0", rc == 0, "rc=%s" % rc)
        else:
            check("node still running at the end", False, "exited %s" % proc.returncode)
    finally:
        if client:
            client.close()
        ctx.term()
        if proc and proc.poll() is None:
            proc.kill()
            proc.wait()
        if log:
            log.close()
        if failed:
            try:
                with open(os.path.join(tmp, "sundeskd.log")) as f:
                    print("---- sundeskd log (tail) ----")
                    print("".join(f.readlines()[-20:]), end="")
            except OSError:
                pass
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
