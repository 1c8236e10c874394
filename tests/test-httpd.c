/*
 * test-httpd: every route of the test HTTP server driven with libcurl, with
 * assertions on status, headers, bodies and how long the hostile ones take;
 * latency that runs in parallel; a stop that does not wait for hung
 * connections; and clause-testd as a process of its own.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <glib.h>
#include <poppler.h>
#include <zlib.h>

#include "httpd.h"
#include "testutil.h"

/* A corpus page of a modest size (46 KB). */
#define CORPUS_PAGE "deepseek__privacy-policy.html"

/* What the tests share: the server most of them use. */
struct world {
	struct httpd *h;
	char *corpus;		/* CLAUSE_SHARED/corpus. */
	char *testd;		/* The clause-testd program, beside this one. */
};

/* How to fetch. */
struct fetch_opts {
	const char *const *headers;	/* Request headers, NULL-terminated, or NULL. */
	long timeout_ms;		/* 0: 30 s. */
	int follow;			/* Follow up to 5 redirects, http and https only. */
	int decode;			/* Accept and decode every Content-Encoding. */
	size_t limit;			/* Abort past this many body bytes; 0: none. */
	const char *method;		/* "HEAD", "POST"; NULL: GET. */
	int path_as_is;			/* Send ../ as it is. */
};

/* What came back. */
struct fetch {
	CURLcode rc;
	long status;
	char *body;			/* The first KEEP_MAX bytes, NUL-terminated. */
	size_t len;			/* Bytes in body. */
	size_t received;		/* Every body byte, kept or not. */
	char tail[64];			/* The last bytes received, in order. */
	char *headers;			/* The last response's header block. */
	size_t hlen;
	long redirects;
	double secs;
	size_t limit;
	char error[CURL_ERROR_SIZE];
};

#define KEEP_MAX (4u * 1024 * 1024)

static double
now_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct fetch *f = userdata;
	size_t n = size * nmemb, keep, i;

	if (f->limit > 0 && f->received + n > f->limit)
		return 0;
	keep = f->len + n <= KEEP_MAX ? n : KEEP_MAX - f->len;
	if (keep > 0) {
		char *grown = realloc(f->body, f->len + keep + 1);

		if (grown == NULL)
			return 0;
		f->body = grown;
		memcpy(f->body + f->len, data, keep);
		f->len += keep;
		f->body[f->len] = '\0';
	}
	/* Shift the tail left by what arrives, at most its size. */
	i = n < sizeof(f->tail) ? n : sizeof(f->tail);
	memmove(f->tail, f->tail + i, sizeof(f->tail) - i);
	memcpy(f->tail + sizeof(f->tail) - i, data + n - i, i);
	f->received += n;
	return n;
}

static size_t
on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct fetch *f = userdata;
	size_t n = size * nmemb;
	char *grown;

	/* A new status line: the headers of an earlier response are over. */
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0)
		f->hlen = 0;
	grown = realloc(f->headers, f->hlen + n + 1);
	if (grown == NULL)
		return 0;
	f->headers = grown;
	memcpy(f->headers + f->hlen, data, n);
	f->hlen += n;
	f->headers[f->hlen] = '\0';
	return n;
}

/* An easy handle set up to fetch url into f as o says. */
static CURL *
easy_for(const char *url, const struct fetch_opts *o, struct fetch *f, struct curl_slist **list)
{
	CURL *c = curl_easy_init();

	assert_non_null(c);
	memset(f, 0, sizeof(*f));
	f->limit = o->limit;
	*list = NULL;
	for (const char *const *hd = o->headers; hd != NULL && *hd != NULL; hd++)
		*list = curl_slist_append(*list, *hd);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, f->error);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 30000L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *list);
	if (o->follow) {
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
		curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	}
	if (o->decode)
		curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	if (o->method != NULL && strcmp(o->method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else if (o->method != NULL)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, o->method);
	if (o->path_as_is)
		curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	return c;
}

static void
easy_done(CURL *c, struct fetch *f, struct curl_slist *list)
{
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &f->status);
	curl_easy_getinfo(c, CURLINFO_REDIRECT_COUNT, &f->redirects);
	curl_easy_cleanup(c);
	curl_slist_free_all(list);
}

/* Fetch path from h into f. */
static void
fetch(struct httpd *h, const char *path, const struct fetch_opts *o, struct fetch *f)
{
	static const struct fetch_opts plain = { 0 };
	struct curl_slist *list;
	char url[256];
	double start;
	CURL *c;

	c = easy_for(httpd_url(h, path, url, sizeof(url)), o != NULL ? o : &plain, f, &list);
	start = now_secs();
	f->rc = curl_easy_perform(c);
	f->secs = now_secs() - start;
	easy_done(c, f, list);
}

static void
fetch_free(struct fetch *f)
{
	free(f->body);
	free(f->headers);
	memset(f, 0, sizeof(*f));
}

/* The value of header name in f's last response, into buf; 0, or -1 when
 * it has none. */
static int
header_of(const struct fetch *f, const char *name, char *buf, size_t len)
{
	size_t n = strlen(name);
	const char *line = f->headers;

	buf[0] = '\0';
	while (line != NULL && *line != '\0') {
		const char *end = strstr(line, "\r\n");

		if (end == NULL)
			end = line + strlen(line);
		if ((size_t)(end - line) > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
			const char *v = line + n + 1;

			while (*v == ' ')
				v++;
			snprintf(buf, len, "%.*s", (int)(end - v), v);
			return 0;
		}
		line = *end != '\0' ? end + 2 : end;
	}
	return -1;
}

static void
assert_header(const struct fetch *f, const char *name, const char *want)
{
	char got[512];

	if (header_of(f, name, got, sizeof(got)) != 0)
		fail_msg("no %s header in:\n%s", name, f->headers != NULL ? f->headers : "");
	assert_string_equal(got, want);
}

