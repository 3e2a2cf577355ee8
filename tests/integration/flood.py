#!/usr/bin/python3
"""flood.py - an attacker for the flood tests: sends many costly requests and never reads a reply.

usage: flood.py tickets ENDPOINT N BYTES
           make N tickets with BYTES-byte descriptions (pipelined; reads these replies), print N
       flood.py client ENDPOINT N
           send N `ticket.list limit=1000` to a node's client socket
       flood.py peer ENDPOINT CERT SERVER_CERT N ORIGIN...
           send N sync requests ("ORIGIN from seq S", cycling the ORIGINs and S over 1, 101, ...
           901) to a node's sync service with the admitted CURVE key of CERT (its secret in
           CERT_secret), to the server key of SERVER_CERT, in bursts of 100 a tenth of a second
           apart (so that the flood spans several of the node's windows for replies in flight)
The flooding modes print "sent N" once every request is out, then stay connected without reading
until killed (60 s at most). The socket keeps the smallest receive buffers it can, so the node's
replies back up in the node, which is what a client that never reads does."""
import re
import sys
import time

import msgpack
import zmq


def s_socket(endpoint, cert=None, server_cert=None):
    s = zmq.Context.instance().socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.RCVHWM, 1)
    s.setsockopt(zmq.RCVBUF, 4096)
    s.setsockopt(zmq.SNDHWM, 0)  # every request leaves, however slowly the node takes them
    s.setsockopt(zmq.SNDTIMEO, 20000)
    if cert:
        def key(path, name):
            return re.search(name + r' = "(.+)"', open(path).read()).group(1).encode()
        s.curve_publickey = key(cert, "public-key")
        s.curve_secretkey = key(cert + "_secret", "secret-key")
        s.curve_serverkey = key(server_cert, "public-key")
    s.connect(endpoint)
    return s


def s_tickets(endpoint, total, size):
    s = s_socket(endpoint)
    s.setsockopt(zmq.RCVHWM, 1000)
    text = "x" * size
    sent = acked = 0
    while acked < total:
        while sent < total and sent - acked < 64:
            sent += 1
            s.send(msgpack.packb({"v": 1, "id": sent, "op": "ticket.new",
                                  "args": {"title": "flood %d" % sent, "description": text,
                                           "requester": "user%d@example.com" % (sent % 50)}}))
        if not s.poll(10000):
            sys.exit("flood.py: no reply for 10 s after %d tickets" % acked)
        if not msgpack.unpackb(s.recv(), raw=False)["ok"]:
            sys.exit("flood.py: a ticket was refused")
        acked += 1
    print(acked)


def s_flood(s, bodies, pause=0):
    n = 0
    for body in bodies:
        s.send(body)
        n += 1
        if pause and n % 100 == 0:
            time.sleep(pause)
    print("sent %d" % n, flush=True)
    time.sleep(60)  # connected and not reading, until the test kills us


mode = sys.argv[1] if len(sys.argv) > 1 else ""
if mode == "tickets" and len(sys.argv) == 5:
    s_tickets(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
elif mode == "client" and len(sys.argv) == 4:
    n = int(sys.argv[3])
    s_flood(s_socket(sys.argv[2]),
            (msgpack.packb({"v": 1, "id": i + 1, "op": "ticket.list", "args": {"limit": 1000}})
             for i in range(n)))
elif mode == "peer" and len(sys.argv) >= 7:
    n, origins = int(sys.argv[5]), sys.argv[6:]
    s_flood(s_socket(sys.argv[2], sys.argv[3], sys.argv[4]),
            (msgpack.packb({"v": 1, "origin": origins[i % len(origins)],
                            "from": 1 + (i // len(origins)) % 10 * 100}) for i in range(n)), 0.1)
else:
    sys.exit(__doc__)
