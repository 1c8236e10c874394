/*
 * test-cli: every command run as a real process on a temporary database,
 * with assertions on its --json output, its text, its exit code and its
 * errors.  Set CLAUSE_TEST_WRAPPER to run each process under valgrind.
 */

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "store.h"
#include "testutil.h"

/* One database for the whole run: the first command loads the dataset. */
struct world {
	char *dir;
	char *db;
	char *db_option;	/* "--db=PATH". */
};

static struct world world;

static int
world_setup(void **state)
{
	size_t n;

	(void)state;
	world.dir = test_tmpdir();
	world.db = test_path(world.dir, "clause.db");
	n = strlen(world.db) + 8;
	world.db_option = malloc(n);
	snprintf(world.db_option, n, "--db=%s", world.db);
	return 0;
}

static int
world_teardown(void **state)
{
	(void)state;
	free(world.db);
	free(world.db_option);
	test_rmdir(world.dir);
	return 0;
}

/* Run clause with args after --db, expecting status. */
static void
run(struct test_run *r, int status, const char *const *env, const char *const *args)
{
	const char *argv[32];
	size_t n = 0;

	argv[n++] = world.db_option;
	for (; *args != NULL && n < 31; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	test_clause(r, env, argv);
	if (r->status != status)
		fail_msg("clause %s %s: exit %d, want %d; stderr: %s", argv[1],
			 argv[2] != NULL ? argv[2] : "", r->status, status, r->err);
}

/* Run with --json, expecting status, and parse standard output. */
static json_t *
run_json(int status, const char *const *args)
{
	struct test_run r;
	const char *argv[32];
	json_error_t jerr;
	json_t *root;
	size_t n = 0;

	argv[n++] = "--json";
	for (; *args != NULL && n < 31; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	run(&r, status, NULL, argv);
	root = json_loads(r.out, 0, &jerr);
	if (root == NULL)
		fail_msg("not JSON (%s): %.200s", jerr.text, r.out);
	test_run_free(&r);
	return root;
}

/* A usage or data error: the exit code, nothing on standard output, one
 * line on standard error that names the command and holds needle. */
static void
assert_error(int status, const char *needle, const char *const *args)
{
	struct test_run r;
	const char *nl;

	run(&r, status, NULL, args);
	assert_string_equal(r.out, "");
	assert_true(strncmp(r.err, "clause: ", 8) == 0);
	nl = strchr(r.err, '\n');
	assert_non_null(nl);
	assert_string_equal(nl + 1, "");
	if (strstr(r.err, needle) == NULL)
		fail_msg("stderr '%s' lacks '%s'", r.err, needle);
	test_run_free(&r);
}

static json_t *
find_by(json_t *array, const char *key, const char *value)
{
	size_t i;
	json_t *item;

	json_array_foreach(array, i, item) {
		const char *v = json_string_value(json_object_get(item, key));

		if (v != NULL && strcmp(v, value) == 0)
			return item;
	}
	return NULL;
}

static void
test_platforms(void **state)
{
	json_t *root = run_json(0, (const char *[]){ "platforms", NULL });
	json_t *list = json_object_get(root, "platforms"), *claude, *docs;

	(void)state;
	assert_true(json_array_size(list) >= 5);
	claude = find_by(list, "slug", "claude-ai");
	assert_non_null(claude);
	assert_true(json_integer_value(json_object_get(claude, "provisions")) >= 5);
	docs = json_object_get(claude, "documents");
	assert_non_null(find_by(docs, "kind", "terms"));
	assert_non_null(find_by(docs, "kind", "privacy"));
	assert_true(json_integer_value(json_object_get(find_by(docs, "kind", "terms"), "versions"))
		    >= 2);
	/* The counts per severity add up to the provisions. */
	{
		json_t *sev = json_object_get(claude, "severity");

		assert_int_equal(json_integer_value(json_object_get(sev, "high"))
				 + json_integer_value(json_object_get(sev, "medium"))
				 + json_integer_value(json_object_get(sev, "low"))
				 + json_integer_value(json_object_get(sev, "favourable")),
				 json_integer_value(json_object_get(claude, "provisions")));
		assert_true(json_integer_value(json_object_get(sev, "high")) >= 1);
	}
	json_decref(root);
}

static void
test_platforms_text_fits_the_width(void **state)
{
	static const char *const env[] = { "COLUMNS=80", NULL };
	struct test_run r;
	char *line, *save = NULL;

	(void)state;
	run(&r, 0, env, (const char *[]){ "platforms", NULL });
	assert_non_null(strstr(r.out, "claude-ai"));
	for (line = strtok_r(r.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		size_t cols = 0;
		const char *p;

		for (p = line; *p != '\0'; p++)
			cols += ((unsigned char)*p & 0xc0) != 0x80;
		if (cols > 80)
			fail_msg("line wider than 80: %s", line);
	}
	test_run_free(&r);
}

static void
test_show(void **state)
{
	json_t *root = run_json(0, (const char *[]){ "show", "Claude", NULL });
	json_t *provisions = json_object_get(root, "provisions"), *item;
	size_t i;

	(void)state;
	assert_string_equal(json_string_value(json_object_get(root, "platform")), "claude-ai");
	assert_true(json_array_size(json_object_get(root, "documents")) >= 2);
	assert_true(json_array_size(provisions) >= 5);
	json_array_foreach(provisions, i, item) {
		assert_string_equal(json_string_value(json_object_get(item, "platform")), "claude-ai");
		assert_true(json_string_length(json_object_get(item, "excerpt")) > 20);
		assert_true(json_string_length(json_object_get(item, "version_sha256")) == 64);
	}
	json_decref(root);

	root = run_json(0, (const char *[]){ "show", "claude-ai", "feedback-licence", NULL });
	provisions = json_object_get(root, "provisions");
	assert_true(json_array_size(provisions) >= 1);
	json_array_foreach(provisions, i, item)
		assert_string_equal(json_string_value(json_object_get(item, "kind")),
				    "feedback-licence");
	json_decref(root);
}

static void
test_show_errors(void **state)
{
	(void)state;
	assert_error(2, "show: no platform 'nosuch'", (const char *[]){ "show", "nosuch", NULL });
	assert_error(2, "no kind 'nosuch-kind'",
		     (const char *[]){ "show", "claude-ai", "nosuch-kind", NULL });
	{
		struct test_run r;

		run(&r, 2, NULL, (const char *[]){ "show", NULL });
		assert_true(strncmp(r.err, "usage: clause show PLATFORM [KIND]", 34) == 0);
		assert_string_equal(r.out, "");
		test_run_free(&r);
	}
}

/* The id of claude-ai's curated feedback-licence provision (its other
 * documents may have one found automatically, with no analysis). */
static long long
feedback_id(void)
{
	json_t *root = run_json(0, (const char *[]){ "show", "claude-ai", "feedback-licence", NULL });
	json_t *p;
	long long id = 0;
	size_t i;

	json_array_foreach(json_object_get(root, "provisions"), i, p)
		if (id == 0 && strcmp(json_string_value(json_object_get(p, "origin")), "curated") == 0)
			id = json_integer_value(json_object_get(p, "id"));
	json_decref(root);
	assert_true(id > 0);
	return id;
}

static void
test_provision(void **state)
{
	char id[32];
	json_t *root, *regs, *others, *reg;
	size_t i;

	(void)state;
	snprintf(id, sizeof(id), "%lld", feedback_id());
	root = run_json(0, (const char *[]){ "provision", id, NULL });
	assert_string_equal(json_string_value(json_object_get(root, "kind")), "feedback-licence");
	assert_non_null(strstr(json_string_value(json_object_get(root, "excerpt")),
			       "thumbs up/thumbs down icon"));
	assert_true(json_string_length(json_object_get(root, "headline")) > 0);
	assert_true(json_string_length(json_object_get(root, "impact")) > 0);
	assert_true(json_string_length(json_object_get(root, "action")) > 0);
	assert_non_null(strstr(json_string_value(json_object_get(root, "url")), "https://"));
	regs = json_object_get(root, "regulations");
	assert_true(json_array_size(regs) >= 1);
	json_array_foreach(regs, i, reg) {
		assert_true(json_string_length(json_object_get(reg, "framework")) > 0);
		assert_true(json_string_length(json_object_get(reg, "authority")) > 0);
		assert_true(json_string_length(json_object_get(reg, "why")) > 0);
	}
	/* How other platforms handle this: same kind, never this platform's. */
	others = json_object_get(root, "others");
	assert_true(json_array_size(others) >= 1);
	json_array_foreach(others, i, reg)
		assert_string_not_equal(json_string_value(json_object_get(reg, "platform")),
					"claude-ai");
	json_decref(root);

	/* The text form says the same, and that it is not legal advice. */
	{
		struct test_run r;

		run(&r, 0, NULL, (const char *[]){ "provision", id, NULL });
		assert_non_null(strstr(r.out, "thumbs"));
		assert_non_null(strstr(r.out, "How other platforms handle this"));
		assert_non_null(strstr(r.out, "not legal advice"));
		test_run_free(&r);
	}
}

static void
test_provision_errors(void **state)
{
	(void)state;
	assert_error(1, "no provision #999999", (const char *[]){ "provision", "999999", NULL });
	assert_error(2, "'abc' is not a provision id", (const char *[]){ "provision", "abc", NULL });
	assert_error(2, "'-3' is not a provision id", (const char *[]){ "provision", "--", "-3", NULL });
}

static void
test_types(void **state)
{
	json_t *root = run_json(0, (const char *[]){ "types", NULL });
	json_t *kinds = json_object_get(root, "kinds"), *training;

	(void)state;
	assert_true(json_array_size(kinds) >= 14);
	training = find_by(kinds, "slug", "training-on-user-content");
	assert_non_null(training);
	assert_true(json_integer_value(json_object_get(training, "platforms")) >= 2);
	assert_non_null(find_by(kinds, "slug", "contract-by-using"));
	json_decref(root);
}

static void
test_search(void **state)
{
	json_t *root, *hits, *hit, *hl;
	size_t i;

	(void)state;
	root = run_json(0, (const char *[]){ "search", "\"opt out\"", NULL });
	hits = json_object_get(root, "hits");
	assert_true(json_array_size(hits) >= 2);
	json_array_foreach(hits, i, hit) {
		const char *snippet = json_string_value(json_object_get(hit, "snippet"));

		hl = json_object_get(hit, "highlights");
		assert_non_null(snippet);
		/* No marker leaks into the JSON. */
		assert_null(strstr(snippet, STORE_MARK_START));
		if (json_array_size(hl) > 0)
			assert_true(json_integer_value(json_array_get(json_array_get(hl, 0), 1))
				    > json_integer_value(json_array_get(json_array_get(hl, 0), 0)));
	}
	/* The first hit highlights a match in its snippet. */
	assert_true(json_array_size(json_object_get(json_array_get(hits, 0), "highlights")) >= 1);
	json_decref(root);

	/* Prefixes, filters as options and in the query, limits. */
	root = run_json(0, (const char *[]){ "search", "train*", "--platform", "claude-ai",
					     "--limit", "3", NULL });
	hits = json_object_get(root, "hits");
	assert_true(json_array_size(hits) >= 1 && json_array_size(hits) <= 3);
	json_array_foreach(hits, i, hit)
		assert_string_equal(json_string_value(json_object_get(hit, "platform")), "claude-ai");
	json_decref(root);

	root = run_json(0, (const char *[]){ "search", "kind:feedback-licence", "feedback", NULL });
	hits = json_object_get(root, "hits");
	assert_true(json_array_size(hits) >= 1);
	json_array_foreach(hits, i, hit)
		assert_string_equal(json_string_value(json_object_get(hit, "kind")),
				    "feedback-licence");
	json_decref(root);

	/* Severity, as an option and in the query. */
	root = run_json(0, (const char *[]){ "search", "data", "--severity", "high", NULL });
	hits = json_object_get(root, "hits");
	assert_true(json_array_size(hits) >= 1);
	json_array_foreach(hits, i, hit)
		assert_string_equal(json_string_value(json_object_get(hit, "severity")), "high");
	json_decref(root);
	root = run_json(0, (const char *[]){ "search", "severity:favourable", "data", NULL });
	hits = json_object_get(root, "hits");
	assert_true(json_array_size(hits) >= 1);
	json_array_foreach(hits, i, hit)
		assert_string_equal(json_string_value(json_object_get(hit, "severity")),
				    "favourable");
	json_decref(root);

	root = run_json(1, (const char *[]){ "search", "zzqxjv", NULL });
	assert_int_equal(json_array_size(json_object_get(root, "hits")), 0);
	json_decref(root);
}

static void
test_search_errors(void **state)
{
	(void)state;
	assert_error(2, "search: unterminated quote in \"opt out",
		     (const char *[]){ "search", "\"opt out", NULL });
	assert_error(2, "'OR' needs a term", (const char *[]){ "search", "OR", "x", NULL });
	assert_error(2, "no platform 'nosuch'",
		     (const char *[]){ "search", "platform:nosuch", "data", NULL });
	assert_error(2, "--limit wants a positive number",
		     (const char *[]){ "search", "data", "--limit", "0", NULL });
	assert_error(1, "no provision matches 'zzqxjv'", (const char *[]){ "search", "zzqxjv", NULL });
	assert_error(2, "no severity 'dire'",
		     (const char *[]){ "search", "data", "--severity", "dire", NULL });
}

static void
test_compare(void **state)
{
	static const char *const wide[] = { "COLUMNS=120", NULL };
	static const char *const narrow[] = { "COLUMNS=60", NULL };
	json_t *root, *platforms;
	struct test_run r;

	(void)state;
	root = run_json(0, (const char *[]){ "compare", "training-on-user-content", NULL });
	platforms = json_object_get(root, "platforms");
	assert_true(json_array_size(platforms) >= 2);
	assert_non_null(find_by(platforms, "platform", "claude-ai"));
	assert_non_null(find_by(platforms, "platform", "chatgpt"));
	json_decref(root);

	/* Chosen platforms, in the order given. */
	root = run_json(0, (const char *[]){ "compare", "training-on-user-content", "--platforms",
					     "chatgpt,claude-ai", NULL });
	platforms = json_object_get(root, "platforms");
	assert_int_equal(json_array_size(platforms), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(platforms, 0),
							      "platform")), "chatgpt");
	json_decref(root);

	/* Side by side when wide, stacked when narrow. */
	run(&r, 0, wide, (const char *[]){ "compare", "training-on-user-content", NULL });
	assert_non_null(strstr(r.out, " │ "));
	assert_non_null(strstr(r.out, "Claude"));
	test_run_free(&r);
	run(&r, 0, narrow, (const char *[]){ "compare", "training-on-user-content", NULL });
	assert_null(strstr(r.out, "│"));
	assert_non_null(strstr(r.out, "ChatGPT"));
	test_run_free(&r);

	assert_error(2, "no kind 'nosuch'", (const char *[]){ "compare", "nosuch", NULL });
	assert_error(2, "no platform 'nosuch'",
		     (const char *[]){ "compare", "arbitration", "--platforms", "nosuch", NULL });
}

static void
test_regulations(void **state)
{
	json_t *root = run_json(0, (const char *[]){ "regulations", NULL }), *regs, *reg;
	size_t i;

	(void)state;
	regs = json_object_get(root, "regulations");
	assert_true(json_array_size(regs) >= 10);
	json_array_foreach(regs, i, reg) {
		assert_true(json_string_length(json_object_get(reg, "authority")) > 0);
		assert_non_null(strstr(json_string_value(json_object_get(reg, "url")), "https://"));
	}
	json_decref(root);

	root = run_json(0, (const char *[]){ "regulations", "gdpr", NULL });
	regs = json_object_get(root, "regulations");
	assert_true(json_array_size(regs) >= 5);
	json_array_foreach(regs, i, reg)
		assert_string_equal(json_string_value(json_object_get(reg, "framework")), "GDPR");
	json_decref(root);

	assert_error(1, "no regulations of framework 'NOSUCH'",
		     (const char *[]){ "regulations", "NOSUCH", NULL });
}

static void
test_usage(void **state)
{
	struct test_run r;

	(void)state;
	run(&r, 0, NULL, (const char *[]){ "--help", NULL });
	assert_non_null(strstr(r.out, "usage: clause"));
	assert_non_null(strstr(r.out, "compare"));
	test_run_free(&r);
	run(&r, 0, NULL, (const char *[]){ "--version", NULL });
	assert_true(strncmp(r.out, "clause ", 7) == 0);
	assert_non_null(strstr(r.out, "\ndataset 20"));
	test_run_free(&r);
	run(&r, 0, NULL, (const char *[]){ "search", "--help", NULL });
	assert_non_null(strstr(r.out, "usage: clause search QUERY"));
	test_run_free(&r);
	assert_error(2, "unknown command 'frobnicate'", (const char *[]){ "frobnicate", NULL });
	run(&r, 2, NULL, (const char *[]){ "platforms", "--bogus", NULL });
	assert_non_null(strstr(r.err, "usage: clause platforms"));
	test_run_free(&r);
}

static void
test_bad_database(void **state)
{
	char *notdb = test_path(world.dir, "not-a-db"), option[1024];
	FILE *fp = fopen(notdb, "w");
	struct test_run r;

	(void)state;
	assert_non_null(fp);
	fputs("this is not a database, just some text that is long enough\n", fp);
	fclose(fp);
	snprintf(option, sizeof(option), "--db=%s", notdb);
	test_clause(&r, NULL, (const char *[]){ option, "platforms", NULL });
	assert_int_equal(r.status, 4);
	assert_non_null(strstr(r.err, notdb));
	test_run_free(&r);
	/* Nothing was written over it. */
	{
		char *text = test_read_file(notdb, NULL);

		assert_non_null(text);
		assert_true(strncmp(text, "this is not a database", 22) == 0);
		free(text);
	}
	test_clause(&r, NULL, (const char *[]){ "--db=/nonexistent-dir/x.db", "types", NULL });
	assert_int_equal(r.status, 4);
	assert_non_null(strstr(r.err, "/nonexistent-dir/x.db"));
	test_run_free(&r);
	free(notdb);
}

/* A hostile platform in the database: its escape sequences never reach the
 * terminal, and rows the user added survive the next start. */
static void
test_hostile_text_is_sanitised(void **state)
{
	char err[256];
	struct store *st = store_open(world.db, err, sizeof(err));
	int64_t platform, document, version;
	struct store_provision_in in = { 0 };
	struct test_run r;
	json_t *root;

	(void)state;
	assert_non_null(st);
	assert_int_equal(store_put_platform(st, "evil", "Evil\x1b]0;pwned\x07 Corp", "", "",
					    "", &platform), STORE_OK);
	assert_int_equal(store_put_document(st, platform, "terms", "T\x1b[2J", "https://e.test",
					    NULL, &document), STORE_OK);
	assert_int_equal(store_add_version(st, document, "2026-01-01T00:00:00Z", "fetched", "ee",
					   "x", &version, NULL), STORE_OK);
	in.document_id = document;
	in.kind = "arbitration";
	in.excerpt = "All disputes \x1b[31mgo\x1b[0m to arbitration \xe2\x80\xae reversed \x9b";
	in.headline = "Headline\x1bP1;2|secret\x1b\\ end";
	in.origin = "classified";
	in.first_version = in.last_version = version;
	assert_int_equal(store_put_provision(st, &in, NULL), STORE_OK);
	store_close(st);

	run(&r, 0, NULL, (const char *[]){ "show", "evil", NULL });
	assert_null(strchr(r.out, '\x1b'));
	assert_null(strstr(r.out, "\xe2\x80\xae"));
	assert_null(strstr(r.out, "pwned\x07"));
	assert_non_null(strstr(r.out, "All disputes go to arbitration"));
	test_run_free(&r);

	run(&r, 0, NULL, (const char *[]){ "compare", "arbitration", NULL });
	assert_null(strchr(r.out, '\x1b'));
	test_run_free(&r);

	/* JSON keeps the text, escaped: no raw ESC byte either. */
	root = run_json(0, (const char *[]){ "show", "evil", NULL });
	/* The escape is kept as JSON text; the invalid byte is replaced. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(root, "provisions"), 0), "excerpt")),
		"All disputes \x1b[31mgo\x1b[0m to arbitration \xe2\x80\xae reversed \xef\xbf\xbd");
	json_decref(root);
	test_clause(&r, NULL, (const char *[]){ world.db_option, "--json", "show", "evil", NULL });
	assert_null(strchr(r.out, '\x1b'));
	test_run_free(&r);
}

/* Several processes starting at once on a new database: each waits for
 * the others' migration and dataset load instead of failing. */
static void
test_concurrent_first_run(void **state)
{
	char *db = test_path(world.dir, "concurrent.db"), option[1024];
	pid_t pids[6];
	size_t i;

	(void)state;
	snprintf(option, sizeof(option), "--db=%s", db);
	for (i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			struct test_run r;

			test_clause(&r, NULL, (const char *[]){ option, "--json", "types", NULL });
			if (r.status != 0)
				fprintf(stderr, "concurrent run: %s", r.err);
			_exit(r.status);
		}
	}
	for (i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		int status;

		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	free(db);
}

static void
test_watch(void **state)
{
	json_t *root, *list;
	struct test_run r;

	(void)state;
	root = run_json(0, (const char *[]){ "watch", "add", "Claude", NULL });
	assert_string_equal(json_string_value(json_object_get(root, "platform")), "claude-ai");
	assert_true(json_is_true(json_object_get(root, "watched")));
	json_decref(root);
	/* Twice is the same as once. */
	json_decref(run_json(0, (const char *[]){ "watch", "add", "claude-ai", NULL }));
	root = run_json(0, (const char *[]){ "watch", "list", NULL });
	list = json_object_get(root, "watched");
	assert_int_equal(json_array_size(list), 1);
	assert_non_null(find_by(list, "slug", "claude-ai"));
	json_decref(root);
	root = run_json(0, (const char *[]){ "platforms", NULL });
	assert_true(json_is_true(json_object_get(find_by(json_object_get(root, "platforms"), "slug",
							   "claude-ai"), "watched")));
	assert_true(json_is_false(json_object_get(find_by(json_object_get(root, "platforms"), "slug",
							    "chatgpt"), "watched")));
	json_decref(root);
	run(&r, 0, NULL, (const char *[]){ "watch", "rm", "claude-ai", NULL });
	assert_string_equal(r.out, "no longer watching claude-ai\n");
	test_run_free(&r);
	root = run_json(0, (const char *[]){ "watch", "list", NULL });
	assert_int_equal(json_array_size(json_object_get(root, "watched")), 0);
	json_decref(root);

	assert_error(2, "unknown action 'frob'", (const char *[]){ "watch", "frob", "x", NULL });
	assert_error(2, "add needs one platform", (const char *[]){ "watch", "add", NULL });
	assert_error(2, "no platform 'nosuch'", (const char *[]){ "watch", "add", "nosuch", NULL });
}

static void
test_history_and_diff(void **state)
{
	json_t *root, *docs, *terms, *versions, *hunks, *para;
	struct test_run r;
	size_t i, j;
	int found = 0;

	(void)state;
	root = run_json(0, (const char *[]){ "history", "claude-ai", "terms", NULL });
	docs = json_object_get(root, "documents");
	assert_int_equal(json_array_size(docs), 1);
	terms = json_array_get(docs, 0);
	versions = json_object_get(terms, "versions");
	assert_true(json_array_size(versions) >= 3);
	/* Newest first; the oldest has nothing before it. */
	assert_true(strcmp(json_string_value(json_object_get(json_array_get(versions, 0), "date")),
			   json_string_value(json_object_get(json_array_get(versions, 1), "date")))
		    > 0);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(versions, json_array_size(versions) - 1), "summary")),
		"first version stored");
	json_decref(root);

	/* The change that added "develop other products and services". */
	root = run_json(0, (const char *[]){ "diff", "claude-ai", "terms", "2025-10-09",
					     "2025-12-07", NULL });
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "to"), "date")),
			    "2025-12-07T00:00:00Z");
	hunks = json_object_get(root, "hunks");
	for (i = 0; i < json_array_size(hunks); i++) {
		json_t *paras = json_object_get(json_array_get(hunks, i), "paragraphs");

		json_array_foreach(paras, j, para) {
			const char *old_text = json_string_value(json_object_get(para, "old"));
			const char *new_text = json_string_value(json_object_get(para, "new"));

			if (old_text != NULL && new_text != NULL
			    && strstr(old_text, "to develop other products") == NULL
			    && strstr(new_text, "and to develop other products and services") != NULL) {
				assert_string_equal(json_string_value(json_object_get(para, "op")),
						    "changed");
				found = 1;
			}
		}
	}
	assert_true(found);
	json_decref(root);

	run(&r, 0, NULL, (const char *[]){ "diff", "claude-ai", "terms", NULL });
	assert_non_null(strstr(r.out, "--- claude-ai terms"));
	assert_non_null(strstr(r.out, "@@ paragraphs"));
	test_run_free(&r);

	assert_error(1, "no version '1999-01-01'",
		     (const char *[]){ "diff", "claude-ai", "terms", "1999-01-01", NULL });
	assert_error(2, "has no document 'nosuch'",
		     (const char *[]){ "diff", "claude-ai", "nosuch", NULL });
	assert_error(1, "has no nosuch document",
		     (const char *[]){ "history", "claude-ai", "nosuch", NULL });
}

