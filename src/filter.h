/*
 * filter: run a helper program over a buffer, as a pipe would, within
 * bounds.
 *
 * clause reads hostile documents in a separate process where a library
 * is large and its input untrusted (PDF through poppler): a crash, a
 * runaway loop or a memory bomb there costs one document, not the
 * browser or a fetch of forty.  The helper gets the input on its standard
 * input and writes its result to standard output; when it fails it says
 * why on the last line of its standard error and exits non-zero.
 */
#ifndef CLAUSE_FILTER_H
#define CLAUSE_FILTER_H

#include <stddef.h>

struct filter_bounds {
	size_t max_output;	/* Bytes of standard output kept; more is an error. */
	int timeout_ms;		/* Wall time for the whole run; longer is killed. */
};

/* Run argv[0] (a path) with argv, feeding it in[0..inlen) on its standard
 * input.  Returns 0 when it exits 0, with its standard output in *out
 * (malloc'd, NUL-terminated, length in *outlen).  Otherwise -1 with *out
 * NULL and a one-line reason in err: the helper's last line of standard
 * error (control characters made '?'), or what stopped it (could not
 * start, killed by a signal, too much output, out of time).  Thread-safe:
 * the descriptors it opens are close-on-exec, and a helper that stops
 * reading raises no SIGPIPE. */
int filter_run(const char *const *argv, const char *in, size_t inlen,
	       const struct filter_bounds *bounds, char **out, size_t *outlen, char *err,
	       size_t errlen);

#endif
