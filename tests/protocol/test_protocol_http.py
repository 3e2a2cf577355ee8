#!/usr/bin/python3
"""Protocol test of what the HTTP API builds on, written from proto/PROTOCOL.md alone.

Record versions (section 2: BLAKE2b-256 over the canonical re-encoding of a get's result, the
first 16 bytes in hex), the envelope keys if_match and idempotency_key, precondition_failed,
auth.logout, "allowed" in a ticket's bad_transition, the ticket.list filters site and team, and
ticket.counts. Starts a real sundeskd on a temporary data directory (restarted once, to show
that idempotency keys outlive the process); the test is the bootstrap admin on the ipc socket,
agents act with API tokens and a password session. Needs Debian's python3-zmq and
python3-msgpack. SD_BIN is the build directory.
"""
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import msgpack
import zmq

# The client and the counters of the main protocol test (same directory).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_protocol as base  # noqa: E402

check = base.check
NoReply = base.NoReply


class Client(base.Client):
    """The main test's DEALER client, with requests sent apart from their replies (a batch)."""

    def message(self, op, args=None, **extra):
        self.next_id += 1
        msg = {"v": 1, "id": self.next_id, "op": op}
        if args is not None:
            msg["args"] = args
        msg.update(extra)
        return msgpack.packb(msg, use_bin_type=True)

    def receive(self):
        if not self.sock.poll(base.TIMEOUT_MS):
            raise NoReply("no reply within %d ms" % base.TIMEOUT_MS)
        return msgpack.unpackb(self.sock.recv(), raw=False)


def code(reply):
    err = reply.get("error") if reply.get("ok") is False else None
    return err.get("code") if isinstance(err, dict) else None


def expect_ok(name, reply):
    ok = reply.get("ok") is True and "result" in reply
    check(name, ok, repr(reply)[:400])
    return reply.get("result") if ok else None


def expect_error(name, reply, want, message=None):
    got = code(reply)
    ok = check(name, got == want, "expected %s, got %r" % (want, reply))
    if ok and message is not None:
        check(name + " (message)", reply["error"]["message"] == message,
              repr(reply["error"]["message"]))


def version(result):
    """Section 2: the first 16 bytes of BLAKE2b-256 over the canonical re-encoding, in hex.
    msgpack-python writes maps in the order decoded and every int in its shortest form."""
    canon = msgpack.packb(result, use_bin_type=True)
    return hashlib.blake2b(canon, digest_size=32).hexdigest()[:32]


def agent(client, login, role="agent"):
    expect_ok("user.new " + login, client.call("user.new", {
        "id": login, "display_name": login.title(), "role": role}))
    t = expect_ok("token.new " + login, client.call("token.new", {"user": login}))
    return t["token"] if t else None


