/* session.c - the saved login sessions (session.h): the file is read whole and rewritten whole. */
#include "session.h"

#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A sessions file larger than this is not one sundesk wrote: refused rather than loaded. */
#define SESSIONS_MAX_BYTES (1 << 20)

/* The configuration directory: $XDG_CONFIG_HOME (absolute only: the XDG rule), else
 * HOME/.config. */
static int s_config_dir(char *out, size_t cap)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/') {
        n = snprintf(out, cap, "%s", xdg);
    } else {
        if (!home || !*home) {
            const struct passwd *pw = getpwuid(getuid());
            home = pw ? pw->pw_dir : NULL;
        }
        if (!home || !*home)
            return SD_ECONFIG;
        n = snprintf(out, cap, "%s/.config", home);
    }
    return n > 0 && (size_t)n + sizeof "/sundesk/sessions" <= cap ? 0 : SD_ECONFIG;
}

int sd_session_path(char *out, size_t cap)
{
    int rc = s_config_dir(out, cap);
    if (!rc)
        strcat(out, "/sundesk/sessions"); /* s_config_dir left room for it */
    return rc;
}

/* Frees a buffer that held tokens, wiping it first. */
static void s_free_secret(char *text)
{
    if (text)
        explicit_bzero(text, strlen(text));
    free(text);
}

/* The whole file at path into *text (heap, NUL-terminated; "" when there is no file). */
static int s_read(const char *path, char **text)
{
    *text = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? ((*text = calloc(1, 1)) ? 0 : SD_ENOMEM) : SD_EIO;
    struct stat st;
    int rc = fstat(fd, &st) == 0 ? 0 : SD_EIO;
    if (!rc && st.st_size > SESSIONS_MAX_BYTES) {
        errno = EFBIG;
        rc = SD_EIO;
    }
    size_t len = 0, cap = rc ? 0 : (size_t)st.st_size;
    if (!rc && !(*text = malloc(cap + 1)))
        rc = SD_ENOMEM;
    while (!rc && len < cap) {
        ssize_t n = read(fd, *text + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = SD_EIO;
            break;
        }
        len += (size_t)n;
    }
    close(fd);
    if (rc) {
        free(*text);
        *text = NULL;
        return rc;
    }
    (*text)[len] = 0;
    return 0;
}

/* The line of text (starting at line, len bytes without its newline) that belongs to endpoint:
 * the words before its last blank. Returns where its token starts, or NULL. */
static const char *s_token_of(const char *line, size_t len, const char *endpoint)
{
    const char *blank = memrchr(line, ' ', len);
    size_t elen = strlen(endpoint);
    if (!blank || (size_t)(blank - line) != elen || memcmp(line, endpoint, elen) != 0)
        return NULL;
    return blank + 1;
}

int sd_session_find(const char *endpoint, char *token, size_t cap)
{
    char path[4096], *text;
    int rc = sd_session_path(path, sizeof path) ?: s_read(path, &text);
    if (rc)
        return rc;
    rc = SD_ENOTFOUND;
    for (const char *line = text; *line && rc == SD_ENOTFOUND;) {
        size_t len = strcspn(line, "\n");
        const char *t = s_token_of(line, len, endpoint);
        if (t && (size_t)(line + len - t) >= cap)
            rc = SD_ETOOLONG;
        else if (t && t < line + len)
            rc = (snprintf(token, cap, "%.*s", (int)(line + len - t), t), 0);
        line += len + (line[len] == '\n');
    }
    s_free_secret(text);
    return rc;
}

/* Makes dir (mode 0700) unless it exists; with strict, also takes group and others' access
 * away from an existing one. */
static int s_make_dir(const char *dir, bool strict)
{
    if (mkdir(dir, 0700) == 0)
        return 0;
    if (errno != EEXIST)
        return SD_EIO;
    return !strict || chmod(dir, 0700) == 0 ? 0 : SD_EIO;
}

/* Writes text as the whole file at path: a new file (0600) renamed over the old, so a reader
 * sees the old or the new file, never a part. */
static int s_write(const char *path, const char *text)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return SD_EIO;
    size_t len = strlen(text), done = 0;
    int rc = 0;
    while (!rc && done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        rc = n > 0 ? (done += (size_t)n, 0) : SD_EIO;
    }
    int saved = errno;
    if (close(fd) != 0 && !rc)
        rc = SD_EIO, saved = errno;
    if (!rc && rename(tmp, path) != 0)
        rc = SD_EIO, saved = errno;
    if (rc)
        unlink(tmp);
    errno = saved;
    return rc;
}

/* Rewrites the file without endpoint's line, adding "endpoint token" when token is non-NULL.
 * Returns 0, or SD_ENOTFOUND when there was no line to forget. */
static int s_rewrite(const char *endpoint, const char *token)
{
    char path[4096], *old = NULL, *text = NULL;
    size_t size = 0;
    int rc = s_config_dir(path, sizeof path);
    rc = rc ?: s_make_dir(path, false);
    rc = rc ?: s_make_dir(strcat(path, "/sundesk"), true);
    rc = rc ?: s_read(strcat(path, "/sessions"), &old);
    FILE *out = rc ? NULL : open_memstream(&text, &size);
    if (!rc && !out)
        rc = SD_ENOMEM;
    bool found = false;
    for (const char *line = old; !rc && *line;) {
        size_t len = strcspn(line, "\n");
        if (s_token_of(line, len, endpoint))
            found = true;
        else if (len)
            fprintf(out, "%.*s\n", (int)len, line);
        line += len + (line[len] == '\n');
    }
    if (out) {
        if (token)
            fprintf(out, "%s %s\n", endpoint, token);
        if (fclose(out) != 0 && !rc)
            rc = SD_ENOMEM;
    }
    if (!rc && !token && !found)
        rc = SD_ENOTFOUND;
    rc = rc ?: s_write(path, text);
    s_free_secret(old);
    s_free_secret(text);
    return rc;
}

int sd_session_save(const char *endpoint, const char *token)
{
    return s_rewrite(endpoint, token);
}

int sd_session_forget(const char *endpoint)
{
    return s_rewrite(endpoint, NULL);
}
