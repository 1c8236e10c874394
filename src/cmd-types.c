/*
 * cmd-types: clause types — the taxonomy of provision kinds, with how many
 * platforms have a provision of each.
 */

#include <string.h>

#include "cli.h"
#include "store.h"

struct types_walk {
	struct cli *cli;
	json_t *list;
	char topic[128];	/* Text: the topic being listed. */
};

static int
show_type(const struct store_type *t, void *ctx)
{
	struct types_walk *w = ctx;
	struct output *o = &w->cli->out;

	if (w->list != NULL) {
		json_t *obj = json_object();

		if (obj == NULL)
			return CLI_WALK_NOMEM;
		json_object_set_new(obj, "slug", cli_json_string(t->slug));
		json_object_set_new(obj, "name", cli_json_string(t->name));
		json_object_set_new(obj, "topic", cli_json_string(t->topic));
		json_object_set_new(obj, "description", cli_json_string(t->description));
		json_object_set_new(obj, "platforms", json_integer(t->platforms));
		json_object_set_new(obj, "provisions", json_integer(t->provisions));
		return cli_json_append(w->list, obj);
	}
	if (strcmp(w->topic, t->topic) != 0) {
		snprintf(w->topic, sizeof(w->topic), "%s", t->topic);
		output_style(o, OUTPUT_HEADING);
		output_text(o, t->topic);
		output_style(o, OUTPUT_PLAIN);
		putc('\n', o->fp);
	}
	fputs("  ", o->fp);
	output_fit(o, t->slug, 32, 1);
	fprintf(o->fp, " %3d platform%s  ", t->platforms, t->platforms == 1 ? " " : "s");
	output_fit(o, t->name, o->width - 50, 0);
	putc('\n', o->fp);
	return 0;
}

static int
types_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = { CLI_COMMON_OPTIONS };
	struct types_walk w = { .cli = cli };
	json_t *root = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		if ((rc = cli_common_option(cli, &cmd_types, c, optarg)) >= 0)
			return rc;
	if (optind < argc)
		return cli_error(cli, CLI_EXIT_USAGE, "unexpected argument '%s'", argv[optind]);
	if (cli_store(cli) == NULL)
		return CLI_EXIT_DATA;
	if (cli->json && (root = cli_json_list("kinds", &w.list)) == NULL)
		return cli_error(cli, CLI_EXIT_DATA, "out of memory");
	rc = store_each_type(cli->store, show_type, &w);
	if (rc != STORE_OK) {
		json_decref(root);
		return cli_walk_error(cli, rc);
	}
	return root != NULL ? cli_json_print(cli, root) : CLI_EXIT_OK;
}

const struct cli_command cmd_types = {
	.name = "types",
	.args = "",
	.summary = "list the kinds of provision and how many platforms have each",
	.run = types_run,
};
