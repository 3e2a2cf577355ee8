# /etc/sundesk/emea.zpl - region EMEA, following the hub. For APAC and AMER change only
# node/site and the file name in replication/cert (the schedule stays as it is).
# Run by sundeskd@emea.service: data in /var/lib/sundesk/emea, clients use
# sundesk --data /var/lib/sundesk/emea. Check with: sundeskd --check-config /etc/sundesk/emea.zpl
# ZPL: indent exactly 4 spaces per level, comment lines too (no tabs); '#' starts a comment;
# quote values that contain spaces.
node
    site = EMEA                 # site id (A-Z 0-9 - _, max 16): also the ticket id prefix,
                                #   EMEA-000001...; a store never changes site
    role = site
    log_level = info            # error | warning | info | debug
    # endpoint is left out: the client socket is /var/lib/sundesk/emea/sundesk.sock

replication
    cert = /etc/sundesk/keys/emea.cert     # own certificate; emea.cert_secret beside it,
                                            #   owner sundesk, mode 0600 (else sundeskd refuses it)
    certs = /etc/sundesk/certs              # public certificates of the nodes that may connect
                                            #   here: hub.cert (the hub follows this region)
    pub = tcp://0.0.0.0:7101                # events and heartbeats (the hub subscribes)
    sync = tcp://0.0.0.0:7102               # sync service (the hub fetches missing events)
    heartbeat_ms = 1000
    # The region follows the hub only: the hub relays the other regions' events.
    upstream
        cert = /etc/sundesk/certs/hub.cert
        pub = tcp://hub.example.net:7101
        sync = tcp://hub.example.net:7102

# The schedule must be the same on every node of the desk, sites in the same order.
schedule
    tick_ms = 1000              # how often the scheduler looks at open tickets
    takeover_grace_ms = 30000   # used by the hub; kept equal everywhere
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
