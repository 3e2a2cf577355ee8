/* robot.c - chat robots (robot.h): the vendors' requests and signatures, one POST by libcurl,
 * and each robot's rate limiter. */
#include "robot.h"

#include "error.h"
#include "secrets.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SD_ROBOT_SECRET_MAX 512 /* a signing secret's bytes */
#define SD_ROBOT_REPLY_MAX  4096
#define SD_ROBOT_RATE_MAX   600 /* the largest per_minute */
#define SD_ROBOT_LIMITERS   64
#define SD_ROBOT_WINDOW_MS  60000u
#define SD_ROBOT_REST_MS    60000u         /* after the vendor's rate error */
#define SD_ROBOT_CUT        "\xe2\x80\xa6" /* "…" */

/* The most bytes of text each kind posts (robot.h): wecom's documented 2048-byte content;
 * DingTalk's and Feishu's bodies stay well under their 20 KB; the generic webhook's text. */
static const size_t s_limit[] = {2048, 15000, 15000, 16384};
static const char *const s_kind_names[] = {"wecom", "dingtalk", "feishu", "webhook"};

/* ---- the rate limiters: one per robot (name and url), kept for the process ---- */

typedef struct {
    char key[SD_NAME_MAX + 1 + SD_ROBOT_URL_MAX];
    uint64_t sent[SD_ROBOT_RATE_MAX]; /* ring of the last posts' times */
    int next;
    uint64_t rest_until;
    uint64_t used; /* last use, to reuse the oldest slot */
} s_limiter_t;

static s_limiter_t s_limiters[SD_ROBOT_LIMITERS];
static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;

/* The limiter of r (s_lock held); create: take a free or the least recently used slot. */
static s_limiter_t *s_limiter(const sd_robot_config_t *r, bool create)
{
    char key[sizeof s_limiters[0].key];
    snprintf(key, sizeof key, "%s\n%s", r->name, r->url);
    s_limiter_t *old = &s_limiters[0];
    for (int i = 0; i < SD_ROBOT_LIMITERS; i++) {
        if (!strcmp(s_limiters[i].key, key))
            return &s_limiters[i];
        if (s_limiters[i].used < old->used)
            old = &s_limiters[i];
    }
    if (!create)
        return NULL;
    memset(old, 0, sizeof *old);
    snprintf(old->key, sizeof old->key, "%s", key);
    return old;
}

/* Posts in the minute before now (s_lock held). */
static int s_recent(const s_limiter_t *l, int per_minute, uint64_t now_ms)
{
    int n = 0;
    for (int i = 0; i < per_minute && i < SD_ROBOT_RATE_MAX; i++)
        if (l->sent[i] && l->sent[i] + SD_ROBOT_WINDOW_MS > now_ms)
            n++;
    return n;
}

static bool s_ready_locked(const sd_robot_config_t *r, const s_limiter_t *l, uint64_t now_ms)
{
    return !l || (now_ms >= l->rest_until && s_recent(l, r->per_minute, now_ms) < r->per_minute);
}

bool sd_robot_ready(const sd_robot_config_t *r, uint64_t now_ms)
{
    pthread_mutex_lock(&s_lock);
    bool ready = s_ready_locked(r, s_limiter(r, false), now_ms);
    pthread_mutex_unlock(&s_lock);
    return ready;
}

uint64_t sd_robot_ready_at(const sd_robot_config_t *r, uint64_t now_ms)
{
    pthread_mutex_lock(&s_lock);
    const s_limiter_t *l = s_limiter(r, false);
    uint64_t at = now_ms;
    if (l && s_recent(l, r->per_minute, now_ms) >= r->per_minute) {
        uint64_t oldest = UINT64_MAX; /* the window is full: its oldest post frees a slot */
        for (int i = 0; i < r->per_minute && i < SD_ROBOT_RATE_MAX; i++)
            if (l->sent[i] && l->sent[i] + SD_ROBOT_WINDOW_MS > now_ms && l->sent[i] < oldest)
                oldest = l->sent[i];
        at = oldest + SD_ROBOT_WINDOW_MS;
    }
    if (l && l->rest_until > at)
        at = l->rest_until;
    pthread_mutex_unlock(&s_lock);
    return at;
}

