/*
 * test-fetch: the fetch thread against the local test server: new
 * versions, validators and 304, a change relocating provisions, and every
 * hostile endpoint, each ending in one line within its bound with nothing
 * stored changed.
 */

#include "config.h"

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "classify.h"
#include "fetch.h"
#include "httpd.h"
#include "store-internal.h"
#include "store.h"
#include "testutil.h"

struct fixture {
	char *dir;
	char *db;
	struct store *st;
	struct httpd *server;
	int64_t platform;
	int serial;		/* Names the documents expect_failure makes. */
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct httpd_options ho = { NULL, 0 };
	char *corpus, err[256];

	corpus = test_path(test_shared_dir(), "corpus");
	ho.corpus_dir = corpus;
	f->server = httpd_start(&ho, err, sizeof(err));
	free(corpus);
	if (f->server == NULL)
		fail_msg("httpd_start: %s", err);
	f->dir = test_tmpdir();
	f->db = test_path(f->dir, "fetch.db");
	f->st = store_open(f->db, err, sizeof(err));
	if (f->st == NULL)
		fail_msg("store_open: %s", err);
	assert_int_equal(store_put_platform(f->st, "acme", "Acme", "", "", "", &f->platform),
			 STORE_OK);
	assert_int_equal(store_put_type(f->st, "training-on-user-content", "Training", "", "",
					NULL), STORE_OK);
	assert_int_equal(store_put_type(f->st, "arbitration", "Arbitration", "", "", NULL),
			 STORE_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	httpd_stop(f->server);
	free(f->db);
	test_rmdir(f->dir);
	free(f);
	return 0;
}

/* A document of acme that fetches path (on the test server) whole. */
static int64_t
track(struct fixture *f, const char *kind, const char *path)
{
	char url[256], decl[512];
	int64_t id;

	httpd_url(f->server, path, url, sizeof(url));
	snprintf(decl, sizeof(decl), "{\"fetch\": \"%s\", \"select\": [\"body\"]}", url);
	assert_int_equal(store_put_document(f->st, f->platform, kind, kind, url, decl, &id),
			 STORE_OK);
	return id;
}

static void
options(struct fetch_options *o, const struct fixture *f)
{
	fetch_options_default(o);
	o->db_path = f->db;
	o->timeout = 3;
	o->connect_timeout = 3;
	o->low_speed_time = 2;
	o->low_speed_limit = 100;
	o->backoff_ms = 20;
	o->retries = 1;
	o->max_retry_after = 2;
}

static double
seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Fetch one document and wait for its event. */
static void
fetch_with(struct fixture *f, const struct fetch_options *o, int64_t document,
	   struct fetch_event *ev)
{
	struct fetcher *fetcher;
	char err[256];
	int rc;

