node
    site = APAC
    role = site
policy
    response_hours = "1 1 1 1"
    resolve_hours = "2 2 2 2"
schedule
    escalate_minutes = "10 10 10"
    tick_ms = 100
    takeover_grace_ms = 3000
    clock_start = 2026-03-04T02:00:00Z
    clock_speed = 1
    site
        name = APAC
        zone = Asia/Shanghai
        hours = "mon-fri 07:00-16:00"
    site
        name = EMEA
        zone = Europe/London
        hours = "mon-fri 08:00-17:00"
    site
        name = AMER
        zone = America/New_York
        hours = "mon-fri 08:00-18:00"
