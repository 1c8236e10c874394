/*
 * test-import: clause import-ota-versions on a git repository that the
 * test builds, with libgit2, from ../shared/corpus/versions/ the way Open
 * Terms Archive records history (SERVICE/TERMS TYPE.md, one commit per
 * change, dated when it was recorded); then clause changes on what it
 * imported; and the commands that start tracking documents and fetch
 * them: clause add, import-declarations and fetch, against the local test
 * server.  Each command runs as a real process.
 */

#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>
#include <jansson.h>
#include <sqlite3.h>

#include "httpd.h"
#include "testutil.h"

/* The corpus documents the repository holds: none is in the embedded
 * dataset, so that every version is new. */
static const struct {
	const char *service, *type, *dir;
} documents[] = {
	{ "Wikipedia", "Privacy Policy", "wikipedia/privacy-policy" },
	{ "Wikipedia", "Terms of Service", "wikipedia/terms-of-service" },
	{ "Firefox", "Privacy Policy", "firefox/privacy-policy" },
	{ "Firefox", "Terms of Service", "firefox/terms-of-service" },
};
#define NDOCUMENTS (sizeof(documents) / sizeof(documents[0]))

/* One recorded version: which document, when, from which corpus file. */
struct record {
	size_t document;
	char date[11];
	char *path;
};

struct world {
	char *dir;
	char *repo;
	char *db;
	char *db_option;
	int versions;		/* Recorded in the repository, technical one included. */
};

static struct world world;

static int
by_date(const void *a, const void *b)
{
	const struct record *x = a, *y = b;
	int c = strcmp(x->date, y->date);

	return c != 0 ? c : (x->document > y->document) - (x->document < y->document);
}

static time_t
parse_date(const char *date)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	assert_non_null(strptime(date, "%Y-%m-%d", &tm));
	tm.tm_hour = 12;
	return timegm(&tm);
}

