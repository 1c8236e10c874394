/*
 * test-dataset: the embedded dataset is whole and true (every excerpt is in
 * the text it cites, every text is the corpus's), loads in one go, loads
 * again without change, and a newer dataset updates the curated rows while
 * keeping what the user fetched or added.
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

#include <cmocka.h>
#include <sqlite3.h>
#include <zlib.h>

#include "assets.h"
#include "dataset.h"
#include "store-internal.h"
#include "store.h"
#include "testutil.h"

/* The kinds other issues and the evaluation rely on. */
static const char *const required_kinds[] = {
	"arbitration", "unilateral-change", "content-removal", "jurisdiction",
	"choice-of-law", "limitation-of-liability", "unilateral-termination",
	"contract-by-using", "training-on-user-content", "training-opt-out-exceptions",
	"feedback-licence", "human-review-of-conversations", "conversation-retention",
	"output-ownership", NULL
};

/* The Anthropic provisions quoted in the project's seed material. */
static const char *const seed_excerpts[] = {
	"We may use Materials to provide, maintain, and improve the Services and to develop "
	"other products and services, including training our models, unless you opt out of "
	"training through your account settings. Even if you opt out, we will use Materials for "
	"model training when: (1) you provide Feedback to us regarding any Materials, or (2) your "
	"Materials are flagged for safety review to improve our ability to detect harmful "
	"content, enforce our policies, or advance our safety research.",
	"If you rate an Output in response to an Input\xe2\x80\x94" "for example, by using the "
	"thumbs up/thumbs down icon\xe2\x80\x94we will store the related conversation as part of "
	"your Feedback. You have no obligation to give us Feedback, but if you do, you agree "
	"that we may use the Feedback however we choose without any obligation or other payment "
	"to you.",
	"We may use your Inputs and Outputs to train our models and improve our Services, unless "
	"you opt out through your account settings. Even if you opt-out, we will use Inputs and "
	"Outputs for model improvement when: (1) your conversations are flagged for safety review "
	"to improve our ability to detect harmful content, enforce our policies, or advance AI "
	"safety research, or (2) you've explicitly reported the materials to us (for example via "
	"our feedback mechanisms).",
	NULL
};

static struct dataset *
parse_embedded(void)
{
	char err[512];
	struct dataset *ds = dataset_parse(assets_table(), err, sizeof(err));

	if (ds == NULL)
		fail_msg("embedded dataset: %s", err);
	return ds;
}

static void
test_embedded_dataset_parses(void **state)
{
	struct dataset *ds = parse_embedded();
	size_t i, j, total = 0;

	(void)state;
	assert_true(ds->nplatforms >= 5);
	assert_true(ds->nkinds >= 14);
	for (i = 0; required_kinds[i] != NULL; i++) {
		for (j = 0; j < ds->nkinds; j++)
			if (strcmp(ds->kinds[j].slug, required_kinds[i]) == 0)
				break;
		if (j == ds->nkinds)
			fail_msg("kind '%s' is missing", required_kinds[i]);
	}
	for (i = 0; i < ds->nplatforms; i++) {
		const struct dataset_platform *pl = &ds->platforms[i];

		assert_true(pl->ndocuments >= 1);
		if (pl->nprovisions < 5)
			fail_msg("platform '%s' has %zu provisions (want 5 or more)", pl->slug,
				 pl->nprovisions);
		total += pl->nprovisions;
	}
	assert_true(total >= 25);
	dataset_free(ds);
}

/* Every excerpt, checked again here, independently of the parser's own
 * check: it occurs in the text of the version it cites. */
/* The dataset's promised size: 40+ platforms, 300+ provisions, 5+ per
 * platform, 25+ kinds each on 5+ platforms, 30+ regulations. */
