/*
 * cmd-regulations: clause regulations [FRAMEWORK] — the catalogue of laws,
 * who enforces them, and which kinds of provision engage them.
 */

#include <string.h>

#include "cli.h"
#include "store.h"

struct regulations_walk {
	struct cli *cli;
	json_t *list;		/* --json: regulations. */
	json_t *kinds;		/* --json: the kinds of the regulation shown. */
	char framework[128];	/* Text: the framework being listed. */
	int count;
};

static int
show_kind(const struct store_type *t, void *ctx)
{
	struct regulations_walk *w = ctx;
	struct output *o = &w->cli->out;

	if (w->kinds != NULL) {
		json_t *obj = json_object();

		if (obj == NULL)
			return CLI_WALK_NOMEM;
		json_object_set_new(obj, "slug", cli_json_string(t->slug));
		json_object_set_new(obj, "name", cli_json_string(t->name));
		json_object_set_new(obj, "why", cli_json_string(t->why));
		return cli_json_append(w->kinds, obj);
	}
	fputs("    • ", o->fp);
	output_text(o, t->slug);
	fputs(": ", o->fp);
	output_fit(o, t->why, o->width - 8 - (int)strlen(t->slug), 0);
	putc('\n', o->fp);
	return 0;
}

static int
show_regulation(const struct store_regulation *r, void *ctx)
{
	struct regulations_walk *w = ctx;
	struct output *o = &w->cli->out;

	w->count++;
	if (w->list != NULL) {
		json_t *obj = cli_json_regulation(r);

		w->kinds = json_array();
		if (obj == NULL || w->kinds == NULL
		    || json_object_set_new(obj, "kinds", w->kinds) != 0) {
			json_decref(obj);
			return CLI_WALK_NOMEM;
		}
		if (cli_json_append(w->list, obj) != 0)
			return CLI_WALK_NOMEM;
		return store_each_regulation_type(w->cli->store, r->id, show_kind, w);
	}
	if (strcmp(w->framework, r->framework) != 0) {
		snprintf(w->framework, sizeof(w->framework), "%s", r->framework);
		if (w->count > 1)
			putc('\n', o->fp);
		output_style(o, OUTPUT_HEADING);
		output_text(o, r->framework);
		output_style(o, OUTPUT_PLAIN);
		fputs(" — ", o->fp);
		output_text(o, r->jurisdiction);
		putc('\n', o->fp);
	}
	fputs("  ", o->fp);
	output_style(o, OUTPUT_LABEL);
	output_text(o, r->article);
	output_style(o, OUTPUT_PLAIN);
	fputs("  ", o->fp);
	output_text(o, r->title);
	putc('\n', o->fp);
	output_style(o, OUTPUT_DIM);
	output_wrapped(o, r->authority, 4, o->width);
	if (r->max_penalty != NULL && *r->max_penalty != '\0')
		output_wrapped(o, r->max_penalty, 4, o->width);
	output_wrapped(o, r->url, 4, o->width);
	output_style(o, OUTPUT_PLAIN);
	return store_each_regulation_type(w->cli->store, r->id, show_kind, w);
}

static int
regulations_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = { CLI_COMMON_OPTIONS };
	struct regulations_walk w = { .cli = cli };
	const char *framework = NULL;
	json_t *root = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		if ((rc = cli_common_option(cli, &cmd_regulations, c, optarg)) >= 0)
			return rc;
	if (argc - optind > 1) {
		cli_usage(&cmd_regulations, stderr);
		return CLI_EXIT_USAGE;
	}
	if (argc - optind == 1)
		framework = argv[optind];
	if (cli_store(cli) == NULL)
		return CLI_EXIT_DATA;
	if (cli->json && (root = cli_json_list("regulations", &w.list)) == NULL)
		return cli_error(cli, CLI_EXIT_DATA, "out of memory");
	rc = store_each_regulation(cli->store, framework, show_regulation, &w);
	if (rc == STORE_NOT_FOUND) {
		json_decref(root);
		return cli_error(cli, CLI_EXIT_NOT_FOUND,
				 "no regulations of framework '%s' (see 'clause regulations')",
				 framework);
	}
	if (rc != STORE_OK) {
		json_decref(root);
		return cli_walk_error(cli, rc);
	}
	return root != NULL ? cli_json_print(cli, root) : CLI_EXIT_OK;
}

const struct cli_command cmd_regulations = {
	.name = "regulations",
	.args = "[FRAMEWORK]",
	.summary = "list the laws, who enforces them, and the kinds that engage them",
	.run = regulations_run,
};
