/*
 * cmd-fetch: clause fetch [PLATFORM...] [--all] [--watched] — bring
 * documents up to date from their URLs, with a progress bar on a terminal
 * and a summary at the end.
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify.h"
#include "cli.h"
#include "fetch.h"
#include "sanitize.h"
#include "store.h"

/* A document to fetch, and what became of it. */
struct doc {
	int64_t id;
	char *platform;		/* Slug. */
	char *kind;
	int done;
	struct fetch_event event;
};

struct docs {
	struct doc *v;
	size_t n, cap;
};

static int
add_target(const struct store_fetch_target *t, void *ctx)
{
	struct docs *d = ctx;
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].id == t->document_id)
			return 0;	/* Named twice. */
	if (d->n == d->cap) {
		size_t ncap = d->cap != 0 ? d->cap * 2 : 32;
		struct doc *nv = realloc(d->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return CLI_WALK_NOMEM;
		d->v = nv;
		d->cap = ncap;
	}
	memset(&d->v[d->n], 0, sizeof(d->v[d->n]));
	d->v[d->n].id = t->document_id;
	d->v[d->n].platform = strdup(t->platform_slug);
	d->v[d->n].kind = strdup(t->kind);
	if (d->v[d->n].platform == NULL || d->v[d->n].kind == NULL) {
		free(d->v[d->n].platform);
		free(d->v[d->n].kind);
		return CLI_WALK_NOMEM;
	}
	d->n++;
	return 0;
}

static void
docs_free(struct docs *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].platform);
		free(d->v[i].kind);
	}
	free(d->v);
}

struct tally {
	size_t done;
	int64_t bytes;
	int outcomes[FETCH_FAILED + 1];
};

/* "[=====>      ] 12/40 documents  1.2 MB  1 failed", redrawn in place. */
static void
draw_progress(const struct tally *t, size_t total)
{
	char bar[31];
	size_t filled = total > 0 ? t->done * 30 / total : 30, i;

	for (i = 0; i < 30; i++)
		bar[i] = i < filled ? '=' : ' ';
	bar[30] = '\0';
	fprintf(stderr, "\r[%s] %zu/%zu documents  %.1f MB  %d failed", bar, t->done, total,
		(double)t->bytes / 1e6, t->outcomes[FETCH_FAILED]);
	fflush(stderr);
}

/* Read events until every document has one. */
static int
collect(struct cli *cli, struct fetcher *f, struct docs *d, struct tally *t, int progress)
{
	while (t->done < d->n) {
		struct pollfd pfd = { .fd = fetcher_fd(f), .events = POLLIN };
		struct fetch_event ev;
		int rc;

		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return cli_error(cli, CLI_EXIT_DATA, "poll: %s", strerror(errno));
		}
		while ((rc = fetcher_read_event(f, &ev)) == 1) {
			size_t i;

			for (i = 0; i < d->n; i++)
				if (d->v[i].id == ev.document_id && !d->v[i].done)
					break;
			if (i == d->n)
				continue;
			d->v[i].done = 1;
			d->v[i].event = ev;
			t->done++;
			t->bytes += ev.bytes;
			t->outcomes[ev.outcome]++;
			if (progress)
				draw_progress(t, d->n);
		}
		if (rc < 0)
			return cli_error(cli, CLI_EXIT_DATA, "the fetch thread stopped");
	}
	if (progress)
		fputs("\r\033[K", stderr);
	return CLI_EXIT_OK;
}

static json_t *
event_json(const struct doc *doc)
{
	const struct fetch_event *ev = &doc->event;
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "platform", cli_json_string(doc->platform));
	json_object_set_new(o, "kind", cli_json_string(doc->kind));
	json_object_set_new(o, "document_id", json_integer(doc->id));
	json_object_set_new(o, "outcome", json_string(fetch_outcome_name(ev->outcome)));
	json_object_set_new(o, "http_status",
			    ev->http_status > 0 ? json_integer(ev->http_status) : json_null());
	json_object_set_new(o, "bytes", json_integer(ev->bytes));
	if (ev->outcome == FETCH_NEW || ev->outcome == FETCH_CHANGED) {
		json_object_set_new(o, "change_id", json_integer(ev->change_id));
		json_object_set_new(o, "provisions",
				    json_pack("{s:i, s:i, s:i}", "current", ev->current,
					      "changed", ev->changed, "removed", ev->removed));
	}
	json_object_set_new(o, "error", ev->outcome == FETCH_FAILED
					? cli_json_string(ev->error) : json_null());
	return o;
}