static void
test_dataset_is_full(void **state)
{
	struct dataset *ds = parse_embedded();
	size_t i, j, k, total = 0;

	(void)state;
	assert_true(ds->nplatforms >= 40);
	assert_true(ds->nkinds >= 25);
	assert_true(ds->nregulations >= 30);
	for (i = 0; i < ds->nplatforms; i++)
		total += ds->platforms[i].nprovisions;
	if (total < 300)
		fail_msg("%zu provisions (want 300 or more)", total);
	for (k = 0; k < ds->nkinds; k++) {
		size_t platforms = 0;

		for (i = 0; i < ds->nplatforms; i++)
			for (j = 0; j < ds->platforms[i].nprovisions; j++)
				if (strcmp(ds->platforms[i].provisions[j].kind, ds->kinds[k].slug)
				    == 0) {
					platforms++;
					break;
				}
		if (platforms < 5)
			fail_msg("kind '%s' is on %zu platforms (want 5 or more)", ds->kinds[k].slug,
				 platforms);
	}
	dataset_free(ds);
}

static void
test_every_excerpt_is_verbatim(void **state)
{
	struct dataset *ds = parse_embedded();
	size_t i, j;

	(void)state;
	for (i = 0; i < ds->nplatforms; i++) {
		const struct dataset_platform *pl = &ds->platforms[i];

		for (j = 0; j < pl->nprovisions; j++) {
			const struct dataset_provision *pv = &pl->provisions[j];
			const struct dataset_document *d = &pl->documents[pv->document];

			if (!dataset_excerpt_in_text(pv->excerpt, d->versions[pv->version].text))
				fail_msg("'%s' is not in %s", pv->key, d->versions[pv->version].path);
			assert_true(pv->first_version <= pv->version);
			assert_true(pv->version <= pv->last_version);
			assert_true(dataset_excerpt_in_text(pv->excerpt,
							    d->versions[pv->last_version].text));
		}
	}
	dataset_free(ds);
}

static void
test_seed_provisions_are_there(void **state)
{
	struct dataset *ds = parse_embedded();
	size_t i, j, k;

	(void)state;
	for (k = 0; seed_excerpts[k] != NULL; k++) {
		int found = 0;

		for (i = 0; i < ds->nplatforms; i++) {
			const struct dataset_platform *pl = &ds->platforms[i];

			if (strcmp(pl->slug, "claude-ai") != 0)
				continue;
			for (j = 0; j < pl->nprovisions; j++)
				found |= strcmp(pl->provisions[j].excerpt, seed_excerpts[k]) == 0;
		}
		if (!found)
			fail_msg("seed excerpt %zu is not a claude-ai provision", k + 1);
	}
	dataset_free(ds);
}

/* Every embedded text is byte for byte one of the corpus's recorded
 * versions of that platform, of the same date. */
static void
test_texts_come_from_the_corpus(void **state)
{
	const struct asset *a;
	char corpus[1024];
	int checked = 0;

	(void)state;
	for (a = assets_table(); a->name != NULL; a++) {
		char slug[128], kind[128], date[64], *dir, *found = NULL, *embedded;
		size_t embedded_len;
		struct dirent *e;
		DIR *list;

		if (sscanf(a->name, "texts/%127[^/]/%127[^/]/%63s", slug, kind, date) != 3)
			continue;
		/* Texts are stored deflated: compare what they inflate to. */
		assert_true(a->inflated_size > 0);
		embedded = assets_read(a, &embedded_len);
		assert_non_null(embedded);
		snprintf(corpus, sizeof(corpus), "%s/corpus/versions/%s", test_shared_dir(), slug);
		dir = strdup(corpus);
		/* The corpus names documents by their OTA type: look in each. */
		list = opendir(dir);
		if (list == NULL)
			fail_msg("no corpus folder %s for %s", dir, a->name);
		while (found == NULL && (e = readdir(list)) != NULL) {
			char path[2048], *text;
			size_t len;

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", dir, e->d_name, date);
			text = test_read_file(path, &len);
			if (text != NULL && len == embedded_len && memcmp(text, embedded, len) == 0)
				found = text;
			else
				free(text);
		}
		closedir(list);
		if (found == NULL)
			fail_msg("%s is not a version in %s", a->name, dir);
		free(found);
		free(dir);
		free(embedded);
		checked++;
	}
	assert_true(checked >= 5);
}

