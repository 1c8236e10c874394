/*
 * httpd: a test HTTP server on loopback (libmicrohttpd), started by the
 * tests and benchmarks themselves, that serves the corpus's HTML with
 * validators and a set of hostile endpoints for the fetcher to survive.
 *
 * The server listens on 127.0.0.1 on a port the kernel picks, with one
 * thread per connection, so that a request delayed by latency_ms (or one
 * that hangs on purpose) never holds up another.  Everything it keeps is
 * behind one mutex; the functions below may be called from any thread
 * while it serves.
 *
 * Routes (GET and HEAD; any other method gets 405):
 *   /corpus/NAME.html    the file CORPUS/html/NAME.html, text/html; charset=utf-8,
 *                        with ETag and Last-Modified (the file's mtime) and
 *                        304 for a matching If-None-Match or If-Modified-Since
 *   /doc/N               a synthetic policy page that depends only on the
 *                        integer N, with ETag, Last-Modified and 304
 *   /gzip/NAME.html      the corpus page with Content-Encoding: gzip,
 *   /deflate/NAME.html   deflate (zlib format, as HTTP means it)
 *   /br/NAME.html        or br (libbrotlienc)
 *   /redirect/loop       302 to itself, for ever
 *   /redirect/chain/N    302 to /redirect/chain/N-1; /redirect/chain/0 is 200
 *   /redirect/file       302 to file:///etc/passwd
 *   /redirect/ftp        302 to ftp://127.0.0.1/x
 *   /big                 HTTPD_BIG_SIZE bytes of HTML, streamed
 *   /gzip-bomb           Content-Encoding: gzip, about 1 MiB that inflates to
 *                        HTTPD_BOMB_SIZE bytes (deflate cannot do better than
 *                        about 1:1032 in one layer)
 *   /gzip-bomb/stacked   Content-Encoding: gzip, gzip: a few KB that inflate
 *                        twice to HTTPD_BOMB_SIZE bytes
 *   /slow-drip           headers and a first byte, then one byte a second
 *   /hang                reads the request and never answers, until the
 *                        client goes away or the server stops
 *   /reset               Content-Length HTTPD_RESET_LENGTH, HTTPD_RESET_SENT
 *                        bytes of body, then a TCP reset
 *   /invalid-utf8        HTML declaring utf-8 that holds invalid sequences
 *   /escapes             HTML whose text holds ESC [ 2 J, an OSC 52 clipboard
 *                        write, C1 controls, bidi overrides and NUL bytes
 *   /status/N            status N (400 to 599) with a small HTML body
 *   /429, /429/N         429 with Retry-After: 1 on the first request to that
 *                        path, then 200 with a synthetic page
 *   /503-once, /503-once/N   the same with 503
 *   /pdf                 a one-page PDF whose text is HTTPD_PDF_SENTENCE
 *   /binary              HTTPD_BINARY_SIZE deterministic random-looking bytes
 *   anything else        404
 * A path given to httpd_put is served as put, before any of these.
 * Every response waits latency_ms first.
 */
#ifndef CLAUSE_HTTPD_H
#define CLAUSE_HTTPD_H

#include <stddef.h>
#include <time.h>

/* Sizes of the hostile bodies, for tests that check their bounds. */
#define HTTPD_BIG_SIZE (50u * 1024 * 1024)		/* /big, bytes. */
#define HTTPD_BOMB_SIZE (1024ull * 1024 * 1024)		/* /gzip-bomb once inflated. */
#define HTTPD_RESET_LENGTH 100000u			/* /reset's Content-Length. */
#define HTTPD_RESET_SENT 4096u				/* /reset's bytes before the reset. */
#define HTTPD_BINARY_SIZE (64u * 1024)			/* /binary, bytes. */
#define HTTPD_DRIP_SIZE 3600u				/* /slow-drip's Content-Length. */

/* The text of /pdf's one page. */
#define HTTPD_PDF_SENTENCE "We may use your content to train our models unless you opt out."

struct httpd;

struct httpd_options {
	const char *corpus_dir;	/* The corpus (CLAUSE_SHARED/corpus), for /corpus/
				 * and the compressed routes; NULL: they answer 404. */
	unsigned latency_ms;	/* Added before every response, in the
				 * connection's own thread. */
};

/* Start serving on 127.0.0.1 and an ephemeral port.  Returns the server, or
 * NULL with a one-line reason in err. */
struct httpd *httpd_start(const struct httpd_options *opt, char *err, size_t errlen);

/* Stop serving: wake every connection that waits (latency, /hang,
 * /slow-drip), close them all, join every thread and free h.  Returns
 * promptly even with /hang connections open.  NULL is a no-op. */
void httpd_stop(struct httpd *h);

/* The port the server listens on. */
unsigned short httpd_port(const struct httpd *h);

/* "http://127.0.0.1:PORT" followed by path, into buf; returns buf (cut
 * short, still NUL-terminated, when len is too small). */
const char *httpd_url(const struct httpd *h, const char *path, char *buf, size_t len);

/* Serve body (len bytes, copied) at path from now on, as content_type
 * (NULL: text/html; charset=utf-8), with ETag a hash of the body and
 * Last-Modified the time of this call; replaces what path served before,
 * route or earlier put.  This is how a test makes a document change
 * between two fetches.  Within one second Last-Modified cannot change, so
 * a test that changes a document twice a second relies on ETag, which
 * If-None-Match checks before If-Modified-Since.  Returns 0, or -1 when
 * out of memory. */
int httpd_put(struct httpd *h, const char *path, const char *body, size_t len,
	      const char *content_type);

/* httpd_put with a given Last-Modified time. */
int httpd_put_at(struct httpd *h, const char *path, const char *body, size_t len,
		 const char *content_type, time_t last_modified);

/* How many requests path received (the path without its query string);
 * path NULL: how many the server received in all. */
unsigned httpd_hits(struct httpd *h, const char *path);

/* The value of header name (any case) in the last request to path, copied
 * into buf (cut short if need be); "" when that request did not have it.
 * Returns 0, or -1 (and "") when path received no request. */
int httpd_last_header(struct httpd *h, const char *path, const char *name, char *buf,
		      size_t len);

/* Bytes of response bodies the server has sent, in all (the bytes of
 * Content-Encoding, not decoded; no headers), for the benchmark's 304 pass. */
unsigned long long httpd_body_bytes(struct httpd *h);

#endif
