#!/usr/bin/python3
"""load.py - creates N tickets on a node as fast as it takes them (a pipelined DEALER).

usage: load.py ENDPOINT N [TAG]
Keeps up to 256 requests in flight, checks every reply is ok, prints the number of
acknowledged tickets; exits 1 on a refusal or when the node stops answering for 10 s."""
import sys
import msgpack
import zmq

endpoint, total = sys.argv[1], int(sys.argv[2])
tag = sys.argv[3] if len(sys.argv) > 3 else "load"
s = zmq.Context().socket(zmq.DEALER)
s.setsockopt(zmq.LINGER, 0)
s.connect(endpoint)
sent = acked = 0
while acked < total:
    while sent < total and sent - acked < 256:
        sent += 1
        s.send(msgpack.packb({"v": 1, "id": sent, "op": "ticket.new",
                              "args": {"title": "%s %d" % (tag, sent),
                                       "requester": "user%d@example.com" % (sent % 50)}}))
    if not s.poll(10000):
        sys.exit("load.py: no reply for 10 s after %d acknowledged" % acked)
    reply = msgpack.unpackb(s.recv(), raw=False)
    if not reply["ok"]:
        sys.exit("load.py: refused: %s" % reply["error"]["code"])
    acked += 1
print(acked)