struct counts {
	long long platforms, documents, versions, provisions, kinds, regulations, links;
};

static long long
count(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	long long n = -1;

	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

static void
read_counts(struct store *st, struct counts *c)
{
	c->platforms = count(st, "SELECT count(*) FROM platform");
	c->documents = count(st, "SELECT count(*) FROM document");
	c->versions = count(st, "SELECT count(*) FROM version");
	c->provisions = count(st, "SELECT count(*) FROM provision");
	c->kinds = count(st, "SELECT count(*) FROM provision_type");
	c->regulations = count(st, "SELECT count(*) FROM regulation");
	c->links = count(st, "SELECT count(*) FROM provision_regulation");
}

struct fixture {
	char *dir;
	struct store *st;
	struct dataset *ds;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256], *path;

	f->dir = test_tmpdir();
	path = test_path(f->dir, "clause.db");
	f->st = store_open(path, err, sizeof(err));
	free(path);
	if (f->st == NULL)
		fail_msg("store_open: %s", err);
	f->ds = parse_embedded();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	dataset_free(f->ds);
	store_close(f->st);
	test_rmdir(f->dir);
	free(f);
	return 0;
}

static void
test_load_and_load_again(void **state)
{
	struct fixture *f = *state;
	struct counts first, second;
	size_t i, provisions = 0, versions = 0, documents = 0;
	long long max_id;

	assert_false(store_dataset_is_current(f->st, "digest-1"));
	assert_int_equal(store_load_dataset(f->st, f->ds, "digest-1"), STORE_OK);
	assert_true(store_dataset_is_current(f->st, "digest-1"));
	read_counts(f->st, &first);
	for (i = 0; i < f->ds->nplatforms; i++) {
		size_t j;

		provisions += f->ds->platforms[i].nprovisions;
		documents += f->ds->platforms[i].ndocuments;
		for (j = 0; j < f->ds->platforms[i].ndocuments; j++)
			versions += f->ds->platforms[i].documents[j].nversions;
	}
	assert_int_equal(first.platforms, (long long)f->ds->nplatforms);
	assert_int_equal(first.documents, (long long)documents);
	assert_int_equal(first.versions, (long long)versions);
	assert_int_equal(first.provisions, (long long)provisions);
	assert_int_equal(first.kinds, (long long)f->ds->nkinds);
	assert_int_equal(first.regulations, (long long)f->ds->nregulations);
	assert_true(first.links > 0);
	assert_int_equal(count(f->st, "SELECT count(*) FROM provision WHERE last_version IS NULL"
				      " OR first_version IS NULL"), 0);

	/* Loading the same dataset again changes nothing, ids included. */
	max_id = count(f->st, "SELECT max(id) FROM provision");
	assert_int_equal(store_load_dataset(f->st, f->ds, "digest-2"), STORE_OK);
	read_counts(f->st, &second);
	assert_memory_equal(&first, &second, sizeof(first));
	assert_int_equal(count(f->st, "SELECT max(id) FROM provision"), max_id);
}

/* A newer dataset: a changed headline, a dropped provision, a new version.
 * What the user fetched or added stays. */
