/*
 * paths: the database's location, after DESIGN.md's conventions, and the
 * helper programs'.
 */

#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

/* Create dir and its missing parents, mode 0700. */
static int
paths_mkdirs(char *dir, char *err, size_t errsize)
{
	char *slash;

	for (slash = strchr(dir + 1, '/');; slash = strchr(slash + 1, '/')) {
		if (slash != NULL)
			*slash = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			snprintf(err, errsize, "cannot create '%s': %s", dir, strerror(errno));
			if (slash != NULL)
				*slash = '/';
			return -1;
		}
		if (slash == NULL)
			return 0;
		*slash = '/';
	}
}

static char *
paths_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 1;
	char *s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "%s%s", a, b);
	return s;
}

char *
paths_database(const char *explicit_path, char *err, size_t errsize)
{
	const char *env = getenv("CLAUSE_DB"), *base;
	char *path, *dir;

	if (explicit_path != NULL || (env != NULL && *env != '\0')) {
		path = strdup(explicit_path != NULL ? explicit_path : env);
		if (path == NULL)
			snprintf(err, errsize, "out of memory");
		else if (*path == '\0') {
			snprintf(err, errsize, "the database path is empty");
			free(path);
			path = NULL;
		}
		return path;
	}

	base = getenv("XDG_DATA_HOME");
	if (base != NULL && base[0] == '/')
		dir = paths_join(base, "/clause");
	else if ((base = getenv("HOME")) != NULL && base[0] == '/')
		dir = paths_join(base, "/.local/share/clause");
	else {
		snprintf(err, errsize, "neither XDG_DATA_HOME nor HOME is set: use --db PATH");
		return NULL;
	}
	if (dir == NULL) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	if (paths_mkdirs(dir, err, errsize) != 0) {
		free(dir);
		return NULL;
	}
	path = paths_join(dir, "/clause.db");
	free(dir);
	if (path == NULL)
		snprintf(err, errsize, "out of memory");
	return path;
}

static char *
join(const char *dir, size_t dirlen, const char *name)
{
	size_t len = dirlen + 1 + strlen(name) + 1;
	char *path = malloc(len);

	if (path != NULL)
		snprintf(path, len, "%.*s/%s", (int)dirlen, dir, name);
	return path;
}

char *
paths_helper(const char *name, char *err, size_t errsize)
{
	const char *dir = getenv("CLAUSE_LIBEXECDIR");
	char self[PATH_MAX], *path;
	ssize_t n;

	if (dir != NULL && dir[0] != '\0')
		path = join(dir, strlen(dir), name);
	else if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) > 0
		 && memchr(self, '/', (size_t)n) != NULL) {
		self[n] = '\0';
		path = join(self, (size_t)(strrchr(self, '/') - self), name);
		if (path != NULL && access(path, X_OK) != 0) {
			free(path);
			path = join(PKGLIBEXECDIR, strlen(PKGLIBEXECDIR), name);
		}
	} else
		path = join(PKGLIBEXECDIR, strlen(PKGLIBEXECDIR), name);
	if (path == NULL)
		snprintf(err, errsize, "out of memory");
	return path;
}
