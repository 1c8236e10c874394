/*
 * store: opening the database, its settings, statements and transactions.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store-internal.h"

/* How long a writer waits for another to finish before giving up (ms).
 * The UI, the fetch thread and a cron job may share one database. */
#define STORE_BUSY_TIMEOUT_MS 10000

static void
store_seterr(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	if (errsize == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
}

/* Create path with mode 0600 if it does not exist, so that SQLite (which
 * gives its -wal and -shm files the database's mode) never makes a file
 * that other users can read. */
static int
store_create_private(const char *path, char *err, size_t errsize)
{
	int fd;

	if (strcmp(path, ":memory:") == 0)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	store_seterr(err, errsize, "cannot create '%s': %s", path, strerror(errno));
	return -1;
}

/* Switch to WAL.  Changing the journal mode needs the database to itself,
 * and SQLite does not call the busy handler for it: when another process
 * is creating the same new database, wait and try again, as long as the
 * busy timeout. */
static int
store_set_wal(sqlite3 *db, char **msg)
{
	int waited, rc = SQLITE_BUSY;

	for (waited = 0; waited <= STORE_BUSY_TIMEOUT_MS; waited += 10) {
		sqlite3_free(*msg);
		*msg = NULL;
		rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, msg);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
		sqlite3_sleep(10);
	}
	return rc;
}

struct store *
store_open(const char *path, char *err, size_t errsize)
{
	struct store *st;
	char *msg = NULL;

	if (store_create_private(path, err, errsize) != 0)
		return NULL;
	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		store_seterr(err, errsize, "out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
	    != SQLITE_OK) {
		store_seterr(err, errsize, "cannot open '%s': %s", path,
			     st->db != NULL ? sqlite3_errmsg(st->db) : "out of memory");
		goto error;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	if (store_set_wal(st->db, &msg) != SQLITE_OK
	    || sqlite3_exec(st->db,
			    "PRAGMA synchronous = NORMAL;"
			    "PRAGMA foreign_keys = ON;"
			    /* No memory map: while a fetch or an import grows
			     * the file, every read transaction of a long-lived
			     * browser remapped it, and tearing down the page
			     * tables made its redraws three times slower (the
			     * worst key 80 ms against 17 ms read through the
			     * page cache below). */
			    "PRAGMA mmap_size = 0;"
			    "PRAGMA cache_size = -16384;",
			    NULL, NULL, &msg) != SQLITE_OK) {
		store_seterr(err, errsize, "cannot set up '%s': %s", path,
			     msg != NULL ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		goto error;
	}
	if (store_rank_register(st->db) != SQLITE_OK || store_rank_walk_register(st) != SQLITE_OK
	    || store_search_register(st) != SQLITE_OK) {
		store_seterr(err, errsize, "cannot set up '%s': no FTS5 ranking: %s", path,
			     sqlite3_errmsg(st->db));
		goto error;
	}
	if (store_schema_migrate(st->db, STORE_SCHEMA_VERSION, st->errmsg, sizeof(st->errmsg))
	    != STORE_OK) {
		store_seterr(err, errsize, "'%s': %s", path, st->errmsg);
		goto error;
	}
	return st;

error:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	for (i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	store_stem_close(st);
	sqlite3_close(st->db);
	free(st);
}

const char *
store_errmsg(const struct store *st)
{
	return st->errmsg;
}

int
store_schema_version(struct store *st)
{
	sqlite3_stmt *stmt;
	int version = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return version;
}

sqlite3_stmt *
store_stmt(struct store *st, enum store_stmt id)
{
	sqlite3_stmt *stmt = st->stmt[id];

	if (stmt == NULL) {
		if (sqlite3_prepare_v3(st->db, store_stmt_sql(id), -1, SQLITE_PREPARE_PERSISTENT,
				       &stmt, NULL) != SQLITE_OK) {
			snprintf(st->errmsg, sizeof(st->errmsg), "cannot prepare statement %d: %s",
				 (int)id, sqlite3_errmsg(st->db));
			return NULL;
		}
		st->stmt[id] = stmt;
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return stmt;
}

int
store_fail(struct store *st, const char *what)
{
	snprintf(st->errmsg, sizeof(st->errmsg), "%s: %s", what, sqlite3_errmsg(st->db));
	return STORE_ERROR;
}

int
store_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
	if (text == NULL)
		return sqlite3_bind_null(stmt, index);
	return sqlite3_bind_text(stmt, index, text, -1, SQLITE_STATIC);
}

const char *
store_column_text(sqlite3_stmt *stmt, int column)
{
	return (const char *)sqlite3_column_text(stmt, column);
}

int
store_step_done(struct store *st, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(st, what);
	return STORE_OK;
}

static int
store_run(struct store *st, enum store_stmt id, const char *what)
{
	sqlite3_stmt *stmt = store_stmt(st, id);

	if (stmt == NULL)
		return STORE_ERROR;
	return store_step_done(st, stmt, what);
}

int
store_begin(struct store *st)
{
	return store_run(st, STMT_BEGIN, "cannot begin a transaction");
}

int
store_commit(struct store *st)
{
	return store_run(st, STMT_COMMIT, "cannot commit");
}

int
store_rollback(struct store *st)
{
	/* A failed statement may already have rolled the transaction back. */
	if (sqlite3_get_autocommit(st->db))
		return STORE_OK;
	return store_run(st, STMT_ROLLBACK, "cannot roll back");
}
