/*
 * fetch: keep documents up to date from their real URLs, in a thread of
 * its own.  See fetch.h.
 *
 * Everything the thread owns lives in struct fetcher's `run` half and is
 * touched by that thread alone; the caller and the thread share only the
 * queue of document ids (under the mutex) and the event socket.
 */

#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <libxml/parser.h>

#include "declaration.h"
#include "extract.h"
#include "fetch.h"
#include "store.h"
#include "update.h"

/* One page of a document: one transfer, retried when it may help. */
struct page {
	struct job *job;
	char *url;
	char host[256];
	CURL *easy;
	struct curl_slist *headers;
	char *body;
	size_t len, cap;
	size_t max_bytes;		/* The bound on the body, decoded. */
	int too_big;			/* The body passed it. */
	char *etag, *last_modified;	/* Of the final answer. */
	char *content_type;
	char *effective_url;
	int attempts;
	long retry_at;			/* Monotonic ms; 0: not waiting. */
	int status;			/* HTTP status of the last answer. */
	int done;
	int failed;
	char curl_error[CURL_ERROR_SIZE];
};

/* One document being fetched. */
struct job {
	int64_t document_id;
	struct declaration_document *declaration;
	struct page *pages;
	size_t npages, pages_done;
	char *etag, *last_modified;	/* Sent as validators, single pages only. */
	char error[240];		/* The first page's failure. */
	struct job *next;
};

/* How many transfers one host has in flight. */
struct host_count {
	char host[256];
	int active;
};

struct fetcher {
	struct fetch_options options;
	char *db_path;
	pthread_t thread;
	int thread_started;
	int sockets[2];			/* [0]: the caller reads; [1]: the thread writes. */

	pthread_mutex_t lock;		/* Guards queue, nqueue, capqueue, stopping. */
	int64_t *queue;
	size_t nqueue, capqueue;
	int stopping;

	/* The thread's own. */
	CURLM *multi;
	struct store *store;
	struct job *jobs;
	int active;			/* Transfers in the multi handle. */
	struct host_count *hosts;	/* Transfers in it per host. */
	size_t nhosts;
	char user_agent[64];
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "YYYY-MM-DDTHH:MM:SSZ", now, in UTC. */
static void
utc_now(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
fetch_options_default(struct fetch_options *o)
{
	memset(o, 0, sizeof(*o));
	o->max_transfers = 8;
	o->max_per_host = 2;
	o->connect_timeout = 15;
	o->timeout = 60;
	o->low_speed_limit = 100;
	o->low_speed_time = 15;
	o->retries = 3;
	o->max_retry_after = 120;
	o->backoff_ms = 1000;
	o->max_bytes = 10 * 1024 * 1024;
	o->max_redirects = 5;
}

const char *
fetch_outcome_name(enum fetch_outcome outcome)
{
	switch (outcome) {
	case FETCH_NEW:
		return "new";
	case FETCH_CHANGED:
		return "changed";
	case FETCH_UNCHANGED:
		return "unchanged";
	case FETCH_NOT_MODIFIED:
		return "not-modified";
	case FETCH_FAILED:
		break;
	}
	return "failed";
}

/*
 * Events.
 */

/* Send one event; -1 when the reading side is gone. */
static int
send_event(struct fetcher *f, const struct fetch_event *ev)
{
	ssize_t n;

	do
		n = send(f->sockets[1], ev, sizeof(*ev), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*ev) ? 0 : -1;
}

static void
send_failure(struct fetcher *f, int64_t document_id, int status, int64_t bytes,
	     const char *fmt, ...)
{
	struct fetch_event ev;
	va_list ap;

	memset(&ev, 0, sizeof(ev));
	ev.document_id = document_id;
	ev.outcome = FETCH_FAILED;
	ev.http_status = status;
	ev.bytes = bytes;
	va_start(ap, fmt);
	vsnprintf(ev.error, sizeof(ev.error), fmt, ap);
	va_end(ap);
	send_event(f, &ev);
}

int
fetcher_fd(const struct fetcher *f)
{
	return f->sockets[0];
}

int
fetcher_read_event(struct fetcher *f, struct fetch_event *ev)
{
	ssize_t n;

	do
		n = recv(f->sockets[0], ev, sizeof(*ev), MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(*ev))
		return 1;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	return -1;
}

/*
 * Transfers.
 */

/* Keep the body, within the bound on decoded bytes: a gzip bomb stops
 * here, whatever its Content-Length said. */
static size_t
on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct page *p = userdata;
	size_t n = size * nmemb;

	if (n > p->max_bytes - p->len) {
		p->too_big = 1;
		return 0;
	}
	if (n > p->cap - p->len) {
		size_t ncap = p->cap != 0 ? p->cap : 65536;
		char *nb;

		while (ncap - p->len < n)
			ncap *= 2;
		nb = realloc(p->body, ncap + 1);
		if (nb == NULL)
			return 0;
		p->body = nb;
		p->cap = ncap;
	}
	memcpy(p->body + p->len, data, n);
	p->len += n;
	return n;
}

static void
set_header_value(char **slot, const char *value, size_t len)
{
	while (len > 0 && (value[len - 1] == '\r' || value[len - 1] == '\n'
			   || value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	while (len > 0 && (*value == ' ' || *value == '\t')) {
		value++;
		len--;
	}
	free(*slot);
	*slot = len > 0 && len < 512 ? strndup(value, len) : NULL;
}

/* Keep the validators of the final answer: a redirect's headers come
 * first and are forgotten at the next status line. */
static size_t
on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct page *p = userdata;
	size_t n = size * nmemb;

	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		free(p->etag);
		free(p->last_modified);
		p->etag = p->last_modified = NULL;
	} else if (n > 5 && strncasecmp(data, "ETag:", 5) == 0) {
		set_header_value(&p->etag, data + 5, n - 5);
	} else if (n > 14 && strncasecmp(data, "Last-Modified:", 14) == 0) {
		set_header_value(&p->last_modified, data + 14, n - 14);
	}
	return n;
}

/* The host of a URL, for the per-host bound; "" when it has none. */
static void
url_host(const char *url, char *host, size_t size)
{
	CURLU *u = curl_url();
	char *h = NULL;

	host[0] = '\0';
	if (u == NULL)
		return;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK
	    && curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK)
		snprintf(host, size, "%s", h);
	curl_free(h);
	curl_url_cleanup(u);
}

