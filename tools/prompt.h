/* prompt.h - secrets a person types: read from the terminal without echo, or one line of stdin.
 *
 * The terminal is /dev/tty, not stdin, so `sundesk login` asks the person even when stdin is a
 * pipe; --password-stdin is for scripts. The terminal's echo is turned back on before these
 * return, and also when ^C or a termination signal arrives while it is off. */
#ifndef SD_PROMPT_H
#define SD_PROMPT_H

#include <stddef.h>

/* Writes prompt on the terminal and reads one line into buf (cap bytes, NUL-terminated, without
 * the newline) with echo off. Returns 0, SD_EUNAVAILABLE (no terminal: errno says why), SD_EIO,
 * SD_EMISSING (end of input: ^D), SD_ETOOLONG (the line does not fit; buf is wiped). */
int sd_prompt_tty(const char *prompt, char *buf, size_t cap);

/* Reads one line of stdin into buf (cap bytes, NUL-terminated, without "\n" or "\r\n").
 * Returns 0, SD_EMISSING (stdin is at its end), SD_EIO, SD_ETOOLONG (buf is wiped). */
int sd_prompt_stdin(char *buf, size_t cap);

#endif
