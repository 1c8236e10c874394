/*
 * cmd-show: clause show PLATFORM [KIND] — a platform's documents and its
 * provisions, grouped by document, optionally of one kind.
 */

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"

struct show_walk {
	struct cli *cli;
	json_t *list;			/* --json: documents or provisions. */
	char document[64];		/* Text: the document being listed. */
	int count;
};

static int
show_document(const struct store_document *d, void *ctx)
{
	struct show_walk *w = ctx;
	struct output *o = &w->cli->out;
	char date[11];

	if (w->list != NULL)
		return cli_json_append(w->list, cli_json_document(d));
	cli_date(d->latest, date);
	fputs("  ", o->fp);
	output_fit(o, d->kind, 18, 1);
	putc(' ', o->fp);
	output_text(o, d->title);
	fprintf(o->fp, " (%d version%s, latest %s, %d provision%s)\n    ", d->versions,
		d->versions == 1 ? "" : "s", date[0] != '\0' ? date : "none", d->provisions,
		d->provisions == 1 ? "" : "s");
	output_style(o, OUTPUT_DIM);
	output_text(o, d->url);
	output_style(o, OUTPUT_PLAIN);
	putc('\n', o->fp);
	return 0;
}

static int
show_provision(const struct store_provision *p, void *ctx)
{
	struct show_walk *w = ctx;
	struct output *o = &w->cli->out;
	char date[11];

	w->count++;
	if (w->list != NULL)
		return cli_json_append(w->list, cli_json_provision(p));
	if (strcmp(w->document, p->document_kind) != 0) {
		snprintf(w->document, sizeof(w->document), "%s", p->document_kind);
		putc('\n', o->fp);
		output_style(o, OUTPUT_HEADING);
		output_text(o, p->document_title);
		output_style(o, OUTPUT_PLAIN);
		putc('\n', o->fp);
	}
	cli_date(p->version_date, date);
	fprintf(o->fp, "  #%-5lld ", (long long)p->id);
	output_style(o, output_severity_style(p->severity));
	output_fit(o, p->severity, 10, 1);
	output_style(o, OUTPUT_PLAIN);
	output_style(o, OUTPUT_LABEL);
	output_text(o, p->kind);
	output_style(o, OUTPUT_PLAIN);
	if (strcmp(p->status, "current") != 0)
		fprintf(o->fp, " (%s since %s)", p->status, date);
	putc('\n', o->fp);
	output_wrapped(o, p->headline, 9, o->width);
	output_style(o, OUTPUT_DIM);
	output_wrapped(o, p->excerpt, 9, o->width);
	output_style(o, OUTPUT_PLAIN);
	return 0;
}

static int
show_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = { CLI_COMMON_OPTIONS };
	struct store_provision_filter filter = { 0 };
	struct show_walk w = { .cli = cli };
	json_t *root = NULL, *docs = NULL;
	char *slug = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		if ((rc = cli_common_option(cli, &cmd_show, c, optarg)) >= 0)
			return rc;
	if (optind >= argc || argc - optind > 2) {
		cli_usage(&cmd_show, stderr);
		return CLI_EXIT_USAGE;
	}
	if ((rc = cli_platform(cli, argv[optind], &filter.platform_id, &slug)) != CLI_EXIT_OK)
		return rc;
	if (argc - optind == 2) {
		filter.kind = argv[optind + 1];
		if ((rc = cli_kind(cli, filter.kind)) != CLI_EXIT_OK)
			goto out;
	}

	if (cli->json) {
		root = json_object();
		docs = json_array();
		w.list = docs;
		if (root == NULL || docs == NULL) {
			json_decref(docs);
			rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
			goto out;
		}
		json_object_set_new(root, "platform", cli_json_string(slug));
		json_object_set_new(root, "kind", cli_json_string(filter.kind));
		json_object_set_new(root, "documents", docs);
	} else {
		output_style(&cli->out, OUTPUT_HEADING);
		output_text(&cli->out, slug);
		output_style(&cli->out, OUTPUT_PLAIN);
		fputs("\n\nDocuments:\n", cli->out.fp);
	}
	rc = store_each_document(cli->store, filter.platform_id, show_document, &w);
	if (rc == STORE_OK && root != NULL) {
		w.list = json_array();
		if (w.list == NULL || json_object_set_new(root, "provisions", w.list) != 0)
			rc = CLI_WALK_NOMEM;
	}
	if (rc == STORE_OK)
		rc = store_each_provision(cli->store, &filter, show_provision, &w);
	if (rc != STORE_OK) {
		rc = cli_walk_error(cli, rc);
		goto out;
	}
	if (root != NULL) {
		rc = cli_json_print(cli, root);
		root = NULL;
		if (rc == CLI_EXIT_OK && w.count == 0)
			rc = CLI_EXIT_NOT_FOUND;
	} else if (w.count == 0) {
		rc = cli_error(cli, CLI_EXIT_NOT_FOUND, "no provisions%s%s for '%s'",
			       filter.kind != NULL ? " of kind " : "",
			       filter.kind != NULL ? filter.kind : "", slug);
	} else {
		rc = CLI_EXIT_OK;
	}
out:
	json_decref(root);
	free(slug);
	return rc;
}

const struct cli_command cmd_show = {
	.name = "show",
	.args = "PLATFORM [KIND]",
	.summary = "show a platform's documents and provisions (of one kind)",
	.run = show_run,
};