/* The count of a host, made when new; NULL when out of memory. */
static struct host_count *
host_slot(struct fetcher *f, const char *host)
{
	struct host_count *grown;
	size_t i;

	for (i = 0; i < f->nhosts; i++)
		if (strcmp(f->hosts[i].host, host) == 0)
			return &f->hosts[i];
	grown = realloc(f->hosts, (f->nhosts + 1) * sizeof(*grown));
	if (grown == NULL)
		return NULL;
	f->hosts = grown;
	snprintf(f->hosts[f->nhosts].host, sizeof(f->hosts[f->nhosts].host), "%s", host);
	f->hosts[f->nhosts].active = 0;
	return &f->hosts[f->nhosts++];
}

/* A transfer of host started (+1) or ended (-1). */
static void
host_count(struct fetcher *f, const char *host, int delta)
{
	struct host_count *h = host_slot(f, host);

	if (h != NULL)
		h->active += delta;
}

/* Set up the transfer of a page for its next attempt. */
static int
page_start(struct fetcher *f, struct page *p)
{
	const struct fetch_options *o = &f->options;
	CURL *e = curl_easy_init();

	if (e == NULL)
		return -1;
	p->len = 0;
	p->too_big = 0;
	p->status = 0;
	p->curl_error[0] = '\0';
	free(p->etag);
	free(p->last_modified);
	free(p->content_type);
	free(p->effective_url);
	p->etag = p->last_modified = p->content_type = p->effective_url = NULL;
	curl_slist_free_all(p->headers);
	p->headers = NULL;
	if (p->job->etag != NULL || p->job->last_modified != NULL) {
		char line[600];
		struct curl_slist *h = NULL;

		if (p->job->etag != NULL) {
			snprintf(line, sizeof(line), "If-None-Match: %s", p->job->etag);
			h = curl_slist_append(h, line);
		}
		if (p->job->last_modified != NULL) {
			snprintf(line, sizeof(line), "If-Modified-Since: %s", p->job->last_modified);
			h = h != NULL ? curl_slist_append(h, line) : NULL;
		}
		if (h == NULL) {
			curl_easy_cleanup(e);
			return -1;
		}
		p->headers = h;
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	}
	curl_easy_setopt(e, CURLOPT_URL, p->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, p);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, p->curl_error);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)o->max_redirects);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, o->timeout);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_limit);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_time);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, p);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, p);
	if (curl_multi_add_handle(f->multi, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		return -1;
	}
	p->easy = e;
	p->attempts++;
	p->retry_at = 0;
	f->active++;
	host_count(f, p->host, 1);
	return 0;
}

