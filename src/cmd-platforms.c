/*
 * cmd-platforms: clause platforms — every platform with its documents and
 * how many provisions clause has read in them.
 */

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"

struct platforms_walk {
	struct cli *cli;
	json_t *list;		/* --json: the platforms array. */
	int count;
	int status;		/* First failure, or 0. */
};

struct documents_walk {
	json_t *list;		/* --json: the documents array. */
	char kinds[256];	/* Text: "terms, privacy". */
};

static int
add_document(const struct store_document *d, void *ctx)
{
	struct documents_walk *dw = ctx;
	size_t used = strlen(dw->kinds);

	if (dw->list != NULL)
		return cli_json_append(dw->list, cli_json_document(d));
	snprintf(dw->kinds + used, sizeof(dw->kinds) - used, "%s%s", used > 0 ? ", " : "",
		 d->kind);
	return 0;
}

/* Columns of the text table: slug, name, sector, provisions, documents. */
#define SLUG_WIDTH 18
#define NAME_WIDTH 18
#define SECTOR_WIDTH 16
#define COUNT_WIDTH 5

static int
show_platform(const struct store_platform *p, void *ctx)
{
	struct platforms_walk *w = ctx;
	struct output *o = &w->cli->out;
	struct documents_walk dw = { NULL, "" };
	int rest;

	w->count++;
	if (w->list != NULL) {
		json_t *obj = json_object();

		dw.list = json_array();
		if (obj == NULL || dw.list == NULL) {
			json_decref(obj);
			json_decref(dw.list);
			return CLI_WALK_NOMEM;
		}
		json_object_set_new(obj, "id", json_integer(p->id));
		json_object_set_new(obj, "slug", cli_json_string(p->slug));
		json_object_set_new(obj, "name", cli_json_string(p->name));
		json_object_set_new(obj, "operator", cli_json_string(p->operator_name));
		json_object_set_new(obj, "sector", cli_json_string(p->sector));
		json_object_set_new(obj, "homepage", cli_json_string(p->homepage));
		json_object_set_new(obj, "provisions", json_integer(p->provisions));
		json_object_set_new(obj, "documents", dw.list);
		if (cli_json_append(w->list, obj) != 0)
			return CLI_WALK_NOMEM;
		return store_each_document(w->cli->store, p->id, add_document, &dw);
	}
	if ((rest = store_each_document(w->cli->store, p->id, add_document, &dw)) != 0)
		return rest;
	output_fit(o, p->slug, SLUG_WIDTH, 1);
	putc(' ', o->fp);
	output_style(o, OUTPUT_HEADING);
	output_fit(o, p->name, NAME_WIDTH, 1);
	output_style(o, OUTPUT_PLAIN);
	putc(' ', o->fp);
	output_fit(o, p->sector, SECTOR_WIDTH, 1);
	fprintf(o->fp, " %*d  ", COUNT_WIDTH, p->provisions);
	rest = o->width - (SLUG_WIDTH + NAME_WIDTH + SECTOR_WIDTH + COUNT_WIDTH + 5);
	if (rest > 4) {
		output_style(o, OUTPUT_DIM);
		output_fit(o, dw.kinds, rest, 0);
		output_style(o, OUTPUT_PLAIN);
	}
	putc('\n', o->fp);
	return 0;
}

static int
platforms_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = { CLI_COMMON_OPTIONS };
	struct platforms_walk w = { .cli = cli };
	json_t *root = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		if ((rc = cli_common_option(cli, &cmd_platforms, c, optarg)) >= 0)
			return rc;
	if (optind < argc)
		return cli_error(cli, CLI_EXIT_USAGE, "unexpected argument '%s'", argv[optind]);
	if (cli_store(cli) == NULL)
		return CLI_EXIT_DATA;
	if (cli->json) {
		if ((root = cli_json_list("platforms", &w.list)) == NULL)
			return cli_error(cli, CLI_EXIT_DATA, "out of memory");
	} else {
		struct output *o = &cli->out;

		output_style(o, OUTPUT_LABEL);
		output_fit(o, "PLATFORM", SLUG_WIDTH, 1);
		putc(' ', o->fp);
		output_fit(o, "NAME", NAME_WIDTH, 1);
		putc(' ', o->fp);
		output_fit(o, "SECTOR", SECTOR_WIDTH, 1);
		fprintf(o->fp, " %*s  DOCUMENTS\n", COUNT_WIDTH, "PROV.");
		output_style(o, OUTPUT_PLAIN);
	}
	rc = store_each_platform(cli->store, show_platform, &w);
	if (rc != STORE_OK) {
		json_decref(root);
		return cli_walk_error(cli, rc);
	}
	if (root != NULL)
		return cli_json_print(cli, root);
	return w.count > 0 ? CLI_EXIT_OK : CLI_EXIT_NOT_FOUND;
}

const struct cli_command cmd_platforms = {
	.name = "platforms",
	.args = "",
	.summary = "list the platforms, their documents and provision counts",
	.run = platforms_run,
};