/* Counts a post at at_ms in l (s_lock held). */
static void s_note(s_limiter_t *l, const sd_robot_config_t *r, uint64_t at_ms)
{
    int per = r->per_minute < SD_ROBOT_RATE_MAX ? r->per_minute : SD_ROBOT_RATE_MAX;
    l->sent[l->next % per] = at_ms ? at_ms : 1;
    l->next = (l->next + 1) % per;
    l->used = at_ms > l->used ? at_ms : l->used;
}

/* Takes one post's slot; false when there is none. */
static bool s_take(const sd_robot_config_t *r, uint64_t now_ms)
{
    pthread_mutex_lock(&s_lock);
    s_limiter_t *l = s_limiter(r, true);
    bool ready = s_ready_locked(r, l, now_ms);
    if (ready)
        s_note(l, r, now_ms);
    pthread_mutex_unlock(&s_lock);
    return ready;
}

void sd_robot_note_sent(const sd_robot_config_t *r, uint64_t at_ms)
{
    pthread_mutex_lock(&s_lock);
    s_note(s_limiter(r, true), r, at_ms);
    pthread_mutex_unlock(&s_lock);
}

static void s_rest(const sd_robot_config_t *r, uint64_t now_ms)
{
    pthread_mutex_lock(&s_lock);
    s_limiter(r, true)->rest_until = now_ms + SD_ROBOT_REST_MS;
    pthread_mutex_unlock(&s_lock);
}

/* ---- what is posted ---- */

unsigned sd_robot_event_bit(const char *event)
{
    static const char *const names[] = {"new_p1", "new_p2",   "breach", "handover",
                                        "major",  "bulletin", "page"};
    for (unsigned i = 0; event && i < sizeof names / sizeof *names; i++)
        if (!strcmp(event, names[i]))
            return 1u << i;
    return 0;
}

/* name is in the comma list (spaces after commas allowed). */
static bool s_listed(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t n = strcspn(p, ", ");
        if (n == len && !strncmp(p, name, len))
            return true;
        p += n;
    }
    return false;
}

bool sd_robot_wants(const sd_robot_config_t *r, const char *event, const char *team,
                    const char *site)
{
    if (!(r->events & sd_robot_event_bit(event)))
        return false;
    if (r->teams[0] && team && team[0] && !s_listed(r->teams, team))
        return false;
    return !(r->sites[0] && site && site[0] && !s_listed(r->sites, site));
}

bool sd_robot_cut(const char *text, size_t max, char *out, size_t cap)
{
    if (!cap)
        return strlen(text) > 0;
    if (max > cap - 1) /* what out holds is the limit too */
        max = cap - 1;
    size_t len = strlen(text);
    bool cut = len > max;
    if (cut) {
        len = max >= 3 ? max - 3 : 0;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--; /* never half a character */
    }
    memcpy(out, text, len);
    strcpy(out + len, cut && max >= 3 ? SD_ROBOT_CUT : "");
    return cut;
}

static const char *s_or(const char *s)
{
    return s ? s : "";
}

/* The text a person reads in the group: the message's text cut so that, with its link on a
 * line of its own, it fits max. Returns a malloc'd string. */
static char *s_content(const sd_robot_msg_t *m, size_t max)
{
    const char *url = s_or(m->url);
    if (url[0] && strstr(s_or(m->text), url)) /* the text carries its link already */
        url = "";
    size_t ulen = url[0] ? strlen(url) + 1 : 0;
    size_t room = ulen + 16 < max ? max - ulen : max;
    char *out = malloc(max + 8);
    if (!out)
        return NULL;
    sd_robot_cut(s_or(m->text), room, out, max + 8);
    if (ulen && strlen(out) + ulen <= max)
        strcat(strcat(out, "\n"), url);
    return out;
}