static void
assert_status(const struct fetch *f, CURLcode rc, long status)
{
	if (f->rc != rc || f->status != status)
		fail_msg("got curl %d (%s) and status %ld, want curl %d and status %ld", f->rc,
			 f->error, f->status, rc, status);
}

/* The corpus page and its validators. */

static void
test_corpus_page_with_validators(void **state)
{
	struct world *w = *state;
	char etag[128], modified[128], inm[160], ims[160], bad_ims[] =
		"If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT";
	const char *h_inm[] = { inm, NULL }, *h_ims[] = { ims, NULL }, *h_old[] = { bad_ims, NULL };
	const char *h_other[] = { "If-None-Match: \"other\"", NULL };
	const char *h_both[] = { "If-None-Match: \"other\"", ims, NULL };
	const char *h_list[] = { inm, NULL };
	struct fetch_opts o = { 0 };
	struct fetch f;
	unsigned long long bytes;
	char *path = test_path(w->corpus, "html/" CORPUS_PAGE), *want, seen[256];
	size_t want_len;
	unsigned hits = httpd_hits(w->h, "/corpus/" CORPUS_PAGE);

	want = test_read_file(path, &want_len);
	assert_non_null(want);

	fetch(w->h, "/corpus/" CORPUS_PAGE, NULL, &f);
	assert_status(&f, CURLE_OK, 200);
	assert_int_equal(f.len, want_len);
	assert_memory_equal(f.body, want, want_len);
	assert_header(&f, "Content-Type", "text/html; charset=utf-8");
	assert_int_equal(header_of(&f, "ETag", etag, sizeof(etag)), 0);
	assert_int_equal(strlen(etag), 66);
	assert_true(etag[0] == '"' && etag[65] == '"');
	assert_int_equal(header_of(&f, "Last-Modified", modified, sizeof(modified)), 0);
	assert_true(curl_getdate(modified, NULL) > 0);
	fetch_free(&f);

	/* The same ETag: 304, no body, and no body bytes sent. */
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	o.headers = h_inm;
	bytes = httpd_body_bytes(w->h);
	fetch(w->h, "/corpus/" CORPUS_PAGE, &o, &f);
	assert_status(&f, CURLE_OK, 304);
	assert_int_equal(f.received, 0);
	assert_header(&f, "ETag", etag);
	assert_int_equal(httpd_body_bytes(w->h), bytes);
	fetch_free(&f);

	/* A list with the weak form of the ETag matches too. */
	snprintf(inm, sizeof(inm), "If-None-Match: \"x\", W/%s", etag);
	o.headers = h_list;
	fetch(w->h, "/corpus/" CORPUS_PAGE, &o, &f);
	assert_status(&f, CURLE_OK, 304);
	fetch_free(&f);

	o.headers = h_other;
	fetch(w->h, "/corpus/" CORPUS_PAGE, &o, &f);
	assert_status(&f, CURLE_OK, 200);
	assert_int_equal(f.len, want_len);
	fetch_free(&f);

	snprintf(ims, sizeof(ims), "If-Modified-Since: %s", modified);
	o.headers = h_ims;
	fetch(w->h, "/corpus/" CORPUS_PAGE, &o, &f);
	assert_status(&f, CURLE_OK, 304);
	assert_int_equal(f.received, 0);
	fetch_free(&f);

	o.headers = h_old;
	fetch(w->h, "/corpus/" CORPUS_PAGE, &o, &f);
	assert_status(&f, CURLE_OK, 200);
	fetch_free(&f);

	/* If-None-Match decides when both are sent. */
	o.headers = h_both;
	fetch(w->h, "/corpus/" CORPUS_PAGE, &o, &f);
	assert_status(&f, CURLE_OK, 200);
	fetch_free(&f);

	assert_int_equal(httpd_hits(w->h, "/corpus/" CORPUS_PAGE), hits + 7);
	assert_int_equal(httpd_last_header(w->h, "/corpus/" CORPUS_PAGE, "if-none-match", seen,
					   sizeof(seen)), 0);
	assert_string_equal(seen, "\"other\"");
	assert_int_equal(httpd_last_header(w->h, "/corpus/" CORPUS_PAGE, "If-Modified-Since",
					   seen, sizeof(seen)), 0);
	assert_string_equal(seen, modified);
	free(want);
	free(path);
}

static void
test_corpus_names_outside_are_refused(void **state)
{
	struct world *w = *state;
	struct fetch_opts o = { .path_as_is = 1 };
	static const char *const paths[] = {
		"/corpus/../../../etc/passwd", "/corpus/..%2f..%2fREADME.md", "/corpus/.html",
		"/corpus/missing.html", "/corpus/" CORPUS_PAGE "/x", "/corpus/README.md",
		"/corpus/", "/gzip/../index.tsv",
	};
	struct fetch f;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		fetch(w->h, paths[i], &o, &f);
		if (f.status != 404)
			fail_msg("%s: status %ld, want 404", paths[i], f.status);
		assert_null(strstr(f.body != NULL ? f.body : "", "root:"));
		fetch_free(&f);
	}
}

/* Synthetic documents and httpd_put. */

