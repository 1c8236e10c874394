/*
 * screen: a program on a pseudo-terminal, rendered by libvterm (see
 * screen.h).
 *
 * The parent keeps the master side of the pty non-blocking and moves bytes
 * in one place, pump(): what the child wrote goes to vterm_input_write();
 * what must go to the child waits in s->out until the master takes it.  Keys
 * go there, and so do libvterm's answers to the child's queries, which arrive
 * through the output callback while its output is being rendered.
 *
 * The child is not reaped until screen_stop: a zombie keeps its pid, and so
 * its process group id, from being given to an unrelated process, which
 * makes signalling the group safe.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <vterm.h>

#include "screen.h"

extern char **environ;

#define SCREEN_MAX_SIZE		1000		/* Rows or columns, at most. */
#define SCREEN_SEND_MS		5000		/* For the child to take its input. */
#define SCREEN_GRACE_MS		1000		/* Between SIGTERM and SIGKILL. */
#define SCREEN_DRAIN_MS		50		/* Rendering what waits, after a find. */
#define SCREEN_OUT_MAX		(1024 * 1024)	/* Input not yet taken by the child. */
#define SCREEN_READ_MAX		(64 * 1024)	/* Rendered per pump(), at most. */

/* Bytes of UTF-8 one cell can hold: a base and its combining marks. */
#define CELL_UTF8_MAX		(VTERM_MAX_CHARS_PER_CELL * 4)

/* libvterm's mark on the second column of a wide character. */
#define CELL_WIDE_TAIL		((uint32_t)-1)

struct screen {
	pid_t pid;			/* The child; -1 before the fork. */
	int status;			/* Its exit status once known, else -1. */
	int master;			/* Master side of the pty, non-blocking, or -1. */
	int slave;			/* Ours, held while the child runs, or -1. */
	int eof;			/* Every slave descriptor is closed. */
	VTerm *vt;
	VTermScreen *vs;
	int rows, cols;
	char *out;			/* Bytes for the child, not yet written. */
	size_t outlen, outsize;
	enum screen_alt alt;
	int cursor_visible;
	char *row;			/* screen_row's: cols * CELL_UTF8_MAX + 1. */
};

/*
 * Small helpers.
 */

static long long
now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		fprintf(stderr, "screen: clock_gettime: %s\n", strerror(errno));
		abort();
	}
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until deadline, 0 once it has passed. */
static int
ms_left(long long deadline)
{
	long long left = deadline - now_ms();

	return left > 0 ? (int)left : 0;
}

static int
set_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0)
		return -1;
	return 0;
}

/* Report a failed system call on standard error; returns -1. */
static int
sys_error(const char *what)
{
	fprintf(stderr, "screen: %s: %s\n", what, strerror(errno));
	return -1;
}

/* Whether entry ("NAME=value") names the variable that name ("NAME" or
 * "NAME=...") does. */