static void
page_free(struct page *p)
{
	free(p->url);
	free(p->body);
	free(p->etag);
	free(p->last_modified);
	free(p->content_type);
	free(p->effective_url);
	curl_slist_free_all(p->headers);
}

static void
job_free(struct fetcher *f, struct job *j)
{
	size_t i;

	for (i = 0; i < j->npages; i++) {
		if (j->pages[i].easy != NULL) {
			curl_multi_remove_handle(f->multi, j->pages[i].easy);
			curl_easy_cleanup(j->pages[i].easy);
			f->active--;
			host_count(f, j->pages[i].host, -1);
		}
		page_free(&j->pages[i]);
	}
	free(j->pages);
	free(j->etag);
	free(j->last_modified);
	declaration_document_free(j->declaration);
	free(j);
}

/*
 * Jobs: from a document id to its pages, and from its pages to a version.
 */

struct target_copy {
	char *url;
	char *declaration;
	char *etag;
	char *last_modified;
	int has_version;
	int found;
};

static int
copy_target(const struct store_fetch_target *t, void *ctx)
{
	struct target_copy *c = ctx;

	c->found = 1;
	c->url = strdup(t->url != NULL ? t->url : "");
	c->declaration = t->declaration != NULL ? strdup(t->declaration) : NULL;
	c->etag = t->etag != NULL ? strdup(t->etag) : NULL;
	c->last_modified = t->last_modified != NULL ? strdup(t->last_modified) : NULL;
	c->has_version = t->latest_sha256 != NULL;
	return 0;
}

static void
target_copy_free(struct target_copy *c)
{
	free(c->url);
	free(c->declaration);
	free(c->etag);
	free(c->last_modified);
}

/* The declaration of a document that has none: its URL, whole. */
static char *
plain_declaration(const char *url)
{
	json_t *o = json_pack("{s:s, s:[s]}", "fetch", url, "select", "body");
	char *s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	return s;
}

/* Make the job of a document and queue it; on failure, an event says why. */
static void
job_open(struct fetcher *f, int64_t document_id)
{
	struct target_copy t;
	struct job *j;
	char err[240], source[64];
	char *plain = NULL;
	const char *json;
	size_t i;
	int rc;

	memset(&t, 0, sizeof(t));
	rc = store_each_fetch_target(f->store, 0, 0, document_id, copy_target, &t);
	if (rc != STORE_OK || !t.found) {
		send_failure(f, document_id, 0, 0, "%s",
			     rc != STORE_OK ? store_errmsg(f->store) : "no such document");
		target_copy_free(&t);
		return;
	}
	json = t.declaration;
	if (json == NULL)
		json = plain = plain_declaration(t.url);
	j = calloc(1, sizeof(*j));
	snprintf(source, sizeof(source), "document %lld", (long long)document_id);
	if (j == NULL || json == NULL
	    || declaration_parse_document(json, strlen(json), source, NULL, &j->declaration, err,
					  sizeof(err)) != 0) {
		send_failure(f, document_id, 0, 0, "%s",
			     j == NULL || json == NULL ? "out of memory" : err);
		free(j);
		free(plain);
		target_copy_free(&t);
		return;
	}
	free(plain);
	j->document_id = document_id;
	j->npages = j->declaration->npages;
	j->pages = calloc(j->npages != 0 ? j->npages : 1, sizeof(*j->pages));
	/* Validators help only where one answer is the whole document, and
	 * only when a version of it is kept to fall back on. */
	if (j->npages == 1 && t.has_version) {
		j->etag = t.etag;
		j->last_modified = t.last_modified;
		t.etag = t.last_modified = NULL;
	}
	target_copy_free(&t);
	if (j->pages == NULL || j->npages == 0) {
		send_failure(f, document_id, 0, 0, "%s",
			     j->npages == 0 ? "declaration has no page to fetch" : "out of memory");
		job_free(f, j);
		return;
	}
	for (i = 0; i < j->npages; i++) {
		struct page *p = &j->pages[i];

		p->job = j;
		p->max_bytes = f->options.max_bytes;
		p->url = strdup(j->declaration->pages[i].url);
		if (p->url == NULL) {
			send_failure(f, document_id, 0, 0, "out of memory");
			job_free(f, j);
			return;
		}
		url_host(p->url, p->host, sizeof(p->host));
		p->retry_at = 1;	/* Due now. */
	}
	j->next = f->jobs;
	f->jobs = j;
}