static void
check(int rc)
{
	if (rc < 0)
		fail_msg("libgit2: %s", git_error_last() != NULL ? git_error_last()->message : "?");
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* Write text at SERVICE/TYPE.md of the work tree and commit it. */
static void
commit(git_repository *repo, const char *service, const char *type, const char *text,
       time_t when, const char *message)
{
	git_index *index;
	git_oid tree_id, commit_id, parent_id;
	git_tree *tree;
	git_commit *parent = NULL;
	git_signature *sig;
	char rel[256], *dir, *path;

	dir = test_path(world.repo, service);
	mkdir(dir, 0700);
	snprintf(rel, sizeof(rel), "%s/%s.md", service, type);
	path = test_path(world.repo, rel);
	write_file(path, text);
	check(git_repository_index(&index, repo));
	check(git_index_add_bypath(index, rel));
	check(git_index_write(index));
	check(git_index_write_tree(&tree_id, index));
	check(git_tree_lookup(&tree, repo, &tree_id));
	if (git_reference_name_to_id(&parent_id, repo, "HEAD") == 0)
		check(git_commit_lookup(&parent, repo, &parent_id));
	check(git_signature_new(&sig, "OTA-Bot", "bot@opentermsarchive.org", when, 0));
	check(git_commit_create_v(&commit_id, repo, "HEAD", sig, sig, NULL, message, tree,
				  parent != NULL ? 1 : 0, parent));
	git_signature_free(sig);
	git_commit_free(parent);
	git_tree_free(tree);
	git_index_free(index);
	free(path);
	free(dir);
}

/* The repository: every version of the documents, oldest first, then one
 * technical re-extraction of the newest Wikipedia terms. */
static void
build_repository(void)
{
	struct record records[64];
	size_t n = 0, i, started[NDOCUMENTS] = { 0 };
	git_repository *repo;
	char *corpus = test_path(test_shared_dir(), "corpus/versions"), *text = NULL;

	for (i = 0; i < NDOCUMENTS; i++) {
		char *dir = test_path(corpus, documents[i].dir);
		DIR *d = opendir(dir);
		struct dirent *e;

		if (d == NULL)
			fail_msg("cannot open %s", dir);
		while ((e = readdir(d)) != NULL && n < 64) {
			if (strlen(e->d_name) != 13 || strcmp(e->d_name + 10, ".md") != 0)
				continue;
			records[n].document = i;
			snprintf(records[n].date, sizeof(records[n].date), "%.10s", e->d_name);
			records[n].path = test_path(dir, e->d_name);
			n++;
		}
		closedir(d);
		free(dir);
	}
	qsort(records, n, sizeof(records[0]), by_date);
	check(git_repository_init(&repo, world.repo, 0));
	for (i = 0; i < n; i++) {
		const char *service = documents[records[i].document].service;
		const char *type = documents[records[i].document].type;
		char message[256];

		free(text);
		text = test_read_file(records[i].path, NULL);
		assert_non_null(text);
		snprintf(message, sizeof(message), "%s %s %s\n",
			 started[records[i].document]++ ? "Record new changes of" : "Start tracking",
			 service, type);
		commit(repo, service, type, text, parse_date(records[i].date), message);
		free(records[i].path);
	}
	world.versions = (int)n;
	/* The newest Wikipedia terms, re-extracted: the same words, new layout. */
	{
		char *dir = test_path(corpus, documents[1].dir), *file, *moved;
		size_t len;

		file = test_path(dir, "2026-07-17.md");
		free(text);
		text = test_read_file(file, NULL);
		assert_non_null(text);
		len = strlen(text);
		moved = malloc(len + 3);
		assert_non_null(moved);
		snprintf(moved, len + 3, "\n%s\n", text);
		commit(repo, "Wikipedia", "Terms of Service", moved, parse_date("2026-08-01"),
		       "Apply technical or declaration upgrade on Wikipedia Terms of Service\n");
		free(moved);
		free(file);
		free(dir);
	}
	world.versions++;
	free(text);
	free(corpus);
	git_repository_free(repo);
}

static int
world_setup(void **state)
{
	size_t n;

	(void)state;
	git_libgit2_init();
	world.dir = test_tmpdir();
	world.repo = test_path(world.dir, "versions");
	world.db = test_path(world.dir, "clause.db");
	n = strlen(world.db) + 8;
	world.db_option = malloc(n);
	snprintf(world.db_option, n, "--db=%s", world.db);
	build_repository();
	return 0;
}

static int
world_teardown(void **state)
{
	(void)state;
	free(world.repo);
	free(world.db);
	free(world.db_option);
	test_rmdir(world.dir);
	git_libgit2_shutdown();
	return 0;
}

static json_t *
run_json(int status, const char *const *args, struct test_run *keep)
{
	const char *argv[16];
	struct test_run r;
	json_error_t jerr;
	json_t *root;
	size_t n = 0;

	argv[n++] = world.db_option;
	argv[n++] = "--json";
	for (; *args != NULL && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	test_clause(&r, NULL, argv);
	if (r.status != status)
		fail_msg("clause %s: exit %d, want %d; stderr: %s", argv[2], r.status, status, r.err);
	root = r.outlen > 0 ? json_loads(r.out, 0, &jerr) : NULL;
	if (keep != NULL)
		*keep = r;
	else
		test_run_free(&r);
	return root;
}

static long long
db_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	long long value = -1;

	assert_int_equal(sqlite3_open_v2(world.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return value;
}

static void
test_import(void **state)
{
	const char *args[] = { "import-ota-versions", world.repo, NULL };
	json_t *root;

	(void)state;
	root = run_json(0, args, NULL);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(root, "versions")), world.versions);
	assert_int_equal(json_integer_value(json_object_get(root, "technical")), 1);
	assert_int_equal(json_integer_value(json_object_get(root, "changes")), world.versions - 1);
	assert_int_equal(json_integer_value(json_object_get(root, "platforms_added")), 2);
	assert_int_equal(json_integer_value(json_object_get(root, "documents_added")), 4);
	json_decref(root);
	assert_int_equal(db_int("SELECT count(*) FROM version WHERE source = 'imported'"),
			 world.versions);
	assert_int_equal(db_int("SELECT count(*) FROM change c JOIN document d"
				" ON d.id = c.document_id JOIN platform p ON p.id = d.platform_id"
				" WHERE p.slug = 'wikipedia' AND d.kind = 'terms'"
				" AND c.cause = 'technical'"), 1);
	/* Dated by the commits, in the order OTA recorded them. */
	assert_int_equal(db_int("SELECT count(*) FROM version v JOIN document d"
				" ON d.id = v.document_id WHERE d.kind = 'privacy'"
				" AND v.retrieved_at = '2025-05-08T12:00:00Z'"), 1);

	/* Again: nothing new. */
	root = run_json(0, args, NULL);
	assert_int_equal(json_integer_value(json_object_get(root, "versions")), 0);
	assert_int_equal(json_integer_value(json_object_get(root, "unchanged")), world.versions);
	json_decref(root);
	assert_int_equal(db_int("SELECT count(*) FROM version WHERE source = 'imported'"),
			 world.versions);
}

/* The digest of what was imported: the platform's changes, not the
 * re-extraction unless asked for. */
static void
test_changes_digest(void **state)
{
	const char *all[] = { "changes", "--since", "2025-01-01", "--platform", "wikipedia", NULL };
	const char *technical[] = { "changes", "--since", "2025-01-01", "--platform", "wikipedia",
				    "--technical", NULL };
	const char *none[] = { "changes", "--since", "2099-01-01", NULL };
	const char *bad[] = { "changes", "--since", "yesterday", NULL };
	const char *markdown[] = { world.db_option, "changes", "--since", "2026-07-01",
				   "--format", "markdown", NULL };
	struct test_run r;
	json_t *root, *changes;
	size_t i;

	(void)state;
	root = run_json(0, all, NULL);
	changes = json_object_get(root, "changes");
	assert_int_equal(json_array_size(changes), 8);
	for (i = 0; i < json_array_size(changes); i++) {
		json_t *c = json_array_get(changes, i);

		assert_string_equal(json_string_value(json_object_get(c, "platform")), "wikipedia");
		assert_string_equal(json_string_value(json_object_get(c, "cause")), "platform");
	}
	json_decref(root);
	root = run_json(0, technical, NULL);
	assert_int_equal(json_array_size(json_object_get(root, "changes")), 9);
	json_decref(root);

	/* Nothing in the period: no output at all (cron sends no mail), exit 1. */
	root = run_json(1, none, &r);
	assert_int_equal(json_array_size(json_object_get(root, "changes")), 0);
	json_decref(root);
	test_run_free(&r);
	test_clause(&r, NULL, (const char *const[]){ world.db_option, "changes", "--since",
						     "2099-01-01", NULL });
	assert_int_equal(r.status, 1);
	assert_int_equal(r.outlen, 0);
	test_run_free(&r);

	test_clause(&r, NULL, bad);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "yesterday"));
	test_run_free(&r);

	/* Text: the platform on a line of its own, then one line a change,
	 * counted in words; no line of blanks where an imported document has
	 * no address. */
	test_clause(&r, NULL, (const char *const[]){ world.db_option, "changes", "--since",
						     "2025-01-01", "--platform", "wikipedia", NULL });
	assert_int_equal(r.status, 0);
	assert_true(strncmp(r.out, "Wikipedia (wikipedia)\n  ", 24) == 0);
	assert_non_null(strstr(r.out, " since 2026-"));
	assert_null(strstr(r.out, "\n    \n"));
	assert_null(strstr(r.out, " 0 added"));
	test_run_free(&r);

	test_clause(&r, NULL, markdown);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# Changes in terms since 2026-07-01"));
	assert_non_null(strstr(r.out, "## Wikipedia (wikipedia)"));
	assert_non_null(strstr(r.out, "- **Terms of Service**, 2026-07-16: "));
	test_run_free(&r);
}

