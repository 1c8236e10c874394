/*
 * test-update: relocating provisions in a new version of their document,
 * and recording that version, its change and what it did to each
 * provision, on real version pairs from ../shared/corpus.
 */

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "relocate.h"
#include "store-internal.h"
#include "store.h"
#include "testutil.h"
#include "update.h"

/* Claude's consumer terms, as Open Terms Archive read them on two days. */
#define OLD_TERMS "versions/claude-ai/terms-of-service/2025-10-09.md"
#define NEW_TERMS "versions/claude-ai/terms-of-service/2025-12-07.md"

/* A sentence of the old terms that the new ones reword: "immediately"
 * went, "at least" came. */
#define SUBSCRIPTION_OLD \
	"If you have a Subscription, we may terminate the Subscription immediately at any " \
	"time by giving you 30 days\u2019 notice in writing (email is sufficient)."
#define SUBSCRIPTION_NEW \
	"If you have a Subscription, we may terminate the Subscription at any time by " \
	"giving you at least 30 days\u2019 notice in writing (email is sufficient)."
/* A sentence in both. */
#define REFUND \
	"If we exercise this right, we will refund you on a pro rata basis the fees paid by " \
	"you for the remaining portion of your Subscription after termination."

static char *
corpus_text(const char *name)
{
	char *path = test_path(test_shared_dir(), "corpus"), *file, *text;

	file = test_path(path, name);
	text = test_read_file(file, NULL);
	if (text == NULL)
		fail_msg("cannot read %s", file);
	free(path);
	free(file);
	return text;
}

static void
find(const char *text, const char *excerpt, struct relocate_match *m)
{
	struct relocate_text *t = relocate_prepare(text);

	assert_non_null(t);
	assert_int_equal(relocate_find(t, excerpt, m), 0);
	relocate_text_free(t);
}

static void
test_verbatim_despite_white_space(void **state)
{
	struct relocate_match m;

	(void)state;
	find("# Terms\n\nWe may use\n   your chats\tto train our models.\n", 
	     "We may use your chats to train our models.", &m);
	assert_int_equal(m.outcome, RELOCATE_CURRENT);
	assert_true(m.similarity == 1.0);
}

static void
test_reworded_sentence_is_changed(void **state)
{
	const char *text = "# Training\n\nWe use your chats to improve Claude.\n\n"
			   "We may use your chats to train our models, unless you opt out in "
			   "your settings or you rate a reply. Other text follows here.\n";
	struct relocate_match m;

	(void)state;
	find(text, "We may use your chats to train our models, unless you opt out in your "
		   "settings.", &m);
	assert_int_equal(m.outcome, RELOCATE_CHANGED);
	assert_true(m.similarity >= RELOCATE_THRESHOLD);
	assert_true(m.similarity < 1.0);
	/* The passage is the whole reworded sentence, its full stop included. */
	assert_int_equal(m.end - m.start,
			 strlen("We may use your chats to train our models, unless you opt out "
				"in your settings or you rate a reply."));
	assert_memory_equal(text + m.start, "We may use your chats", 21);
	assert_int_equal(text[m.end - 1], '.');
}

static void
test_unrelated_text_is_removed(void **state)
{
	struct relocate_match m;

	(void)state;
	find("# Cookies\n\nWe use cookies to remember your language.\n",
	     "Any dispute will be settled by binding arbitration in San Francisco.", &m);
	assert_int_equal(m.outcome, RELOCATE_REMOVED);
	assert_true(m.similarity < RELOCATE_THRESHOLD);
	/* Nothing to find in an empty text either. */
	find("", "Any dispute will be settled by binding arbitration.", &m);
	assert_int_equal(m.outcome, RELOCATE_REMOVED);
}

static void
test_part_of_a_sentence(void **state)
{
	const char *text = "When you delete a chat, we remove it from your history at once and "
			   "delete it from our back-end systems within 30 days, unless the law "
			   "requires us to keep it longer.\n";
	struct relocate_match m;

	(void)state;
	/* A clause of a long sentence, one word changed. */
	find(text, "and delete it from our back-end systems within 60 days, unless the law "
		   "requires us to keep it longer", &m);
	assert_int_equal(m.outcome, RELOCATE_CHANGED);
	assert_non_null(strstr(text + m.start, "delete it from our back-end systems"));
}

/* The corpus: Claude's terms between two recorded versions. */
static void
test_corpus_version_pair(void **state)
{
	char *old_text = corpus_text(OLD_TERMS), *new_text = corpus_text(NEW_TERMS);
	struct relocate_match m;

	(void)state;
	assert_non_null(strstr(old_text, SUBSCRIPTION_OLD));
	assert_null(strstr(new_text, SUBSCRIPTION_OLD));
	find(new_text, SUBSCRIPTION_OLD, &m);
	assert_int_equal(m.outcome, RELOCATE_CHANGED);
	assert_int_equal(m.end - m.start, strlen(SUBSCRIPTION_NEW));
	assert_memory_equal(new_text + m.start, SUBSCRIPTION_NEW, strlen(SUBSCRIPTION_NEW));

	find(new_text, REFUND, &m);
	assert_int_equal(m.outcome, RELOCATE_CURRENT);
	free(old_text);
	free(new_text);
}

