# A single-site desk on tcp with tokens, its own policy and a follow-the-sun schedule.
node
    site = APAC-2
    role = hub
    endpoint = tcp://127.0.0.1:7200
    auth = token
    log_level = debug
    operators = sundesk
policy
    matrix = "1 1 2 2 3 3 3 4 4"
    response_hours = "1 2 8 24"
    resolve_hours = "4 8 72 120"
    vip = "ceo@example.com cfo@example.com"
schedule
    tick_ms = 250
    takeover_grace_ms = 5000
    follow_sun = "P1, P2"
    site
        name = APAC-2
        zone = Asia/Kolkata
        hours = "mon-fri 09:00-12:00 13:00-18:00; sat 22:00-06:00"
        holidays = "2026-01-26, 2026-08-15"
    site
        name = AMER
        zone = America/St_Johns
        hours = "sun-thu 20:00-04:00"
metrics
    port = 9471
    address = 127.0.0.1