/* The report carries each document's timeline from the change records:
 * the platform's changes told apart from the re-extraction. */
static void
test_report_timeline(void **state)
{
	const char *json_args[] = { "report", "wikipedia", NULL };
	struct test_run r;
	json_t *root, *docs, *changes;
	size_t i, j, platform = 0, technical = 0;

	(void)state;
	root = run_json(0, json_args, NULL);
	docs = json_object_get(root, "documents");
	assert_true(json_array_size(docs) > 0);
	for (i = 0; i < json_array_size(docs); i++) {
		changes = json_object_get(json_array_get(docs, i), "changes");
		assert_true(json_is_array(changes));
		for (j = 0; j < json_array_size(changes); j++) {
			json_t *c = json_array_get(changes, j);
			const char *cause = json_string_value(json_object_get(c, "cause"));

			assert_non_null(json_string_value(json_object_get(c, "summary")));
			assert_int_equal(strlen(json_string_value(json_object_get(c, "sha256"))), 64);
			assert_true(json_is_array(json_object_get(c, "provisions")));
			platform += strcmp(cause, "platform") == 0;
			technical += strcmp(cause, "technical") == 0;
		}
	}
	/* Eight changes by the platform and one re-extraction, as the digest
	 * counts them, plus each document's first version. */
	assert_true(platform >= 8);
	assert_int_equal(technical, 1);
	json_decref(root);

	test_clause(&r, NULL, (const char *const[]){ world.db_option, "report", "wikipedia", NULL });
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Changes recorded:\n\n- "));
	assert_non_null(strstr(r.out, ": changed by the platform: "));
	assert_non_null(strstr(r.out, ": re-extracted by the archive, not the platform's change: "));
	assert_non_null(strstr(r.out, ": first version recorded (SHA-256 `"));
	test_run_free(&r);
}