	fetcher = fetcher_start(o, err, sizeof(err));
	if (fetcher == NULL)
		fail_msg("fetcher_start: %s", err);
	assert_int_equal(fetcher_add(fetcher, document), 0);
	for (;;) {
		struct pollfd pfd = { .fd = fetcher_fd(fetcher), .events = POLLIN };

		assert_true(poll(&pfd, 1, 30000) == 1);
		rc = fetcher_read_event(fetcher, ev);
		assert_true(rc >= 0);
		if (rc == 1)
			break;
	}
	assert_true(ev->document_id == document);
	fetcher_stop(fetcher);
}

static void
fetch(struct fixture *f, int64_t document, struct fetch_event *ev)
{
	struct fetch_options o;

	options(&o, f);
	fetch_with(f, &o, document, ev);
}

static int
sql_int(struct fixture *f, const char *fmt, ...)
{
	sqlite3_stmt *stmt;
	char sql[512];
	va_list ap;
	int value = -1;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	assert_int_equal(sqlite3_prepare_v2(f->st->db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return value;
}

/* The newest version's text of a document, malloc'd, or NULL. */
static char *
latest_text(struct fixture *f, int64_t document)
{
	sqlite3_stmt *stmt;
	char *text = NULL;

	assert_int_equal(sqlite3_prepare_v2(f->st->db,
					    "SELECT text FROM version WHERE document_id = ?1"
					    " ORDER BY id DESC LIMIT 1", -1, &stmt, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(stmt, 1, document);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		text = strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return text;
}

static void
test_new_then_not_modified(void **state)
{
	struct fixture *f = *state;
	int64_t doc = track(f, "terms", "/doc/7");
	struct fetch_event ev;
	char header[256], *text;

	fetch(f, doc, &ev);
	assert_int_equal(ev.outcome, FETCH_NEW);
	assert_int_equal(ev.http_status, 200);
	assert_true(ev.bytes > 0);
	text = latest_text(f, doc);
	assert_non_null(text);
	assert_true(strlen(text) > 100);
	free(text);
	assert_int_equal(httpd_last_header(f->server, "/doc/7", "User-Agent", header,
					   sizeof(header)), 0);
	assert_non_null(strstr(header, "clause/"));
	assert_int_equal(httpd_last_header(f->server, "/doc/7", "If-None-Match", header,
					   sizeof(header)), 0);
	assert_string_equal(header, "");

	/* Again: the validators go along, the server says 304, nothing new. */
	fetch(f, doc, &ev);
	assert_int_equal(ev.outcome, FETCH_NOT_MODIFIED);
	assert_int_equal(ev.http_status, 304);
	httpd_last_header(f->server, "/doc/7", "If-None-Match", header, sizeof(header));
	assert_true(strlen(header) > 2);
	assert_int_equal(httpd_hits(f->server, "/doc/7"), 2);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM version WHERE document_id = %lld",
				 (long long)doc), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM fetch_log WHERE document_id = %lld"
				 " AND outcome = 'not-modified'", (long long)doc), 1);
	assert_int_equal(sql_int(f, "SELECT checked_at IS NOT NULL FROM document WHERE id = %lld",
				 (long long)doc), 1);
}

static const char page_v1[] =
	"<html><head><title>Terms</title><style>p{}</style></head><body>"
	"<h1>Acme terms</h1><p>We may use your chats to train our models, unless you opt "
	"out in your settings.</p><p>You can delete your account at any time.</p>"
	"<script>var tracking = 1;</script></body></html>";
static const char page_v2[] =
	"<html><head><title>Terms</title></head><body>"
	"<h1>Acme terms</h1><p>We may use your chats to train our models, unless you opt "
	"out in your settings or you rate a reply.</p><p>You can delete your account at any "
	"time.</p><p>Any dispute with us will be resolved by binding individual arbitration, "
	"and you waive your right to bring a class action or to a jury trial.</p>"
	"</body></html>";

struct appeared {
	int count;
	char kind[64];
};

static int
note_appeared(const struct store_provision_change *pc, void *ctx)
{
	struct appeared *a = ctx;

	if (strcmp(pc->what, "appeared") == 0) {
		a->count++;
		snprintf(a->kind, sizeof(a->kind), "%s", pc->kind);
		assert_non_null(strstr(pc->after, "arbitration"));
	}
	return 0;
}

static void
test_change_relocates_provisions(void **state)
{
	struct fixture *f = *state;
	int64_t doc = track(f, "terms", "/acme/terms"), version = 0, pid = 0;
	struct store_provision_in p = { 0 };
	struct fetch_event ev;
	char *text, err[256];

	assert_int_equal(httpd_put(f->server, "/acme/terms", page_v1, strlen(page_v1), NULL), 0);
	fetch(f, doc, &ev);
	assert_int_equal(ev.outcome, FETCH_NEW);
	text = latest_text(f, doc);
	assert_non_null(strstr(text, "We may use your chats to train our models"));
	assert_null(strstr(text, "tracking"));	/* Scripts are dropped. */
	free(text);
	/* The fetcher leaves the new text's provisions to its caller; the
	 * classifier finds the training clause in it. */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM provision WHERE document_id = %lld",
				 (long long)doc), 0);
	assert_int_equal(classify_document(f->st, NULL, doc, err, sizeof(err)), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM provision p JOIN provision_type t"
				 " ON t.id = p.type_id WHERE p.document_id = %lld"
				 " AND p.origin = 'classified' AND t.slug = 'training-on-user-content'",
				 (long long)doc), 1);
	version = sql_int(f, "SELECT max(id) FROM version WHERE document_id = %lld",
			  (long long)doc);
	p.key = "acme-training";
	p.document_id = doc;
	p.kind = "training-on-user-content";
	p.excerpt = "We may use your chats to train our models, unless you opt out in your "
		    "settings.";
	p.first_version = p.last_version = version;
	assert_int_equal(store_put_provision(f->st, &p, &pid), STORE_OK);

	/* The same text again: unchanged. */
	assert_int_equal(httpd_put(f->server, "/acme/terms", page_v1, strlen(page_v1),
				   "text/html"), 0);
	fetch(f, doc, &ev);
	assert_true(ev.outcome == FETCH_UNCHANGED || ev.outcome == FETCH_NOT_MODIFIED);

	assert_int_equal(httpd_put(f->server, "/acme/terms", page_v2, strlen(page_v2), NULL), 0);
	fetch(f, doc, &ev);
	assert_int_equal(ev.outcome, FETCH_CHANGED);
	assert_int_equal(ev.changed, 1);
	assert_int_equal(ev.removed, 0);
	assert_true(ev.change_id > 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM version WHERE document_id = %lld",
				 (long long)doc), 2);
	assert_int_equal(sql_int(f, "SELECT status = 'changed' FROM provision WHERE id = %lld",
				 (long long)pid), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM provision_change WHERE provision_id ="
				 " %lld AND what = 'changed' AND after LIKE '%%rate a reply%%'",
				 (long long)pid), 1);
	/* The arbitration clause is new in this version: once the classifier
	 * has found it, the change lists it as having appeared. */
	assert_int_equal(classify_document(f->st, NULL, doc, err, sizeof(err)), 0);
	{
		struct appeared a = { 0, "" };

		assert_int_equal(store_each_provision_change(f->st, ev.change_id, 0, note_appeared,
							     &a), STORE_OK);
		assert_int_equal(a.count, 1);
		assert_string_equal(a.kind, "arbitration");
	}
}

