/*
 * bench-import: how fast clause import-ota-versions reads a history.
 *
 * It builds, with libgit2, a versions repository of the whole corpus the
 * way Open Terms Archive records it (SERVICE/TERMS TYPE.md, one commit per
 * recorded version, oldest first), then times clause importing it into a
 * database that already holds the embedded dataset, and prints versions
 * per second and peak RSS.  A second import of the same repository, which
 * adds nothing, is timed too.  A benchmark reports and does not judge: it
 * exits 0 whatever the figures, 1 only when something failed.
 */

#include "config.h"

#include <dirent.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "testutil.h"

extern char **environ;

struct record {
	char path[512];		/* The corpus file. */
	char entry[256];	/* SERVICE/TERMS TYPE.md in the repository. */
	char date[11];
};

static int
by_date(const void *a, const void *b)
{
	const struct record *x = a, *y = b;
	int c = strcmp(x->date, y->date);

	return c != 0 ? c : strcmp(x->entry, y->entry);
}

/* "terms-of-service" -> "Terms Of Service": OTA's names are words. */
static void
type_name(const char *slug, char *out, size_t size)
{
	size_t i, n = 0;
	int start = 1;

	for (i = 0; slug[i] != '\0' && n + 1 < size; i++) {
		char c = slug[i] == '-' ? ' ' : slug[i];

		out[n++] = start && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
		start = c == ' ';
	}
	out[n] = '\0';
}

/* Every version file of the corpus; *n of them, malloc'd. */
static struct record *
list_versions(const char *root, size_t *n)
{
	struct record *v = NULL;
	size_t cap = 0;
	DIR *services = opendir(root);
	struct dirent *s;

	*n = 0;
	if (services == NULL)
		return NULL;
	while ((s = readdir(services)) != NULL) {
		char sdir[512];
		DIR *docs;
		struct dirent *d;

		if (s->d_name[0] == '.')
			continue;
		snprintf(sdir, sizeof(sdir), "%s/%s", root, s->d_name);
		if ((docs = opendir(sdir)) == NULL)
			continue;
		while ((d = readdir(docs)) != NULL) {
			char ddir[768], type[128];
			DIR *files;
			struct dirent *f;

			if (d->d_name[0] == '.')
				continue;
			snprintf(ddir, sizeof(ddir), "%s/%s", sdir, d->d_name);
			if ((files = opendir(ddir)) == NULL)
				continue;
			type_name(d->d_name, type, sizeof(type));
			while ((f = readdir(files)) != NULL) {
				if (strlen(f->d_name) != 13 || strcmp(f->d_name + 10, ".md") != 0)
					continue;
				if (*n == cap) {
					cap = cap != 0 ? cap * 2 : 256;
					v = realloc(v, cap * sizeof(*v));
					if (v == NULL) {
						closedir(files);
						closedir(docs);
						closedir(services);
						return NULL;
					}
				}
				snprintf(v[*n].path, sizeof(v[*n].path), "%.300s/%.40s", ddir, f->d_name);
				snprintf(v[*n].entry, sizeof(v[*n].entry), "%.100s/%.100s.md", s->d_name,
					 type);
				snprintf(v[*n].date, sizeof(v[*n].date), "%.10s", f->d_name);
				(*n)++;
			}
			closedir(files);
		}
		closedir(docs);
	}
	closedir(services);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), by_date);
	return v;
}

/* The repository: one commit per version, the index holding every file
 * recorded so far. */
