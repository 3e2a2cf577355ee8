/* deliver.c - handing a mail to the MTA: `sendmail -t -i` or SMTP by libcurl (notice.h). */
#include "notice.h"

#include "error.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t s_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- sendmail -t -i ------------------------------------------------------------------------ */

/* The child: stdin from in, stdout and stderr to out, then sendmail. Never returns. */
static void s_child(const char *path, int in, int out)
{
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
        _exit(71);
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    signal(SIGPIPE, SIG_DFL);
    execl(path, "sendmail", "-t", "-i", (char *)NULL);
    dprintf(2, "cannot run %s: %s", path, strerror(errno));
    _exit(71);
}

static int s_sendmail(const sd_mail_config_t *m, const char *text, int timeout_ms, char *err,
                      size_t cap)
{
    int in[2], out[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0)
        return snprintf(err, cap, "socketpair: %s", strerror(errno)), SD_EBUSY;
    if (pipe2(out, O_CLOEXEC) != 0) {
        close(in[0]), close(in[1]);
        return snprintf(err, cap, "pipe: %s", strerror(errno)), SD_EBUSY;
    }
    pid_t pid = fork();
    if (pid == 0)
        s_child(m->sendmail, in[1], out[1]);
    close(in[1]);
    close(out[1]);
    if (pid < 0) {
        close(in[0]), close(out[0]);
        return snprintf(err, cap, "fork: %s", strerror(errno)), SD_EBUSY;
    }
    fcntl(in[0], F_SETFL, O_NONBLOCK);
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    int64_t deadline = s_mono_ms() + timeout_ms;
    size_t left = strlen(text), said = 0;
    char said_buf[256] = "";
    int status = 0;
    bool exited = false, timed_out = false;
    bool out_open = true;
    while (!exited) {
        struct pollfd p[2];
        int np = 0, iin = -1, iout = -1;
        if (in[0] >= 0)
            iin = np, p[np++] = (struct pollfd){in[0], POLLOUT, 0};
        if (out_open)
            iout = np, p[np++] = (struct pollfd){out[0], POLLIN, 0};
        int64_t wait = deadline - s_mono_ms();
        if (wait <= 0) {
            timed_out = true;
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        int n = poll(p, (nfds_t)np, wait < 10 ? (int)wait : 10);
        if (n > 0 && iin >= 0 && p[iin].revents) {
            ssize_t w = send(in[0], text, left, MSG_NOSIGNAL);
            if (w > 0)
                text += w, left -= (size_t)w;
            if (left == 0 || (w < 0 && errno != EAGAIN && errno != EINTR)) {
                close(in[0]);
                in[0] = -1;
            }
        }
        if (n > 0 && iout >= 0 && p[iout].revents) {
            char buf[512];
            ssize_t r = read(out[0], buf, sizeof buf);
            out_open = r > 0 || (r < 0 && (errno == EAGAIN || errno == EINTR));
            for (ssize_t i = 0; i < r && said + 1 < sizeof said_buf; i++)
                said_buf[said++] = buf[i] == '\n' ? ' ' : buf[i];
            said_buf[said] = 0;
        }
        exited = waitpid(pid, &status, WNOHANG) == pid;
    }
    if (in[0] >= 0)
        close(in[0]);
    close(out[0]);
    if (timed_out)
        return snprintf(err, cap, "%s did not finish in %d s: killed", m->sendmail,
                        timeout_ms / 1000),
               SD_EBUSY;
    if (left && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return snprintf(err, cap, "%s exited before reading the whole message", m->sendmail),
               SD_EBUSY;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    snprintf(err, cap, "%s -t -i %s %d: %s", m->sendmail,
             WIFEXITED(status) ? "exited with" : "killed by signal",
             WIFEXITED(status) ? code : WTERMSIG(status), said_buf[0] ? said_buf : "no output");
    /* EX_USAGE, EX_DATAERR, EX_NOUSER...: the message itself is refused; the rest may pass later */
    return code == 64 || code == 65 || code == 67 || code == 68 ? SD_EIO : SD_EBUSY;
}

/* ---- SMTP by libcurl ---------------------------------------------------------------------- */

typedef struct {
    const char *p; /* what is left to read */
    bool cr;       /* a CR was sent for the LF at p */
} s_upload_t;

/* Reads the message with CRLF line ends (SMTP's). */
static size_t s_read(char *buf, size_t size, size_t nitems, void *arg)
{
    s_upload_t *u = arg;
    size_t cap = size * nitems, n = 0;
    while (n < cap && *u->p) {
        if (*u->p == '\n' && !u->cr) {
            buf[n++] = '\r';
            u->cr = true;
            continue;
        }
        buf[n++] = *u->p++;
        u->cr = false;
    }
    return n;
}

/* The password from the 0600 file (first line), into out. */
static int s_password(const char *path, char *out, size_t cap, char *err, size_t ecap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return snprintf(err, ecap, "smtp_password_file %s: %s", path, strerror(errno)), SD_EIO;
    bool ok = fgets(out, (int)cap, f) != NULL;
    fclose(f);
    if (!ok)
        return snprintf(err, ecap, "smtp_password_file %s is empty", path), SD_EIO;
    out[strcspn(out, "\r\n")] = 0;
    return 0;
}

static int s_smtp(const sd_mail_config_t *m, const char *rcpt, const char *text, int timeout_ms,
                  char *err, size_t cap)
{
    static bool inited;
    if (!inited) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        inited = true;
    }
    char password[256] = "";
    if (m->smtp_user[0] &&
        s_password(m->smtp_password_file, password, sizeof password, err, cap) != 0)
        return SD_EBUSY; /* an admin can fix the file: kept and tried again */
    CURL *c = curl_easy_init();
    if (!c)
        return snprintf(err, cap, "curl_easy_init failed"), SD_EBUSY;
    struct curl_slist *to = NULL;
    char from[SD_MAIL_ADDR_MAX + 3], one[SD_MAIL_ADDR_MAX + 3];
    snprintf(from, sizeof from, "<%s>", m->address);
    for (const char *p = rcpt; *p;) {
        size_t n = strcspn(p, ",");
        snprintf(one, sizeof one, "<%.*s>", (int)n, p);
        to = curl_slist_append(to, one);
        p += n + (p[n] == ',');
    }
    s_upload_t up = {.p = text};
    char curl_err[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, m->smtp_url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, to);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, s_read);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
    if (!strncmp(m->smtp_url, "smtp://", 7) && m->smtp_user[0])
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    if (m->smtp_user[0]) {
        curl_easy_setopt(c, CURLOPT_USERNAME, m->smtp_user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, password);
    }
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(to);
    curl_easy_cleanup(c);
    memset(password, 0, sizeof password);
    if (rc == CURLE_OK)
        return 0;
    snprintf(err, cap, "smtp %s: %s (reply %ld)", m->smtp_url,
             curl_err[0] ? curl_err : curl_easy_strerror(rc), code);
    return code >= 500 && code < 600 ? SD_EIO : SD_EBUSY;
}

int sd_deliver_mail(const sd_mail_config_t *m, const char *rcpt, const char *text, int timeout_ms,
                    char *err, size_t cap)
{
    err[0] = 0;
    if (m->transport == SD_MAIL_SENDMAIL)
        return s_sendmail(m, text, timeout_ms, err, cap);
    if (m->transport == SD_MAIL_SMTP)
        return s_smtp(m, rcpt, text, timeout_ms, err, cap);
    snprintf(err, cap, "mail/transport is off");
    return SD_EIO;
}