/* A repository missing an object: a one-line error naming the commit,
 * exit 4, and nothing of it stored. */
static void
test_partial_repository(void **state)
{
	char *broken = test_path(world.dir, "broken"), *objects, cmd[1024];
	struct test_run r;
	long long before = db_int("SELECT count(*) FROM version");

	(void)state;
	snprintf(cmd, sizeof(cmd), "cp -r '%s' '%s'", world.repo, broken);
	assert_int_equal(system(cmd), 0);
	/* Drop one blob: the Firefox terms as first recorded. */
	objects = test_path(broken, ".git/objects");
	{
		git_repository *repo;
		git_object *blob;
		char hex[GIT_OID_HEXSZ + 1], path[1024];

		check(git_repository_open(&repo, broken));
		check(git_revparse_single(&blob, repo, "HEAD:Firefox/Privacy Policy.md"));
		git_oid_tostr(hex, sizeof(hex), git_object_id(blob));
		snprintf(path, sizeof(path), "%s/%.2s/%s", objects, hex, hex + 2);
		assert_int_equal(unlink(path), 0);
		git_object_free(blob);
		git_repository_free(repo);
	}
	test_clause(&r, NULL, (const char *const[]){ world.db_option, "import-ota-versions",
						     broken, NULL });
	assert_int_equal(r.status, 4);
	assert_non_null(strstr(r.err, "commit "));
	assert_non_null(strstr(r.err, "nothing was imported"));
	assert_ptr_equal(strchr(r.err, '\n'), r.err + strlen(r.err) - 1);	/* One line. */
	test_run_free(&r);
	assert_int_equal(db_int("SELECT count(*) FROM version"), before);

	test_clause(&r, NULL, (const char *const[]){ world.db_option, "import-ota-versions",
						     "/nonexistent/versions", NULL });
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "/nonexistent/versions"));
	test_run_free(&r);
	free(objects);
	free(broken);
}

/* A repository whose file holds NUL bytes: not a version, a one-line error
 * naming the file, and nothing of it kept. */