static void
test_doc_pages(void **state)
{
	struct world *w = *state;
	char etag[128], inm[160];
	const char *h_inm[] = { inm, NULL };
	struct fetch_opts o = { .headers = h_inm };
	struct fetch a, b, c;

	fetch(w->h, "/doc/1", NULL, &a);
	assert_status(&a, CURLE_OK, 200);
	assert_true(a.len > 2000 && a.len < 16384);
	assert_non_null(strstr(a.body, "<h1>Example Service 1 Privacy Policy</h1>"));
	assert_non_null(strstr(a.body, "<ul>\n<li>"));
	assert_non_null(strstr(a.body, "<h2>4. Retention</h2>"));
	assert_header(&a, "Content-Type", "text/html; charset=utf-8");
	assert_header(&a, "Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT");

	/* The same page every time, another for another N. */
	fetch(w->h, "/doc/1", NULL, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.body, b.body, a.len);
	fetch(w->h, "/doc/2", NULL, &c);
	assert_status(&c, CURLE_OK, 200);
	assert_non_null(strstr(c.body, "Example Service 2 "));
	assert_true(c.len != a.len || memcmp(a.body, c.body, a.len) != 0);
	fetch_free(&b);
	fetch_free(&c);

	assert_int_equal(header_of(&a, "ETag", etag, sizeof(etag)), 0);
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	fetch(w->h, "/doc/1", &o, &b);
	assert_status(&b, CURLE_OK, 304);
	fetch_free(&b);
	fetch(w->h, "/doc/2", &o, &b);
	assert_status(&b, CURLE_OK, 200);
	fetch_free(&b);
	fetch_free(&a);

	fetch(w->h, "/doc/-7", NULL, &a);
	assert_status(&a, CURLE_OK, 200);
	assert_non_null(strstr(a.body, "Example Service -7 "));
	fetch_free(&a);
	fetch(w->h, "/doc/12x", NULL, &a);
	assert_status(&a, CURLE_OK, 404);
	fetch_free(&a);
	fetch(w->h, "/doc/99999999999999999999999", NULL, &a);
	assert_status(&a, CURLE_OK, 404);
	fetch_free(&a);
	fetch(w->h, "/doc/", NULL, &a);
	assert_status(&a, CURLE_OK, 404);
	fetch_free(&a);
}

static void
test_put_changes_a_document(void **state)
{
	struct world *w = *state;
	static const char v1[] = "<html><body><p>Version one.</p></body></html>\n";
	static const char v2[] = "<html><body><p>Version two, with more words.</p></body></html>\n";
	char old_etag[128], etag[128], inm[160];
	const char *h_inm[] = { inm, NULL };
	struct fetch_opts o = { .headers = h_inm };
	struct fetch f;

	fetch(w->h, "/doc/500", NULL, &f);
	assert_int_equal(header_of(&f, "ETag", old_etag, sizeof(old_etag)), 0);
	fetch_free(&f);

	/* A put path comes before the route it shadows. */
	assert_int_equal(httpd_put(w->h, "/doc/500", v1, strlen(v1), NULL), 0);
	fetch(w->h, "/doc/500", NULL, &f);
	assert_status(&f, CURLE_OK, 200);
	assert_string_equal(f.body, v1);
	assert_header(&f, "Content-Type", "text/html; charset=utf-8");
	assert_int_equal(header_of(&f, "ETag", etag, sizeof(etag)), 0);
	assert_string_not_equal(etag, old_etag);
	fetch_free(&f);

	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	fetch(w->h, "/doc/500", &o, &f);
	assert_status(&f, CURLE_OK, 304);
	fetch_free(&f);

	/* The document changes: the old ETag no longer matches. */
	assert_int_equal(httpd_put(w->h, "/doc/500", v2, strlen(v2), NULL), 0);
	fetch(w->h, "/doc/500", &o, &f);
	assert_status(&f, CURLE_OK, 200);
	assert_string_equal(f.body, v2);
	fetch_free(&f);

	assert_int_equal(httpd_put_at(w->h, "/notes.txt", "plain\0text", 10, "text/plain",
				      (time_t)1000000000), 0);
	fetch(w->h, "/notes.txt", NULL, &f);
	assert_status(&f, CURLE_OK, 200);
	assert_int_equal(f.len, 10);
	assert_memory_equal(f.body, "plain\0text", 10);
	assert_header(&f, "Content-Type", "text/plain");
	assert_header(&f, "Last-Modified", "Sun, 09 Sep 2001 01:46:40 GMT");
	fetch_free(&f);

	assert_int_equal(httpd_put(w->h, "/empty", "", 0, NULL), 0);
	fetch(w->h, "/empty", NULL, &f);
	assert_status(&f, CURLE_OK, 200);
	assert_int_equal(f.received, 0);
	fetch_free(&f);
}

static void
test_encodings(void **state)
{
	static const char *const encodings[] = { "gzip", "deflate", "br" };
	struct world *w = *state;
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
	char *path = test_path(w->corpus, "html/" CORPUS_PAGE), *want, url[128];
	struct fetch_opts decode = { .decode = 1 };
	struct fetch f;
	size_t want_len, i;

	want = test_read_file(path, &want_len);
	assert_non_null(want);
	for (i = 0; i < 3; i++) {
		snprintf(url, sizeof(url), "/%s/%s", encodings[i], CORPUS_PAGE);
		fetch(w->h, url, NULL, &f);
		assert_status(&f, CURLE_OK, 200);
		assert_header(&f, "Content-Encoding", encodings[i]);
		assert_header(&f, "Content-Type", "text/html; charset=utf-8");
		assert_true(f.len > 1000 && f.len < want_len / 3);
		fetch_free(&f);

		if (strcmp(encodings[i], "br") == 0 && !(v->features & CURL_VERSION_BROTLI)) {
			fprintf(stderr, "test-httpd: this libcurl cannot decode br; not decoded\n");
			continue;
		}
		fetch(w->h, url, &decode, &f);
		assert_status(&f, CURLE_OK, 200);
		assert_int_equal(f.len, want_len);
		assert_memory_equal(f.body, want, want_len);
		fetch_free(&f);
	}
	fetch(w->h, "/gzip/missing.html", NULL, &f);
	assert_status(&f, CURLE_OK, 404);
	fetch_free(&f);
	free(want);
	free(path);
}

