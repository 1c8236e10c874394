/*
 * cmd-changes: clause changes [--since DATE|7d] [--watched] [--format
 * text|markdown|json] — a digest of what changed in a period, grouped by
 * platform, made for cron and mail: nothing on standard output (and exit
 * 1) when nothing changed, so that cron sends no empty mail.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "store.h"

enum format { FORMAT_TEXT, FORMAT_MARKDOWN, FORMAT_JSON };

/* One change, with its provisions, as the digest writes it. */
struct digest {
	struct cli *cli;
	enum format format;
	int64_t last_platform;
	int changes;
	json_t *list;		/* FORMAT_JSON. */
	json_t *current;	/* The change object being filled. */
	const char *since;	/* For the markdown title. */
};

/* Parse --since: YYYY-MM-DD, or N followed by h, d or w before now.  The
 * result compares as text with detected_at. */
static int
parse_since(const char *arg, char *out, size_t size)
{
	size_t n = strlen(arg);
	char *end;
	long count;
	time_t t;
	struct tm tm;

	if (n == 10 && arg[4] == '-' && arg[7] == '-') {
		memset(&tm, 0, sizeof(tm));
		end = strptime(arg, "%Y-%m-%d", &tm);
		if (end == NULL || *end != '\0')
			return -1;
		snprintf(out, size, "%s", arg);
		return 0;
	}
	count = strtol(arg, &end, 10);
	if (end == arg || count <= 0 || count > 100000 || end[0] == '\0' || end[1] != '\0')
		return -1;
	switch (end[0]) {
	case 'h':
		count *= 3600;
		break;
	case 'd':
		count *= 86400;
		break;
	case 'w':
		count *= 7 * 86400;
		break;
	default:
		return -1;
	}
	t = time(NULL) - count;
	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

/* Write s through the sanitiser, on one line. */
static void
put(struct cli *cli, const char *s)
{
	output_text(&cli->out, s);
}

static int
show_provision_change(const struct store_provision_change *pc, void *ctx)
{
	struct digest *d = ctx;
	struct cli *cli = d->cli;
	char words[1024];

	if (cli_change_words(pc, words, sizeof(words)) != 0)
		return CLI_WALK_NOMEM;
	if (d->format == FORMAT_JSON) {
		json_t *o = json_object(), *provisions;

		if (o == NULL)
			return CLI_WALK_NOMEM;
		json_object_set_new(o, "id", json_integer(pc->provision_id));
		json_object_set_new(o, "kind", cli_json_string(pc->kind));
		json_object_set_new(o, "headline", cli_json_string(pc->headline));
		json_object_set_new(o, "what", cli_json_string(pc->what));
		json_object_set_new(o, "words", cli_json_string(words));
		json_object_set_new(o, "before", cli_json_string(pc->before));
		json_object_set_new(o, "after", cli_json_string(pc->after));
		provisions = json_object_get(d->current, "provisions");
		return cli_json_append(provisions, o);
	}
	fputs(d->format == FORMAT_MARKDOWN ? "  - " : "    ", cli->out.fp);
	put(cli, pc->kind_name);
	put(cli, ": ");
	put(cli, words);
	putc('\n', cli->out.fp);
	if (d->format == FORMAT_MARKDOWN && pc->before == NULL && pc->after != NULL) {
		fputs("    > ", cli->out.fp);
		put(cli, pc->after);
		putc('\n', cli->out.fp);
	} else if (d->format == FORMAT_MARKDOWN && pc->before != NULL) {
		fputs("    > Before: ", cli->out.fp);
		put(cli, pc->before);
		putc('\n', cli->out.fp);
		if (pc->after != NULL) {
			fputs("    >\n    > After: ", cli->out.fp);
			put(cli, pc->after);
			putc('\n', cli->out.fp);
		}
	}
	return 0;
}

static int
show_change(const struct store_change *c, void *ctx)
{
	struct digest *d = ctx;
	struct cli *cli = d->cli;
	char date[11], from[11];
	int rc;

	d->changes++;
	cli_date(c->detected_at, date);
	cli_date(c->from_date, from);
	if (d->format == FORMAT_JSON) {
		json_t *o = json_object();

		if (o == NULL)
			return CLI_WALK_NOMEM;
		json_object_set_new(o, "change_id", json_integer(c->id));
		json_object_set_new(o, "platform", cli_json_string(c->platform_slug));
		json_object_set_new(o, "platform_name", cli_json_string(c->platform_name));
		json_object_set_new(o, "kind", cli_json_string(c->kind));
		json_object_set_new(o, "title", cli_json_string(c->title));
		json_object_set_new(o, "url", cli_json_string(c->url));
		json_object_set_new(o, "detected_at", cli_json_string(c->detected_at));
		json_object_set_new(o, "cause", cli_json_string(c->cause));
		json_object_set_new(o, "first_version", json_boolean(c->from_date == NULL));
		json_object_set_new(o, "from_version_date", cli_json_string(c->from_date));
		json_object_set_new(o, "to_version_date", cli_json_string(c->to_date));
		json_object_set_new(o, "sha256", cli_json_string(c->to_sha256));
		json_object_set_new(o, "summary", cli_json_string(c->summary));
		json_object_set_new(o, "paragraphs",
				    json_pack("{s:i, s:i, s:i}", "added", c->added, "removed",
					      c->removed, "changed", c->changed));
		json_object_set_new(o, "provisions", json_array());
		d->current = o;
		rc = store_each_provision_change(cli->store, c->id, 0, show_provision_change, d);
		d->current = NULL;
		if (rc != 0) {
			json_decref(o);
			return rc;
		}
		return cli_json_append(d->list, o);
	}
	/* The title waits for the first change: no change, no output. */
	if (d->changes == 1 && d->format == FORMAT_MARKDOWN) {
		fputs("# Changes in terms since ", cli->out.fp);
		put(cli, d->since);
		fputs("\n\n", cli->out.fp);
	}
	if (c->platform_id != d->last_platform) {
		if (d->last_platform != 0)
			putc('\n', cli->out.fp);
		if (d->format == FORMAT_MARKDOWN)
			fputs("## ", cli->out.fp);
		output_style(&cli->out, OUTPUT_HEADING);
		put(cli, c->platform_name);
		output_style(&cli->out, OUTPUT_PLAIN);
		put(cli, " (");
		put(cli, c->platform_slug);
		put(cli, ")");
		putc('\n', cli->out.fp);
		if (d->format == FORMAT_MARKDOWN)
			putc('\n', cli->out.fp);
		d->last_platform = c->platform_id;
	}
	fputs(d->format == FORMAT_MARKDOWN ? "- **" : "  ", cli->out.fp);
	put(cli, c->title);
	fputs(d->format == FORMAT_MARKDOWN ? "**" : "", cli->out.fp);
	put(cli, ", ");
	put(cli, date);
	put(cli, ": ");
	if (c->from_date == NULL) {
		put(cli, "now tracked (first version)");
	} else {
		put(cli, c->summary);
		put(cli, " since ");
		put(cli, from);
	}
	if (strcmp(c->cause, "technical") == 0)
		put(cli, " [re-extraction, not the platform's change]");
	putc('\n', cli->out.fp);
	/* Documents imported from a history have no address. */
	if (c->url != NULL && c->url[0] != '\0') {
		fputs(d->format == FORMAT_MARKDOWN ? "  " : "    ", cli->out.fp);
		output_style(&cli->out, OUTPUT_DIM);
		put(cli, c->url);
		output_style(&cli->out, OUTPUT_PLAIN);
		putc('\n', cli->out.fp);
	}
	return store_each_provision_change(cli->store, c->id, 0, show_provision_change, d);
}

static int
changes_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "since", required_argument, NULL, 's' },
		{ "watched", no_argument, NULL, 'w' },
		{ "format", required_argument, NULL, 'f' },
		{ "platform", required_argument, NULL, 'p' },
		{ "technical", no_argument, NULL, 't' },
		CLI_COMMON_OPTIONS
	};
	struct store_change_filter filter = { 0 };
	struct digest d = { 0 };
	const char *since = "7d", *platform = NULL;
	char since_at[32];
	json_t *root = NULL;
	int c, rc;

	d.cli = cli;
	d.format = FORMAT_TEXT;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 's':
			since = optarg;
			break;
		case 'w':
			filter.watched_only = 1;
			break;
		case 't':
			filter.technical = 1;
			break;
		case 'p':
			platform = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				d.format = FORMAT_TEXT;
			else if (strcmp(optarg, "markdown") == 0)
				d.format = FORMAT_MARKDOWN;
			else if (strcmp(optarg, "json") == 0)
				d.format = FORMAT_JSON;
			else
				return cli_error(cli, CLI_EXIT_USAGE, "unknown format '%s' (text, "
						 "markdown or json)", optarg);
			break;
		default:
			if ((rc = cli_common_option(cli, &cmd_changes, c, optarg)) >= 0)
				return rc;
		}
	}
	if (optind < argc)
		return cli_error(cli, CLI_EXIT_USAGE, "unexpected argument '%s'", argv[optind]);
	if (cli->json)
		d.format = FORMAT_JSON;
	if (parse_since(since, since_at, sizeof(since_at)) != 0)
		return cli_error(cli, CLI_EXIT_USAGE, "--since wants YYYY-MM-DD or a number of "
				 "hours, days or weeks (36h, 7d, 2w), not '%s'", since);
	filter.since = since_at;
	if (platform != NULL
	    && (rc = cli_platform(cli, platform, &filter.platform_id, NULL)) != CLI_EXIT_OK)
		return rc;
	if (cli_store(cli) == NULL)
		return CLI_EXIT_DATA;
	if (d.format == FORMAT_JSON) {
		root = cli_json_list("changes", &d.list);
		if (root == NULL)
			return cli_error(cli, CLI_EXIT_DATA, "out of memory");
		json_object_set_new(root, "since", json_string(since_at));
	}
	d.since = since_at;
	rc = store_each_change(cli->store, &filter, show_change, &d);
	if (rc != STORE_OK) {
		json_decref(root);
		return cli_walk_error(cli, rc);
	}
	if (root != NULL) {
		rc = cli_json_print(cli, root);
		return rc != CLI_EXIT_OK ? rc : d.changes > 0 ? CLI_EXIT_OK : CLI_EXIT_NOT_FOUND;
	}
	return d.changes > 0 ? CLI_EXIT_OK : CLI_EXIT_NOT_FOUND;
}

const struct cli_command cmd_changes = {
	.name = "changes",
	.args = "[--since DATE|7d] [--watched] [--platform P] [--technical] "
		"[--format text|markdown|json]",
	.summary = "a digest of what changed in the documents, for cron and mail",
	.run = changes_run,
};
