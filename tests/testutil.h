/*
 * testutil: what the cmocka tests share: temporary folders, running the
 * clause binary as a real process, and reading files.
 */
#ifndef CLAUSE_TESTUTIL_H
#define CLAUSE_TESTUTIL_H

#include <stddef.h>

/* A fresh temporary folder (mkdtemp); abort the test run if impossible.
 * Returns a malloc'd path. */
char *test_tmpdir(void);

/* Remove a folder made by test_tmpdir and everything in it, then free path. */
void test_rmdir(char *path);

/* path/name, malloc'd. */
char *test_path(const char *dir, const char *name);

struct test_run {
	int status;		/* Exit code, or 128 + signal. */
	char *out;		/* Standard output, NUL-terminated. */
	size_t outlen;
	char *err;		/* Standard error, NUL-terminated. */
};

/* Run $CLAUSE_BIN with args (NULL-terminated), under $CLAUSE_TEST_WRAPPER
 * when set (words split at spaces), with env_extra ("NAME=value" strings,
 * NULL-terminated, may be NULL) added to the environment and standard input
 * from /dev/null.  Fills r; free it with test_run_free. */
void test_clause(struct test_run *r, const char *const *env_extra, const char *const *args);
void test_run_free(struct test_run *r);

/* The whole of a file, NUL-terminated, or NULL. */
char *test_read_file(const char *path, size_t *len);

/* $CLAUSE_SHARED, or "../shared". */
const char *test_shared_dir(void);

#endif