/* Redirects. */

static void
test_redirects(void **state)
{
	struct world *w = *state;
	struct fetch_opts follow = { .follow = 1 };
	struct fetch f;
	unsigned loops = httpd_hits(w->h, "/redirect/loop");

	fetch(w->h, "/redirect/loop", &follow, &f);
	assert_int_equal(f.rc, CURLE_TOO_MANY_REDIRECTS);
	assert_int_equal(httpd_hits(w->h, "/redirect/loop"), loops + 6);
	fetch_free(&f);

	fetch(w->h, "/redirect/chain/3", &follow, &f);
	assert_status(&f, CURLE_OK, 200);
	assert_int_equal(f.redirects, 3);
	assert_non_null(strstr(f.body, "The end of the chain."));
	fetch_free(&f);

	fetch(w->h, "/redirect/chain/6", &follow, &f);
	assert_int_equal(f.rc, CURLE_TOO_MANY_REDIRECTS);
	fetch_free(&f);

	fetch(w->h, "/redirect/file", NULL, &f);
	assert_status(&f, CURLE_OK, 302);
	assert_header(&f, "Location", "file:///etc/passwd");
	fetch_free(&f);
	fetch(w->h, "/redirect/file", &follow, &f);
	assert_int_equal(f.rc, CURLE_UNSUPPORTED_PROTOCOL);
	assert_null(f.body != NULL ? strstr(f.body, "root:") : NULL);
	fetch_free(&f);

	fetch(w->h, "/redirect/ftp", NULL, &f);
	assert_status(&f, CURLE_OK, 302);
	assert_header(&f, "Location", "ftp://127.0.0.1/x");
	fetch_free(&f);
	fetch(w->h, "/redirect/ftp", &follow, &f);
	assert_int_equal(f.rc, CURLE_UNSUPPORTED_PROTOCOL);
	fetch_free(&f);
}

/* Bodies too big to keep. */

static void
test_big_body_is_streamed(void **state)
{
	struct world *w = *state;
	struct fetch_opts capped = { .limit = 10u * 1024 * 1024 };
	static const char tail[] = "</body></html>\n";
	struct fetch f;
	char length[32];

	fetch(w->h, "/big", NULL, &f);
	assert_status(&f, CURLE_OK, 200);
	snprintf(length, sizeof(length), "%u", HTTPD_BIG_SIZE);
	assert_header(&f, "Content-Length", length);
	assert_int_equal(f.received, HTTPD_BIG_SIZE);
	assert_int_equal(strncmp(f.body, "<!DOCTYPE html>\n<html>", 22), 0);
	assert_non_null(strstr(f.body + 4000, "<p>This paragraph repeats until the page weighs "
				"fifty mebibytes.</p>\n<p>"));
	assert_memory_equal(f.tail + sizeof(f.tail) - (sizeof(tail) - 1), tail, sizeof(tail) - 1);
	fetch_free(&f);

	/* A client with a cap stops at the cap. */
	fetch(w->h, "/big", &capped, &f);
	assert_int_equal(f.rc, CURLE_WRITE_ERROR);
	assert_true(f.received <= capped.limit && f.received > capped.limit / 2);
	fetch_free(&f);
}

/* Inflate a gzip stream (windowBits 31) held in in, counting what comes out
 * and keeping the first keep bytes in kept.  Returns the count; *end tells
 * whether the stream ended properly. */
static unsigned long long
inflate_count(const char *in, size_t len, char *kept, size_t keep, int *end)
{
	static unsigned char out[256 * 1024];
	unsigned long long total = 0;
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	do {
		size_t n;

		z.next_out = out;
		z.avail_out = sizeof(out);
		rc = inflate(&z, Z_NO_FLUSH);
		n = sizeof(out) - z.avail_out;
		if (total < keep)
			memcpy(kept + total, out, n < keep - total ? n : keep - (size_t)total);
		total += n;
	} while (rc == Z_OK);
	*end = rc == Z_STREAM_END;
	inflateEnd(&z);
	return total;
}