/* A document that has a good version, then points at a hostile path:
 * the fetch fails in one line, within max_seconds, and the version stays. */
static void
expect_failure(struct fixture *f, const char *path, const struct fetch_options *o,
	       const char *needle, double max_seconds)
{
	struct fetch_event ev;
	struct timespec start;
	char kind[32], url[256], decl[512], *before, *after;
	int64_t doc, same;
	double took;

	snprintf(kind, sizeof(kind), "hostile%d", ++f->serial);
	doc = track(f, kind, "/doc/1");

	fetch(f, doc, &ev);
	assert_int_equal(ev.outcome, FETCH_NEW);
	before = latest_text(f, doc);
	httpd_url(f->server, path, url, sizeof(url));
	snprintf(decl, sizeof(decl), "{\"fetch\": \"%s\", \"select\": [\"body\"]}", url);
	assert_int_equal(store_put_document(f->st, f->platform, kind, kind, url, decl, &same),
			 STORE_OK);
	assert_true(same == doc);
	clock_gettime(CLOCK_MONOTONIC, &start);
	fetch_with(f, o, doc, &ev);
	took = seconds_since(&start);
	if (ev.outcome != FETCH_FAILED)
		fail_msg("%s: %s, not failed", path, fetch_outcome_name(ev.outcome));
	if (strstr(ev.error, needle) == NULL)
		fail_msg("%s: error \"%s\" does not say \"%s\"", path, ev.error, needle);
	assert_null(strchr(ev.error, '\n'));
	if (took > max_seconds)
		fail_msg("%s: took %.1f s, bound %.1f s", path, took, max_seconds);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM version WHERE document_id = %lld",
				 (long long)doc), 1);
	after = latest_text(f, doc);
	assert_string_equal(before, after);
	assert_true(sql_int(f, "SELECT count(*) FROM fetch_log WHERE document_id = %lld"
			    " AND outcome = 'failed' AND error IS NOT NULL", (long long)doc) >= 1);
	free(before);
	free(after);
}