/* The report ties every quote to a version by its hash, in three forms. */
static void
test_report(void **state)
{
	json_t *root, *docs, *provisions, *p, *d, *v;
	struct test_run r;
	size_t i, j, k;

	(void)state;
	root = run_json(0, (const char *[]){ "report", "claude-ai", "--format", "json", NULL });
	assert_string_equal(json_string_value(json_object_get(root, "platform")), "claude-ai");
	docs = json_object_get(root, "documents");
	provisions = json_object_get(root, "provisions");
	assert_true(json_array_size(docs) >= 2);
	assert_true(json_array_size(provisions) >= 5);
	json_array_foreach(provisions, i, p) {
		const char *sha = json_string_value(json_object_get(p, "version_sha256"));
		int found = 0;

		assert_true(json_array_size(json_object_get(p, "regulations")) >= 1);
		json_array_foreach(docs, j, d)
			json_array_foreach(json_object_get(d, "versions"), k, v)
				found |= strcmp(json_string_value(json_object_get(v, "sha256")), sha)
					 == 0;
		if (!found)
			fail_msg("provision %lld cites a version not in the timeline",
				 json_integer_value(json_object_get(p, "id")));
	}
	json_decref(root);

	run(&r, 0, NULL, (const char *[]){ "report", "claude-ai", NULL });
	assert_non_null(strstr(r.out, "# Claude (`claude-ai`)"));
	assert_non_null(strstr(r.out, "> We may use Materials to provide, maintain, and improve"));
	assert_non_null(strstr(r.out, "not legal advice"));
	assert_non_null(strstr(r.out, "Enforced by"));
	test_run_free(&r);

	run(&r, 0, NULL, (const char *[]){ "report", "claude-ai", "--format", "csv", NULL });
	assert_true(strncmp(r.out, "id,platform,document,url,version_date,version_sha256,", 52) == 0);
	assert_non_null(strstr(r.out, ",\"If you rate an Output"));
	test_run_free(&r);

	assert_error(2, "no format 'pdf'",
		     (const char *[]){ "report", "claude-ai", "--format", "pdf", NULL });
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_platforms),
		cmocka_unit_test(test_platforms_text_fits_the_width),
		cmocka_unit_test(test_show),
		cmocka_unit_test(test_show_errors),
		cmocka_unit_test(test_provision),
		cmocka_unit_test(test_provision_errors),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_search_errors),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_regulations),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_bad_database),
		cmocka_unit_test(test_hostile_text_is_sanitised),
		cmocka_unit_test(test_concurrent_first_run),
		cmocka_unit_test(test_watch),
		cmocka_unit_test(test_history_and_diff),
		cmocka_unit_test(test_report),
	};

	return cmocka_run_group_tests(tests, world_setup, world_teardown);
}