/* ---- secrets and signatures ---- */

/* The secret of r (its file's first line), never logged. 0, or SD_EIO with err. */
static int s_secret(const sd_robot_config_t *r, char *out, size_t cap, char *err, size_t ecap)
{
    out[0] = 0;
    if (!r->secret_file[0])
        return 0;
    int fd = open(r->secret_file, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
        if (fd >= 0)
            close(fd);
        snprintf(err, ecap, "robot %s: secret_file %s is unreadable or not owner-only (0600)",
                 r->name, r->secret_file);
        return SD_EIO;
    }
    ssize_t n = read(fd, out, cap - 1);
    close(fd);
    n = n < 0 ? 0 : n;
    out[n] = 0;
    out[strcspn(out, "\r\n")] = 0;
    if (!out[0]) {
        snprintf(err, ecap, "robot %s: secret_file %s is empty", r->name, r->secret_file);
        return SD_EIO;
    }
    return 0;
}

/* Percent-encodes all but RFC 3986's unreserved characters. */
static void s_urlencode(const char *in, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 4 < cap; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-_.~", *p))
            out[o++] = (char)*p;
        else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = 0;
}

/* The request of r for m: the URL to post to, the JSON body, the signature header. */
typedef struct {
    char url[SD_ROBOT_URL_MAX + 256];
    char *body;
    char header[128]; /* "" or "X-Sundesk-Signature: sha256=..." */
} s_request_t;

static int s_build(const sd_robot_config_t *r, const sd_robot_msg_t *m, const char *secret,
                   uint64_t now_ms, s_request_t *q)
{
    unsigned char mac[SD_SECRET_MAC_BYTES];
    char b64[SD_SECRET_MAC_B64];
    char stamp[32], enc[3 * sizeof b64], buf[SD_ROBOT_SECRET_MAX + 40];
    json_t *doc = NULL;
    char *content = s_content(m, s_limit[r->kind]);
    snprintf(q->url, sizeof q->url, "%s", r->url);
    q->header[0] = 0;
    if (!content)
        return SD_ENOMEM;
    switch (r->kind) {
    case SD_ROBOT_WECOM:
        doc = json_pack("{s:s, s:{s:s, s:[], s:[]}}", "msgtype", "text", "text", "content", content,
                        "mentioned_list", "mentioned_mobile_list");
        break;
    case SD_ROBOT_DINGTALK:
        if (secret[0]) { /* sign = urlencode(base64(HMAC(secret, "MS\nsecret"))) */
            snprintf(stamp, sizeof stamp, "%llu", (unsigned long long)now_ms);
            int n = snprintf(buf, sizeof buf, "%s\n%s", stamp, secret);
            sd_secret_hmac_sha256(secret, buf, (size_t)n, mac);
            sd_secret_mac_base64(mac, b64);
            s_urlencode(b64, enc, sizeof enc);
            snprintf(q->url, sizeof q->url, "%s%ctimestamp=%s&sign=%s", r->url,
                     strchr(r->url, '?') ? '&' : '?', stamp, enc);
        }
        doc = json_pack("{s:s, s:{s:s}, s:{s:[], s:b}}", "msgtype", "text", "text", "content",
                        content, "at", "atMobiles", "isAtAll", 0);
        break;
    case SD_ROBOT_FEISHU:
        doc = json_pack("{s:s, s:{s:s}}", "msg_type", "text", "content", "text", content);
        if (doc && secret[0]) { /* sign = base64(HMAC(key "S\nsecret", "")) */
            snprintf(stamp, sizeof stamp, "%llu", (unsigned long long)(now_ms / 1000));
            snprintf(buf, sizeof buf, "%s\n%s", stamp, secret);
            sd_secret_hmac_sha256(buf, "", 0, mac);
            sd_secret_mac_base64(mac, b64);
            json_object_set_new(doc, "timestamp", json_string(stamp));
            json_object_set_new(doc, "sign", json_string(b64));
        }
        break;
    default: /* webhook: the notice's fields, its text cut alone */
        sd_robot_cut(s_or(m->text), s_limit[r->kind], content, s_limit[r->kind] + 8);
        doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "event", s_or(m->event), "ticket",
                        s_or(m->ticket), "priority", s_or(m->priority), "team", s_or(m->team),
                        "site", s_or(m->site), "text", content, "url", s_or(m->url));
    }
    sd_secret_wipe(buf, sizeof buf);
    free(content);
    if (!doc) /* jansson refuses a string that is not UTF-8 */
        return SD_EINVAL;
    q->body = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!q->body)
        return SD_ENOMEM;
    if (r->kind == SD_ROBOT_WEBHOOK && secret[0]) {
        char hex[2 * SD_SECRET_MAC_BYTES + 1];
        sd_secret_hmac_sha256(secret, q->body, strlen(q->body), mac);
        sd_secret_mac_hex(mac, hex);
        snprintf(q->header, sizeof q->header, "X-Sundesk-Signature: sha256=%s", hex);
    }
    return 0;
}