static int
same_name(const char *entry, const char *name)
{
	size_t n = strcspn(name, "=");

	return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

/* Encode c as UTF-8 at p (4 bytes of room); returns the bytes written.  What
 * is not a character becomes U+FFFD. */
static size_t
put_utf8(char *p, uint32_t c)
{
	if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		c = 0xFFFD;
	if (c < 0x80) {
		p[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		p[0] = (char)(0xC0 | (c >> 6));
		p[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		p[0] = (char)(0xE0 | (c >> 12));
		p[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		p[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	p[0] = (char)(0xF0 | (c >> 18));
	p[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	p[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	p[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/*
 * libvterm callbacks.
 */

/* Append len bytes to what waits for the child.  Returns 0, or -1 when out of
 * memory or past SCREEN_OUT_MAX (s->out is then unchanged). */
static int
out_append(struct screen *s, const char *bytes, size_t len)
{
	size_t size;
	char *p;

	if (len > SCREEN_OUT_MAX - s->outlen)
		return -1;
	if (s->outlen + len > s->outsize) {
		size = s->outsize > 0 ? s->outsize : 256;
		while (size < s->outlen + len)
			size *= 2;
		p = realloc(s->out, size);
		if (p == NULL)
			return -1;
		s->out = p;
		s->outsize = size;
	}
	memcpy(s->out + s->outlen, bytes, len);
	s->outlen += len;
	return 0;
}

/* What the terminal sends to the child: answers to queries, and keys from
 * vterm_keyboard_key(). */
static void
on_output(const char *bytes, size_t len, void *user)
{
	struct screen *s = user;

	if (out_append(s, bytes, len) != 0)
		fprintf(stderr, "screen: out of memory: %zu bytes for the child lost\n", len);
}

static int
on_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct screen *s = user;

	switch (prop) {
	case VTERM_PROP_ALTSCREEN:
		if (val->boolean)
			s->alt = SCREEN_ALT_ACTIVE;
		else if (s->alt == SCREEN_ALT_ACTIVE)
			s->alt = SCREEN_ALT_LEFT;
		break;
	case VTERM_PROP_CURSORVISIBLE:
		s->cursor_visible = val->boolean;
		break;
	default:
		break;
	}
	return 1;
}

static const VTermScreenCallbacks screen_callbacks = {
	.settermprop = on_settermprop,
};

/*
 * Moving bytes.
 */

static int peek_exit(struct screen *s);

/* Write what waits in s->out as far as the master takes it, and read and
 * render what the child wrote, waiting up to wait_ms (0: only what is ready)
 * for either.  Returns the number of bytes rendered (> 0), 0 when none came,
 * or -1 when the terminal is closed (s->eof) and nothing came. */
static int
pump_once(struct screen *s, int wait_ms)
{
	struct pollfd pfd;
	char buf[4096];
	ssize_t n;
	size_t done;
	int got = 0;

	if (s->eof)
		return -1;
	pfd.fd = s->master;
	pfd.events = POLLIN | (s->outlen > 0 ? POLLOUT : 0);
	pfd.revents = 0;
	if (poll(&pfd, 1, wait_ms) < 0) {
		if (errno == EINTR)
			return 0;
		sys_error("poll");
		s->eof = 1;
		return -1;
	}

	if (pfd.revents & POLLOUT) {
		n = write(s->master, s->out, s->outlen);
		if (n > 0) {
			memmove(s->out, s->out + n, s->outlen - (size_t)n);
			s->outlen -= (size_t)n;
		} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			if (errno != EIO)
				sys_error("write to the pty");
			s->eof = 1;
		}
	}

	if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
		while (!s->eof && got < SCREEN_READ_MAX) {
			n = read(s->master, buf, sizeof(buf));
			if (n > 0) {
				/* libvterm takes everything; loop in case it ever does not. */
				for (done = 0; done < (size_t)n;)
					done += vterm_input_write(s->vt, buf + done,
								  (size_t)n - done);
				got += (int)n;
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				break;
			/* Linux says EIO once the last slave descriptor is closed
			 * and everything written before has been read. */
			if (n < 0 && errno != EIO)
				sys_error("read from the pty");
			s->eof = 1;
		}
	}

	if (got > 0)
		return got;
	return s->eof ? -1 : 0;
}

/* Let go of our slave descriptor once the child is gone and nothing more
 * comes for SCREEN_DRAIN_MS, so that the master reads EIO and s->eof is set.
 * Returns what pump() does. */
static int
release_slave(struct screen *s)
{
	int got = 0, n;

	while ((n = pump_once(s, SCREEN_DRAIN_MS)) > 0)
		got += n;
	if (s->slave >= 0 && close(s->slave) != 0)
		sys_error("close");
	s->slave = -1;
	if (got > 0)
		return got;
	return n < 0 ? -1 : pump_once(s, 0);
}

/* pump_once(), but while we hold a slave descriptor the master never reads
 * EIO: look every SCREEN_DRAIN_MS whether the child has exited, and when it
 * has, render what it left and let the slave go.  Holding it is what keeps
 * the child's last output: a master that reads EIO once the last slave is
 * closed may drop what the child wrote just before it exited. */
static int
pump(struct screen *s, int wait_ms)
{
	long long deadline = now_ms() + (wait_ms > 0 ? wait_ms : 0);
	size_t unsent;
	int n, step;

	for (;;) {
		step = ms_left(deadline);
		if (s->slave >= 0 && step > SCREEN_DRAIN_MS)
			step = SCREEN_DRAIN_MS;
		unsent = s->outlen;
		n = pump_once(s, step);
		/* Having written is news too: flush_out() waits for it. */
		if (n != 0 || s->slave < 0 || s->outlen != unsent)
			return n;
		if (peek_exit(s) != 0)
			return -1;
		if (s->status >= 0)
			return release_slave(s);
		if (ms_left(deadline) == 0)
			return 0;
	}
}

/* Write everything s->out holds, rendering meanwhile, within SCREEN_SEND_MS.
 * Returns 0, or -1 with a message. */
static int
flush_out(struct screen *s, const char *what)
{
	long long deadline = now_ms() + SCREEN_SEND_MS;

	while (s->outlen > 0 && !s->eof && ms_left(deadline) > 0)
		pump(s, ms_left(deadline));
	if (s->outlen == 0)
		return 0;
	fprintf(stderr, "screen: cannot send %s: %s\n", what,
		s->eof ? "the terminal is closed" : "the child does not read its input");
	s->outlen = 0;
	return -1;
}

/* If the child has exited, set s->status, leaving it a zombie.  Returns 0, or
 * -1 when waitid fails. */
static int
peek_exit(struct screen *s)
{
	siginfo_t si;

	if (s->status >= 0 || s->pid <= 0)
		return 0;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)s->pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
		return errno == EINTR ? 0 : sys_error("waitid");
	if (si.si_pid != s->pid)
		return 0;
	s->status = si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
	return 0;
}

/*
 * Starting.
 */

/* The program's words: $CLAUSE_TEST_WRAPPER's, then argv's.  Sets *cmd (the
 * array) and *words (the wrapper's copy its first entries point into), both
 * malloc'd.  Returns 0 or -1. */
static int
build_argv(const char *const *argv, char ***cmd, char **words)
{
	const char *wrapper = getenv("CLAUSE_TEST_WRAPPER");
	size_t nargs = 0, nwords = 0, i = 0;
	char *w, *save = NULL;

	*cmd = NULL;
	*words = NULL;
	while (argv[nargs] != NULL)
		nargs++;
	if (wrapper != NULL && *wrapper != '\0') {
		*words = strdup(wrapper);
		if (*words == NULL)
			return sys_error("strdup");
		nwords = strlen(wrapper) / 2 + 1;
	}
	*cmd = calloc(nwords + nargs + 1, sizeof(**cmd));
	if (*cmd == NULL)
		return sys_error("calloc");
	if (*words != NULL)
		for (w = strtok_r(*words, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save))
			(*cmd)[i++] = w;
	for (nargs = 0; argv[nargs] != NULL; nargs++)
		(*cmd)[i++] = (char *)argv[nargs];
	(*cmd)[i] = NULL;
	return 0;
}

/* The child's environment (see screen_start), in *envp: an array, malloc'd,
 * of pointers into environ, env and *term_entry ("TERM=...", malloc'd).
 * Returns 0 or -1 with a message. */
static int
build_env(const char *const *env, const char *term, char ***envp, char **term_entry)
{
	const char *fixed[] = { NULL, "LANG=C.UTF-8", "LC_ALL=C.UTF-8" };
	const char **set = NULL;
	size_t nenv = 0, nset, nextra = 0, i, j, k = 0;
	int result = -1;

	*envp = NULL;
	*term_entry = NULL;
	while (environ[nenv] != NULL)
		nenv++;
	while (env != NULL && env[nextra] != NULL) {
		if (strchr(env[nextra], '=') == NULL || env[nextra][0] == '=') {
			fprintf(stderr, "screen: '%s' is not NAME=value\n", env[nextra]);
			return -1;
		}
		nextra++;
	}

	*term_entry = malloc(strlen("TERM=") + strlen(term) + 1);
	if (*term_entry == NULL)
		return sys_error("malloc");
	strcpy(*term_entry, "TERM=");
	strcat(*term_entry, term);
	fixed[0] = *term_entry;

	/* What we set, in order of precedence: the later wins. */
	nset = 3 + nextra;
	set = malloc(nset * sizeof(*set));
	*envp = malloc((nenv + nset + 1) * sizeof(**envp));
	if (set == NULL || *envp == NULL) {
		sys_error("malloc");
		goto out;
	}
	for (i = 0; i < 3; i++)
		set[i] = fixed[i];
	for (i = 0; i < nextra; i++)
		set[3 + i] = env[i];

	for (i = 0; i < nenv; i++) {
		int drop = same_name(environ[i], "COLUMNS") || same_name(environ[i], "LINES");

		for (j = 0; j < nset && !drop; j++)
			drop = same_name(environ[i], set[j]);
		if (!drop)
			(*envp)[k++] = environ[i];
	}
	for (i = 0; i < nset; i++) {
		int overridden = 0;

		for (j = i + 1; j < nset && !overridden; j++)
			overridden = same_name(set[j], set[i]);
		if (!overridden)
			(*envp)[k++] = (char *)set[i];
	}
	(*envp)[k] = NULL;
	result = 0;
out:
	free(set);
	return result;
}

/* The file to run for name: name itself when it has a '/', else the first
 * executable regular file named so in envp's PATH.  Returns it malloc'd, or
 * NULL with a message. */
static char *
find_program(const char *name, char *const *envp)
{
	const char *path = "/usr/local/bin:/usr/bin:/bin", *dir, *end;
	struct stat st;
	char *file;
	size_t n;

	if (strchr(name, '/') != NULL) {
		file = strdup(name);
		if (file == NULL)
			sys_error("strdup");
		return file;
	}
	for (; *envp != NULL; envp++)
		if (same_name(*envp, "PATH"))
			path = *envp + strlen("PATH=");
	for (dir = path; ; dir = end + 1) {
		end = strchr(dir, ':');
		if (end == NULL)
			end = dir + strlen(dir);
		n = (size_t)(end - dir) + strlen(name) + 3;
		file = malloc(n);
		if (file == NULL) {
			sys_error("malloc");
			return NULL;
		}
		if (end == dir)
			snprintf(file, n, "./%s", name);
		else
			snprintf(file, n, "%.*s/%s", (int)(end - dir), dir, name);
		if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && access(file, X_OK) == 0)
			return file;
		free(file);
		if (*end == '\0')
			break;
	}
	fprintf(stderr, "screen: cannot find '%s' in PATH\n", name);
	return NULL;
}

/* Open a pty of rows x cols: s->master (non-blocking, close-on-exec) and
 * *slave (close-on-exec; the child dup2s it).  Returns 0 or -1. */
static int
open_pty(struct screen *s, int rows, int cols, int *slave)
{
	struct winsize ws;
	struct termios tio;
	const char *name;
	int flags;

	s->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (s->master < 0)
		return sys_error("posix_openpt");
	if (set_cloexec(s->master) != 0)
		return sys_error("fcntl");
	if (grantpt(s->master) != 0)
		return sys_error("grantpt");
	if (unlockpt(s->master) != 0)
		return sys_error("unlockpt");
	name = ptsname(s->master);
	if (name == NULL)
		return sys_error("ptsname");
	*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0) {
		fprintf(stderr, "screen: cannot open '%s': %s\n", name, strerror(errno));
		return -1;
	}

	memset(&ws, 0, sizeof(ws));
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	if (ioctl(s->master, TIOCSWINSZ, &ws) != 0)
		return sys_error("TIOCSWINSZ");
	/* The kernel's defaults (cooked, echo, ONLCR) are a terminal's; add
	 * that this one speaks UTF-8, so that erasing a character erases it all. */
	if (tcgetattr(*slave, &tio) != 0)
		return sys_error("tcgetattr");
#ifdef IUTF8
	tio.c_iflag |= IUTF8;
#endif
	if (tcsetattr(*slave, TCSANOW, &tio) != 0)
		return sys_error("tcsetattr");
	flags = fcntl(s->master, F_GETFL);
	if (flags < 0 || fcntl(s->master, F_SETFL, flags | O_NONBLOCK) < 0)
		return sys_error("fcntl");
	return 0;
}

/* In the child, between fork and exec: only async-signal-safe calls.  Make
 * slave the controlling terminal of a new session and the standard
 * descriptors, then exec.  On failure, write errno to errfd and exit 127. */
static void
run_child(int slave, int errfd, const char *file, char *const *cmd, char *const *envp)
{
	static const int sigs[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGTERM, SIGCHLD,
		SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIGUSR1, SIGUSR2,
	};
	struct sigaction sa;
	sigset_t none;
	size_t i;
	int err;

	/* Ignored signals and the mask survive exec: start from the defaults,
	 * whatever the test runner had. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) != 0)
			goto fail;
	if (sigemptyset(&none) != 0 || sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		goto fail;
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) != 0)
		goto fail;
	if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
		goto fail;
	execve(file, cmd, envp);
fail:
	err = errno;
	if (write(errfd, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

struct screen *
screen_start(const char *const *argv, const char *const *env, const char *term,
	     int rows, int cols)
{
	struct screen *s = NULL;
	char **cmd = NULL, **envp = NULL, *words = NULL, *term_entry = NULL, *file = NULL;
	int slave = -1, errpipe[2] = { -1, -1 }, err, ok = 0;
	ssize_t n;
	pid_t pid;

	if (argv == NULL || argv[0] == NULL || rows < 1 || cols < 1
	    || rows > SCREEN_MAX_SIZE || cols > SCREEN_MAX_SIZE) {
		fprintf(stderr, "screen: no program, or a size (%d x %d) out of range\n",
			rows, cols);
		return NULL;
	}
	if (term == NULL)
		term = "xterm-256color";

	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		sys_error("calloc");
		return NULL;
	}
	s->pid = -1;
	s->status = -1;
	s->master = -1;
	s->slave = -1;
	s->cursor_visible = 1;
	s->alt = SCREEN_ALT_NEVER;
	s->rows = rows;
	s->cols = cols;
	s->row = malloc((size_t)cols * CELL_UTF8_MAX + 1);
	if (s->row == NULL) {
		sys_error("malloc");
		goto out;
	}
	s->vt = vterm_new(rows, cols);
	if (s->vt == NULL) {
		fprintf(stderr, "screen: vterm_new failed\n");
		goto out;
	}
	vterm_set_utf8(s->vt, 1);
	vterm_output_set_callback(s->vt, on_output, s);
	s->vs = vterm_obtain_screen(s->vt);
	if (s->vs == NULL) {
		fprintf(stderr, "screen: vterm_obtain_screen failed\n");
		goto out;
	}
	vterm_screen_set_callbacks(s->vs, &screen_callbacks, s);
	vterm_screen_enable_altscreen(s->vs, 1);
	vterm_screen_reset(s->vs, 1);

	if (build_argv(argv, &cmd, &words) != 0 || build_env(env, term, &envp, &term_entry) != 0)
		goto out;
	file = find_program(cmd[0], envp);
	if (file == NULL || open_pty(s, rows, cols, &slave) != 0)
		goto out;
	if (pipe(errpipe) != 0) {
		sys_error("pipe");
		goto out;
	}
	if (set_cloexec(errpipe[0]) != 0 || set_cloexec(errpipe[1]) != 0) {
		sys_error("fcntl");
		goto out;
	}

	pid = fork();
	if (pid < 0) {
		sys_error("fork");
		goto out;
	}
	if (pid == 0)
		run_child(slave, errpipe[1], file, cmd, envp);
	s->pid = pid;
	close(errpipe[1]);
	errpipe[1] = -1;

	/* The pipe closes when exec succeeds; before that, errno comes. */
	do
		n = read(errpipe[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		sys_error("read");
		goto out;
	}
	if (n == (ssize_t)sizeof(err)) {
		fprintf(stderr, "screen: cannot run '%s': %s\n", file, strerror(err));
		goto out;
	}
	s->slave = slave;
	slave = -1;
	ok = 1;
out:
	if (slave >= 0)
		close(slave);
	if (errpipe[0] >= 0)
		close(errpipe[0]);
	if (errpipe[1] >= 0)
		close(errpipe[1]);
	free(cmd);
	free(words);
	free(envp);
	free(term_entry);
	free(file);
	if (!ok) {
		screen_stop(s);
		return NULL;
	}
	return s;
}

/*
 * Stopping.
 */

int
screen_exit_status(struct screen *s, int timeout_ms)
{
	long long deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int step;

	for (;;) {
		if (peek_exit(s) != 0)
			return s->status;
		if (s->status >= 0) {
			/* What it wrote last (endwin's leaving the alternate
			 * screen) may still wait in the pty: render all of it. */
			while (pump(s, 0) > 0)
				;
			return s->status;
		}
		step = ms_left(deadline);
		if (step == 0)
			return -1;
		if (step > 10)
			step = 10;
		/* Render what comes, so that a child blocked writing to a full
		 * pty can go on and exit. */
		if (pump(s, step) < 0 && poll(NULL, 0, step) < 0 && errno != EINTR)
			return sys_error("poll");
	}
}

void
screen_stop(struct screen *s)
{
	int status;

	if (s == NULL)
		return;
	if (s->pid > 0) {
		if (peek_exit(s) == 0 && s->status < 0) {
			if (kill(-s->pid, SIGTERM) != 0 && errno != ESRCH)
				sys_error("kill");
			screen_exit_status(s, SCREEN_GRACE_MS);
		}
		/* The child is not reaped yet, so its group is still its: end
		 * what it left running, or all of it if it ignored SIGTERM. */
		if (kill(-s->pid, SIGKILL) != 0 && errno != ESRCH && errno != EPERM)
			sys_error("kill");
		while (waitpid(s->pid, &status, 0) < 0) {
			if (errno != EINTR) {
				sys_error("waitpid");
				break;
			}
		}
	}
	if (s->slave >= 0 && close(s->slave) != 0)
		sys_error("close");
	if (s->master >= 0 && close(s->master) != 0)
		sys_error("close");
	if (s->vt != NULL)
		vterm_free(s->vt);
	free(s->out);
	free(s->row);
	free(s);
}

/*
 * Input.
 */

int
screen_send(struct screen *s, const char *keys)
{
	if (out_append(s, keys, strlen(keys)) != 0) {
		fprintf(stderr, "screen: out of memory for keys\n");
		return -1;
	}
	return flush_out(s, "keys");
}

static const struct screen_key_name {
	const char *name;
	VTermKey key;
} screen_key_names[] = {
	{ .name = "Enter",	.key = VTERM_KEY_ENTER },
	{ .name = "Tab",	.key = VTERM_KEY_TAB },
	{ .name = "Backspace",	.key = VTERM_KEY_BACKSPACE },
	{ .name = "Esc",	.key = VTERM_KEY_ESCAPE },
	{ .name = "Up",		.key = VTERM_KEY_UP },
	{ .name = "Down",	.key = VTERM_KEY_DOWN },
	{ .name = "Left",	.key = VTERM_KEY_LEFT },
	{ .name = "Right",	.key = VTERM_KEY_RIGHT },
	{ .name = "Insert",	.key = VTERM_KEY_INS },
	{ .name = "Delete",	.key = VTERM_KEY_DEL },
	{ .name = "Home",	.key = VTERM_KEY_HOME },
	{ .name = "End",	.key = VTERM_KEY_END },
	{ .name = "PageUp",	.key = VTERM_KEY_PAGEUP },
	{ .name = "PageDown",	.key = VTERM_KEY_PAGEDOWN },
};

int
screen_key(struct screen *s, const char *name)
{
	VTermKey key = VTERM_KEY_NONE;
	size_t i;
	char *end;
	long f;

	for (i = 0; i < sizeof(screen_key_names) / sizeof(screen_key_names[0]); i++)
		if (strcmp(name, screen_key_names[i].name) == 0)
			key = screen_key_names[i].key;
	if (key == VTERM_KEY_NONE && name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		f = strtol(name + 1, &end, 10);
		if (*end == '\0' && f >= 1 && f <= 12)
			key = VTERM_KEY_FUNCTION((int)f);
	}
	if (key == VTERM_KEY_NONE) {
		fprintf(stderr, "screen: unknown key '%s'\n", name);
		return -1;
	}
	vterm_keyboard_key(s->vt, key, VTERM_MOD_NONE);
	return flush_out(s, name);
}

int
screen_resize(struct screen *s, int rows, int cols)
{
	struct winsize ws;
	char *row;

	if (rows < 1 || cols < 1 || rows > SCREEN_MAX_SIZE || cols > SCREEN_MAX_SIZE) {
		fprintf(stderr, "screen: cannot resize to %d x %d\n", rows, cols);
		return -1;
	}
	row = realloc(s->row, (size_t)cols * CELL_UTF8_MAX + 1);
	if (row == NULL)
		return sys_error("realloc");
	s->row = row;
	vterm_set_size(s->vt, rows, cols);
	s->rows = rows;
	s->cols = cols;
	memset(&ws, 0, sizeof(ws));
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	if (ioctl(s->master, TIOCSWINSZ, &ws) != 0)
		return sys_error("TIOCSWINSZ");
	return 0;
}

/*
 * Waiting for output.
 */

int
screen_settle(struct screen *s, int quiet_ms, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms, quiet_until = now_ms() + quiet_ms;
	int rendered = 0, wait, n;

	for (;;) {
		wait = ms_left(quiet_until);
		if (wait > ms_left(deadline))
			wait = ms_left(deadline);
		if (wait == 0)
			return 0;
		n = pump(s, wait);
		if (n > 0) {
			rendered = 1;
			quiet_until = now_ms() + quiet_ms;
		} else if (n < 0) {
			return rendered ? 0 : -1;
		}
	}
}

int
screen_wait_for(struct screen *s, const char *text, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;

	while (screen_find(s, text) < 0) {
		if (ms_left(deadline) == 0 || pump(s, ms_left(deadline)) < 0)
			return 0;
	}
	deadline = now_ms() + SCREEN_DRAIN_MS;
	while (ms_left(deadline) > 0 && pump(s, 0) > 0)
		;
	return 1;
}

/*
 * Reading the screen.
 */

/* Row row as UTF-8 into buf (cols * CELL_UTF8_MAX + 1 bytes); see
 * screen_row.  Returns the length. */
static size_t
row_text(struct screen *s, int row, char *buf)
{
	VTermScreenCell cell;
	VTermPos pos;
	size_t len = 0;
	int i;

	pos.row = row;
	for (pos.col = 0; pos.col < s->cols; pos.col++) {
		if (!vterm_screen_get_cell(s->vs, pos, &cell) || cell.chars[0] == 0) {
			buf[len++] = ' ';
			continue;
		}
		if (cell.chars[0] == CELL_WIDE_TAIL)
			continue;
		for (i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i] != 0; i++)
			len += put_utf8(buf + len, cell.chars[i]);
		if (cell.width > 1)
			pos.col += cell.width - 1;
	}
	while (len > 0 && buf[len - 1] == ' ')
		len--;
	buf[len] = '\0';
	return len;
}

const char *
screen_row(struct screen *s, int row)
{
	if (row < 0 || row >= s->rows)
		return NULL;
	row_text(s, row, s->row);
	return s->row;
}

int
screen_find(struct screen *s, const char *text)
{
	int row;

	for (row = 0; row < s->rows; row++) {
		row_text(s, row, s->row);
		if (strstr(s->row, text) != NULL)
			return row;
	}
	return -1;
}

/* A cell colour as screen_cell_attrs reports it. */
static int
colour_index(const VTermColor *c, int is_default)
{
	if (is_default)
		return -1;
	return VTERM_COLOR_IS_INDEXED(c) ? c->indexed.idx : -2;
}

int
screen_cell_attrs(struct screen *s, int row, int col, struct screen_cell_attrs *out)
{
	VTermScreenCell cell;
	VTermPos pos;

	if (row < 0 || row >= s->rows || col < 0 || col >= s->cols)
		return -1;
	pos.row = row;
	pos.col = col;
	if (!vterm_screen_get_cell(s->vs, pos, &cell))
		return -1;
	if (cell.chars[0] == CELL_WIDE_TAIL && col > 0) {
		pos.col--;
		if (!vterm_screen_get_cell(s->vs, pos, &cell))
			return -1;
	}
	out->bold = cell.attrs.bold;
	out->reverse = cell.attrs.reverse;
	out->underline = cell.attrs.underline;
	out->fg_set = !VTERM_COLOR_IS_DEFAULT_FG(&cell.fg);
	out->bg_set = !VTERM_COLOR_IS_DEFAULT_BG(&cell.bg);
	out->fg = colour_index(&cell.fg, !out->fg_set);
	out->bg = colour_index(&cell.bg, !out->bg_set);
	return 0;
}

int
screen_cursor(struct screen *s, int *row, int *col)
{
	VTermPos pos;

	vterm_state_get_cursorpos(vterm_obtain_state(s->vt), &pos);
	*row = pos.row;
	*col = pos.col;
	return s->cursor_visible;
}

enum screen_alt
screen_altscreen(struct screen *s)
{
	return s->alt;
}

void
screen_size(struct screen *s, int *rows, int *cols)
{
	*rows = s->rows;
	*cols = s->cols;
}

char *
screen_dump(struct screen *s)
{
	char *text = malloc((size_t)s->rows * ((size_t)s->cols * CELL_UTF8_MAX + 1) + 1);
	size_t len = 0;
	int row;

	if (text == NULL)
		return NULL;
	for (row = 0; row < s->rows; row++) {
		if (row > 0)
			text[len++] = '\n';
		len += row_text(s, row, text + len);
	}
	text[len] = '\0';
	return text;
}

void
screen_report(struct screen *s, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int row;

	fprintf(stderr, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (s == NULL)
		return;
	fprintf(stderr, "screen, %d x %d:\n", s->rows, s->cols);
	for (row = 0; row < s->rows; row++)
		fprintf(stderr, "%3d|%s\n", row, screen_row(s, row));
}
