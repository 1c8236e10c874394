/*
 * filter: run a helper program over a buffer, within bounds (see filter.h).
 *
 * The input goes through a socket, not a pipe, so that it can be sent
 * with MSG_NOSIGNAL: a helper that exits before reading everything must
 * not raise SIGPIPE in a browser or a fetch thread.  Output and error are
 * read from non-blocking pipes in one poll() loop beside the writes, so a
 * helper that writes before it has read all its input cannot deadlock.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "filter.h"
#include "strbuf.h"

extern char **environ;

/* What the helper writes on standard error: only the last of it matters
 * (libraries are chatty before the helper says why it failed). */
#define ERROR_TAIL 4096

/* A stream read from the helper: standard output whole, up to a bound, or
 * the last ERROR_TAIL bytes of standard error. */
struct sink {
	struct strbuf *out;	/* Standard output; NULL for the error stream. */
	size_t max;		/* Bytes of output allowed. */
	int over;		/* The output went past max. */
	char tail[ERROR_TAIL];	/* The error stream's last bytes. */
	size_t tail_len;
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int
sink_add(struct sink *k, const char *buf, size_t n)
{
	if (k->out != NULL) {
		if (k->out->len + n > k->max) {
			k->over = 1;
			return 0;
		}
		return strbuf_add(k->out, buf, n);
	}
	if (n >= ERROR_TAIL) {
		memcpy(k->tail, buf + n - ERROR_TAIL, ERROR_TAIL);
		k->tail_len = ERROR_TAIL;
		return 0;
	}
	if (k->tail_len + n > ERROR_TAIL) {
		size_t drop = k->tail_len + n - ERROR_TAIL;

		memmove(k->tail, k->tail + drop, k->tail_len - drop);
		k->tail_len -= drop;
	}
	memcpy(k->tail + k->tail_len, buf, n);
	k->tail_len += n;
	return 0;
}

/* Read what fd has now.  1 at end of file, 0 when it may have more, -1 on
 * an error (errno) or out of memory (errno ENOMEM). */
static int
sink_read(int fd, struct sink *k)
{
	char buf[65536];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 1;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		}
		if (sink_add(k, buf, (size_t)n) != 0) {
			errno = ENOMEM;
			return -1;
		}
		if (k->over)
			return 0;
	}
}

/* The helper's reason: the last non-empty line of its standard error,
 * with control characters made '?' (it may quote the hostile input). */