/*
 * update_record on a store.
 */

struct fixture {
	char *dir;
	struct store *st;
	int64_t document;
	int64_t subscription, refund, gone;
};

static int64_t
put_provision(struct store *st, int64_t document, int64_t version, const char *key,
	      const char *kind, const char *excerpt)
{
	struct store_provision_in p = { 0 };
	int64_t id = 0;

	p.key = key;
	p.document_id = document;
	p.kind = kind;
	p.excerpt = excerpt;
	p.headline = "headline";
	p.first_version = version;
	p.last_version = version;
	assert_int_equal(store_put_provision(st, &p, &id), STORE_OK);
	return id;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char *path, err[256];
	int64_t platform, kind;

	f->dir = test_tmpdir();
	path = test_path(f->dir, "update.db");
	f->st = store_open(path, err, sizeof(err));
	free(path);
	if (f->st == NULL)
		fail_msg("store_open: %s", err);
	assert_int_equal(store_put_platform(f->st, "claude-ai", "Claude", "Anthropic", "AI", "",
					    &platform), STORE_OK);
	assert_int_equal(store_put_document(f->st, platform, "terms", "Consumer Terms",
					    "https://www.anthropic.com/legal/consumer-terms", NULL,
					    &f->document), STORE_OK);
	assert_int_equal(store_put_type(f->st, "unilateral-termination", "Termination", "", "",
					&kind), STORE_OK);
	assert_int_equal(store_put_type(f->st, "jurisdiction", "Jurisdiction", "", "", &kind),
			 STORE_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	test_rmdir(f->dir);
	free(f);
	return 0;
}

static int
sql_int(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	int value = -1;

	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return value;
}

static char *
sql_text(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	char *value = NULL;

	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != NULL)
		value = strdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return value;
}

static void
record(struct fixture *f, const char *text, const char *at, struct update_result *r)
{
	struct update_in in = { 0 };
	char err[256];

	in.document_id = f->document;
	in.text = text;
	in.source = "fetched";
	in.at = at;
	in.etag = "\"abc\"";
	if (update_record(f->st, &in, r, err, sizeof(err)) != 0)
		fail_msg("update_record: %s", err);
}