def test_versions_and_if_match(client, ana, req_token):
    t = expect_ok("ticket.new", client.call("ticket.new", {"title": "Printer"}, auth=ana))
    if not t:
        return
    tid = t["id"]
    got = expect_ok("ticket.get", client.call("ticket.get", {"id": tid}, auth=ana))
    v = version(got)
    check("version: 32 lower-case hex", len(v) == 32 and v == v.lower())
    check("version: the write's reply and the get's agree", version(t) == v)
    # An internal note: the agent's view changes, so does its version.
    c = expect_ok("internal note", client.call("ticket.comment", {
        "id": tid, "body": "check the toner", "public": False}, auth=ana))
    check("version: a change gives another version", c and version(c) != v)
    expect_error("if_match: stale version", client.call(
        "ticket.ack", {"id": tid}, if_match=v, auth=ana), "precondition_failed",
        "record %s changed since version %s; get it again" % (tid, v))
    now = expect_ok("ticket.get after the refusal", client.call(
        "ticket.get", {"id": tid}, auth=ana))
    check("if_match: nothing written", now and now["status"] == "new"
          and version(now) == version(c))
    acked = expect_ok("if_match: current version", client.call(
        "ticket.ack", {"id": tid}, if_match=version(now), auth=ana))
    check("if_match: the write happened", acked and acked["status"] == "acknowledged",
          repr(acked)[:200])
    expect_error("if_match on a create", client.call(
        "ticket.new", {"title": "x"}, if_match=v, auth=ana), "invalid")
    expect_error("if_match on a read", client.call(
        "ticket.get", {"id": tid}, if_match=v, auth=ana), "invalid")
    expect_error("if_match: upper-case hex", client.call(
        "ticket.ack", {"id": tid}, if_match=v.upper(), auth=ana), "out_of_range")
    expect_error("if_match: not a str", client.call(
        "ticket.ack", {"id": tid}, if_match=5, auth=ana), "wrong_type")
    expect_error("if_match: unknown ticket", client.call(
        "ticket.ack", {"id": "LOCAL-999999"}, if_match=v, auth=ana), "not_found")
    # A requester's view (public replies only) has a version of its own; the node checks the
    # version of the view of the caller who writes.
    mine = expect_ok("requester's ticket", client.call(
        "ticket.new", {"title": "Mine"}, auth=req_token))
    if not mine:
        return
    expect_ok("internal note on it", client.call("ticket.comment", {
        "id": mine["id"], "body": "internal", "public": False}, auth=ana))
    seen = expect_ok("requester gets it", client.call(
        "ticket.get", {"id": mine["id"]}, auth=req_token))
    agent_seen = expect_ok("agent gets it", client.call(
        "ticket.get", {"id": mine["id"]}, auth=ana))
    check("versions differ by view", version(seen) != version(agent_seen))
    expect_ok("requester comments with the version of their view", client.call(
        "ticket.comment", {"id": mine["id"], "body": "any news?"},
        if_match=version(seen), auth=req_token))
    # A requester who is also an agent, for another site: they write their own ticket as its
    # requester but read it whole; the version and the write's reply follow what they read.
    expect_ok("user.new mia", client.call("user.new", {
        "id": "mia", "display_name": "Mia", "role": "requester"}))
    expect_ok("mia: agent for EMEA", client.call("user.grant", {
        "id": "mia", "role": "agent", "sites": "EMEA"}))
    mia = expect_ok("token mia", client.call("token.new", {"user": "mia"}))["token"]
    hers = expect_ok("mia's ticket", client.call("ticket.new", {"title": "Hers"}, auth=mia))
    expect_ok("internal note on it", client.call("ticket.comment", {
        "id": hers["id"], "body": "internal", "public": False}, auth=ana))
    read = expect_ok("mia reads it whole", client.call("ticket.get", {"id": hers["id"]},
                                                        auth=mia))
    check("mia sees the internal note", read and len(read["comments"]) == 1, repr(read)[:300])
    wrote = expect_ok("mia comments with the version she read", client.call(
        "ticket.comment", {"id": hers["id"], "body": "thanks"}, if_match=version(read),
        auth=mia))
    again = expect_ok("mia reads it again", client.call("ticket.get", {"id": hers["id"]},
                                                         auth=mia))
    check("the write's reply is what she reads", wrote == again, repr(wrote)[:300])
    # A user's version, for user.update.
    u = expect_ok("user.get", client.call("user.get", {"id": "ana"}))
    expect_ok("user.update with if_match", client.call("user.update", {
        "id": "ana", "phone": "+61 2 0000"}, if_match=version(u)))
    expect_error("user.update with the old version", client.call("user.update", {
        "id": "ana", "phone": "+61 2 1111"}, if_match=version(u)), "precondition_failed")