static void
test_gzip_bomb(void **state)
{
	struct world *w = *state;
	struct fetch_opts decode = { .decode = 1, .limit = 10u * 1024 * 1024 };
	struct fetch f;
	char kept[16];
	int end;

	/* As sent: about 1 MiB of gzip that inflates to 1 GiB of zeros. */
	fetch(w->h, "/gzip-bomb", NULL, &f);
	assert_status(&f, CURLE_OK, 200);
	assert_header(&f, "Content-Encoding", "gzip");
	assert_true(f.len > 1000 && f.len < 1100u * 1024);
	assert_int_equal(inflate_count(f.body, f.len, kept, sizeof(kept), &end), HTTPD_BOMB_SIZE);
	assert_true(end);
	assert_memory_equal(kept, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", sizeof(kept));
	fetch_free(&f);

	/* A client that decodes and caps what it keeps stops at the cap, fast. */
	fetch(w->h, "/gzip-bomb", &decode, &f);
	assert_int_equal(f.rc, CURLE_WRITE_ERROR);
	assert_true(f.received <= decode.limit);
	assert_true(f.secs < 5);
	fetch_free(&f);
}

static void
test_gzip_bomb_stacked(void **state)
{
	struct world *w = *state;
	struct fetch_opts decode = { .decode = 1, .limit = 10u * 1024 * 1024 };
	struct fetch f;
	char *inner = malloc(2u * 1024 * 1024);
	unsigned long long inner_len;
	int end;

	assert_non_null(inner);
	fetch(w->h, "/gzip-bomb/stacked", NULL, &f);
	assert_status(&f, CURLE_OK, 200);
	assert_header(&f, "Content-Encoding", "gzip, gzip");
	assert_true(f.len > 100 && f.len < 32 * 1024);
	/* One layer off: the 1 MiB bomb, a gzip stream itself. */
	inner_len = inflate_count(f.body, f.len, inner, 2u * 1024 * 1024, &end);
	assert_true(end);
	assert_true(inner_len > 1000u * 1024 && inner_len < 1100u * 1024);
	assert_memory_equal(inner, "\x1f\x8b\x08", 3);
	fetch_free(&f);
	free(inner);

	fetch(w->h, "/gzip-bomb/stacked", &decode, &f);
	assert_int_equal(f.rc, CURLE_WRITE_ERROR);
	assert_true(f.received <= decode.limit && f.received > decode.limit / 2);
	fetch_free(&f);
}

/* Servers that take their time. */

static void
test_slow_drip_meets_the_timeout(void **state)
{
	struct world *w = *state;
	struct fetch_opts o = { .timeout_ms = 2500 };
	struct fetch f;
	char length[32];

	fetch(w->h, "/slow-drip", &o, &f);
	assert_status(&f, CURLE_OPERATION_TIMEDOUT, 200);
	snprintf(length, sizeof(length), "%u", HTTPD_DRIP_SIZE);
	assert_header(&f, "Content-Length", length);
	/* A byte at once, then one a second. */
	if (f.received < 2 || f.received > 4)
		fail_msg("%zu bytes in %.2f s", f.received, f.secs);
	assert_true(f.secs >= 2.4 && f.secs < 4.0);
	assert_int_equal(strncmp(f.body, "<!DOCTYPE html>", f.received), 0);
	fetch_free(&f);
}

static void
test_hang_meets_the_timeout(void **state)
{
	struct world *w = *state;
	struct fetch_opts o = { .timeout_ms = 1000 };
	struct fetch f;
	unsigned hits = httpd_hits(w->h, "/hang");

	fetch(w->h, "/hang", &o, &f);
	assert_status(&f, CURLE_OPERATION_TIMEDOUT, 0);
	assert_int_equal(f.received, 0);
	assert_int_equal(f.hlen, 0);
	assert_true(f.secs >= 0.9 && f.secs < 3.0);
	/* It did read the request. */
	assert_int_equal(httpd_hits(w->h, "/hang"), hits + 1);
	fetch_free(&f);
}

static void
test_reset_mid_body(void **state)
{
	struct world *w = *state;
	struct fetch f;
	char length[32];

	fetch(w->h, "/reset", NULL, &f);
	if (f.rc != CURLE_RECV_ERROR && f.rc != CURLE_PARTIAL_FILE)
		fail_msg("curl %d (%s), want a receive error or a partial file", f.rc, f.error);
	assert_int_equal(f.status, 200);
	snprintf(length, sizeof(length), "%u", HTTPD_RESET_LENGTH);
	assert_header(&f, "Content-Length", length);
	assert_true(f.received > 0 && f.received <= HTTPD_RESET_SENT);
	assert_int_equal(strncmp(f.body, "<!DOCTYPE html>", 15), 0);
	fetch_free(&f);
}

/* Hostile text. */

static void
test_invalid_utf8(void **state)
{
	struct world *w = *state;
	struct fetch f;

	fetch(w->h, "/invalid-utf8", NULL, &f);
	assert_status(&f, CURLE_OK, 200);
	assert_header(&f, "Content-Type", "text/html; charset=utf-8");
	assert_non_null(strstr(f.body, "<meta charset=\"utf-8\">"));
	assert_false(g_utf8_validate(f.body, (gssize)f.len, NULL));
	assert_non_null(strstr(f.body, "\xc0\xaf"));
	assert_non_null(strstr(f.body, "\xed\xa0\x80"));
	assert_non_null(strstr(f.body, "\xfe\xff"));
	assert_non_null(strstr(f.body, "caf\xc3\xa9"));
	fetch_free(&f);
}

static void
test_escapes(void **state)
{
	struct world *w = *state;
	struct fetch f;
	const char *nul;

	fetch(w->h, "/escapes", NULL, &f);
	assert_status(&f, CURLE_OK, 200);
	assert_non_null(strstr(f.body, "\x1b[2J"));
	assert_non_null(strstr(f.body, "\x1b]52;c;"));
	assert_non_null(strstr(f.body, "\xc2\x9b"));
	assert_non_null(strstr(f.body, "\xe2\x80\xae"));
	/* NUL bytes inside, and the page goes on past them. */
	nul = memchr(f.body, '\0', f.len);
	assert_non_null(nul);
	assert_true((size_t)(nul - f.body) < f.len - 20);
	assert_int_equal(memcmp(f.body + f.len - 15, "</body></html>\n", 15), 0);
	fetch_free(&f);
}

/* Statuses. */

static void
test_statuses(void **state)
{
	struct world *w = *state;
	struct fetch f;

	fetch(w->h, "/status/404", NULL, &f);
	assert_status(&f, CURLE_OK, 404);
	assert_non_null(strstr(f.body, "<h1>404</h1>"));
	assert_header(&f, "Content-Type", "text/html; charset=utf-8");
	fetch_free(&f);
	fetch(w->h, "/status/500", NULL, &f);
	assert_status(&f, CURLE_OK, 500);
	assert_non_null(strstr(f.body, "<h1>500</h1>"));
	fetch_free(&f);
	fetch(w->h, "/status/200", NULL, &f);
	assert_status(&f, CURLE_OK, 404);
	fetch_free(&f);
	fetch(w->h, "/nowhere", NULL, &f);
	assert_status(&f, CURLE_OK, 404);
	fetch_free(&f);
}

static void
test_retry_after_once(void **state)
{
	static const struct {
		const char *path;
		long status;
	} cases[] = {
		{ "/429", 429 }, { "/429/1", 429 }, { "/429/2", 429 },
		{ "/503-once", 503 }, { "/503-once/1", 503 },
	};
	struct world *w = *state;
	struct fetch f;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fetch(w->h, cases[i].path, NULL, &f);
		assert_status(&f, CURLE_OK, cases[i].status);
		if (cases[i].status == 429)
			assert_header(&f, "Retry-After", "1");
		fetch_free(&f);
	}
	/* Each counter on its own: the second request to each is a page. */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fetch(w->h, cases[i].path, NULL, &f);
		assert_status(&f, CURLE_OK, 200);
		assert_non_null(strstr(f.body, "<h1>Example Service "));
		fetch_free(&f);
	}
}