static void
test_upgrade_keeps_user_rows(void **state)
{
	struct fixture *f = *state;
	struct dataset_platform *pl = &f->ds->platforms[0];
	struct dataset_document *d;
	struct dataset_version *grown;
	const char *dropped_key;
	int64_t platform, document, version, kept_id, user_provision;
	char sql[512];
	struct store_provision_in in = { 0 };

	assert_int_equal(store_load_dataset(f->st, f->ds, "old"), STORE_OK);
	snprintf(sql, sizeof(sql), "SELECT id FROM provision WHERE key = '%s'", pl->provisions[0].key);
	kept_id = count(f->st, sql);

	/* The user's own rows: a fetched version of a curated document, a
	 * platform of their own with a classified provision. */
	document = count(f->st, "SELECT min(id) FROM document");
	assert_int_equal(store_add_version(f->st, document, "2030-01-01T00:00:00Z", "fetched",
					   "feedfeed", "fetched text", NULL, NULL), STORE_OK);
	assert_int_equal(store_put_platform(f->st, "mine", "Mine", "", "", "", &platform), STORE_OK);
	assert_int_equal(store_put_document(f->st, platform, "terms", "Mine", "https://m.test", NULL,
					    &document), STORE_OK);
	assert_int_equal(store_add_version(f->st, document, "2030-01-01T00:00:00Z", "fetched", "ab",
					   "We may change these terms at any time.", &version, NULL),
			 STORE_OK);
	in.document_id = document;
	in.kind = "unilateral-change";
	in.excerpt = "We may change these terms at any time.";
	in.origin = "classified";
	in.first_version = in.last_version = version;
	assert_int_equal(store_put_provision(f->st, &in, &user_provision), STORE_OK);

	/* The newer dataset. */
	pl->provisions[0].headline = "A rewritten headline";
	dropped_key = pl->provisions[pl->nprovisions - 1].key;
	pl->nprovisions--;
	d = &pl->documents[0];
	grown = realloc(d->versions, (d->nversions + 1) * sizeof(*grown));
	assert_non_null(grown);
	d->versions = grown;
	d->versions[d->nversions] = d->versions[d->nversions - 1];
	snprintf(d->versions[d->nversions].retrieved_at, 32, "2031-01-01T00:00:00Z");
	d->versions[d->nversions].text = "A new version of the text.";
	snprintf(d->versions[d->nversions].sha256, 65, "%064d", 1);
	d->nversions++;

	assert_int_equal(store_load_dataset(f->st, f->ds, "new"), STORE_OK);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM provision WHERE id = %lld"
		 " AND headline = 'A rewritten headline'", (long long)kept_id);
	assert_int_equal(count(f->st, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM provision WHERE key = '%s'", dropped_key);
	assert_int_equal(count(f->st, sql), 0);
	assert_int_equal(count(f->st, "SELECT count(*) FROM version"
				      " WHERE retrieved_at = '2031-01-01T00:00:00Z'"), 1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM version WHERE sha256 = 'feedfeed'"), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM provision WHERE id = %lld",
		 (long long)user_provision);
	assert_int_equal(count(f->st, sql), 1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM platform WHERE slug = 'mine'"), 1);
	/* Put back what the fixture frees. */
	pl->nprovisions++;
}

/* A load that fails half-way leaves the database as it was. */
static void
test_failed_load_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct dataset_platform *pl = &f->ds->platforms[f->ds->nplatforms - 1];
	const char *kind = pl->provisions[0].kind;
	struct counts before, after;

	assert_int_equal(store_load_dataset(f->st, f->ds, "one"), STORE_OK);
	read_counts(f->st, &before);
	pl->provisions[0].headline = "Must not be stored";
	pl->provisions[0].kind = "no-such-kind";	/* The store refuses it. */
	assert_int_equal(store_load_dataset(f->st, f->ds, "two"), STORE_ERROR);
	assert_non_null(strstr(store_errmsg(f->st), "no-such-kind"));
	pl->provisions[0].kind = kind;
	read_counts(f->st, &after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_true(store_dataset_is_current(f->st, "one"));
	assert_int_equal(count(f->st, "SELECT count(*) FROM provision"
				      " WHERE headline = 'Must not be stored'"), 0);
}

/* A small dataset of our own, to show each check refusing. */
static const char good_kinds[] =
	"{\"kinds\": [{\"slug\": \"arbitration\", \"name\": \"Arbitration\", \"topic\": \"T\","
	" \"description\": \"D\", \"regulations\": [{\"regulation\": \"r1\", \"why\": \"W\"}]}]}";
static const char good_regulations[] =
	"{\"regulations\": [{\"slug\": \"r1\", \"framework\": \"F\", \"article\": \"A\","
	" \"title\": \"T\", \"jurisdiction\": \"J\", \"authority\": \"Au\", \"url\": \"https://r.test\"}]}";
static const char text[] = "Heading\n\nAll disputes   go to\nbinding arbitration.\n";

static char *
platform_json(const char *excerpt, const char *kind, const char *text_path, const char *date)
{
	char *s = malloc(2048);

	assert_non_null(s);
	snprintf(s, 2048,
		 "{\"slug\": \"p\", \"name\": \"P\", \"sector\": \"S\", \"homepage\": \"https://p.test\","
		 " \"documents\": [{\"kind\": \"terms\", \"title\": \"Terms\", \"url\": \"https://p.test/t\","
		 " \"versions\": [{\"date\": \"2025-01-02\", \"text\": \"%s\"}]}],"
		 " \"provisions\": [{\"key\": \"p/terms/arbitration\", \"document\": \"terms\","
		 " \"version\": \"%s\", \"kind\": \"%s\", \"excerpt\": \"%s\", \"headline\": \"H\","
		 " \"analysis\": \"A\", \"impact\": \"I\", \"action\": \"Ac\", \"severity\": \"high\","
		 " \"severity_reason\": \"R\", \"regulations\": [{\"regulation\": \"r1\","
		 " \"why\": \"W\"}]}]}", text_path, date, kind, excerpt);
	return s;
}

/* Parse a dataset made of the good catalogue and one platform file. */
static struct dataset *
parse_small(const char *platform, char *err, size_t errsize)
{
	struct asset table[] = {
		{ "kinds.json", good_kinds, sizeof(good_kinds) - 1, 0 },
		{ "platforms/p.json", platform, strlen(platform), 0 },
		{ "regulations.json", good_regulations, sizeof(good_regulations) - 1, 0 },
		{ "texts/p/terms/2025-01-02.md", text, sizeof(text) - 1, 0 },
		{ NULL, NULL, 0, 0 },
	};

	return dataset_parse(table, err, errsize);
}

/* The same with the text stored deflated, as the build stores texts; with
 * corrupt set, the deflated bytes are damaged. */
static struct dataset *
parse_small_deflated(const char *platform, int corrupt, char *err, size_t errsize)
{
	unsigned char packed[512];
	uLongf packed_len = sizeof(packed);
	struct asset table[] = {
		{ "kinds.json", good_kinds, sizeof(good_kinds) - 1, 0 },
		{ "platforms/p.json", platform, strlen(platform), 0 },
		{ "regulations.json", good_regulations, sizeof(good_regulations) - 1, 0 },
		{ "texts/p/terms/2025-01-02.md", NULL, 0, sizeof(text) - 1 },
		{ NULL, NULL, 0, 0 },
	};

	assert_int_equal(compress2(packed, &packed_len, (const Bytef *)text, sizeof(text) - 1, 9),
			 Z_OK);
	if (corrupt)
		packed[packed_len / 2] ^= 0x5a;
	table[3].data = (const char *)packed;
	table[3].size = packed_len;
	return dataset_parse(table, err, errsize);
}

static void
assert_small_refused(const char *excerpt, const char *kind, const char *path, const char *date,
		     const char *message)
{
	char *json = platform_json(excerpt, kind, path, date), err[512] = "";
	struct dataset *ds = parse_small(json, err, sizeof(err));

	if (ds != NULL)
		fail_msg("accepted; wanted: %s", message);
	if (strstr(err, message) == NULL)
		fail_msg("message '%s' lacks '%s'", err, message);
	assert_non_null(strstr(err, "platforms/p.json"));
	free(json);
}

/* Parse json with the first 'from' replaced by 'to'; it must be refused
 * with message. */
static void
assert_refused_json(const char *json, const char *from, const char *to, const char *message)
{
	const char *at = strstr(json, from);
	char *edited, err[512] = "";
	struct dataset *ds;
	size_t n;

	assert_non_null(at);
	n = strlen(json) - strlen(from) + strlen(to) + 1;
	edited = malloc(n);
	assert_non_null(edited);
	snprintf(edited, n, "%.*s%s%s", (int)(at - json), json, to, at + strlen(from));
	ds = parse_small(edited, err, sizeof(err));
	if (ds != NULL)
		fail_msg("accepted; wanted: %s", message);
	if (strstr(err, message) == NULL)
		fail_msg("message '%s' lacks '%s'", err, message);
	free(edited);
}

static void
test_bad_datasets_are_refused(void **state)
{
	char *json, err[512];
	struct dataset *ds;

	(void)state;
	/* The good one first: white space differs and still matches. */
	json = platform_json("All disputes go to binding arbitration.", "arbitration",
			     "texts/p/terms/2025-01-02.md", "2025-01-02");
	ds = parse_small(json, err, sizeof(err));
	if (ds == NULL)
		fail_msg("small dataset: %s", err);
	assert_string_equal(ds->platforms[0].provisions[0].status, "current");
	dataset_free(ds);
	free(json);

	assert_small_refused("All disputes go to arbitration.", "arbitration",
			     "texts/p/terms/2025-01-02.md", "2025-01-02",
			     "provision 'p/terms/arbitration': excerpt is not in terms as of 2025-01-02");
	assert_small_refused("binding arbitration", "no-kind", "texts/p/terms/2025-01-02.md",
			     "2025-01-02", "unknown kind 'no-kind'");
	assert_small_refused("binding arbitration", "arbitration", "texts/p/terms/missing.md",
			     "2025-01-02", "no text file 'texts/p/terms/missing.md'");
	assert_small_refused("binding arbitration", "arbitration", "texts/p/terms/2025-01-02.md",
			     "2024-12-31", "has no version '2024-12-31'");

	/* Deflated texts read the same; damaged ones are an error. */
	json = platform_json("All disputes go to binding arbitration.", "arbitration",
			     "texts/p/terms/2025-01-02.md", "2025-01-02");
	ds = parse_small_deflated(json, 0, err, sizeof(err));
	if (ds == NULL)
		fail_msg("deflated text: %s", err);
	assert_string_equal(ds->platforms[0].documents[0].versions[0].text, text);
	dataset_free(ds);
	ds = parse_small_deflated(json, 1, err, sizeof(err));
	assert_null(ds);
	assert_non_null(strstr(err, "cannot read 'texts/p/terms/2025-01-02.md'"));
	free(json);

	/* A document not served over https; a provision that names no law and
	 * says not why; two provisions with one excerpt. */
	json = platform_json("binding arbitration", "arbitration", "texts/p/terms/2025-01-02.md",
			     "2025-01-02");
	assert_refused_json(json, "https://p.test/t", "http://p.test/t",
			    "url 'http://p.test/t' is not https");
	assert_refused_json(json, ", \"regulations\": [{\"regulation\": \"r1\", \"why\": \"W\"}]",
			    "", "names no regulation and no 'no_regulation' reason");
	assert_refused_json(json, "\"W\"}]}]}", "\"W\"}]}, {\"key\": \"p/terms/arbitration-2\", \"document\": \"terms\","
			    " \"version\": \"2025-01-02\", \"kind\": \"arbitration\", \"excerpt\":"
			    " \"binding arbitration\", \"headline\": \"H\", \"analysis\": \"A\","
			    " \"impact\": \"I\", \"action\": \"Ac\", \"severity\": \"low\","
			    " \"severity_reason\": \"R\", \"no_regulation\": \"none applies\"}]}",
			    "provisions 'p/terms/arbitration' and 'p/terms/arbitration-2' share an excerpt");
	free(json);

	ds = parse_small("{\"slug\": \"p\",", err, sizeof(err));
	assert_null(ds);
	assert_non_null(strstr(err, "dataset: platforms/p.json: line"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_dataset_parses),
		cmocka_unit_test(test_dataset_is_full),
		cmocka_unit_test(test_every_excerpt_is_verbatim),
		cmocka_unit_test(test_seed_provisions_are_there),
		cmocka_unit_test(test_texts_come_from_the_corpus),
		cmocka_unit_test_setup_teardown(test_load_and_load_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_keeps_user_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_load_changes_nothing, setup, teardown),
		cmocka_unit_test(test_bad_datasets_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