def test_idempotency(client, ana):
    first = expect_ok("ticket.new with a key", client.call(
        "ticket.new", {"title": "Once"}, idempotency_key="k-1", auth=ana))
    again = expect_ok("the same key again", client.call(
        "ticket.new", {"title": "Once"}, idempotency_key="k-1", auth=ana))
    check("one record", first and again and first["id"] == again["id"], repr(again)[:200])
    check("answered as a get", again == expect_ok("get", client.call(
        "ticket.get", {"id": first["id"]}, auth=ana)))
    lst = expect_ok("list", client.call("ticket.list", {"limit": 1000}, auth=ana))
    check("no second ticket", lst and sum(t["title"] == "Once" for t in lst["tickets"]) == 1)
    other = expect_ok("another caller's same key is theirs", client.call(
        "ticket.new", {"title": "Once"}, idempotency_key="k-1"))
    check("another caller: a new record", other and other["id"] != first["id"])
    expect_error("the key for another op", client.call(
        "team.new", {"id": "desk"}, idempotency_key="k-1", auth=ana), "forbidden")
    expect_error("root: the key for another op", client.call(
        "team.new", {"id": "desk"}, idempotency_key="k-1"), "duplicate",
        "idempotency key k-1 was used for ticket.new")
    expect_error("idempotency_key on a write", client.call(
        "ticket.ack", {"id": first["id"]}, idempotency_key="k-2", auth=ana), "invalid")
    expect_error("idempotency_key on a read", client.call(
        "ticket.list", {}, idempotency_key="k-2", auth=ana), "invalid")
    expect_error("idempotency_key: not ASCII", client.call(
        "ticket.new", {"title": "x"}, idempotency_key="clé", auth=ana), "out_of_range")
    expect_error("idempotency_key: too long", client.call(
        "ticket.new", {"title": "x"}, idempotency_key="k" * 129, auth=ana), "too_long")
    expect_error("idempotency_key: empty", client.call(
        "ticket.new", {"title": "x"}, idempotency_key="", auth=ana), "out_of_range")
    # Two requests with one key in one batch: sent before either reply is read.
    sock = client.sock
    sock.send(client.message("ticket.new", {"title": "Batch"}, idempotency_key="k-b",
                             auth=ana))
    sock.send(client.message("ticket.new", {"title": "Batch"}, idempotency_key="k-b",
                             auth=ana))
    a, b = client.receive(), client.receive()
    check("one key in one batch: one record", a.get("ok") and b.get("ok")
          and a["result"]["id"] == b["result"]["id"], repr((a, b))[:300])
    return first["id"]


def test_allowed(client, ana):
    t = expect_ok("ticket.new", client.call("ticket.new", {"title": "Flow"}, auth=ana))
    r = client.call("ticket.start", {"id": t["id"]}, auth=ana)
    expect_error("start a new ticket", r, "bad_transition")
    err = r.get("error", {})
    check("error keys: code, message, allowed", list(err.keys()) == ["code", "message", "allowed"],
          repr(err))
    check("allowed: the verbs of a new ticket", err.get("allowed") ==
          ["ack", "cancel", "comment", "update", "handover"], repr(err))
    expect_ok("cancel (root: agents do not cancel)", client.call(
        "ticket.cancel", {"id": t["id"], "reason": ""}))
    r = client.call("ticket.handover", {"id": t["id"], "site": "EMEA"}, auth=ana)
    check("a final ticket allows nothing", code(r) == "bad_transition"
          and r["error"].get("allowed") == [], repr(r))
    r = client.call("user.enable", {"id": "ana"})
    check("other bad_transitions: no allowed", code(r) == "bad_transition"
          and list(r["error"].keys()) == ["code", "message"], repr(r))


def test_logout(client, ana):
    expect_ok("user.password", client.call("user.password", {
        "id": "ana", "password": "secret-pass-1"}))
    s = expect_ok("auth.login", client.call("auth.login", {
        "id": "ana", "password": "secret-pass-1"}))
    if not s:
        return
    session = s["token"]
    expect_ok("whoami in the session", client.call("auth.whoami", auth=session))
    out = expect_ok("auth.logout", client.call("auth.logout", auth=session))
    check("logout: the user", out == {"user": "ana"}, repr(out))
    expect_error("the session is over", client.call("auth.whoami", auth=session),
                 "unauthenticated")
    expect_error("logout with an API token", client.call("auth.logout", auth=ana), "invalid",
                 "auth.logout ends login sessions; revoke API tokens with token.revoke")
    expect_error("logout as the Unix account", client.call("auth.logout"), "invalid")
    expect_ok("the API token still works", client.call("auth.whoami", auth=ana))