/* Start every page that is due, within the bounds. */
static void
start_due(struct fetcher *f, long now)
{
	struct host_count *h;
	struct job *j;
	size_t i;

	for (j = f->jobs; j != NULL && f->active < f->options.max_transfers; j = j->next) {
		for (i = 0; i < j->npages && f->active < f->options.max_transfers; i++) {
			struct page *p = &j->pages[i];

			if (p->done || p->easy != NULL || p->retry_at == 0 || p->retry_at > now)
				continue;
			h = host_slot(f, p->host);
			if (h != NULL && h->active >= f->options.max_per_host)
				continue;
			if (page_start(f, p) != 0) {
				p->done = p->failed = 1;
				j->pages_done++;
				if (j->error[0] == '\0')
					snprintf(j->error, sizeof(j->error), "%s: out of memory",
						 p->url);
			}
		}
	}
}

/* The earliest retry still waiting, as a delay from now in ms; -1 none. */
static long
next_retry(struct fetcher *f, long now)
{
	struct job *j;
	size_t i;
	long best = -1;

	for (j = f->jobs; j != NULL; j = j->next)
		for (i = 0; i < j->npages; i++) {
			const struct page *p = &j->pages[i];
			long wait;

			if (p->done || p->easy != NULL || p->retry_at == 0)
				continue;
			wait = p->retry_at > now ? p->retry_at - now : 0;
			if (best < 0 || wait < best)
				best = wait;
		}
	return best;
}

static void
log_attempt(struct fetcher *f, const struct page *p, const char *outcome, const char *error)
{
	char at[32];

	utc_now(at);
	/* The log is a record, not a condition of success: a busy database
	 * must not fail a fetch that worked. */
	(void)store_log_fetch(f->store, p->job->document_id, at, p->url, outcome, p->status,
			      (int64_t)p->len, error);
}

/* Why a transfer failed, in words, from curl's code and the page. */
static void
describe_failure(const struct fetcher *f, const struct page *p, CURLcode code, char *buf,
		 size_t size)
{
	if (p->too_big) {
		snprintf(buf, size, "%.100s: body larger than %zu MiB", p->url,
			 f->options.max_bytes / (1024 * 1024));
		return;
	}
	switch (code) {
	case CURLE_FILESIZE_EXCEEDED:
		snprintf(buf, size, "%.100s: body larger than %zu MiB", p->url,
			 f->options.max_bytes / (1024 * 1024));
		return;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(buf, size, "%.100s: more than %d redirects", p->url,
			 f->options.max_redirects);
		return;
	case CURLE_UNSUPPORTED_PROTOCOL:
		snprintf(buf, size, "%.100s: redirected to a scheme other than http or https (%.60s)",
			 p->url, p->curl_error[0] != '\0' ? p->curl_error : curl_easy_strerror(code));
		return;
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(buf, size, "%.100s: timed out (%.100s)", p->url,
			 p->curl_error[0] != '\0' ? p->curl_error : "no answer in time");
		return;
	default:
		snprintf(buf, size, "%.100s: %.120s", p->url,
			 p->curl_error[0] != '\0' ? p->curl_error : curl_easy_strerror(code));
		return;
	}
}

/* Whether a failure may go away by itself. */
static int
retryable(CURLcode code, int status)
{
	if (code == CURLE_OK)
		return status == 429 || (status >= 500 && status <= 599);
	return code == CURLE_OPERATION_TIMEDOUT || code == CURLE_COULDNT_CONNECT
	       || code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR
	       || code == CURLE_GOT_NOTHING || code == CURLE_PARTIAL_FILE;
}