/* ---- the POST ---- */

typedef struct {
    char data[SD_ROBOT_REPLY_MAX];
    size_t len;
} s_reply_t;

static size_t s_write(char *ptr, size_t size, size_t n, void *arg)
{
    s_reply_t *rep = arg;
    size_t len = size * n, room = sizeof rep->data - 1 - rep->len;
    memcpy(rep->data + rep->len, ptr, len < room ? len : room);
    rep->len += len < room ? len : room;
    rep->data[rep->len] = 0;
    return len;
}

static void s_curl_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* The vendor's answer in a 2xx reply: 0, SD_EBUSY for its rate errors, SD_EIO with err. */
static int s_vendor(const sd_robot_config_t *r, const char *reply, char *err, size_t cap)
{
    if (r->kind == SD_ROBOT_WEBHOOK)
        return 0;
    json_t *doc = json_loads(reply, 0, NULL);
    json_t *code = json_object_get(doc, r->kind == SD_ROBOT_FEISHU ? "code" : "errcode");
    if (!code && r->kind == SD_ROBOT_FEISHU) /* the older reply */
        code = json_object_get(doc, "StatusCode");
    json_t *msg = json_object_get(doc, r->kind == SD_ROBOT_FEISHU ? "msg" : "errmsg");
    long long c = json_is_integer(code) ? json_integer_value(code) : -1;
    int rc = c == 0 ? 0 : SD_EIO;
    /* wecom 45009 api freq out of limit; dingtalk 130101 / 410100 send too fast; feishu 9499
     * too many requests, 11232 frequency limited. */
    if (c == 45009 || c == 130101 || c == 410100 || c == 9499 || c == 11232)
        rc = SD_EBUSY;
    if (rc != 0)
        snprintf(err, cap, "robot %s: %s answered %s %lld: %.120s", r->name, s_kind_names[r->kind],
                 code ? "code" : "without a code", c,
                 json_is_string(msg) ? json_string_value(msg) : reply);
    json_decref(doc);
    return rc;
}

