/* bench_main.h - what every benchmark's main does first: strict numbers, signals, its temp dir.
 */
#ifndef SD_BENCH_MAIN_H
#define SD_BENCH_MAIN_H

#include <stddef.h>

/* Error codes (SD_E*) are those of proto/error.h. */

/* text as a decimal int in [min, max], the whole of it: a typo must not become a silent 0.
 * Returns 0 and *out, or SD_ERANGE. */
int sd_bench_parse_int(const char *text, int min, int max, int *out);

/* text as a comma-separated list of ints in [min, max] ("1,16,64"), at most cap of them, into
 * out[0..*n). Returns 0; SD_ERANGE for a bad number; SD_ETOOBIG for more than cap;
 * SD_EMISSING for none; SD_ETOOLONG for a text over 255 bytes. */
int sd_bench_parse_ints(const char *text, int min, int max, int *out, int cap, int *n);

/* Makes handler the action of SIGINT and SIGTERM. czmq installs its own in zsys_init(), on the
 * first socket, which only sets zsys_interrupted, a flag the benchmarks' loops do not watch: so
 * czmq is initialised first and handler put over it. */
void sd_bench_trap_signals(void (*handler)(int));

/* Creates the run's temp dir PARENT/NAME-XXXXXX, PARENT being $TMPDIR or /tmp, into
 * out[0..cap); *parent (when parent is not NULL) is set to PARENT (borrowed from the environment or
 * static). Returns 0; SD_EIO (reported on stderr as "WHO: cannot create a temp dir ...") or
 * SD_ETOOLONG. */
int sd_bench_make_tmp(const char *who, const char *name, const char **parent, char *out,
                      size_t cap);

/* argv as a shell would need it typed (words with special characters quoted), for the report's
 * "Command:" line, into out[0..cap) (cut when it does not fit). */
void sd_bench_command_line(int argc, char **argv, char *out, size_t cap);

#endif