/* A transfer ended: keep its answer, schedule a retry, or fail the page. */
static void
page_finished(struct fetcher *f, struct page *p, CURLcode code)
{
	struct job *j = p->job;
	char *ct = NULL, *eff = NULL;
	long status = 0;
	curl_off_t retry_after = 0;
	char why[240];

	curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(p->easy, CURLINFO_CONTENT_TYPE, &ct);
	curl_easy_getinfo(p->easy, CURLINFO_EFFECTIVE_URL, &eff);
	curl_easy_getinfo(p->easy, CURLINFO_RETRY_AFTER, &retry_after);
	p->status = (int)status;
	p->content_type = ct != NULL ? strdup(ct) : NULL;
	p->effective_url = eff != NULL ? strdup(eff) : NULL;
	curl_multi_remove_handle(f->multi, p->easy);
	curl_easy_cleanup(p->easy);
	p->easy = NULL;
	f->active--;
	host_count(f, p->host, -1);

	if (code == CURLE_OK && (status == 200 || status == 203 || status == 304)) {
		p->done = 1;
		j->pages_done++;
		return;
	}
	if (code == CURLE_OK)
		snprintf(why, sizeof(why), "%.100s: HTTP %ld", p->url, status);
	else
		describe_failure(f, p, code, why, sizeof(why));
	if (retryable(code, p->status) && p->attempts <= f->options.retries) {
		long delay = f->options.backoff_ms << (p->attempts - 1);

		if (retry_after > 0) {
			long honoured = retry_after > f->options.max_retry_after
					? f->options.max_retry_after : (long)retry_after;

			if (honoured * 1000 > delay)
				delay = honoured * 1000;
		}
		log_attempt(f, p, "retry", why);
		p->retry_at = now_ms() + delay;
		return;
	}
	log_attempt(f, p, "failed", why);
	p->done = p->failed = 1;
	j->pages_done++;
	if (j->error[0] == '\0')
		snprintf(j->error, sizeof(j->error), "%s", why);
}

/* Whether a page's body is a document clause can read: HTML, XHTML, plain
 * text or PDF by its Content-Type; without one, anything but bytes that
 * look binary (NULs early on) unless it is a PDF. */
static int
readable_body(const struct page *p, char *why, size_t size)
{
	static const char *const types[] = {
		"text/html", "application/xhtml+xml", "text/plain", "application/pdf", NULL
	};
	size_t i, n;

	if (p->content_type != NULL) {
		n = strcspn(p->content_type, "; \t");
		for (i = 0; types[i] != NULL; i++)
			if (strlen(types[i]) == n && strncasecmp(p->content_type, types[i], n) == 0)
				return 1;
		snprintf(why, size, "%.100s: not a document (Content-Type %.*s)", p->url,
			 (int)(n < 60 ? n : 60), p->content_type);
		return 0;
	}
	if (p->len >= 5 && memcmp(p->body, "%PDF-", 5) == 0)
		return 1;
	if (p->body != NULL && memchr(p->body, '\0', p->len < 1024 ? p->len : 1024) != NULL) {
		snprintf(why, size, "%.100s: not a document (binary content)", p->url);
		return 0;
	}
	return 1;
}