static void
test_binary_file_refused(void **state)
{
	char *path = test_path(world.dir, "binary.git");
	static const char bytes[] = "# Terms\n\0\0\x01binary";
	git_repository *repo;
	git_treebuilder *root, *folder;
	git_oid blob, folder_id, tree_id, commit_id;
	git_tree *tree;
	git_signature *sig;
	struct test_run r;
	long long before = db_int("SELECT count(*) FROM version");

	(void)state;
	check(git_repository_init(&repo, path, 1));
	check(git_blob_create_from_buffer(&blob, repo, bytes, sizeof(bytes) - 1));
	check(git_treebuilder_new(&folder, repo, NULL));
	check(git_treebuilder_insert(NULL, folder, "Terms of Service.md", &blob, GIT_FILEMODE_BLOB));
	check(git_treebuilder_write(&folder_id, folder));
	check(git_treebuilder_new(&root, repo, NULL));
	check(git_treebuilder_insert(NULL, root, "Binaryco", &folder_id, GIT_FILEMODE_TREE));
	check(git_treebuilder_write(&tree_id, root));
	check(git_tree_lookup(&tree, repo, &tree_id));
	check(git_signature_new(&sig, "OTA-Bot", "bot@example.org", 1700000000, 0));
	check(git_commit_create_v(&commit_id, repo, "HEAD", sig, sig, NULL,
				  "Start tracking Binaryco Terms of Service\n", tree, 0));
	git_signature_free(sig);
	git_tree_free(tree);
	git_treebuilder_free(root);
	git_treebuilder_free(folder);
	git_repository_free(repo);

	test_clause(&r, NULL, (const char *const[]){ world.db_option, "import-ota-versions", path,
						     NULL });
	assert_int_equal(r.status, 4);
	assert_non_null(strstr(r.err, "Binaryco/Terms of Service.md"));
	assert_non_null(strstr(r.err, "not text"));
	test_run_free(&r);
	assert_int_equal(db_int("SELECT count(*) FROM version"), before);
	assert_int_equal(db_int("SELECT count(*) FROM platform WHERE slug = 'binaryco'"), 0);
	free(path);
}

/* clause add: a slug, a kind and an http(s) URL, checked before anything
 * is stored; a second document of the same platform joins it. */
static void
test_add(void **state)
{
	const char *good[] = { "add", "acme", "--name", "Acme", "--kind", "terms", "--url",
			       "https://acme.example/terms", "--select", "main", NULL };
	const char *second[] = { "add", "acme", "--kind", "privacy", "--url",
				 "https://acme.example/privacy", NULL };
	static const char *const bad[][10] = {
		{ "add", "Not A Slug", "--kind", "terms", "--url", "https://a.example/", NULL },
		{ "add", "acme", "--kind", "terms", "--url", "ftp://a.example/", NULL },
		{ "add", "acme", "--kind", "terms", "--url", "https://a.example/", "--select",
		  "a:hover", NULL },
		{ "add", "acme", "--url", "https://a.example/", NULL },
	};
	static const char *const why[] = { "not a slug", "not an http or https URL",
					   "unsupported pseudo-class", "--kind and --url" };
	json_t *root;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct test_run r;
		const char *argv[12] = { world.db_option };
		size_t n = 1;

		while (bad[i][n - 1] != NULL) {
			argv[n] = bad[i][n - 1];
			n++;
		}
		argv[n] = NULL;
		test_clause(&r, NULL, argv);
		assert_int_equal(r.status, 2);
		if (strstr(r.err, why[i]) == NULL)
			fail_msg("clause add: error '%s' does not say '%s'", r.err, why[i]);
		assert_ptr_equal(strchr(r.err, '\n'), r.err + strlen(r.err) - 1);
		test_run_free(&r);
	}
	assert_int_equal(db_int("SELECT count(*) FROM platform WHERE slug = 'acme'"), 0);
	root = run_json(0, good, NULL);
	assert_true(json_is_true(json_object_get(root, "new_platform")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "declaration"),
							      "fetch")),
			    "https://acme.example/terms");
	json_decref(root);
	root = run_json(0, second, NULL);
	assert_true(json_is_false(json_object_get(root, "new_platform")));
	json_decref(root);
	assert_int_equal(db_int("SELECT count(*) FROM document d JOIN platform p"
				" ON p.id = d.platform_id WHERE p.slug = 'acme'"), 2);
	assert_int_equal(db_int("SELECT count(*) FROM platform WHERE slug = 'acme'"
				" AND name = 'Acme'"), 1);
}

/* clause import-declarations: the good documents of a folder are tracked;
 * one using OTA's JavaScript filters is refused, naming file, document and
 * feature, and the exit is 4. */