static int
report_json(struct cli *cli, const struct docs *d, const struct tally *t)
{
	json_t *list, *root = cli_json_list("documents", &list), *summary;
	size_t i;
	int o;

	if (root == NULL)
		return cli_error(cli, CLI_EXIT_DATA, "out of memory");
	for (i = 0; i < d->n; i++)
		if (cli_json_append(list, event_json(&d->v[i])) != 0) {
			json_decref(root);
			return cli_error(cli, CLI_EXIT_DATA, "out of memory");
		}
	summary = json_object();
	for (o = FETCH_NEW; o <= FETCH_FAILED; o++)
		json_object_set_new(summary, fetch_outcome_name(o), json_integer(t->outcomes[o]));
	json_object_set_new(summary, "bytes", json_integer(t->bytes));
	json_object_set_new(root, "summary", summary);
	o = cli_json_print(cli, root);
	if (o != CLI_EXIT_OK)
		return o;
	return t->outcomes[FETCH_FAILED] > 0 ? CLI_EXIT_NETWORK : CLI_EXIT_OK;
}

static int
report_text(struct cli *cli, const struct docs *d, const struct tally *t)
{
	struct output *out = &cli->out;
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct fetch_event *ev = &d->v[i].event;
		char line[160];

		if (ev->outcome != FETCH_NEW && ev->outcome != FETCH_CHANGED)
			continue;
		output_style(out, OUTPUT_HEADING);
		output_text(out, fetch_outcome_name(ev->outcome));
		output_style(out, OUTPUT_PLAIN);
		putc(' ', out->fp);
		output_text(out, d->v[i].platform);
		putc(' ', out->fp);
		output_text(out, d->v[i].kind);
		if (ev->outcome == FETCH_NEW)
			snprintf(line, sizeof(line), ": first version stored (%.1f kB)",
				 (double)ev->bytes / 1e3);
		else
			snprintf(line, sizeof(line), ": provisions %d current, %d changed, "
				 "%d removed (clause diff %s %s)", ev->current, ev->changed,
				 ev->removed, d->v[i].platform, d->v[i].kind);
		output_text(out, line);
		putc('\n', out->fp);
	}
	fprintf(out->fp, "%zu document%s: %d changed, %d new, %d unchanged, %d not modified, "
		"%d failed; %.1f MB\n", d->n, d->n == 1 ? "" : "s", t->outcomes[FETCH_CHANGED], t->outcomes[FETCH_NEW],
		t->outcomes[FETCH_UNCHANGED], t->outcomes[FETCH_NOT_MODIFIED],
		t->outcomes[FETCH_FAILED], (double)t->bytes / 1e6);
	for (i = 0; i < d->n; i++) {
		const struct fetch_event *ev = &d->v[i].event;

		if (ev->outcome != FETCH_FAILED)
			continue;
		output_style(out, OUTPUT_SEVERITY_HIGH);
		output_text(out, "failed");
		output_style(out, OUTPUT_PLAIN);
		putc(' ', out->fp);
		output_text(out, d->v[i].platform);
		putc(' ', out->fp);
		output_text(out, d->v[i].kind);
		output_text(out, ": ");
		output_text(out, ev->error);
		putc('\n', out->fp);
	}
	return t->outcomes[FETCH_FAILED] > 0 ? CLI_EXIT_NETWORK : CLI_EXIT_OK;
}

/* Parse a bounded positive integer option into *value. */
static int
int_option(struct cli *cli, const char *name, const char *arg, long max, long *value)
{
	long v = cli_positive(arg);

	if (v < 0 || v > max)
		return cli_error(cli, CLI_EXIT_USAGE, "--%s wants a number from 1 to %ld, not '%s'",
				 name, max, arg);
	*value = v;
	return -1;
}

