/* calendar_zone.c - IANA time zones read from the system tzdata (TZif files); civil dates. */
#include "calendar_impl.h"

#include "error.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZONE_DIR      "/usr/share/zoneinfo"
#define ZONE_FILE_MAX (256 * 1024) /* the largest tzdata file is under 4 KiB */
#define ZONE_YEAR_END 2201         /* footer rules are expanded this far: past SD_TIME_MAX */
#define ZONE_FAR_S    (1ll << 40)  /* transitions beyond +-35000 years are dropped */
#define HEADER_SIZE   44

/* ---- Civil dates (H. Hinnant's algorithms, proleptic Gregorian) ---------- */

int64_t sd_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t sd_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = sd_floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void sd_civil_from_days(int64_t day, int64_t *y, int *m, int *d)
{
    day += 719468;
    int64_t era = sd_floor_div(day, 146097);
    int64_t doe = day - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int sd_month_days(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (m == 2 && leap);
}

int sd_weekday(int64_t day)
{
    return (int)(day - 7 * sd_floor_div(day + 3, 7) + 3); /* 1970-01-01 was a Thursday */
}

/* ---- The POSIX TZ string in a TZif footer: the rules after the table ----- */

/* When a DST change happens in a year. */
typedef struct {
    char
        kind; /* 'J': day a 1..365 without Feb 29; 'D': day a 0..365; 'M': month a, week b, day c */
    int a, b, c;  /* as kind says; week 5 = the last, weekday 0 = Sunday */
    int32_t time; /* seconds after local midnight, -167 h .. 167 h (RFC 8536 extension) */
} s_rule_t;

typedef struct {
    int32_t std, dst;    /* offsets in seconds east of UTC */
    bool has_dst;        /* false: std all year */
    s_rule_t start, end; /* DST starts (in standard time) and ends (in DST) */
} s_tz_t;

/* Reads an unsigned number of at most 3 digits in lo..hi. */
static const char *s_num(const char *s, int lo, int hi, int *out)
{
    int v = 0, digits = 0;
    while (isdigit((unsigned char)*s) && digits < 3)
        v = v * 10 + (*s++ - '0'), digits++;
    if (!digits || v < lo || v > hi)
        return NULL;
    *out = v;
    return s;
}

/* A zone abbreviation: 3+ letters, or <...> of letters, digits, '+', '-'. */
static const char *s_tz_name(const char *s)
{
    const char *from = s;
    if (*s == '<') {
        from = ++s;
        while (isalnum((unsigned char)*s) || *s == '+' || *s == '-')
            s++;
        return *s == '>' && s - from >= 3 ? s + 1 : NULL;
    }
    while (isalpha((unsigned char)*s))
        s++;
    return s - from >= 3 ? s : NULL;
}

/* [+-]hh[:mm[:ss]] in seconds. */
static const char *s_tz_hms(const char *s, int max_hours, int32_t *out)
{
    int sign = 1, h, m = 0, sec = 0;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    if (!(s = s_num(s, 0, max_hours, &h)))
        return NULL;
    if (*s == ':' && !(s = s_num(s + 1, 0, 59, &m)))
        return NULL;
    if (*s == ':' && !(s = s_num(s + 1, 0, 59, &sec)))
        return NULL;
    *out = sign * (h * 3600 + m * 60 + sec);
    return s;
}

static const char *s_tz_rule(const char *s, s_rule_t *r)
{
    r->kind = *s == 'M' || *s == 'J' ? *s++ : 'D';
    r->time = 7200;
    if (r->kind == 'M') {
        if (!(s = s_num(s, 1, 12, &r->a)) || *s++ != '.' || !(s = s_num(s, 1, 5, &r->b)) ||
            *s++ != '.' || !(s = s_num(s, 0, 6, &r->c)))
            return NULL;
    } else if (!(s = s_num(s, r->kind == 'J', 365, &r->a))) {
        return NULL;
    }
    return *s == '/' ? s_tz_hms(s + 1, 167, &r->time) : s;
}

/* Parses a footer. A DST zone without rules is refused: the POSIX default
 * is implementation-defined and tzdata never relies on it. */
static int s_tz_parse(const char *s, s_tz_t *tz)
{
    int32_t off;
    memset(tz, 0, sizeof *tz);
    if (!(s = s_tz_name(s)) || !(s = s_tz_hms(s, 24, &off)))
        return SD_ECORRUPT;
    tz->std = -off; /* POSIX counts west of Greenwich as positive */
    if (!*s)
        return 0;
    if (!(s = s_tz_name(s)))
        return SD_ECORRUPT;
    tz->has_dst = true;
    tz->dst = tz->std + 3600;
    if (*s && *s != ',') {
        if (!(s = s_tz_hms(s, 24, &off)))
            return SD_ECORRUPT;
        tz->dst = -off;
    }
    if (*s++ != ',' || !(s = s_tz_rule(s, &tz->start)) || *s++ != ',' ||
        !(s = s_tz_rule(s, &tz->end)) || *s)
        return SD_ECORRUPT;
    return 0;
}

/* Day (since 1970-01-01) on which rule r falls in year y. */
static int64_t s_rule_day(const s_rule_t *r, int64_t y)
{
    int64_t jan1 = sd_days_from_civil(y, 1, 1);
    if (r->kind == 'J')
        return jan1 + r->a - 1 + (r->a >= 60 && sd_month_days(y, 2) == 29);
    if (r->kind == 'D')
        return jan1 + r->a;
    int64_t first = sd_days_from_civil(y, r->a, 1);
    int sunday_based = (sd_weekday(first) + 1) % 7;
    int64_t day = first + (r->c - sunday_based + 7) % 7 + 7 * (r->b - 1);
    while (day >= first + sd_month_days(y, r->a))
        day -= 7; /* week 5 means the last such weekday */
    return day;
}

/* ---- Building the table --------------------------------------------------- */

/* Appends a transition later than floor to a table with room for it: a change
 * at the same instant as the last one replaces it, a non-change is dropped. */
static int s_append(sd_zone_t *z, int64_t at, int32_t offset, int64_t floor)
{
    if (at <= floor)
        return 0;
    if (z->n && at < z->at[z->n - 1])
        return SD_ECORRUPT;
    if (z->n && at == z->at[z->n - 1]) {
        z->offset[z->n] = offset;
        if (offset == z->offset[z->n - 1])
            z->n--;
        return 0;
    }
    if (offset == z->offset[z->n])
        return 0;
    z->at[z->n++] = at;
    z->offset[z->n] = offset;
    return 0;
}

/* Adds the footer's yearly changes after the last listed transition. */
static int s_tz_expand(sd_zone_t *z, const s_tz_t *tz)
{
    if (!tz->has_dst)
        return 0;
    int64_t floor = z->n ? z->at[z->n - 1] : INT64_MIN, y0 = SD_YEAR_MIN - 1;
    if (z->n) {
        int m, d;
        sd_civil_from_days(sd_floor_div(floor, SD_DAY_MS), &y0, &m, &d);
        y0 = y0 - 1 < SD_YEAR_MIN - 1 ? SD_YEAR_MIN - 1 : y0 - 1;
    }
    for (int64_t y = y0; y <= ZONE_YEAR_END; y++) {
        int64_t on = (s_rule_day(&tz->start, y) * 86400 + tz->start.time - tz->std) * 1000;
        int64_t off = (s_rule_day(&tz->end, y) * 86400 + tz->end.time - tz->dst) * 1000;
        bool on_first = on <= off; /* southern zones end DST before they start it */
        int rc = s_append(z, on_first ? on : off, on_first ? tz->dst : tz->std, floor);
        if (!rc)
            rc = s_append(z, on_first ? off : on, on_first ? tz->std : tz->dst, floor);
        if (rc)
            return rc;
    }
    return 0;
}

/* The six counts of a TZif header. */
typedef struct {
    uint64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} s_counts_t;

static uint32_t s_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t s_be64(const uint8_t *p)
{
    return (int64_t)((uint64_t)s_be32(p) << 32 | s_be32(p + 4));
}

static int s_header(const uint8_t *p, size_t len, s_counts_t *c)
{
    if (len < HEADER_SIZE || memcmp(p, "TZif", 4) != 0)
        return SD_ECORRUPT;
    uint64_t *f[6] = {&c->isutcnt, &c->isstdcnt, &c->leapcnt,
                      &c->timecnt, &c->typecnt,  &c->charcnt};
    for (int i = 0; i < 6; i++)
        *f[i] = s_be32(p + 20 + 4 * i);
    if (!c->typecnt || (c->isutcnt && c->isutcnt != c->typecnt) ||
        (c->isstdcnt && c->isstdcnt != c->typecnt))
        return SD_ECORRUPT;
    return c->leapcnt ? SD_ECORRUPT : 0; /* "right/" zones count leap seconds: not UTC ms */
}

static uint64_t s_block_size(const s_counts_t *c, int tsize)
{
    return c->timecnt * (uint64_t)(tsize + 1) + c->typecnt * 6 + c->charcnt +
           c->leapcnt * (uint64_t)(tsize + 4) + c->isstdcnt + c->isutcnt;
}

/* Reads one data block (times of tsize bytes) into z, sized for the footer's
 * years as well. */
static int s_block(const uint8_t *p, const s_counts_t *c, int tsize, sd_zone_t *z)
{
    size_t room = c->timecnt + 2 * (ZONE_YEAR_END - SD_YEAR_MIN + 3);
    z->at = malloc(room * sizeof *z->at);
    z->offset = malloc((room + 1) * sizeof *z->offset);
    if (!z->at || !z->offset)
        return SD_ENOMEM;
    const uint8_t *times = p, *types = p + c->timecnt * tsize, *info = types + c->timecnt;
    for (uint64_t i = 0; i < c->typecnt; i++) {
        int32_t utoff = (int32_t)s_be32(info + 6 * i);
        if (utoff <= -SD_ZONE_SHIFT_MS / 1000 || utoff >= SD_ZONE_SHIFT_MS / 1000)
            return SD_ECORRUPT;
    }
    z->offset[0] = (int32_t)s_be32(info); /* before the first transition: type 0 */
    z->n = 0;
    int64_t prev = INT64_MIN;
    for (uint64_t i = 0; i < c->timecnt; i++) {
        int64_t t = tsize == 8 ? s_be64(times + 8 * i) : (int32_t)s_be32(times + 4 * i);
        if (types[i] >= c->typecnt || t <= prev)
            return SD_ECORRUPT;
        prev = t;
        int32_t utoff = (int32_t)s_be32(info + 6 * types[i]);
        if (t < -ZONE_FAR_S)
            z->offset[0] = utoff;
        else if (t <= ZONE_FAR_S)
            s_append(z, t * 1000, utoff, INT64_MIN);
    }
    return 0;
}

/* Parses a whole TZif file (version 1, or 2+ with its 64-bit block and
 * footer) into z. */
static int s_parse(const uint8_t *p, size_t len, sd_zone_t *z)
{
    s_counts_t c;
    int rc = s_header(p, len, &c);
    if (rc)
        return rc;
    uint64_t size = s_block_size(&c, 4);
    if (size > len - HEADER_SIZE)
        return SD_ECORRUPT;
    if (p[4] < '2')
        return s_block(p + HEADER_SIZE, &c, 4, z);
    size_t at = HEADER_SIZE + size; /* skip the 32-bit block of old readers */
    if ((rc = s_header(p + at, len - at, &c)))
        return rc;
    at += HEADER_SIZE;
    size = s_block_size(&c, 8);
    if (size > len - at || (rc = s_block(p + at, &c, 8, z)))
        return rc ? rc : SD_ECORRUPT;
    at += size;
    const uint8_t *nl = at < len && p[at] == '\n' ? memchr(p + at + 1, '\n', len - at - 1) : NULL;
    if (!nl)
        return SD_ECORRUPT;
    char footer[128];
    size_t flen = (size_t)(nl - (p + at + 1));
    if (flen >= sizeof footer || memchr(p + at + 1, 0, flen))
        return SD_ECORRUPT;
    memcpy(footer, p + at + 1, flen);
    footer[flen] = 0;
    s_tz_t tz;
    if (!flen)
        return 0; /* no rule: the last listed offset holds forever */
    return (rc = s_tz_parse(footer, &tz)) ? rc : s_tz_expand(z, &tz);
}

/* IANA names are like "America/Argentina/Buenos_Aires", "Etc/GMT+5": no
 * dots, so no way out of the zone directory. */
static bool s_name_ok(const char *name)
{
    size_t len = strlen(name);
    if (!len || len >= SD_CAL_ZONE_MAX || !isalnum((unsigned char)name[0]) ||
        name[len - 1] == '/' || strstr(name, "//"))
        return false;
    for (const char *s = name; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("/_+-", *s))
            return false;
    return true;
}

static int s_read(const char *path, uint8_t **buf, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? SD_EINVAL : SD_EIO;
    struct stat st;
    int rc = 0;
    *buf = NULL;
    if (fstat(fd, &st) != 0)
        rc = SD_EIO;
    else if (!S_ISREG(st.st_mode) || st.st_size < 4 || st.st_size > ZONE_FILE_MAX)
        rc = SD_EINVAL; /* a directory or some other file: no such zone */
    else if (!(*buf = malloc((size_t)st.st_size)))
        rc = SD_ENOMEM;
    for (*len = 0; !rc && *len < (size_t)st.st_size;) {
        ssize_t got = read(fd, *buf + *len, (size_t)st.st_size - *len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            rc = SD_EIO;
        else
            *len += (size_t)got;
    }
    close(fd);
    if (!rc && memcmp(*buf, "TZif", 4) != 0)
        rc = SD_EINVAL; /* e.g. "zone.tab" */
    if (rc) {
        free(*buf);
        *buf = NULL;
    }
    return rc;
}

int sd_zone_load(sd_zone_t *zone, const char *name)
{
    memset(zone, 0, sizeof *zone);
    if (!name || !s_name_ok(name))
        return SD_EINVAL;
    const char *dir = getenv("TZDIR"); /* as glibc: lets tests and odd systems move tzdata */
    if (!dir || dir[0] != '/')
        dir = ZONE_DIR;
    char path[1024];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return SD_EINVAL;
    uint8_t *buf;
    size_t len;
    int rc = s_read(path, &buf, &len);
    if (rc)
        return rc;
    rc = s_parse(buf, len, zone);
    free(buf);
    if (rc)
        sd_zone_clear(zone);
    return rc;
}

void sd_zone_clear(sd_zone_t *zone)
{
    free(zone->at);
    free(zone->offset);
    memset(zone, 0, sizeof *zone);
}

/* Index of the offset in force at t: the number of transitions at or before t. */
static size_t s_segment(const sd_zone_t *z, int64_t t)
{
    size_t lo = 0, hi = z->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->at[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int32_t sd_zone_offset(const sd_zone_t *zone, int64_t t)
{
    return zone->offset[s_segment(zone, t)];
}

/* Offset k shows local times [at[k-1] + o, at[k] + o). Offsets are within
 * SD_ZONE_SHIFT_MS, so only the few segments near s (or e) can qualify. */
int64_t sd_zone_start_utc(const sd_zone_t *z, int64_t s)
{
    for (size_t k = s_segment(z, s - SD_ZONE_SHIFT_MS);; k++) {
        int64_t o = z->offset[k] * 1000ll;
        if (k == z->n || z->at[k] + o > s) {
            int64_t t = s - o;
            return k > 0 && z->at[k - 1] > t ? z->at[k - 1] : t;
        }
    }
}

int64_t sd_zone_end_utc(const sd_zone_t *z, int64_t e)
{
    for (size_t k = s_segment(z, e + SD_ZONE_SHIFT_MS);; k--) {
        int64_t o = z->offset[k] * 1000ll;
        if (k == 0 || z->at[k - 1] + o < e) {
            int64_t t = e - o;
            return k < z->n && z->at[k] < t ? z->at[k] : t;
        }
    }
}
