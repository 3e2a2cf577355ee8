/* prompt.c - reading a secret from the terminal (termios, echo off) or from stdin (prompt.h). */
#include "prompt.h"

#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* The signals that end the CLI while the echo is off; their handler turns it back on. */
static const int s_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define NSIGNALS (sizeof s_signals / sizeof s_signals[0])

/* What the handler restores: a signal handler sees nothing else (set only while echo is off). */
static volatile sig_atomic_t s_tty_fd = -1;
static struct termios s_saved;

static void s_restore(int sig)
{
    if (s_tty_fd >= 0) {
        tcsetattr(s_tty_fd, TCSAFLUSH, &s_saved);
        (void)!write(s_tty_fd, "\n", 1);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Reads one line from fd into buf; the newline is dropped, a "\r" before it too. */
static int s_read_line(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    bool overflow = false;
    for (;;) {
        char c;
        ssize_t n = read(fd, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return SD_EIO;
        if (n == 0 && len == 0 && !overflow)
            return SD_EMISSING;
        if (n == 0 || c == '\n')
            break;
        if (len + 1 < cap)
            buf[len++] = c;
        else
            overflow = true;
    }
    if (len && buf[len - 1] == '\r')
        len--;
    buf[len] = 0;
    if (overflow) {
        explicit_bzero(buf, cap);
        return SD_ETOOLONG;
    }
    return 0;
}

int sd_prompt_tty(const char *prompt, char *buf, size_t cap)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return SD_EUNAVAILABLE;
    struct termios quiet;
    if (tcgetattr(fd, &s_saved) != 0) {
        close(fd);
        return SD_EUNAVAILABLE;
    }
    quiet = s_saved;
    quiet.c_lflag &= (tcflag_t)~ECHO;
    quiet.c_lflag |= ECHONL; /* the Enter still moves to the next line */
    struct sigaction on_signal = {.sa_handler = s_restore}, before[NSIGNALS];
    sigemptyset(&on_signal.sa_mask);
    s_tty_fd = fd;
    for (size_t i = 0; i < NSIGNALS; i++)
        sigaction(s_signals[i], &on_signal, &before[i]);
    /* Echo goes off before the prompt shows: what is typed after it is kept, and not shown. */
    int rc = tcsetattr(fd, TCSAFLUSH, &quiet) != 0 || write(fd, prompt, strlen(prompt)) < 0
                 ? SD_EIO
                 : s_read_line(fd, buf, cap);
    tcsetattr(fd, TCSANOW, &s_saved);
    s_tty_fd = -1;
    for (size_t i = 0; i < NSIGNALS; i++)
        sigaction(s_signals[i], &before[i], NULL);
    close(fd);
    return rc;
}

int sd_prompt_stdin(char *buf, size_t cap)
{
    return s_read_line(STDIN_FILENO, buf, cap);
}