static int
fetch_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "watched", no_argument, NULL, 'w' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "per-host", required_argument, NULL, 'H' },
		{ "timeout", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, 'r' },
		{ "no-classify", no_argument, NULL, 'N' },
		CLI_COMMON_OPTIONS
	};
	struct fetch_options fo;
	struct docs d = { NULL, 0, 0 };
	struct tally t;
	struct fetcher *f;
	char err[256];
	int c, rc, all = 0, watched = 0, classify = 1, i;
	long v = 0;

	fetch_options_default(&fo);
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		rc = -1;
		switch (c) {
		case 'a':
			all = 1;
			break;
		case 'w':
			watched = 1;
			break;
		case 'N':
			classify = 0;
			break;
		case 'j':
			if ((rc = int_option(cli, "jobs", optarg, 64, &v)) < 0)
				fo.max_transfers = (int)v;
			break;
		case 'H':
			if ((rc = int_option(cli, "per-host", optarg, 64, &v)) < 0)
				fo.max_per_host = (int)v;
			break;
		case 't':
			if ((rc = int_option(cli, "timeout", optarg, 3600, &v)) < 0) {
				fo.timeout = v;
				if (fo.connect_timeout > v)
					fo.connect_timeout = v;
				if (fo.low_speed_time > v)
					fo.low_speed_time = v;
			}
			break;
		case 'r':
			if (strcmp(optarg, "0") == 0)
				fo.retries = 0;
			else if ((rc = int_option(cli, "retries", optarg, 10, &v)) < 0)
				fo.retries = (int)v;
			break;
		default:
			rc = cli_common_option(cli, &cmd_fetch, c, optarg);
			break;
		}
		if (rc >= 0)
			return rc;
	}
	if (fo.max_per_host > fo.max_transfers)
		fo.max_per_host = fo.max_transfers;
	if ((all || watched) && optind < argc)
		return cli_error(cli, CLI_EXIT_USAGE, "name platforms or give --all or --watched, "
				 "not both");
	if (!all && !watched && optind >= argc)
		return cli_error(cli, CLI_EXIT_USAGE, "which platforms? name them, or give --all "
				 "or --watched");
	if (cli_store(cli) == NULL)
		return CLI_EXIT_DATA;
	rc = STORE_OK;
	if (all || watched) {
		rc = store_each_fetch_target(cli->store, 0, watched, 0, add_target, &d);
	} else {
		for (i = optind; i < argc && rc == STORE_OK; i++) {
			int64_t id;
			int prc = cli_platform(cli, argv[i], &id, NULL);

			if (prc != CLI_EXIT_OK) {
				docs_free(&d);
				return prc;
			}
			rc = store_each_fetch_target(cli->store, id, 0, 0, add_target, &d);
		}
	}
	if (rc != STORE_OK) {
		docs_free(&d);
		return cli_walk_error(cli, rc);
	}
	if (d.n == 0) {
		docs_free(&d);
		if (watched)
			return cli_error(cli, CLI_EXIT_NOT_FOUND,
					 "no platform is watched: clause watch add PLATFORM");
		return cli_error(cli, CLI_EXIT_NOT_FOUND, "no document to fetch");
	}
	fo.db_path = cli->db_path;
	f = fetcher_start(&fo, err, sizeof(err));
	if (f == NULL) {
		docs_free(&d);
		return cli_error(cli, CLI_EXIT_DATA, "%s", err);
	}
	for (i = 0; (size_t)i < d.n; i++)
		if (fetcher_add(f, d.v[i].id) != 0) {
			fetcher_stop(f);
			docs_free(&d);
			return cli_error(cli, CLI_EXIT_DATA, "out of memory");
		}
	memset(&t, 0, sizeof(t));
	rc = collect(cli, f, &d, &t, isatty(STDERR_FILENO) && !cli->json);
	fetcher_stop(f);
	/* The new texts' provisions, found in one transaction now that the
	 * network is done with; --no-classify leaves them to the next start. */
	if (rc == CLI_EXIT_OK && classify
	    && t.outcomes[FETCH_NEW] + t.outcomes[FETCH_CHANGED] > 0
	    && classify_all_documents(cli->store, err, sizeof(err)) != 0)
		rc = cli_error(cli, CLI_EXIT_DATA, "cannot classify the new versions: %s", err);
	if (rc == CLI_EXIT_OK)
		rc = cli->json ? report_json(cli, &d, &t) : report_text(cli, &d, &t);
	docs_free(&d);
	return rc;
}

const struct cli_command cmd_fetch = {
	.name = "fetch",
	.args = "PLATFORM... | --all | --watched [--jobs N] [--per-host N] [--timeout S] "
		"[--retries N] [--no-classify]",
	.summary = "bring documents up to date from their URLs, keeping every version",
	.run = fetch_run,
};
