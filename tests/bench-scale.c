/*
 * bench-scale: clause at sizes far past the embedded dataset.
 *
 *  - A database of 1,000,000 provisions over 10,000 platforms (words drawn
 *    from the corpus): the time and peak RSS of a start that lists the
 *    kinds, and of searches, each a clause process of its own.  Target:
 *    peak RSS under 100 MB.
 *  - A document of 1 to 10 MiB: extracting it, and diffing two versions
 *    that differ in 1 % of their paragraphs, timed at each size, so that
 *    the growth shows whether the time is linear (10 times the size, about
 *    10 times the time) or quadratic (about 100 times); and drawn: the
 *    browser, in a pseudo-terminal, opening the document's history (H)
 *    and the change between the two versions (d).
 *
 * A benchmark reports and does not judge: it exits 0 whatever the figures,
 * 1 only when something failed.  CLAUSE_BENCH_KEEP_DB=PATH builds the big
 * database at PATH and leaves it there.
 */

#include "config.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "declaration.h"
#include "extract.h"
#include "screen.h"
#include "store.h"
#include "testutil.h"
#include "textdiff.h"

#define PROVISIONS 1000000
#define PLATFORMS 10000
#define WORDS 4096

extern char **environ;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* clause --db DB args: wall time and peak RSS in kB; -1 on failure. */
static int
run_timed(const char *db, const char *const *args, double *seconds, long *rss_kb)
{
	const char *bin = getenv("CLAUSE_BIN"), *argv[16];
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	double start;
	size_t n = 0;
	pid_t pid;
	int status;

	if (bin == NULL) {
		fprintf(stderr, "bench-scale: CLAUSE_BIN is not set\n");
		return -1;
	}
	argv[n++] = bin;
	argv[n++] = "--db";
	argv[n++] = db;
	while (*args != NULL && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", 01, 0);
	start = now_s();
	/* posix_spawn takes char *const[] but does not change the strings. */
	if (posix_spawn(&pid, bin, &fa, NULL, (char *const *)argv, environ) != 0
	    || wait4(pid, &status, 0, &ru) < 0) {
		posix_spawn_file_actions_destroy(&fa);
		perror("bench-scale");
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	*seconds = now_s() - start;
	*rss_kb = ru.ru_maxrss;
	/* A search that finds nothing exits 1: that is an answer too. */
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
		fprintf(stderr, "bench-scale: clause %s failed (status %d)\n", argv[3], status);
		return -1;
	}
	return 0;
}

/* Up to WORDS distinct lower-case words of a corpus text. */
static size_t
corpus_words(char words[][16])
{
	char *path = test_path(test_shared_dir(),
			       "corpus/versions/claude-ai/terms-of-service/2025-12-07.md");
	char *text = test_read_file(path, NULL), *p;
	size_t n = 0;

	free(path);
	if (text == NULL)
		return 0;
	for (p = text; *p != '\0' && n < WORDS;) {
		size_t len = 0;
		char w[16];

		while (*p != '\0' && !(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z'))
			p++;
		while (((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) && len < 15) {
			w[len++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
			p++;
		}
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			p++;
		w[len] = '\0';
		if (len >= 3) {
			size_t i;

			for (i = 0; i < n && strcmp(words[i], w) != 0; i++)
				;
			if (i == n)
				memcpy(words[n++], w, len + 1);
		}
	}
	free(text);
	return n;
}

static int
exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bench-scale: %s: %s\n", sql, msg != NULL ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Fill db (which holds the embedded dataset) with PROVISIONS provisions:
 * the index's triggers are set aside and the index rebuilt once. */
static int
fill(const char *path)
{
	static char words[WORDS][16];
	size_t nwords = corpus_words(words), t;
	sqlite3 *db;
	sqlite3_stmt *get, *platform, *document, *provision;
	char **triggers = NULL;
	size_t ntriggers = 0;
	int64_t types[64], doc = 0;
	size_t ntypes = 0;
	unsigned seed = 12345;
	int i, rc = -1;

	if (nwords < 100 || sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(db, 10000);
	if (exec(db, "PRAGMA synchronous = OFF; BEGIN") != 0)
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT id FROM provision_type ORDER BY id", -1, &get, NULL)
	    != SQLITE_OK)
		goto out;
	while (sqlite3_step(get) == SQLITE_ROW && ntypes < 64)
		types[ntypes++] = sqlite3_column_int64(get, 0);
	sqlite3_finalize(get);
	if (sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
			       " AND sql LIKE '%provision_fts%'", -1, &get, NULL) != SQLITE_OK)
		goto out;
	while (sqlite3_step(get) == SQLITE_ROW) {
		char drop[256];

		triggers = realloc(triggers, (ntriggers + 1) * sizeof(*triggers));
		triggers[ntriggers++] = strdup((const char *)sqlite3_column_text(get, 1));
		snprintf(drop, sizeof(drop), "DROP TRIGGER %s", sqlite3_column_text(get, 0));
		sqlite3_reset(get);
		if (exec(db, drop) != 0) {
			sqlite3_finalize(get);
			goto out;
		}
	}
	sqlite3_finalize(get);
	if (ntypes == 0
	    || sqlite3_prepare_v2(db, "INSERT INTO platform(slug, name, sector) VALUES (?1, ?2,"
				  " 'Bench')", -1, &platform, NULL) != SQLITE_OK
	    || sqlite3_prepare_v2(db, "INSERT INTO document(platform_id, kind, title, url)"
				  " VALUES (?1, 'terms', 'Terms', 'https://bench.test/')", -1,
				  &document, NULL) != SQLITE_OK
	    || sqlite3_prepare_v2(db, "INSERT INTO provision(document_id, type_id, excerpt,"
				  " headline, origin) VALUES (?1, ?2, ?3, ?4, 'classified')", -1,
				  &provision, NULL) != SQLITE_OK)
		goto out;
	for (i = 0; i < PROVISIONS; i++) {
		char excerpt[1024], headline[256], slug[32];
		size_t len = 0, hl = 0;
		int k, nw = 20 + (int)(rand_r(&seed) % 25);

		if (i % (PROVISIONS / PLATFORMS) == 0) {
			snprintf(slug, sizeof(slug), "bench-%d", i / (PROVISIONS / PLATFORMS));
			sqlite3_bind_text(platform, 1, slug, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(platform, 2, slug, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(platform) != SQLITE_DONE)
				goto out;
			sqlite3_reset(platform);
			sqlite3_bind_int64(document, 1, sqlite3_last_insert_rowid(db));
			if (sqlite3_step(document) != SQLITE_DONE)
				goto out;
			sqlite3_reset(document);
			doc = sqlite3_last_insert_rowid(db);
		}
		for (k = 0; k < nw; k++) {
			const char *w = words[rand_r(&seed) % nwords];

			len += (size_t)snprintf(excerpt + len, sizeof(excerpt) - len, "%s%s",
						k > 0 ? " " : "", w);
			if (k < 6)
				hl += (size_t)snprintf(headline + hl, sizeof(headline) - hl, "%s%s",
						       k > 0 ? " " : "", w);
		}
		sqlite3_bind_int64(provision, 1, doc);
		sqlite3_bind_int64(provision, 2, types[(size_t)i % ntypes]);
		sqlite3_bind_text(provision, 3, excerpt, (int)len, SQLITE_TRANSIENT);
		sqlite3_bind_text(provision, 4, headline, (int)hl, SQLITE_TRANSIENT);
		if (sqlite3_step(provision) != SQLITE_DONE)
			goto out;
		sqlite3_reset(provision);
	}
	sqlite3_finalize(platform);
	sqlite3_finalize(document);
	sqlite3_finalize(provision);
	rc = 0;
out:
	if (rc == 0)
		rc = exec(db, "INSERT INTO provision_fts(provision_fts) VALUES ('rebuild')");
	for (t = 0; t < ntriggers; t++) {
		if (rc == 0)
			rc = exec(db, triggers[t]);
		free(triggers[t]);
	}
	free(triggers);
	if (rc == 0)
		rc = exec(db, "COMMIT");
	sqlite3_close(db);
	return rc;
}

static int
fill_in_child(const char *path)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fill(path) == 0 ? 0 : 1);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return 0;
}

/* An HTML page of about mib MiB; version 1 changes every 100th paragraph. */
static char *
page(size_t mib, int version, size_t *len)
{
	size_t cap = mib * 1024 * 1024 - 16, n = 0;
	char *buf = malloc(cap);
	int i;

	if (buf == NULL)
		return NULL;
	n += (size_t)snprintf(buf, cap, "<html><body><main><h1>Terms</h1>");
	for (i = 0; n + 600 < cap - 64; i++)
		n += (size_t)snprintf(buf + n, cap - n, "<p>Section %d%s. We may use the content you "
				      "provide to operate, improve and develop the services, "
				      "including to train models, unless you opt out in your "
				      "settings; we keep it for as long as your account is "
				      "open and for up to thirty days after.</p>", i,
				      version == 1 && i % 100 == 0 ? " (revised)" : "");
	n += (size_t)snprintf(buf + n, cap - n, "</main></body></html>");
	*len = n;
	return buf;
}

/* The browser on a database whose Zzbig document has the two versions: the
 * time from H to its history drawn, and from d to the change drawn. */
static int
draw_sizes(const char *dir, size_t mib, const char *old_text, const char *new_text,
	   double *history, double *change)
{
	const char *bin = getenv("CLAUSE_BIN");
	const char *types[] = { "types", NULL };
	char db[512], option[600], err[256];
	struct store_provision_in in = { 0 };
	struct screen *s;
	struct store *st;
	int64_t platform, document, v1, v2;
	double seconds, t0;
	long rss;

	snprintf(db, sizeof(db), "%s/draw-%zu.db", dir, mib);
	snprintf(option, sizeof(option), "--db=%s", db);
	if (run_timed(db, types, &seconds, &rss) != 0)
		return -1;
	st = store_open(db, err, sizeof(err));
	if (st == NULL
	    || store_put_platform(st, "zzbig", "Zzbig", "", "Bench", "", &platform) != STORE_OK
	    || store_put_document(st, platform, "terms", "Big Terms", "https://big.test/", NULL,
				  &document) != STORE_OK
	    || store_add_version(st, document, "2026-01-01", "fetched", "a", old_text, &v1, NULL)
	       != STORE_OK
	    || store_add_version(st, document, "2026-02-01", "fetched", "b", new_text, &v2, NULL)
	       != STORE_OK) {
		fprintf(stderr, "bench-scale: %s\n", st != NULL ? store_errmsg(st) : err);
		store_close(st);
		return -1;
	}
	in.document_id = document;
	in.kind = "training-on-user-content";
	in.excerpt = "Zzbigword: we may use the content you provide to train models.";
	in.headline = "Zzbig trains on content";
	in.first_version = v1;
	in.last_version = v2;
	if (store_put_provision(st, &in, NULL) != STORE_OK) {
		fprintf(stderr, "bench-scale: %s\n", store_errmsg(st));
		store_close(st);
		return -1;
	}
	store_close(st);
	s = screen_start((const char *[]){ bin, option, NULL }, NULL, "xterm-256color", 40, 120);
	if (s == NULL || !screen_wait_for(s, "? help", 30000)) {
		screen_stop(s);
		return -1;
	}
	screen_send(s, "/zzbigword\r");
	if (!screen_wait_for(s, "Zzbig trains on content", 30000))
		goto fail;
	screen_settle(s, 100, 5000);
	t0 = now_s();
	screen_send(s, "H");
	if (!screen_wait_for(s, "History: Zzbig", 60000))
		goto fail;
	*history = now_s() - t0;
	screen_settle(s, 50, 5000);
	t0 = now_s();
	screen_send(s, "d");
	if (!screen_wait_for(s, "@@ paragraphs", 60000))
		goto fail;
	*change = now_s() - t0;
	screen_send(s, "q");
	screen_send(s, "q");
	screen_exit_status(s, 10000);
	screen_stop(s);
	return 0;
fail:
	fprintf(stderr, "bench-scale: the browser did not draw the %zu MiB document\n", mib);
	screen_stop(s);
	return -1;
}

static int
document_sizes(const char *dir)
{
	static const size_t sizes[] = { 1, 2, 5, 10 };
	const char *rules = "{\"fetch\": \"https://bench.test/\", \"select\": [\"main\"]}";
	struct declaration_document *doc = NULL;
	double base_extract = 0, base_diff = 0, base_h = 0, base_d = 0;
	char err[256];
	size_t i;

	if (declaration_parse_document(rules, strlen(rules), "bench", "Terms", &doc, err,
				       sizeof(err)) != 0) {
		fprintf(stderr, "bench-scale: %s\n", err);
		return -1;
	}
	printf("a document of N MiB: extract it, diff two versions (1 %% of paragraphs changed)\n");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct extract_input in[1];
		struct textdiff d;
		char *html[2], *text[2] = { NULL, NULL };
		size_t len[2];
		double t0, extract, diff;
		int v;

		for (v = 0; v < 2; v++) {
			html[v] = page(sizes[i], v, &len[v]);
			if (html[v] == NULL)
				return -1;
		}
		t0 = now_s();
		for (v = 0; v < 2; v++) {
			memset(in, 0, sizeof(in));
			in[0].data = html[v];
			in[0].len = len[v];
			in[0].content_type = "text/html; charset=utf-8";
			if (extract_document(doc, in, &text[v], err, sizeof(err)) != 0) {
				fprintf(stderr, "bench-scale: extract: %s\n", err);
				return -1;
			}
		}
		extract = (now_s() - t0) / 2;
		memset(&d, 0, sizeof(d));
		t0 = now_s();
		if (textdiff_run(text[0], text[1], 1, &d, err, sizeof(err)) != 0) {
			fprintf(stderr, "bench-scale: diff: %s\n", err);
			return -1;
		}
		diff = now_s() - t0;
		if (i == 0) {
			base_extract = extract;
			base_diff = diff;
		}
		printf("  %2zu MiB   extract %7.3f s (x%5.1f of 1 MiB)   diff %7.3f s (x%5.1f; %d "
		       "paragraphs changed)\n", sizes[i], extract, extract / base_extract, diff,
		       diff / base_diff, d.changed);
		textdiff_free(&d);
		if (sizes[i] == 1 || sizes[i] == 10) {
			double h, dd;

			if (draw_sizes(dir, sizes[i], text[0], text[1], &h, &dd) != 0)
				return -1;
			if (sizes[i] == 1) {
				base_h = h;
				base_d = dd;
			}
			printf("           drawn: history %.3f s (x%5.1f), the change %.3f s (x%5.1f)\n",
			       h, h / base_h, dd, dd / base_d);
		}
		for (v = 0; v < 2; v++) {
			free(html[v]);
			free(text[v]);
		}
	}
	declaration_document_free(doc);
	return 0;
}

int
main(void)
{
	static const char *const queries[] = {
		"training", "\"opt out\"", "arbitr*", "content AND licence", "privacy data",
	};
	const char *types[] = { "types", NULL };
	const char *keep = getenv("CLAUSE_BENCH_KEEP_DB");
	char *dir = test_tmpdir(), *db = keep != NULL ? strdup(keep) : test_path(dir, "scale.db");
	char err[256];
	struct store *st;
	double t0, seconds, worst = 0;
	long rss, peak = 0;
	size_t q;
	int rc = 1;

	st = store_open(db, err, sizeof(err));
	if (st == NULL) {
		fprintf(stderr, "bench-scale: %s\n", err);
		goto done;
	}
	store_close(st);
	/* The embedded dataset first, then the bulk beside it. */
	if (run_timed(db, types, &seconds, &rss) != 0)
		goto done;
	/* Built in a child: a process started with posix_spawn carries its
	 * parent's peak RSS into its own, so the parent stays small while
	 * the figures are taken. */
	t0 = now_s();
	if (fill_in_child(db) != 0)
		goto done;
	printf("%d provisions over %d platforms: built in %.0f s\n", PROVISIONS, PLATFORMS,
	       now_s() - t0);
	if (run_timed(db, types, &seconds, &rss) != 0)
		goto done;
	printf("  start and list the kinds   %6.2f s   peak RSS %ld kB\n", seconds, rss);
	peak = rss;
	for (q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
		const char *args[] = { "search", queries[q], "--limit", "20", NULL };

		if (run_timed(db, args, &seconds, &rss) != 0)
			goto done;
		printf("  search %-20s %6.2f s   peak RSS %ld kB\n", queries[q], seconds, rss);
		if (rss > peak)
			peak = rss;
		if (seconds > worst)
			worst = seconds;
	}
	printf("  peak RSS over all: %ld kB (target < 100 MB: %s)\n", peak,
	       peak < 100 * 1024 ? "met" : "missed");
	if (document_sizes(dir) != 0)
		goto done;
	rc = 0;
done:
	free(db);
	test_rmdir(dir);
	return rc;
}