static void
test_hostile_redirects(void **state)
{
	struct fixture *f = *state;
	struct fetch_options o;

	options(&o, f);
	expect_failure(f, "/redirect/loop", &o, "more than 5 redirects", 5);
	expect_failure(f, "/redirect/file", &o, "scheme other than http", 5);
	expect_failure(f, "/redirect/ftp", &o, "scheme other than http", 5);
	expect_failure(f, "/redirect/chain/6", &o, "more than 5 redirects", 5);
}

static void
test_hostile_sizes(void **state)
{
	struct fixture *f = *state;
	struct fetch_options o;

	options(&o, f);
	o.timeout = 20;
	expect_failure(f, "/big", &o, "larger than 10 MiB", 20);
	expect_failure(f, "/gzip-bomb", &o, "larger than 10 MiB", 20);
	expect_failure(f, "/gzip-bomb/stacked", &o, "", 20);
}

static void
test_hostile_time(void **state)
{
	struct fixture *f = *state;
	struct fetch_options o;

	options(&o, f);
	o.retries = 0;
	/* The slow drip trips the low-speed limit, the silent server the
	 * time-out, the reset the transfer itself: each well within 3 s plus
	 * slack. */
	expect_failure(f, "/slow-drip", &o, "timed out", 8);
	expect_failure(f, "/hang", &o, "timed out", 8);
	expect_failure(f, "/reset", &o, "/reset", 8);
}

static void
test_hostile_status(void **state)
{
	struct fixture *f = *state;
	struct fetch_options o;

	options(&o, f);
	expect_failure(f, "/status/404", &o, "HTTP 404", 5);
	assert_int_equal(httpd_hits(f->server, "/status/404"), 1);	/* No retry. */
	expect_failure(f, "/status/500", &o, "HTTP 500", 5);
	assert_int_equal(httpd_hits(f->server, "/status/500"), 2);	/* One retry. */
	expect_failure(f, "/binary", &o, "", 5);
}

static void
test_retry_after(void **state)
{
	struct fixture *f = *state;
	int64_t doc = track(f, "terms", "/429");
	struct fetch_event ev;
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	fetch(f, doc, &ev);
	assert_int_equal(ev.outcome, FETCH_NEW);
	assert_int_equal(httpd_hits(f->server, "/429"), 2);
	/* Retry-After: 1 was honoured, over the 20 ms backoff. */
	assert_true(seconds_since(&start) >= 0.9);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM fetch_log WHERE document_id = %lld"
				 " AND outcome = 'retry'", (long long)doc), 1);
	doc = track(f, "privacy", "/503-once");
	fetch(f, doc, &ev);
	assert_int_equal(ev.outcome, FETCH_NEW);
}

static void
test_hostile_text_is_stored_inert(void **state)
{
	struct fixture *f = *state;
	int64_t doc = track(f, "terms", "/escapes");
	struct fetch_event ev;
	char *text;

	fetch(f, doc, &ev);
	assert_int_equal(ev.outcome, FETCH_NEW);
	text = latest_text(f, doc);
	assert_non_null(text);
	assert_null(strchr(text, '\x1b'));
	assert_null(strstr(text, "\xc2\x9b"));	/* C1 CSI. */
	free(text);

	doc = track(f, "privacy", "/invalid-utf8");
	fetch(f, doc, &ev);
	assert_int_equal(ev.outcome, FETCH_NEW);
	text = latest_text(f, doc);
	assert_non_null(text);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM version WHERE document_id = %lld"
				 " AND text = CAST(CAST(text AS BLOB) AS TEXT)", (long long)doc), 1);
	free(text);
}