def test_filters_and_counts(client, ana, req_token):
    a = expect_ok("ticket.new team net", client.call("ticket.new", {
        "title": "Switch", "team": "net", "impact": 1, "urgency": 1}, auth=ana))
    b = expect_ok("ticket.new for EMEA", client.call("ticket.new", {
        "title": "Laptop", "team": "desktop"}, auth=ana))
    expect_ok("handover to EMEA", client.call("ticket.handover", {
        "id": b["id"], "site": "EMEA"}, auth=ana))
    lst = expect_ok("list site EMEA", client.call("ticket.list", {"site": "EMEA"}, auth=ana))
    check("site filter", lst and [t["id"] for t in lst["tickets"]] == [b["id"]], repr(lst)[:300])
    lst = expect_ok("list team net", client.call("ticket.list", {"team": "net"}, auth=ana))
    check("team filter", lst and [t["id"] for t in lst["tickets"]] == [a["id"]], repr(lst)[:300])
    lst = expect_ok("list site+team", client.call("ticket.list", {
        "site": "EMEA", "team": "net"}, auth=ana))
    check("filters combine", lst and lst["tickets"] == [])
    everything = expect_ok("all tickets", client.call("ticket.list", {"limit": 1000}, auth=ana))
    c = expect_ok("ticket.counts", client.call("ticket.counts", auth=ana))
    if not (c and everything):
        return
    tickets = everything["tickets"]
    opened = [t for t in tickets if t["status"] in
              ("new", "acknowledged", "assigned", "in_progress", "pending")]
    check("counts: keys", list(c.keys()) == ["open", "tickets", "by_site", "by_priority",
                                             "by_sla", "by_status"], repr(c))
    check("counts: open by default", c["open"] is True and c["tickets"] == len(opened))
    sites = {}
    for t in opened:
        sites[t["owner_site"]] = sites.get(t["owner_site"], 0) + 1
    check("counts: by site", c["by_site"] == sites and sites.get("EMEA") == 1, repr(c))
    check("counts: by priority", c["by_priority"] == {
        p: sum(t["priority"] == p for t in opened) for p in ("P1", "P2", "P3", "P4")}, repr(c))
    check("counts: by sla", sum(c["by_sla"].values()) == len(opened)
          and list(c["by_sla"].keys()) == ["ok", "at_risk", "breached"], repr(c))
    check("counts: by status, every ticket", sum(c["by_status"].values()) == len(tickets)
          and c["by_status"]["cancelled"] == sum(t["status"] == "cancelled" for t in tickets),
          repr(c))
    every = expect_ok("ticket.counts open false", client.call(
        "ticket.counts", {"open": False}, auth=ana))
    check("counts: every ticket", every and every["open"] is False
          and every["tickets"] == len(tickets), repr(every))
    expect_error("counts: not for requesters", client.call("ticket.counts", auth=req_token),
                 "forbidden")


def start(daemon, tmp, log):
    proc = subprocess.Popen([daemon, "--data", tmp], stdout=log, stderr=subprocess.STDOUT)
    sock_path = os.path.join(tmp, "sundesk.sock")
    deadline = time.time() + 10
    while not os.path.exists(sock_path) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    return proc, sock_path


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        return "timeout"


def main():
    sd_bin = os.environ.get("SD_BIN")
    if not sd_bin:
        print("SD_BIN (the build directory) is not set")
        return 2
    daemon = os.path.join(sd_bin, "node", "sundeskd")
    tmp = tempfile.mkdtemp(prefix="sdhttp")
    ctx = zmq.Context()
    proc, client = None, None
    log = open(os.path.join(tmp, "sundeskd.log"), "w")
    try:
        proc, sock = start(daemon, tmp, log)
        if not check("node started", os.path.exists(sock)):
            return 1
        client = Client(ctx, "ipc://" + sock)
        try:
            ana = agent(client, "ana")
            expect_ok("user.new rita", client.call("user.new", {
                "id": "rita", "display_name": "Rita", "role": "requester"}))
            rita = expect_ok("token rita", client.call("token.new", {"user": "rita"}))["token"]
            test_versions_and_if_match(client, ana, rita)
            made = test_idempotency(client, ana)
            test_allowed(client, ana)
            test_logout(client, ana)
            test_filters_and_counts(client, ana, rita)
            client.close()
            client = None
            check("SIGTERM: node exits 0", stop(proc) == 0)
            # Idempotency keys are kept as long as the store: also across a restart.
            proc, sock = start(daemon, tmp, log)
            client = Client(ctx, "ipc://" + sock)
            again = expect_ok("after a restart: the key again", client.call(
                "ticket.new", {"title": "Once"}, idempotency_key="k-1", auth=ana))
            check("after a restart: the same record", again and again["id"] == made)
        except NoReply as e:
            check("node answered", False, str(e))
    finally:
        if client:
            client.close()
        ctx.term()
        if proc and proc.poll() is None:
            stop(proc)
        log.close()
        if base.failed:
            with open(os.path.join(tmp, "sundeskd.log")) as f:
                print("---- sundeskd log (tail) ----")
                print("".join(f.readlines()[-20:]), end="")
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (base.passed, base.failed))
    return 1 if base.failed else 0


if __name__ == "__main__":
    sys.exit(main())