/* Other media. */

static void
test_pdf_reads_back(void **state)
{
	struct world *w = *state;
	PopplerDocument *doc;
	PopplerPage *page;
	GError *error = NULL;
	GBytes *bytes;
	struct fetch f;
	char *text;

	fetch(w->h, "/pdf", NULL, &f);
	assert_status(&f, CURLE_OK, 200);
	assert_header(&f, "Content-Type", "application/pdf");
	assert_int_equal(strncmp(f.body, "%PDF-1.4\n", 9), 0);
	bytes = g_bytes_new(f.body, f.len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &error);
	if (doc == NULL)
		fail_msg("poppler: %s", error != NULL ? error->message : "no reason");
	assert_int_equal(poppler_document_get_n_pages(doc), 1);
	page = poppler_document_get_page(doc, 0);
	assert_non_null(page);
	text = poppler_page_get_text(page);
	assert_non_null(text);
	if (strstr(text, HTTPD_PDF_SENTENCE) == NULL)
		fail_msg("poppler read \"%s\"", text);
	g_free(text);
	g_object_unref(page);
	g_object_unref(doc);
	g_bytes_unref(bytes);
	fetch_free(&f);
}

static void
test_binary(void **state)
{
	struct world *w = *state;
	struct fetch a, b;
	unsigned char seen[256] = { 0 };
	size_t i, distinct = 0;

	fetch(w->h, "/binary", NULL, &a);
	assert_status(&a, CURLE_OK, 200);
	assert_header(&a, "Content-Type", "application/octet-stream");
	assert_int_equal(a.len, HTTPD_BINARY_SIZE);
	for (i = 0; i < a.len; i++)
		seen[(unsigned char)a.body[i]] = 1;
	for (i = 0; i < 256; i++)
		distinct += seen[i];
	assert_int_equal(distinct, 256);
	assert_false(g_utf8_validate(a.body, (gssize)a.len, NULL));
	fetch(w->h, "/binary", NULL, &b);
	assert_int_equal(b.len, a.len);
	assert_memory_equal(a.body, b.body, a.len);
	fetch_free(&a);
	fetch_free(&b);
}

/* Methods and what the server records. */

static void
test_methods(void **state)
{
	struct world *w = *state;
	struct fetch_opts head = { .method = "HEAD" }, post = { .method = "POST" };
	struct fetch f;

	fetch(w->h, "/doc/3", &head, &f);
	assert_status(&f, CURLE_OK, 200);
	assert_int_equal(f.received, 0);
	assert_header(&f, "Content-Type", "text/html; charset=utf-8");
	fetch_free(&f);

	fetch(w->h, "/doc/3", &post, &f);
	assert_status(&f, CURLE_OK, 405);
	assert_header(&f, "Allow", "GET, HEAD");
	fetch_free(&f);
}

static void
test_request_headers_are_recorded(void **state)
{
	struct world *w = *state;
	const char *headers[] = { "User-Agent: clause-test/1", NULL };
	struct fetch_opts o = { .headers = headers, .decode = 1 };
	struct fetch f;
	unsigned total = httpd_hits(w->h, NULL);
	char value[256];

	fetch(w->h, "/doc/11", &o, &f);
	assert_status(&f, CURLE_OK, 200);
	fetch_free(&f);
	assert_int_equal(httpd_hits(w->h, NULL), total + 1);
	assert_int_equal(httpd_hits(w->h, "/doc/11"), 1);
	assert_int_equal(httpd_last_header(w->h, "/doc/11", "user-agent", value, sizeof(value)), 0);
	assert_string_equal(value, "clause-test/1");
	assert_int_equal(httpd_last_header(w->h, "/doc/11", "Accept-Encoding", value,
					   sizeof(value)), 0);
	assert_non_null(strstr(value, "gzip"));
	assert_int_equal(httpd_last_header(w->h, "/doc/11", "X-Absent", value, sizeof(value)), 0);
	assert_string_equal(value, "");
	/* Cut short, still terminated. */
	assert_int_equal(httpd_last_header(w->h, "/doc/11", "User-Agent", value, 7), 0);
	assert_string_equal(value, "clause");
	assert_int_equal(httpd_last_header(w->h, "/never", "User-Agent", value, sizeof(value)), -1);
	assert_string_equal(value, "");
	assert_int_equal(httpd_hits(w->h, "/never"), 0);
}

/* Servers of their own. */

static struct httpd *
start(const struct httpd_options *opt)
{
	char err[512];
	struct httpd *h = httpd_start(opt, err, sizeof(err));

	if (h == NULL)
		fail_msg("%s", err);
	return h;
}

/* Run every handle of multi to its end, or until deadline (seconds from
 * now) or until stop_when_hits requests reached h; returns how many
 * transfers finished, their codes in order of completion in rcs. */
