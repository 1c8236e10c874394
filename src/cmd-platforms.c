/*
 * cmd-platforms: clause platforms — every platform with its documents and
 * how many provisions clause has read in them.
 */

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"
#include "textwidth.h"

struct platforms_walk {
	struct cli *cli;
	int slug_width;		/* Text: the columns' widths. */
	int name_width;
	int sector_width;
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

/* Columns of the text table: slug, name, sector, provisions, documents.
 * Each text column is as wide as its widest entry, within these bounds. */
#define SLUG_MAX 30
#define NAME_MAX 26
#define SECTOR_MAX 20
#define COUNT_WIDTH 5
/* The per-severity counts: " HI MED LOW FAV". */
#define SEVERITY_WIDTH 16

static int
widen(int current, const char *s, int max)
{
	int w = text_width(s, strlen(s));

	if (w > max)
		w = max;
	return w > current ? w : current;
}

static int
measure_platform(const struct store_platform *p, void *ctx)
{
	struct platforms_walk *w = ctx;

	w->slug_width = widen(w->slug_width, p->slug, SLUG_MAX);
	w->name_width = widen(w->name_width, p->name, NAME_MAX) + (p->watched ? 2 : 0);
	w->sector_width = widen(w->sector_width, p->sector, SECTOR_MAX);
	return 0;
}

/* Make a row fit the output's width: narrow the name and sector columns,
 * then drop the sector, then narrow the name and at last the slug (the one
 * a user types, so the last to lose characters). */
static void
fit_columns(struct platforms_walk *w)
{
	int room = w->cli->out.width - (2 * COUNT_WIDTH + SEVERITY_WIDTH + 3);

	while (w->slug_width + w->name_width + (w->sector_width > 0 ? w->sector_width + 1 : 0)
	       > room) {
		if (w->name_width > 16 && w->name_width >= w->sector_width)
			w->name_width--;
		else if (w->sector_width > 12)
			w->sector_width--;
		else if (w->sector_width > 0)
			w->sector_width = 0;
		else if (w->name_width > 10)
			w->name_width--;
		else if (w->slug_width > 8)
			w->slug_width--;
		else
			break;
	}
}

/* One severity's count, in its colour (blank when 0, to let the others
 * stand out). */
static void
severity_count(struct output *o, enum output_style style, int width, int n)
{
	putc(' ', o->fp);
	if (n == 0) {
		output_spaces(o, width);
		return;
	}
	output_style(o, style);
	fprintf(o->fp, "%*d", width, n);
	output_style(o, OUTPUT_PLAIN);
}

/* Room left for the list of document kinds, or 0 when too little. */
static int
kinds_width(const struct platforms_walk *w)
{
	int rest = w->cli->out.width
		   - (w->slug_width + w->name_width + (w->sector_width > 0 ? w->sector_width + 1 : 0)
		      + 2 * COUNT_WIDTH + SEVERITY_WIDTH + 5);

	return rest >= 12 ? rest : 0;
}

static int
show_platform(const struct store_platform *p, void *ctx)
{
	struct platforms_walk *w = ctx;
	struct output *o = &w->cli->out;
	struct documents_walk dw = { NULL, "" };
	char name[512];
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
		json_object_set_new(obj, "watched", json_boolean(p->watched));
		json_object_set_new(obj, "changed_since_seen", json_boolean(p->unseen_changes));
		json_object_set_new(obj, "provisions", json_integer(p->provisions));
		json_object_set_new(obj, "severity",
				    json_pack("{s:i, s:i, s:i, s:i}", "high", p->high, "medium",
					      p->medium, "low", p->low, "favourable", p->favourable));
		json_object_set_new(obj, "documents", dw.list);
		if (cli_json_append(w->list, obj) != 0)
			return CLI_WALK_NOMEM;
		return store_each_document(w->cli->store, p->id, add_document, &dw);
	}
	if ((rest = store_each_document(w->cli->store, p->id, add_document, &dw)) != 0)
		return rest;
	output_fit(o, p->slug, w->slug_width, 1);
	putc(' ', o->fp);
	/* A watched platform's name is marked with a star. */
	snprintf(name, sizeof(name), "%s%s", p->watched ? "* " : "", p->name);
	output_style(o, OUTPUT_HEADING);
	output_fit(o, name, w->name_width, 1);
	output_style(o, OUTPUT_PLAIN);
	if (w->sector_width > 0) {
		putc(' ', o->fp);
		output_fit(o, p->sector, w->sector_width, 1);
	}
	fprintf(o->fp, " %*d", COUNT_WIDTH, p->provisions);
	severity_count(o, OUTPUT_SEVERITY_HIGH, 3, p->high);
	severity_count(o, OUTPUT_SEVERITY_MEDIUM, 3, p->medium);
	severity_count(o, OUTPUT_SEVERITY_LOW, 3, p->low);
	severity_count(o, OUTPUT_SEVERITY_FAVOURABLE, 3, p->favourable);
	fprintf(o->fp, " %*d", COUNT_WIDTH, p->documents);
	rest = kinds_width(w);
	if (rest > 0) {
		fputs("  ", o->fp);
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
	struct platforms_walk w = {
		.cli = cli, .slug_width = 8, .name_width = 4, .sector_width = 6,
	};
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

		if ((rc = store_each_platform(cli->store, measure_platform, &w)) != STORE_OK)
			return cli_walk_error(cli, rc);
		fit_columns(&w);
		output_style(o, OUTPUT_LABEL);
		output_fit(o, "PLATFORM", w.slug_width, 1);
		putc(' ', o->fp);
		output_fit(o, "NAME", w.name_width, 1);
		if (w.sector_width > 0) {
			putc(' ', o->fp);
			output_fit(o, "SECTOR", w.sector_width, 1);
		}
		fprintf(o->fp, " %*s  HI MED LOW FAV %*s%s\n", COUNT_WIDTH, "PROV.", COUNT_WIDTH, "DOCS",
			kinds_width(&w) > 0 ? "  KINDS" : "");
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