static void
test_record_versions_and_relocate(void **state)
{
	struct fixture *f = *state;
	char *old_text = corpus_text(OLD_TERMS), *new_text = corpus_text(NEW_TERMS), *s;
	struct update_result r;
	char sql[256];

	record(f, old_text, "2025-10-09T00:00:00Z", &r);
	assert_int_equal(r.first_version, 1);
	assert_int_equal(r.new_version, 1);
	assert_int_equal(strlen(r.sha256), 64);

	f->subscription = put_provision(f->st, f->document, r.version_id, "t1",
					"unilateral-termination", SUBSCRIPTION_OLD);
	f->refund = put_provision(f->st, f->document, r.version_id, "t2",
				  "unilateral-termination", REFUND);
	f->gone = put_provision(f->st, f->document, r.version_id, "t3", "jurisdiction",
				"Any dispute will be settled by binding arbitration in the "
				"courts of Atlantis under the laws of the sea.");

	/* The same text again: checked, nothing new. */
	record(f, old_text, "2025-10-10T00:00:00Z", &r);
	assert_int_equal(r.new_version, 0);
	assert_int_equal(r.change_id, 0);
	assert_string_equal(r.summary, "unchanged");
	assert_int_equal(sql_int(f->st, "SELECT count(*) FROM version"), 1);
	s = sql_text(f->st, "SELECT checked_at FROM document");
	assert_string_equal(s, "2025-10-10T00:00:00Z");
	free(s);

	record(f, new_text, "2025-12-07T00:00:00Z", &r);
	assert_int_equal(r.new_version, 1);
	assert_int_equal(r.first_version, 0);
	assert_true(r.change_id > 0);
	assert_int_equal(r.current, 1);
	assert_int_equal(r.changed, 1);
	assert_int_equal(r.removed, 1);
	assert_true(r.changed_paras > 0);
	assert_non_null(strstr(r.summary, "provisions reworded: Termination"));
	assert_non_null(strstr(r.summary, "provisions no longer found: Jurisdiction"));
	assert_int_equal(sql_int(f->st, "SELECT count(*) FROM version"), 2);

	/* The provisions' states, and which version each cites. */
	snprintf(sql, sizeof(sql), "SELECT status = 'changed' AND last_version = %lld"
		 " FROM provision WHERE id = %lld", (long long)(r.version_id - 1),
		 (long long)f->subscription);
	assert_int_equal(sql_int(f->st, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT status = 'current' AND last_version = %lld"
		 " FROM provision WHERE id = %lld", (long long)r.version_id,
		 (long long)f->refund);
	assert_int_equal(sql_int(f->st, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT status FROM provision WHERE id = %lld",
		 (long long)f->gone);
	s = sql_text(f->st, sql);
	assert_string_equal(s, "removed");
	free(s);

	/* The change keeps before and after of the reworded provision. */
	snprintf(sql, sizeof(sql), "SELECT after FROM provision_change WHERE provision_id = %lld"
		 " AND what = 'changed'", (long long)f->subscription);
	s = sql_text(f->st, sql);
	assert_non_null(s);
	assert_string_equal(s, SUBSCRIPTION_NEW);
	free(s);
	assert_int_equal(sql_int(f->st, "SELECT count(*) FROM provision_change"), 3);
	assert_int_equal(sql_int(f->st, "SELECT count(*) FROM change WHERE from_version IS NOT NULL"
				 " AND cause = 'platform'"), 1);
	s = sql_text(f->st, "SELECT etag FROM version ORDER BY id DESC LIMIT 1");
	assert_string_equal(s, "\"abc\"");
	free(s);
	free(old_text);
	free(new_text);
}

/* A failure inside the transaction leaves the document as it was: here a
 * provision change cannot be written (the table is gone). */
static void
test_failure_keeps_document(void **state)
{
	struct fixture *f = *state;
	struct update_in in = { 0 };
	struct update_result r;
	char err[256];

	record(f, "We may use your chats to train our models.\n", "2025-01-01T00:00:00Z", &r);
	put_provision(f->st, f->document, r.version_id, "t1", "jurisdiction",
		      "We may use your chats to train our models.");
	assert_int_equal(sqlite3_exec(f->st->db, "DROP TABLE provision_change", NULL, NULL, NULL),
			 SQLITE_OK);
	in.document_id = f->document;
	in.text = "We will never use your chats to train anything at all.\n";
	in.source = "fetched";
	in.at = "2025-02-01T00:00:00Z";
	assert_int_equal(update_record(f->st, &in, &r, err, sizeof(err)), -1);
	assert_true(strlen(err) > 0);
	assert_int_equal(sql_int(f->st, "SELECT count(*) FROM version"), 1);
	assert_int_equal(sql_int(f->st, "SELECT count(*) FROM change"), 1);
	assert_int_equal(sql_int(f->st, "SELECT count(*) FROM provision WHERE status = 'current'"),
			 1);
}

/* A version older than one kept (history imported after a fetch) goes in
 * its place in time: a change from the version before it, and the
 * provisions, which follow the newest text, are left alone.  Recording the
 * same text at the same time again changes nothing. */
static void
test_history_goes_in_its_place(void **state)
{
	struct fixture *f = *state;
	struct update_result r;
	int64_t pid;
	char *s;

	record(f, "We may use your chats to train our models.\n", "2025-01-01", &r);
	record(f, "We may use your chats to train our models unless you opt out.\n",
	       "2025-12-01T00:00:00Z", &r);
	pid = put_provision(f->st, f->document, r.version_id, "t1", "jurisdiction",
			    "We may use your chats to train our models unless you opt out.");
	record(f, "We use nothing at all of what you write, ever, for any purpose.\n",
	       "2025-06-01", &r);
	assert_int_equal(r.new_version, 1);
	assert_true(r.change_id > 0);
	assert_int_equal(r.current + r.changed + r.removed, 0);
	s = sql_text(f->st, "SELECT fv.retrieved_at FROM change c JOIN version fv"
			    " ON fv.id = c.from_version ORDER BY c.id DESC LIMIT 1");
	assert_string_equal(s, "2025-01-01");
	free(s);
	assert_int_equal(sql_int(f->st, "SELECT count(*) FROM provision WHERE status = 'current'"),
			 1);
	(void)pid;
	/* The document's check date is the newest's, not the history's. */
	s = sql_text(f->st, "SELECT checked_at FROM document");
	assert_string_equal(s, "2025-12-01T00:00:00Z");
	free(s);

	record(f, "We use nothing at all of what you write, ever, for any purpose.\n",
	       "2025-06-01", &r);
	assert_int_equal(r.new_version, 0);
	assert_int_equal(r.change_id, 0);
	assert_int_equal(sql_int(f->st, "SELECT count(*) FROM version"), 3);
	assert_int_equal(sql_int(f->st, "SELECT count(*) FROM change"), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verbatim_despite_white_space),
		cmocka_unit_test(test_reworded_sentence_is_changed),
		cmocka_unit_test(test_unrelated_text_is_removed),
		cmocka_unit_test(test_part_of_a_sentence),
		cmocka_unit_test(test_corpus_version_pair),
		cmocka_unit_test_setup_teardown(test_record_versions_and_relocate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_keeps_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_goes_in_its_place, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
