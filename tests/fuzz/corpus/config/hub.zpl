# /etc/sundesk/hub.zpl - the hub of a desk with three regions (APAC, EMEA, AMER).
# Run by sundeskd@hub.service: data in /var/lib/sundesk/hub, clients use
# sundesk --data /var/lib/sundesk/hub. Check with: sundeskd --check-config /etc/sundesk/hub.zpl
# ZPL: indent exactly 4 spaces per level, comment lines too (no tabs); '#' starts a comment;
# quote values that contain spaces.
node
    site = HUB                  # site id (A-Z 0-9 - _, max 16); a store never changes site
    role = hub                  # the hub relays every region's events to the others
    log_level = info            # error | warning | info | debug
    # endpoint is left out: the client socket is /var/lib/sundesk/hub/sundesk.sock

replication
    cert = /etc/sundesk/keys/hub.cert      # own certificate; hub.cert_secret beside it,
                                            #   owner sundesk, mode 0600 (else sundeskd refuses it)
    certs = /etc/sundesk/certs              # public certificates of the nodes that may connect
                                            #   here: the three regions' apac/emea/amer.cert
    pub = tcp://0.0.0.0:7101                # events and heartbeats (the regions subscribe)
    sync = tcp://0.0.0.0:7102               # sync service (the regions fetch missing events)
    heartbeat_ms = 1000
    upstream                                # the hub follows every region
        cert = /etc/sundesk/certs/apac.cert
        pub = tcp://apac.example.net:7101
        sync = tcp://apac.example.net:7102
    upstream
        cert = /etc/sundesk/certs/emea.cert
        pub = tcp://emea.example.net:7101
        sync = tcp://emea.example.net:7102
    upstream
        cert = /etc/sundesk/certs/amer.cert
        pub = tcp://amer.example.net:7101
        sync = tcp://amer.example.net:7102

# The schedule must be the same on every node of the desk, sites in the same order.
schedule
    tick_ms = 1000              # how often the scheduler looks at open tickets
    takeover_grace_ms = 30000   # the hub does the handovers of a region silent this long
    site
        name = APAC
        zone = Asia/Shanghai
        hours = "mon-fri 07:00-16:00"
        holidays = "2026-01-01 2026-10-01"
    site
        name = EMEA
        zone = Europe/London
        hours = "mon-fri 08:00-17:00"
        holidays = "2026-12-25 2026-12-28"
    site
        name = AMER
        zone = America/New_York
        hours = "mon-fri 08:00-18:00"
        holidays = "2026-11-26 2026-12-25"

# Prometheus metrics at http://127.0.0.1:9470/metrics; delete the section to turn them off.
metrics
    port = 9470
    address = 127.0.0.1         # loopback (the default): scrape locally or through a proxy