int sd_robot_send(const sd_robot_config_t *r, const sd_robot_msg_t *m, uint64_t now_ms, char *err,
                  size_t cap)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    char secret[SD_ROBOT_SECRET_MAX];
    s_request_t q = {0};
    err[0] = 0;
    if (r->kind < SD_ROBOT_WECOM || r->kind > SD_ROBOT_WEBHOOK) {
        snprintf(err, cap, "robot %s: unknown kind %d", r->name, r->kind);
        return SD_EINVAL;
    }
    int rc = s_secret(r, secret, sizeof secret, err, cap);
    rc = rc ?: s_build(r, m, secret, now_ms, &q);
    sd_secret_wipe(secret, sizeof secret);
    if (rc != 0) {
        if (!err[0])
            snprintf(err, cap, "robot %s: %s", r->name,
                     rc == SD_EINVAL ? "the notice is not UTF-8 text" : "out of memory");
        free(q.body);
        return rc;
    }
    if (!s_take(r, now_ms)) {
        snprintf(err, cap, "robot %s: %d posts a minute used up; later", r->name, r->per_minute);
        free(q.body);
        return SD_EBUSY;
    }
    pthread_once(&once, s_curl_init);
    CURL *curl = curl_easy_init();
    struct curl_slist *hdr =
        curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
    hdr = curl_slist_append(hdr, "Expect:");
    if (q.header[0])
        hdr = curl_slist_append(hdr, q.header);
    s_reply_t reply = {.len = 0};
    char cerr[CURL_ERROR_SIZE] = "";
    long status = 0;
    CURLcode cc = CURLE_OUT_OF_MEMORY;
    if (curl && hdr) {
        curl_easy_setopt(curl, CURLOPT_URL, q.url);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 15000L);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, q.body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(q.body));
        curl_easy_setopt(curl, CURLOPT_USERAGENT, "sundesk-robot/1");
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, s_write);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, cerr);
        cc = curl_easy_perform(curl);
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    }
    if (cc != CURLE_OK) {
        snprintf(err, cap, "robot %s: %s", r->name, cerr[0] ? cerr : curl_easy_strerror(cc));
        rc = SD_EIO;
    } else if (status == 429) {
        snprintf(err, cap, "robot %s: HTTP 429 (too many requests); later", r->name);
        rc = SD_EBUSY;
    } else if (status < 200 || status > 299) {
        snprintf(err, cap, "robot %s: HTTP %ld: %.120s", r->name, status, reply.data);
        rc = SD_EIO;
    } else
        rc = s_vendor(r, reply.data, err, cap);
    if (rc == SD_EBUSY)
        s_rest(r, now_ms);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(curl);
    free(q.body);
    return rc;
}

int sd_robot_post_all(const sd_chat_config_t *c, const sd_robot_msg_t *m, uint64_t now_ms,
                      char *done, size_t cap, int *wanted, uint64_t *retry_at, char *err,
                      size_t ecap)
{
    int n = 0;
    bool busy = false, failed = false, invalid = false;
    uint64_t at = UINT64_MAX;
    err[0] = 0;
    for (int i = 0; i < c->robot_count; i++) {
        const sd_robot_config_t *r = &c->robots[i];
        if (!sd_robot_wants(r, m->event, m->team, m->site))
            continue;
        n++;
        if (s_listed(done, r->name))
            continue;
        char one[256];
        int rc = sd_robot_send(r, m, now_ms, one, sizeof one);
        size_t used = strlen(done);
        if (rc == 0 && used + strlen(r->name) + 2 <= cap)
            snprintf(done + used, cap - used, "%s%s", used ? "," : "", r->name);
        else if (rc == 0)
            rc = SD_EIO, snprintf(one, sizeof one, "robot %s: done list full", r->name);
        if (rc == SD_EBUSY) {
            busy = true;
            uint64_t t = sd_robot_ready_at(r, now_ms);
            at = t < at ? t : at;
        } else if (rc == SD_EINVAL)
            invalid = true;
        else if (rc != 0)
            failed = true;
        if (rc != 0 && !err[0])
            snprintf(err, ecap, "%s", one);
    }
    if (wanted)
        *wanted = n;
    if (retry_at)
        *retry_at = busy ? (at > now_ms ? at : now_ms) : now_ms;
    return busy ? SD_EBUSY : failed ? SD_EIO : invalid ? SD_EINVAL : 0;
}

void sd_robot_note_posted(const sd_chat_config_t *c, const char *robots, uint64_t at_ms)
{
    for (int i = 0; i < c->robot_count; i++)
        if (s_listed(robots, c->robots[i].name))
            sd_robot_note_sent(&c->robots[i], at_ms);
}