/* Every page of a job is in: extract, record, tell. */
static void
job_finish(struct fetcher *f, struct job *j)
{
	struct extract_input *inputs = NULL;
	struct update_result r;
	struct update_in in;
	struct fetch_event ev;
	char err[240], at[32];
	char *text = NULL;
	int64_t bytes = 0;
	size_t i;

	memset(&ev, 0, sizeof(ev));
	ev.document_id = j->document_id;
	for (i = 0; i < j->npages; i++) {
		bytes += (int64_t)j->pages[i].len;
		ev.http_status = j->pages[i].status;
	}
	ev.bytes = bytes;
	if (j->error[0] != '\0') {
		send_failure(f, j->document_id, ev.http_status, bytes, "%s", j->error);
		return;
	}
	utc_now(at);
	if (j->npages == 1 && j->pages[0].status == 304) {
		const struct page *p = &j->pages[0];

		if (store_document_checked(f->store, j->document_id, at,
					   p->etag != NULL ? p->etag : j->etag,
					   p->last_modified != NULL ? p->last_modified
								    : j->last_modified) != STORE_OK) {
			send_failure(f, j->document_id, 304, bytes, "%s", store_errmsg(f->store));
			return;
		}
		log_attempt(f, p, "not-modified", NULL);
		ev.outcome = FETCH_NOT_MODIFIED;
		send_event(f, &ev);
		return;
	}
	for (i = 0; i < j->npages; i++)
		if (!readable_body(&j->pages[i], err, sizeof(err))) {
			log_attempt(f, &j->pages[i], "failed", err);
			send_failure(f, j->document_id, ev.http_status, bytes, "%s", err);
			return;
		}
	inputs = calloc(j->npages, sizeof(*inputs));
	if (inputs == NULL) {
		send_failure(f, j->document_id, ev.http_status, bytes, "out of memory");
		return;
	}
	for (i = 0; i < j->npages; i++) {
		inputs[i].data = j->pages[i].body != NULL ? j->pages[i].body : "";
		inputs[i].len = j->pages[i].len;
		inputs[i].content_type = j->pages[i].content_type;
		inputs[i].url = j->pages[i].effective_url != NULL ? j->pages[i].effective_url
								  : j->pages[i].url;
	}
	if (extract_document(j->declaration, inputs, &text, err, sizeof(err)) != 0) {
		free(inputs);
		log_attempt(f, &j->pages[0], "failed", err);
		send_failure(f, j->document_id, ev.http_status, bytes, "%s: %s", j->pages[0].url,
			     err);
		return;
	}
	free(inputs);
	memset(&in, 0, sizeof(in));
	in.document_id = j->document_id;
	in.text = text;
	in.source = "fetched";
	in.at = at;
	if (j->npages == 1) {
		in.etag = j->pages[0].etag;
		in.last_modified = j->pages[0].last_modified;
	}
	if (update_record(f->store, &in, &r, err, sizeof(err)) != 0) {
		free(text);
		send_failure(f, j->document_id, ev.http_status, bytes, "cannot store: %s", err);
		return;
	}
	free(text);
	ev.outcome = r.first_version ? FETCH_NEW
		     : r.change_id != 0 ? FETCH_CHANGED : FETCH_UNCHANGED;
	ev.current = r.current;
	ev.changed = r.changed;
	ev.removed = r.removed;
	ev.change_id = r.change_id;
	log_attempt(f, &j->pages[0], fetch_outcome_name(ev.outcome), NULL);
	send_event(f, &ev);
}

/* Take the ids queued since the last look; 1 when stopping. */
static int
take_queue(struct fetcher *f)
{
	int64_t *ids;
	size_t n, i;
	int stopping;

	pthread_mutex_lock(&f->lock);
	ids = f->queue;
	n = f->nqueue;
	stopping = f->stopping;
	f->queue = NULL;
	f->nqueue = f->capqueue = 0;
	pthread_mutex_unlock(&f->lock);
	for (i = 0; i < n && !stopping; i++)
		job_open(f, ids[i]);
	free(ids);
	return stopping;
}

/* Finish and drop the jobs whose pages are all in. */
static void
reap_jobs(struct fetcher *f)
{
	struct job **link = &f->jobs;

	while (*link != NULL) {
		struct job *j = *link;

		if (j->pages_done < j->npages) {
			link = &j->next;
			continue;
		}
		*link = j->next;
		job_finish(f, j);
		job_free(f, j);
	}
}

static void *
run(void *arg)
{
	struct fetcher *f = arg;
	char err[256];

	f->store = store_open(f->db_path, err, sizeof(err));
	if (f->store == NULL) {
		/* Every document queued will fail with this reason. */
		while (1) {
			int64_t *ids;
			size_t n, i;
			int stopping;

			pthread_mutex_lock(&f->lock);
			ids = f->queue;
			n = f->nqueue;
			stopping = f->stopping;
			f->queue = NULL;
			f->nqueue = f->capqueue = 0;
			pthread_mutex_unlock(&f->lock);
			for (i = 0; i < n; i++)
				send_failure(f, ids[i], 0, 0, "%s", err);
			free(ids);
			if (stopping)
				return NULL;
			curl_multi_poll(f->multi, NULL, 0, 1000, NULL);
		}
	}
	while (!take_queue(f)) {
		CURLMsg *msg;
		int running, left;
		long now = now_ms(), wait, timeout = 1000;

		start_due(f, now);
		curl_multi_perform(f->multi, &running);
		while ((msg = curl_multi_info_read(f->multi, &left)) != NULL) {
			struct page *p = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&p);
			page_finished(f, p, msg->data.result);
		}
		/* Refill the transfers and send their requests before the
		 * finished documents are extracted and stored: the servers'
		 * latency then runs while this thread works. */
		start_due(f, now_ms());
		curl_multi_perform(f->multi, &running);
		reap_jobs(f);
		start_due(f, now_ms());
		wait = next_retry(f, now_ms());
		if (wait >= 0 && wait < timeout)
			timeout = wait;
		if (f->active > 0) {
			long curl_timeout = -1;

			curl_multi_timeout(f->multi, &curl_timeout);
			if (curl_timeout >= 0 && curl_timeout < timeout)
				timeout = curl_timeout;
		}
		if (timeout > 0)
			curl_multi_poll(f->multi, NULL, 0, (int)timeout, NULL);
	}
	while (f->jobs != NULL) {
		struct job *j = f->jobs;

		f->jobs = j->next;
		job_free(f, j);
	}
	store_close(f->store);
	f->store = NULL;
	return NULL;
}