static void
test_import_declarations(void **state)
{
	char *dir = test_path(world.dir, "declarations"), *good, *mixed;
	const char *args[] = { "import-declarations", dir, NULL };
	const char *nowhere[] = { world.db_option, "import-declarations", "/nonexistent/decl",
				  NULL };
	struct test_run r;
	json_t *root, *refused;
	FILE *fp;

	(void)state;
	assert_int_equal(mkdir(dir, 0700), 0);
	good = test_path(dir, "goodco.json");
	mixed = test_path(dir, "mixedco.json");
	fp = fopen(good, "w");
	fputs("{\"name\": \"Good Co\", \"terms\": {\"Terms of Service\": {\"fetch\":"
	      " \"https://good.example/terms\", \"select\": [\"main\"]}}}", fp);
	fclose(fp);
	fp = fopen(mixed, "w");
	fputs("{\"name\": \"Mixed\", \"terms\": {\"Privacy Policy\": {\"fetch\":"
	      " \"https://mixed.example/p\", \"select\": \"main\"}, \"Terms of Service\":"
	      " {\"fetch\": \"https://mixed.example/t\", \"select\": \"main\","
	      " \"filter\": [\"cleanUp\"]}}}", fp);
	fclose(fp);
	root = run_json(4, args, NULL);
	assert_int_equal(json_integer_value(json_object_get(root, "files")), 2);
	assert_int_equal(json_integer_value(json_object_get(root, "documents")), 2);
	refused = json_object_get(root, "refused");
	assert_int_equal(json_array_size(refused), 1);
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(refused, 0),
								 "error")),
			       "document 'Terms of Service': 'filter' is not supported"));
	json_decref(root);
	assert_int_equal(db_int("SELECT count(*) FROM document d JOIN platform p"
				" ON p.id = d.platform_id WHERE p.slug IN ('goodco', 'mixedco')"), 2);
	assert_int_equal(db_int("SELECT count(*) FROM document d JOIN platform p"
				" ON p.id = d.platform_id WHERE p.slug = 'mixedco'"
				" AND d.kind = 'privacy'"), 1);
	test_clause(&r, NULL, nowhere);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "/nonexistent/decl"));
	test_run_free(&r);
	free(good);
	free(mixed);
	free(dir);
}

/* clause fetch as a user runs it: one document new, one failing; exit 3,
 * and the failure's reason in the JSON. */
static void
test_fetch_command(void **state)
{
	struct httpd *server;
	char err[256], ok_url[128], bad_url[128];
	const char *add_ok[] = { "add", "fetchco", "--kind", "terms", "--url", ok_url, NULL };
	const char *add_bad[] = { "add", "fetchco", "--kind", "privacy", "--url", bad_url, NULL };
	const char *fetch[] = { "fetch", "fetchco", "--retries", "0", NULL };
	const char *none[] = { world.db_option, "fetch", NULL };
	struct test_run r;
	json_t *root, *docs, *summary;
	size_t i;
	int failed = 0, fresh = 0;

	(void)state;
	server = httpd_start(NULL, err, sizeof(err));
	if (server == NULL)
		fail_msg("httpd_start: %s", err);
	httpd_url(server, "/doc/42", ok_url, sizeof(ok_url));
	httpd_url(server, "/status/404", bad_url, sizeof(bad_url));
	json_decref(run_json(0, add_ok, NULL));
	json_decref(run_json(0, add_bad, NULL));
	root = run_json(3, fetch, NULL);
	docs = json_object_get(root, "documents");
	assert_int_equal(json_array_size(docs), 2);
	for (i = 0; i < json_array_size(docs); i++) {
		json_t *d = json_array_get(docs, i);
		const char *outcome = json_string_value(json_object_get(d, "outcome"));

		if (strcmp(outcome, "failed") == 0) {
			failed++;
			assert_non_null(strstr(json_string_value(json_object_get(d, "error")),
					       "HTTP 404"));
		} else {
			assert_string_equal(outcome, "new");
			fresh++;
		}
	}
	assert_int_equal(failed, 1);
	assert_int_equal(fresh, 1);
	summary = json_object_get(root, "summary");
	assert_int_equal(json_integer_value(json_object_get(summary, "failed")), 1);
	json_decref(root);
	/* Nothing named: a usage error. */
	test_clause(&r, NULL, none);
	assert_int_equal(r.status, 2);
	test_run_free(&r);
	httpd_stop(server);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_changes_digest),
		cmocka_unit_test(test_report_timeline),
		cmocka_unit_test(test_partial_repository),
		cmocka_unit_test(test_binary_file_refused),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_import_declarations),
		cmocka_unit_test(test_fetch_command),
	};

	return cmocka_run_group_tests(tests, world_setup, world_teardown);
}
