/*
 * cmd-search: clause search QUERY — full-text search over every provision,
 * best first (bm25), each hit with a snippet that shows where it matched.
 */

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "marks.h"
#include "query.h"
#include "store.h"

struct search_walk {
	struct cli *cli;
	json_t *list;
	int count;
};

/* Code points in the first n bytes of s. */
static long long
code_points(const char *s, size_t n)
{
	long long count = 0;
	size_t i;

	for (i = 0; i < n; i++)
		count += ((unsigned char)s[i] & 0xc0) != 0x80;
	return count;
}

/* The snippet without its match markers, and the [start, end) offsets of
 * each match in code points, as a script reading JSON counts them. */
static json_t *
json_snippet(const char *snippet, json_t **highlights)
{
	struct marks marks;
	char *plain = strdup(snippet);
	json_t *text;
	size_t i;

	*highlights = json_array();
	if (plain == NULL || *highlights == NULL) {
		free(plain);
		json_decref(*highlights);
		*highlights = NULL;
		return NULL;
	}
	marks_strip(plain, strlen(plain), &marks);
	for (i = 0; i + 1 < marks.n; i += 2)
		json_array_append_new(*highlights,
				      json_pack("[I,I]", code_points(plain, marks.at[i]),
						code_points(plain, marks.at[i + 1])));
	text = cli_json_string(plain);
	marks_free(&marks);
	free(plain);
	return text;
}

static int
show_hit(const struct store_hit *hit, void *ctx)
{
	struct search_walk *w = ctx;
	const struct store_provision *p = hit->provision;
	struct output *o = &w->cli->out;

	w->count++;
	if (w->list != NULL) {
		json_t *obj = cli_json_provision(p), *highlights = NULL;

		if (obj == NULL)
			return CLI_WALK_NOMEM;
		json_object_set_new(obj, "snippet", json_snippet(hit->snippet, &highlights));
		json_object_set_new(obj, "highlights",
				    highlights != NULL ? highlights : json_array());
		json_object_set_new(obj, "rank", json_real(hit->rank));
		return cli_json_append(w->list, obj);
	}
	fprintf(o->fp, "#%-5lld ", (long long)p->id);
	output_style(o, OUTPUT_HEADING);
	output_text(o, p->platform_name);
	output_style(o, OUTPUT_PLAIN);
	fputs(" · ", o->fp);
	output_text(o, p->kind);
	fputs(" · ", o->fp);
	output_style(o, output_severity_style(p->severity));
	output_text(o, p->severity);
	output_style(o, OUTPUT_PLAIN);
	putc('\n', o->fp);
	output_style(o, OUTPUT_LABEL);
	output_wrapped(o, p->headline, 7, o->width);
	output_style(o, OUTPUT_PLAIN);
	output_wrapped(o, hit->snippet, 7, o->width);
	return 0;
}

/* Join the arguments into one query, words separated by spaces. */
static char *
join_args(int argc, char **argv)
{
	size_t n = 1;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	s = malloc(n);
	if (s == NULL)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < argc; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static int
search_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "platform", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "kind", required_argument, NULL, 't' },
		{ "severity", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'n' },
		CLI_COMMON_OPTIONS
	};
	struct store_provision_filter filter = { 0 };
	struct search_walk w = { .cli = cli };
	struct query q = { 0 };
	const char *platform = NULL, *kind = NULL, *severity = NULL;
	char err[512], *text = NULL;
	json_t *root = NULL;
	long limit = 20;
	int c, rc;

	while ((c = getopt_long(argc, argv, "hp:t:s:n:", options, NULL)) != -1) {
		switch (c) {
		case 's':
			severity = optarg;
			break;
		case 'p':
			platform = optarg;
			break;
		case 't':
			kind = optarg;
			break;
		case 'n':
			if ((limit = cli_positive(optarg)) < 0)
				return cli_error(cli, CLI_EXIT_USAGE,
						 "--limit wants a positive number, not '%s'", optarg);
			break;
		default:
			if ((rc = cli_common_option(cli, &cmd_search, c, optarg)) >= 0)
				return rc;
		}
	}
	if (optind >= argc) {
		cli_usage(&cmd_search, stderr);
		return CLI_EXIT_USAGE;
	}
	text = join_args(argc - optind, argv + optind);
	if (text == NULL)
		return cli_error(cli, CLI_EXIT_DATA, "out of memory");
	if (query_parse(text, &q, err, sizeof(err)) != 0) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "%s", err);
		goto out;
	}
	if ((platform != NULL && q.platform != NULL) || (kind != NULL && q.kind != NULL)
	    || (severity != NULL && q.severity != NULL)) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "a filter is given both as an option and in '%s'",
			       text);
		goto out;
	}
	if (platform == NULL)
		platform = q.platform;
	if (kind == NULL)
		kind = q.kind;
	if (severity == NULL)
		severity = q.severity;
	if (severity != NULL && !cli_is_severity(severity)) {
		rc = cli_error(cli, CLI_EXIT_USAGE,
			       "no severity '%s' (high, medium, low or favourable)", severity);
		goto out;
	}
	filter.severity = severity;
	if (q.match == NULL) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "nothing to search for in '%s' but filters",
			       text);
		goto out;
	}
	if (platform != NULL
	    && (rc = cli_platform(cli, platform, &filter.platform_id, NULL)) != CLI_EXIT_OK)
		goto out;
	if (kind != NULL && (rc = cli_kind(cli, kind)) != CLI_EXIT_OK)
		goto out;
	filter.kind = kind;
	if (cli_store(cli) == NULL) {
		rc = CLI_EXIT_DATA;
		goto out;
	}
	if (cli->json) {
		if ((root = cli_json_list("hits", &w.list)) == NULL) {
			rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
			goto out;
		}
		json_object_set_new(root, "query", cli_json_string(text));
	}
	rc = store_search(cli->store, q.match, &filter, (int)(limit > 10000 ? 10000 : limit),
			  show_hit, &w);
	if (rc == STORE_BAD_QUERY) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "cannot search for '%s'", text);
		goto out;
	}
	if (rc != STORE_OK) {
		rc = cli_walk_error(cli, rc);
		goto out;
	}
	if (root != NULL) {
		rc = cli_json_print(cli, root);
		root = NULL;
		if (rc == CLI_EXIT_OK && w.count == 0)
			rc = CLI_EXIT_NOT_FOUND;
	} else {
		rc = w.count > 0 ? CLI_EXIT_OK
				 : cli_error(cli, CLI_EXIT_NOT_FOUND, "no provision matches '%s'",
					     text);
	}
out:
	json_decref(root);
	query_free(&q);
	free(text);
	return rc;
}

const struct cli_command cmd_search = {
	.name = "search",
	.args = "QUERY [--platform P] [--type KIND] [--severity S] [--limit N]",
	.summary = "search every provision (\"phrases\", prefix*, OR, NOT, platform:, kind:, severity:)",
	.run = search_run,
};
