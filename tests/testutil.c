/*
 * testutil: helpers for the cmocka tests (see testutil.h).
 */

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static void
test_die(const char *what)
{
	fprintf(stderr, "testutil: %s: %s\n", what, strerror(errno));
	exit(99);
}

char *
test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *path;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	path = test_path(base, "clause-test.XXXXXX");
	if (mkdtemp(path) == NULL)
		test_die("mkdtemp");
	return path;
}

static void
remove_tree(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *e;

	if (dir != NULL) {
		while ((e = readdir(dir)) != NULL) {
			char *child;

			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			child = test_path(path, e->d_name);
			remove_tree(child);
			free(child);
		}
		closedir(dir);
		rmdir(path);
	} else {
		unlink(path);
	}
}

void
test_rmdir(char *path)
{
	if (path == NULL)
		return;
	remove_tree(path);
	free(path);
}

char *
test_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *s = malloc(n);

	if (s == NULL)
		test_die("malloc");
	snprintf(s, n, "%s/%s", dir, name);
	return s;
}

const char *
test_shared_dir(void)
{
	const char *dir = getenv("CLAUSE_SHARED");

	return dir != NULL && *dir != '\0' ? dir : "../shared";
}

/* Append what fd has ready to *buf. Returns 0 at end of file. */
static int
drain(int fd, char **buf, size_t *len, size_t *size)
{
	char chunk[8192];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : 0;
	if (n == 0)
		return 0;
	while (*len + (size_t)n + 1 > *size) {
		*size = *size > 0 ? *size * 2 : 16384;
		*buf = realloc(*buf, *size);
		if (*buf == NULL)
			test_die("realloc");
	}
	memcpy(*buf + *len, chunk, (size_t)n);
	*len += (size_t)n;
	(*buf)[*len] = '\0';
	return 1;
}

void
test_clause(struct test_run *r, const char *const *env_extra, const char *const *args)
{
	const char *bin = getenv("CLAUSE_BIN"), *wrapper = getenv("CLAUSE_TEST_WRAPPER");
	char *argv[64], *words = NULL, *save = NULL, *w;
	int outp[2], errp[2], argc = 0, status, open_fds = 2;
	size_t outsize = 0, errsize = 0, errlen = 0;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (bin == NULL)
		bin = "./clause";
	if (wrapper != NULL && *wrapper != '\0') {
		words = strdup(wrapper);
		for (w = strtok_r(words, " ", &save); w != NULL && argc < 32;
		     w = strtok_r(NULL, " ", &save))
			argv[argc++] = w;
	}
	argv[argc++] = (char *)bin;
	for (; *args != NULL && argc < 63; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;

	if (pipe(outp) != 0 || pipe(errp) != 0)
		test_die("pipe");
	pid = fork();
	if (pid < 0)
		test_die("fork");
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(outp[1], 1);
		dup2(errp[1], 2);
		close(outp[0]);
		close(errp[0]);
		for (; env_extra != NULL && *env_extra != NULL; env_extra++)
			putenv((char *)*env_extra);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(outp[1]);
	close(errp[1]);
	free(words);

	/* Read both pipes together so that neither can fill and block. */
	while (open_fds > 0) {
		struct pollfd fds[2] = { { outp[0], POLLIN, 0 }, { errp[0], POLLIN, 0 } };

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			test_die("poll");
		}
		if (fds[0].fd >= 0 && fds[0].revents != 0
		    && !drain(outp[0], &r->out, &r->outlen, &outsize)) {
			close(outp[0]);
			outp[0] = -1;
			open_fds--;
		}
		if (fds[1].fd >= 0 && fds[1].revents != 0
		    && !drain(errp[0], &r->err, &errlen, &errsize)) {
			close(errp[0]);
			errp[0] = -1;
			open_fds--;
		}
	}
	if (waitpid(pid, &status, 0) < 0)
		test_die("waitpid");
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (r->out == NULL)
		r->out = strdup("");
	if (r->err == NULL)
		r->err = strdup("");
}

void
test_run_free(struct test_run *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

char *
test_read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, size = 0, got;

	if (fp == NULL)
		return NULL;
	do {
		if (n + 65536 + 1 > size) {
			size = size > 0 ? size * 2 : 131072;
			buf = realloc(buf, size);
			if (buf == NULL)
				test_die("realloc");
		}
		got = fread(buf + n, 1, size - n - 1, fp);
		n += got;
	} while (got > 0);
	fclose(fp);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}