static size_t
multi_run(CURLM *multi, double seconds, struct httpd *h, unsigned stop_when_hits,
	  CURLcode *rcs, size_t nrcs)
{
	double deadline = now_secs() + seconds;
	size_t done = 0;
	int running = 1;

	while (running > 0 && now_secs() < deadline) {
		CURLMsg *msg;
		int left;

		assert_int_equal(curl_multi_perform(multi, &running), CURLM_OK);
		while ((msg = curl_multi_info_read(multi, &left)) != NULL)
			if (msg->msg == CURLMSG_DONE && done < nrcs)
				rcs[done++] = msg->data.result;
		if (h != NULL && httpd_hits(h, NULL) >= stop_when_hits)
			break;
		if (running > 0)
			assert_int_equal(curl_multi_poll(multi, NULL, 0, 20, NULL), CURLM_OK);
	}
	return done;
}

static void
test_latency_runs_in_parallel(void **state)
{
	enum { N = 32 };
	struct httpd_options opt = { .latency_ms = 100 };
	struct httpd *h = start(&opt);
	struct fetch_opts o = { 0 };
	struct curl_slist *lists[N];
	struct fetch *f = calloc(N, sizeof(*f));
	CURL *easy[N];
	CURLcode rcs[N];
	CURLM *multi = curl_multi_init();
	char path[64], url[128];
	double start_at, secs;
	size_t i, done;

	(void)state;
	assert_non_null(f);
	assert_non_null(multi);
	for (i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "/doc/%zu", i);
		easy[i] = easy_for(httpd_url(h, path, url, sizeof(url)), &o, &f[i], &lists[i]);
		curl_multi_add_handle(multi, easy[i]);
	}
	start_at = now_secs();
	done = multi_run(multi, 20, NULL, 0, rcs, N);
	secs = now_secs() - start_at;
	assert_int_equal(done, N);
	for (i = 0; i < N; i++) {
		assert_int_equal(rcs[i], CURLE_OK);
		curl_multi_remove_handle(multi, easy[i]);
		easy_done(easy[i], &f[i], lists[i]);
		assert_int_equal(f[i].status, 200);
		fetch_free(&f[i]);
	}
	/* In series: 3.2 s.  Together: 0.1 s and a little. */
	if (secs < 0.1 || secs > 1.6)
		fail_msg("%d requests with 100 ms latency took %.3f s", N, secs);
	assert_int_equal(httpd_hits(h, NULL), N);
	curl_multi_cleanup(multi);
	free(f);
	httpd_stop(h);
}

static void
test_stop_with_connections_open(void **state)
{
	enum { N = 4 };
	static const char *const paths[N] = { "/hang", "/hang", "/hang", "/slow-drip" };
	struct httpd *h = start(NULL);
	struct fetch_opts o = { .timeout_ms = 20000 };
	struct curl_slist *lists[N], *idle_list;
	struct fetch f[N], idle_fetch;
	CURL *easy[N], *idle;
	CURLcode rcs[N];
	CURLM *multi = curl_multi_init();
	char url[128];
	double start_at;
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		easy[i] = easy_for(httpd_url(h, paths[i], url, sizeof(url)), &o, &f[i], &lists[i]);
		curl_multi_add_handle(multi, easy[i]);
	}
	/* Until the server holds all four requests. */
	assert_int_equal(multi_run(multi, 5, h, N, rcs, N), 0);
	assert_int_equal(httpd_hits(h, NULL), N);
	/* And a fifth connection, idle, kept alive after its answer. */
	idle = easy_for(httpd_url(h, "/doc/1", url, sizeof(url)), &o, &idle_fetch, &idle_list);
	assert_int_equal(curl_easy_perform(idle), CURLE_OK);

	start_at = now_secs();
	httpd_stop(h);
	if (now_secs() - start_at > 1.0)
		fail_msg("httpd_stop took %.3f s", now_secs() - start_at);

	/* Every client sees its connection closed, not a timeout. */
	assert_int_equal(multi_run(multi, 5, NULL, 0, rcs, N), N);
	for (i = 0; i < N; i++) {
		assert_int_not_equal(rcs[i], CURLE_OK);
		assert_int_not_equal(rcs[i], CURLE_OPERATION_TIMEDOUT);
		curl_multi_remove_handle(multi, easy[i]);
		easy_done(easy[i], &f[i], lists[i]);
		fetch_free(&f[i]);
	}
	curl_multi_cleanup(multi);
	easy_done(idle, &idle_fetch, idle_list);
	assert_int_equal(idle_fetch.status, 200);
	fetch_free(&idle_fetch);
	httpd_stop(NULL);
}

static void
test_connections_are_kept_alive(void **state)
{
	struct world *w = *state;
	struct fetch_opts o = { 0 };
	struct curl_slist *list;
	struct fetch f;
	char url[128];
	long connects = -1;
	CURL *c;

	c = easy_for(httpd_url(w->h, "/doc/20", url, sizeof(url)), &o, &f, &list);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	fetch_free(&f);
	curl_easy_setopt(c, CURLOPT_URL, httpd_url(w->h, "/doc/21", url, sizeof(url)));
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	/* The second request went over the first one's connection. */
	curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
	assert_int_equal(connects, 0);
	easy_done(c, &f, list);
	assert_int_equal(f.status, 200);
	assert_non_null(strstr(f.body, "Example Service 21 "));
	fetch_free(&f);
}

static void
test_start_errors(void **state)
{
	struct httpd_options opt = { .corpus_dir = "/nonexistent/corpus" };
	struct httpd *h;
	struct fetch f;
	char err[512] = "";

	(void)state;
	assert_null(httpd_start(&opt, err, sizeof(err)));
	assert_non_null(strstr(err, "'/nonexistent/corpus'"));
	assert_null(strchr(err, '\n'));

	/* No corpus: the corpus routes answer 404, the others still work. */
	h = start(NULL);
	fetch(h, "/corpus/" CORPUS_PAGE, NULL, &f);
	assert_status(&f, CURLE_OK, 404);
	fetch_free(&f);
	fetch(h, "/br/" CORPUS_PAGE, NULL, &f);
	assert_status(&f, CURLE_OK, 404);
	fetch_free(&f);
	fetch(h, "/doc/1", NULL, &f);
	assert_status(&f, CURLE_OK, 200);
	fetch_free(&f);
	httpd_stop(h);
}