static void
test_pdf_document(void **state)
{
	struct fixture *f = *state;
	int64_t doc;
	char url[256], decl[512];
	struct fetch_event ev;
	char *text;

	httpd_url(f->server, "/pdf", url, sizeof(url));
	snprintf(decl, sizeof(decl), "{\"fetch\": \"%s\"}", url);
	assert_int_equal(store_put_document(f->st, f->platform, "privacy", "privacy", url, decl,
					    &doc), STORE_OK);
	fetch(f, doc, &ev);
	if (ev.outcome != FETCH_NEW)
		fail_msg("pdf: %s: %s", fetch_outcome_name(ev.outcome), ev.error);
	text = latest_text(f, doc);
	assert_non_null(strstr(text, "train our models"));
	free(text);
}

/* The corpus's pages, compressed three ways, read the same. */
static void
test_encodings(void **state)
{
	struct fixture *f = *state;
	static const char *const paths[] = {
		"/corpus/claude-ai__terms-of-service.html",
		"/gzip/claude-ai__terms-of-service.html",
		"/deflate/claude-ai__terms-of-service.html",
		"/br/claude-ai__terms-of-service.html",
	};
	char *first = NULL;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char kind[16];
		struct fetch_event ev;
		int64_t doc;
		char *text;

		snprintf(kind, sizeof(kind), "k%zu", i);
		doc = track(f, kind, paths[i]);
		fetch(f, doc, &ev);
		if (ev.outcome != FETCH_NEW)
			fail_msg("%s: %s: %s", paths[i], fetch_outcome_name(ev.outcome), ev.error);
		text = latest_text(f, doc);
		assert_non_null(strstr(text, "Anthropic"));
		if (first == NULL) {
			first = text;
		} else {
			assert_string_equal(first, text);
			free(text);
		}
	}
	free(first);
}

/* Many documents at once: every one gets its event, within the bounds. */
static void
test_many_documents(void **state)
{
	struct fixture *f = *state;
	struct fetch_options o;
	struct fetcher *fetcher;
	int64_t docs[40];
	int seen = 0, i;
	char err[256];

	for (i = 0; i < 40; i++) {
		char kind[16], path[32];

		snprintf(kind, sizeof(kind), "doc%d", i);
		snprintf(path, sizeof(path), "/doc/%d", 100 + i);
		docs[i] = track(f, kind, path);
	}
	options(&o, f);
	o.max_transfers = 8;
	o.max_per_host = 4;
	fetcher = fetcher_start(&o, err, sizeof(err));
	assert_non_null(fetcher);
	for (i = 0; i < 40; i++)
		assert_int_equal(fetcher_add(fetcher, docs[i]), 0);
	while (seen < 40) {
		struct pollfd pfd = { .fd = fetcher_fd(fetcher), .events = POLLIN };
		struct fetch_event ev;

		assert_true(poll(&pfd, 1, 30000) == 1);
		while (fetcher_read_event(fetcher, &ev) == 1) {
			if (ev.outcome != FETCH_NEW)
				fail_msg("document %lld: %s", (long long)ev.document_id, ev.error);
			seen++;
		}
	}
	fetcher_stop(fetcher);
	assert_int_equal(sql_int(f, "SELECT count(DISTINCT document_id) FROM version"), 40);
}

/* Stopping with transfers in flight neither hangs nor stores half. */
static void
test_stop_in_flight(void **state)
{
	struct fixture *f = *state;
	struct fetch_options o;
	struct fetcher *fetcher;
	struct timespec start;
	char err[256];
	int64_t doc = track(f, "terms", "/hang");

	options(&o, f);
	o.timeout = 60;
	fetcher = fetcher_start(&o, err, sizeof(err));
	assert_non_null(fetcher);
	assert_int_equal(fetcher_add(fetcher, doc), 0);
	while (httpd_hits(f->server, "/hang") == 0)
		poll(NULL, 0, 10);
	clock_gettime(CLOCK_MONOTONIC, &start);
	fetcher_stop(fetcher);
	assert_true(seconds_since(&start) < 2.0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM version"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_then_not_modified, setup, teardown),
		cmocka_unit_test_setup_teardown(test_change_relocates_provisions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_redirects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_after, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_text_is_stored_inert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pdf_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encodings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_in_flight, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