struct fetcher *
fetcher_start(const struct fetch_options *o, char *err, size_t errsize)
{
	struct fetcher *f = calloc(1, sizeof(*f));

	if (f == NULL) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	f->sockets[0] = f->sockets[1] = -1;
	f->options = *o;
	if (f->options.max_transfers < 1)
		f->options.max_transfers = 1;
	if (f->options.max_per_host < 1)
		f->options.max_per_host = 1;
	snprintf(f->user_agent, sizeof(f->user_agent), "clause/%s (terms monitor)",
		 PACKAGE_VERSION);
	if (pthread_mutex_init(&f->lock, NULL) != 0) {
		snprintf(err, errsize, "cannot create a lock");
		free(f);
		return NULL;
	}
	f->db_path = strdup(o->db_path);
	if (f->db_path == NULL || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errsize, "cannot set up libcurl");
		goto fail;
	}
	f->multi = curl_multi_init();
	if (f->multi == NULL) {
		snprintf(err, errsize, "cannot set up libcurl");
		curl_global_cleanup();
		goto fail;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, f->sockets) != 0) {
		snprintf(err, errsize, "cannot create the event socket: %s", strerror(errno));
		goto fail_multi;
	}
	/* libxml2 sets itself up once per process, before any thread uses it. */
	xmlInitParser();
	if (pthread_create(&f->thread, NULL, run, f) != 0) {
		snprintf(err, errsize, "cannot start the fetch thread");
		goto fail_multi;
	}
	f->thread_started = 1;
	return f;
fail_multi:
	curl_multi_cleanup(f->multi);
	curl_global_cleanup();
fail:
	if (f->sockets[0] >= 0)
		close(f->sockets[0]);
	if (f->sockets[1] >= 0)
		close(f->sockets[1]);
	pthread_mutex_destroy(&f->lock);
	free(f->db_path);
	free(f);
	return NULL;
}

int
fetcher_add(struct fetcher *f, int64_t document_id)
{
	pthread_mutex_lock(&f->lock);
	if (f->nqueue == f->capqueue) {
		size_t ncap = f->capqueue != 0 ? f->capqueue * 2 : 64;
		int64_t *nq = realloc(f->queue, ncap * sizeof(*nq));

		if (nq == NULL) {
			pthread_mutex_unlock(&f->lock);
			return -1;
		}
		f->queue = nq;
		f->capqueue = ncap;
	}
	f->queue[f->nqueue++] = document_id;
	pthread_mutex_unlock(&f->lock);
	curl_multi_wakeup(f->multi);
	return 0;
}

void
fetcher_stop(struct fetcher *f)
{
	if (f == NULL)
		return;
	pthread_mutex_lock(&f->lock);
	f->stopping = 1;
	pthread_mutex_unlock(&f->lock);
	/* A thread blocked sending to a full socket is freed by the close. */
	shutdown(f->sockets[0], SHUT_RDWR);
	curl_multi_wakeup(f->multi);
	if (f->thread_started)
		pthread_join(f->thread, NULL);
	curl_multi_cleanup(f->multi);
	curl_global_cleanup();
	free(f->hosts);
	close(f->sockets[0]);
	close(f->sockets[1]);
	pthread_mutex_destroy(&f->lock);
	free(f->queue);
	free(f->db_path);
	free(f);
}