/* clause-testd, in a process of its own. */

struct testd {
	pid_t pid;
	int in;			/* Its standard input, ours to close. */
	char url[128];		/* The base URL it printed. */
};

static void
testd_start(const struct world *w, struct testd *t, const char *extra)
{
	int in[2], out[2];
	ssize_t n;
	size_t len = 0;

	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	t->pid = fork();
	assert_true(t->pid >= 0);
	if (t->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(w->testd, w->testd, "--corpus", w->corpus, "--latency", "5", extra,
		      (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	t->in = in[1];
	while (len < sizeof(t->url) - 1
	       && (n = read(out[0], t->url + len, sizeof(t->url) - 1 - len)) > 0) {
		len += (size_t)n;
		if (memchr(t->url, '\n', len) != NULL)
			break;
	}
	close(out[0]);
	t->url[len] = '\0';
	if (len == 0 || t->url[len - 1] != '\n')
		fail_msg("clause-testd printed \"%s\"", t->url);
	t->url[len - 1] = '\0';
}

/* Wait for t to end; its exit status, or -1 after 5 s. */
static int
testd_wait(struct testd *t)
{
	int status, i;

	for (i = 0; i < 500; i++) {
		pid_t got = waitpid(t->pid, &status, WNOHANG);

		if (got == t->pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		usleep(10000);
	}
	kill(t->pid, SIGKILL);
	waitpid(t->pid, &status, 0);
	return -1;
}

static void
testd_fetch_page(const struct testd *t)
{
	struct fetch_opts o = { 0 };
	struct curl_slist *list;
	struct fetch f;
	char url[256];
	CURL *c;

	snprintf(url, sizeof(url), "%s/corpus/%s", t->url, CORPUS_PAGE);
	c = easy_for(url, &o, &f, &list);
	f.rc = curl_easy_perform(c);
	easy_done(c, &f, list);
	assert_status(&f, CURLE_OK, 200);
	assert_true(f.len > 40000);
	fetch_free(&f);
}

static void
test_clause_testd(void **state)
{
	struct world *w = *state;
	struct testd t;

	if (access(w->testd, X_OK) != 0)
		fail_msg("cannot run %s: %s", w->testd, strerror(errno));

	/* Ends with its standard input. */
	testd_start(w, &t, NULL);
	assert_int_equal(strncmp(t.url, "http://127.0.0.1:", 17), 0);
	testd_fetch_page(&t);
	close(t.in);
	assert_int_equal(testd_wait(&t), 0);

	/* --no-stdin: ends with SIGTERM, not with its input. */
	testd_start(w, &t, "--no-stdin");
	close(t.in);
	usleep(100000);
	testd_fetch_page(&t);
	kill(t.pid, SIGTERM);
	assert_int_equal(testd_wait(&t), 0);
}

int
main(int argc, char **argv)
{
	struct world w = { 0 };
	char err[512], *self;
	int rc;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_corpus_page_with_validators, &w),
		cmocka_unit_test_prestate(test_corpus_names_outside_are_refused, &w),
		cmocka_unit_test_prestate(test_doc_pages, &w),
		cmocka_unit_test_prestate(test_put_changes_a_document, &w),
		cmocka_unit_test_prestate(test_encodings, &w),
		cmocka_unit_test_prestate(test_redirects, &w),
		cmocka_unit_test_prestate(test_big_body_is_streamed, &w),
		cmocka_unit_test_prestate(test_gzip_bomb, &w),
		cmocka_unit_test_prestate(test_gzip_bomb_stacked, &w),
		cmocka_unit_test_prestate(test_slow_drip_meets_the_timeout, &w),
		cmocka_unit_test_prestate(test_hang_meets_the_timeout, &w),
		cmocka_unit_test_prestate(test_reset_mid_body, &w),
		cmocka_unit_test_prestate(test_invalid_utf8, &w),
		cmocka_unit_test_prestate(test_escapes, &w),
		cmocka_unit_test_prestate(test_statuses, &w),
		cmocka_unit_test_prestate(test_retry_after_once, &w),
		cmocka_unit_test_prestate(test_pdf_reads_back, &w),
		cmocka_unit_test_prestate(test_binary, &w),
		cmocka_unit_test_prestate(test_methods, &w),
		cmocka_unit_test_prestate(test_request_headers_are_recorded, &w),
		cmocka_unit_test_prestate(test_connections_are_kept_alive, &w),
		cmocka_unit_test(test_latency_runs_in_parallel),
		cmocka_unit_test(test_stop_with_connections_open),
		cmocka_unit_test(test_start_errors),
		cmocka_unit_test_prestate(test_clause_testd, &w),
	};
	struct httpd_options opt = { 0 };

	(void)argc;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "test-httpd: cannot initialise libcurl\n");
		return 99;
	}
	w.corpus = test_path(test_shared_dir(), "corpus");
	self = strdup(argv[0]);
	if (self == NULL) {
		fprintf(stderr, "test-httpd: out of memory\n");
		return 99;
	}
	w.testd = test_path(dirname(self), "clause-testd");
	free(self);
	opt.corpus_dir = w.corpus;
	w.h = httpd_start(&opt, err, sizeof(err));
	if (w.h == NULL) {
		fprintf(stderr, "test-httpd: %s\n", err);
		return 99;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	httpd_stop(w.h);
	free(w.corpus);
	free(w.testd);
	curl_global_cleanup();
	return rc;
}