static int
build_repository(const char *path, const struct record *v, size_t n)
{
	git_repository *repo = NULL;
	git_index *index = NULL;
	git_commit *parent = NULL;
	size_t i;
	int rc = -1;

	if (git_repository_init(&repo, path, 0) != 0 || git_repository_index(&index, repo) != 0)
		goto done;
	for (i = 0; i < n; i++) {
		git_index_entry entry;
		git_oid tree_id, commit_id;
		git_tree *tree;
		git_signature *sig;
		struct tm tm;
		size_t len;
		char *text = test_read_file(v[i].path, &len), message[300];

		if (text == NULL)
			goto done;
		memset(&entry, 0, sizeof(entry));
		entry.mode = GIT_FILEMODE_BLOB;
		entry.path = v[i].entry;
		if (git_index_add_from_buffer(index, &entry, text, len) != 0) {
			free(text);
			goto done;
		}
		free(text);
		memset(&tm, 0, sizeof(tm));
		strptime(v[i].date, "%Y-%m-%d", &tm);
		tm.tm_hour = 12;
		snprintf(message, sizeof(message), "Record new changes of %s\n", v[i].entry);
		if (git_index_write_tree_to(&tree_id, index, repo) != 0
		    || git_tree_lookup(&tree, repo, &tree_id) != 0)
			goto done;
		if (git_signature_new(&sig, "OTA-Bot", "bot@example.org", timegm(&tm), 0) != 0) {
			git_tree_free(tree);
			goto done;
		}
		rc = git_commit_create_v(&commit_id, repo, "HEAD", sig, sig, NULL, message, tree,
					 parent != NULL ? 1 : 0, parent);
		git_signature_free(sig);
		git_tree_free(tree);
		git_commit_free(parent);
		parent = NULL;
		if (rc != 0 || git_commit_lookup(&parent, repo, &commit_id) != 0) {
			rc = -1;
			goto done;
		}
	}
	rc = 0;
done:
	if (rc != 0)
		fprintf(stderr, "bench-import: %s\n",
			git_error_last() != NULL ? git_error_last()->message : "cannot build");
	git_commit_free(parent);
	git_index_free(index);
	git_repository_free(repo);
	return rc;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* clause --db DB args...: wall time and peak RSS. */
static int
run_timed(const char *db, const char *a, const char *b, double *seconds, long *rss_kb)
{
	const char *bin = getenv("CLAUSE_BIN");
	const char *argv[] = { bin, "--db", db, a, b, NULL };
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	double start = now_s();
	pid_t pid;
	int status;

	if (bin == NULL) {
		fprintf(stderr, "bench-import: CLAUSE_BIN is not set\n");
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", 01, 0);
	/* posix_spawn takes char *const[] but does not change the strings. */
	if (posix_spawn(&pid, bin, &fa, NULL, (char *const *)argv, environ) != 0
	    || wait4(pid, &status, 0, &ru) < 0) {
		posix_spawn_file_actions_destroy(&fa);
		perror("bench-import");
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	*seconds = now_s() - start;
	*rss_kb = ru.ru_maxrss;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench-import: clause %s failed (status %d)\n", a, status);
		return -1;
	}
	return 0;
}

int
main(void)
{
	char *dir = test_tmpdir(), *repo = test_path(dir, "versions.git");
	char *db = test_path(dir, "import.db"), *corpus = test_path(test_shared_dir(),
								     "corpus/versions");
	struct record *v;
	double load, first, again;
	long rss_load, rss_first, rss_again;
	size_t n;
	int rc = 1;

	git_libgit2_init();
	v = list_versions(corpus, &n);
	if (v == NULL || n == 0) {
		fprintf(stderr, "bench-import: no versions under %s\n", corpus);
		goto done;
	}
	if (build_repository(repo, v, n) != 0
	    || run_timed(db, "platforms", NULL, &load, &rss_load) != 0
	    || run_timed(db, "import-ota-versions", repo, &first, &rss_first) != 0
	    || run_timed(db, "import-ota-versions", repo, &again, &rss_again) != 0)
		goto done;
	printf("import-ota-versions: the corpus's history, %zu versions in %zu commits\n", n, n);
	printf("  first import   %6.2f s   %6.0f versions/s   peak RSS %ld kB\n", first,
	       (double)n / first, rss_first);
	printf("  again (no-op)  %6.2f s   %6.0f versions/s   peak RSS %ld kB\n", again,
	       (double)n / again, rss_again);
	rc = 0;
done:
	free(v);
	free(corpus);
	free(db);
	free(repo);
	test_rmdir(dir);
	git_libgit2_shutdown();
	return rc;
}