static void
last_line(const struct sink *k, char *err, size_t errlen)
{
	size_t end = k->tail_len, start, i, n = 0;

	while (end > 0 && (k->tail[end - 1] == '\n' || k->tail[end - 1] == '\r'
			   || k->tail[end - 1] == ' '))
		end--;
	for (start = end; start > 0 && k->tail[start - 1] != '\n'; start--)
		;
	for (i = start; i < end && n + 1 < errlen; i++) {
		unsigned char c = (unsigned char)k->tail[i];

		err[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	err[n] = '\0';
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int
set_nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/* Start argv[0] with its standard input, output and error on the given
 * descriptors.  0 with *pid, or an errno value. */
static int
spawn(const char *const *argv, int in, int out, int errfd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	int rc;

	rc = posix_spawn_file_actions_init(&fa);
	if (rc != 0)
		return rc;
	rc = posix_spawn_file_actions_adddup2(&fa, in, STDIN_FILENO);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(&fa, errfd, STDERR_FILENO);
	/* posix_spawn takes char *const[] but does not change the strings. */
	if (rc == 0)
		rc = posix_spawn(pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

int
filter_run(const char *const *argv, const char *in, size_t inlen,
	   const struct filter_bounds *bounds, char **out, size_t *outlen, char *err,
	   size_t errlen)
{
	int in_sv[2] = { -1, -1 }, out_p[2] = { -1, -1 }, err_p[2] = { -1, -1 };
	struct strbuf text;
	struct sink output = { &text, bounds->max_output, 0, "", 0 };
	struct sink errors = { NULL, 0, 0, "", 0 };
	const char *name = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 : argv[0];
	long deadline = now_ms() + bounds->timeout_ms;
	size_t sent = 0;
	pid_t pid;
	int rc, status;

	*out = NULL;
	strbuf_init(&text, 0);	/* Bounded by output.max, to tell why it stops. */
	*outlen = 0;
	err[0] = '\0';
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_sv) != 0
	    || pipe2(out_p, O_CLOEXEC) != 0 || pipe2(err_p, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(errno));
		goto fail;
	}
	rc = spawn(argv, in_sv[1], out_p[1], err_p[1], &pid);
	if (rc != 0) {
		snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(rc));
		goto fail;
	}
	close_fd(&in_sv[1]);
	close_fd(&out_p[1]);
	close_fd(&err_p[1]);
	if (set_nonblocking(in_sv[0]) != 0 || set_nonblocking(out_p[0]) != 0
	    || set_nonblocking(err_p[0]) != 0) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		goto stop;
	}
	if (inlen == 0)
		close_fd(&in_sv[0]);

	while (out_p[0] >= 0 || err_p[0] >= 0) {
		struct pollfd fds[3] = { { in_sv[0], POLLOUT, 0 }, { out_p[0], POLLIN, 0 },
					 { err_p[0], POLLIN, 0 } };
		long left = deadline - now_ms();
		int i;

		if (left <= 0) {
			if (bounds->timeout_ms >= 1000)
				snprintf(err, errlen, "%s: stopped after %d s", name,
					 bounds->timeout_ms / 1000);
			else
				snprintf(err, errlen, "%s: stopped after %d ms", name,
					 bounds->timeout_ms);
			goto stop;
		}
		/* A descriptor of -1 is left out of poll(). */
		rc = poll(fds, 3, left > 1000000L ? 1000000 : (int)left);
		if (rc < 0 && errno != EINTR) {
			snprintf(err, errlen, "%s: poll: %s", name, strerror(errno));
			goto stop;
		}
		if (rc <= 0)
			continue;
		if (fds[0].revents != 0) {
			size_t chunk = inlen - sent < 65536 ? inlen - sent : 65536;
			ssize_t n = send(in_sv[0], in + sent, chunk, MSG_NOSIGNAL | MSG_DONTWAIT);

			if (n > 0)
				sent += (size_t)n;
			/* EPIPE: it stopped reading; its exit status says why. */
			if ((n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			    || sent == inlen)
				close_fd(&in_sv[0]);
		}
		for (i = 1; i <= 2; i++) {
			int *fd = i == 1 ? &out_p[0] : &err_p[0];
			struct sink *k = i == 1 ? &output : &errors;

			if (fds[i].revents == 0)
				continue;
			rc = sink_read(*fd, k);
			if (rc < 0) {
				snprintf(err, errlen, "%s: reading its output: %s", name,
					 strerror(errno));
				goto stop;
			}
			if (k->over) {
				snprintf(err, errlen, "%s: stopped past %zu bytes of output",
					 name, bounds->max_output);
				goto stop;
			}
			if (rc == 1)
				close_fd(fd);
		}
	}
	close_fd(&in_sv[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "%s: cannot wait for it: %s", name, strerror(errno));
			goto fail;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		if ((*out = strbuf_detach(&text, outlen)) == NULL) {
			*outlen = 0;
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		return 0;
	}
	last_line(&errors, err, errlen);
	if (err[0] == '\0' && WIFSIGNALED(status))
		snprintf(err, errlen, "%s: killed by signal %d", name, WTERMSIG(status));
	else if (err[0] == '\0')
		snprintf(err, errlen, "%s: exit status %d", name,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	goto fail;

stop:
	/* err says why. */
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
fail:
	close_fd(&in_sv[0]);
	close_fd(&in_sv[1]);
	close_fd(&out_p[0]);
	close_fd(&out_p[1]);
	close_fd(&err_p[0]);
	close_fd(&err_p[1]);
	strbuf_free(&text);
	return -1;
}
