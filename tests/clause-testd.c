/*
 * clause-testd: the test HTTP server (httpd.h) in a process of its own, for
 * trying the fetcher by hand and for tests that need the server outside
 * their own process (one that kills its client, say).
 *
 * It prints its base URL ("http://127.0.0.1:PORT") and a newline on
 * standard output, then serves until SIGTERM, SIGINT or SIGHUP, or until
 * standard input reaches its end (so that a parent that dies takes it
 * along); --no-stdin serves until a signal only.
 */

#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "httpd.h"

static void
usage(FILE *out)
{
	fprintf(out, "usage: clause-testd [--corpus DIR] [--latency MS] [--no-stdin]\n"
		     "  --corpus DIR   serve DIR/html under /corpus/ (default: "
		     "$CLAUSE_SHARED/corpus when it exists)\n"
		     "  --latency MS   wait MS milliseconds before every response\n"
		     "  --no-stdin     serve until a signal, whatever standard input does\n");
}

/* Nothing to do: the signal only has to interrupt ppoll. */
static void
on_signal(int sig)
{
	(void)sig;
}

/* Wait for a signal, or for the end of standard input when watch_stdin.
 * The signals are blocked but during ppoll, so none is lost between two
 * calls. */
static int
serve_until_told(int watch_stdin, const sigset_t *during)
{
	char buf[4096];

	for (;;) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		int n = ppoll(&p, watch_stdin ? 1 : 0, NULL, during);

		if (n < 0) {
			if (errno == EINTR)
				return 0;
			fprintf(stderr, "clause-testd: cannot wait: %s\n", strerror(errno));
			return -1;
		}
		if (n > 0) {
			ssize_t got = read(STDIN_FILENO, buf, sizeof(buf));

			if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN))
				return 0;
		}
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "corpus", required_argument, NULL, 'c' },
		{ "latency", required_argument, NULL, 'l' },
		{ "no-stdin", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct httpd_options opt = { 0 };
	struct sigaction sa;
	sigset_t blocked, during;
	struct httpd *h;
	char err[512], url[64], *corpus = NULL, *end;
	int c, watch_stdin = 1, rc;

	while ((c = getopt_long(argc, argv, "c:l:nh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			opt.corpus_dir = optarg;
			break;
		case 'l': {
			unsigned long ms;

			errno = 0;
			ms = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || optarg[0] < '0' || optarg[0] > '9'
			    || ms > 600000) {
				fprintf(stderr, "clause-testd: --latency: '%s' is not a number "
						"of milliseconds from 0 to 600000\n", optarg);
				return 2;
			}
			opt.latency_ms = (unsigned)ms;
			break;
		}
		case 'n':
			watch_stdin = 0;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "clause-testd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (opt.corpus_dir == NULL && getenv("CLAUSE_SHARED") != NULL) {
		struct stat st;
		size_t n = strlen(getenv("CLAUSE_SHARED")) + sizeof("/corpus");

		corpus = malloc(n);
		if (corpus == NULL) {
			fprintf(stderr, "clause-testd: out of memory\n");
			return 4;
		}
		snprintf(corpus, n, "%s/corpus", getenv("CLAUSE_SHARED"));
		if (stat(corpus, &st) == 0 && S_ISDIR(st.st_mode))
			opt.corpus_dir = corpus;
	}

	/* Block the signals before the server's threads start, so that they
	 * inherit the mask and only ppoll below receives them. */
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGTERM);
	sigaddset(&blocked, SIGINT);
	sigaddset(&blocked, SIGHUP);
	sigprocmask(SIG_BLOCK, &blocked, &during);
	sigdelset(&during, SIGTERM);
	sigdelset(&during, SIGINT);
	sigdelset(&during, SIGHUP);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A reader that goes away must not kill the server. */
	signal(SIGPIPE, SIG_IGN);

	h = httpd_start(&opt, err, sizeof(err));
	if (h == NULL) {
		fprintf(stderr, "clause-testd: %s\n", err);
		free(corpus);
		return 3;
	}
	printf("%s\n", httpd_url(h, "", url, sizeof(url)));
	if (fflush(stdout) != 0) {
		fprintf(stderr, "clause-testd: cannot write the URL: %s\n", strerror(errno));
		httpd_stop(h);
		free(corpus);
		return 3;
	}
	rc = serve_until_told(watch_stdin, &during) == 0 ? 0 : 3;
	httpd_stop(h);
	free(corpus);
	return rc;
}
