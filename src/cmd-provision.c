/*
 * cmd-provision: clause provision ID — one provision whole: the excerpt and
 * where it was read, what it means, its own history, the law it engages,
 * and how other platforms handle the same kind of provision.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"
#include "textdiff.h"

struct provision_walk {
	struct cli *cli;
	json_t *obj;		/* --json: the provision. */
	json_t *list;		/* --json: the array being filled. */
	int64_t id;		/* The provision shown. */
	char *kind;		/* Its kind, copied. */
	int64_t platform_id;	/* Its platform. */
	int found;
	int others;
	int events;		/* Changes in its own history. */
};

static void
field(struct output *o, const char *label, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	output_style(o, OUTPUT_LABEL);
	fprintf(o->fp, "%s\n", label);
	output_style(o, OUTPUT_PLAIN);
	output_wrapped(o, text, 2, o->width);
}

static int
show_main(const struct store_provision *p, void *ctx)
{
	struct provision_walk *w = ctx;
	struct output *o = &w->cli->out;
	char date[11], first[11];

	w->found = 1;
	w->kind = strdup(p->kind);
	w->platform_id = p->platform_id;
	if (w->kind == NULL)
		return CLI_WALK_NOMEM;
	if (w->obj != NULL) {
		json_t *obj = cli_json_provision(p);

		if (obj == NULL || json_object_update(w->obj, obj) != 0) {
			json_decref(obj);
			return CLI_WALK_NOMEM;
		}
		json_decref(obj);
		return 0;
	}
	cli_date(p->version_date, date);
	cli_date(p->first_seen, first);
	output_style(o, OUTPUT_HEADING);
	output_text(o, p->platform_name);
	output_style(o, OUTPUT_PLAIN);
	fprintf(o->fp, " #%lld  ", (long long)p->id);
	output_style(o, output_severity_style(p->severity));
	output_text(o, p->severity);
	output_style(o, OUTPUT_PLAIN);
	fputs("  ", o->fp);
	output_text(o, p->kind_name);
	fputs(" (", o->fp);
	output_text(o, p->kind);
	fputs(")\n", o->fp);
	output_wrapped(o, p->headline, 0, o->width);
	putc('\n', o->fp);
	output_wrapped(o, p->excerpt, 2, o->width);
	output_style(o, OUTPUT_DIM);
	fputs("  — ", o->fp);
	output_text(o, p->document_title);
	fprintf(o->fp, ", version of %s (read since %s, %s)\n  ", date, first, p->status);
	output_text(o, p->url);
	fputs("\n  sha256 ", o->fp);
	output_text(o, p->version_sha256);
	output_style(o, OUTPUT_PLAIN);
	fputs("\n\n", o->fp);
	field(o, "What it establishes", p->analysis);
	field(o, "Impact", p->impact);
	field(o, "What you can do", p->action);
	field(o, "Severity", p->severity_reason);
	return 0;
}

/* "label text", wrapped under the regulation at an indent of 4. */
static void
labelled(struct output *o, const char *label, const char *text)
{
	size_t n;
	char *line;

	if (text == NULL || *text == '\0')
		return;
	n = strlen(label) + strlen(text) + 1;
	line = malloc(n);
	if (line == NULL)
		return;
	snprintf(line, n, "%s%s", label, text);
	output_wrapped(o, line, 4, o->width);
	free(line);
}

static int
show_regulation(const struct store_regulation *r, void *ctx)
{
	struct provision_walk *w = ctx;
	struct output *o = &w->cli->out;

	if (w->list != NULL)
		return cli_json_append(w->list, cli_json_regulation(r));
	fputs("  ", o->fp);
	output_style(o, OUTPUT_LABEL);
	output_text(o, r->framework);
	putc(' ', o->fp);
	output_text(o, r->article);
	output_style(o, OUTPUT_PLAIN);
	fputs(" — ", o->fp);
	output_text(o, r->title);
	putc('\n', o->fp);
	output_wrapped(o, r->why, 4, o->width);
	output_style(o, OUTPUT_DIM);
	labelled(o, "Enforced by: ", r->authority);
	labelled(o, "Maximum penalty: ", r->max_penalty);
	output_style(o, OUTPUT_PLAIN);
	return 0;
}

static int
show_other(const struct store_provision *p, void *ctx)
{
	struct provision_walk *w = ctx;
	struct output *o = &w->cli->out;

	w->others++;
	if (w->list != NULL) {
		json_t *obj = json_object();

		if (obj == NULL)
			return CLI_WALK_NOMEM;
		json_object_set_new(obj, "id", json_integer(p->id));
		json_object_set_new(obj, "platform", cli_json_string(p->platform_slug));
		json_object_set_new(obj, "platform_name", cli_json_string(p->platform_name));
		json_object_set_new(obj, "document", cli_json_string(p->document_kind));
		json_object_set_new(obj, "headline", cli_json_string(p->headline));
		json_object_set_new(obj, "severity", cli_json_string(p->severity));
		json_object_set_new(obj, "excerpt", cli_json_string(p->excerpt));
		return cli_json_append(w->list, obj);
	}
	fprintf(o->fp, "  #%-5lld ", (long long)p->id);
	output_fit(o, p->platform_name, 16, 1);
	putc(' ', o->fp);
	output_style(o, output_severity_style(p->severity));
	output_fit(o, p->severity, 10, 1);
	output_style(o, OUTPUT_PLAIN);
	output_fit(o, p->headline, o->width - 36, 0);
	putc('\n', o->fp);
	return 0;
}

/* One change in the provision's own history. */
static int
show_event(const struct store_provision_event *e, void *ctx)
{
	struct provision_walk *w = ctx;
	struct output *o = &w->cli->out;
	char words[512] = "", date[11];

	if (strcmp(e->what, "changed") == 0 && e->before != NULL && e->after != NULL
	    && textdiff_passage_summary(e->before, e->after, words, sizeof(words)) != 0)
		return CLI_WALK_NOMEM;
	w->events++;
	if (w->list != NULL) {
		json_t *obj = json_object();

		if (obj == NULL)
			return CLI_WALK_NOMEM;
		json_object_set_new(obj, "change_id", json_integer(e->change_id));
		json_object_set_new(obj, "detected_at", cli_json_string(e->detected_at));
		json_object_set_new(obj, "what", cli_json_string(e->what));
		json_object_set_new(obj, "cause", cli_json_string(e->cause));
		json_object_set_new(obj, "words", words[0] != '\0' ? cli_json_string(words)
								 : json_null());
		json_object_set_new(obj, "before", cli_json_string(e->before));
		json_object_set_new(obj, "after", cli_json_string(e->after));
		return cli_json_append(w->list, obj);
	}
	cli_date(e->detected_at, date);
	fprintf(o->fp, "  %s ", date);
	output_text(o, strcmp(e->what, "changed") == 0 ? "changed: " : "removed from the document");
	output_text(o, words);
	if (strcmp(e->cause, "technical") == 0)
		output_text(o, " (re-extraction)");
	putc('\n', o->fp);
	if (e->after != NULL) {
		output_style(o, OUTPUT_DIM);
		labelled(o, "now: ", e->after);
		output_style(o, OUTPUT_PLAIN);
	}
	return 0;
}

static int
new_list(struct provision_walk *w, const char *name)
{
	if (w->obj == NULL)
		return 0;
	w->list = json_array();
	if (w->list == NULL || json_object_set_new(w->obj, name, w->list) != 0)
		return CLI_WALK_NOMEM;
	return 0;
}

static void
section(struct output *o, const char *title)
{
	putc('\n', o->fp);
	output_style(o, OUTPUT_HEADING);
	fputs(title, o->fp);
	output_style(o, OUTPUT_PLAIN);
	putc('\n', o->fp);
}

static int
provision_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = { CLI_COMMON_OPTIONS };
	struct provision_walk w = { .cli = cli };
	struct store_provision_filter filter = { 0 };
	long id;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		if ((rc = cli_common_option(cli, &cmd_provision, c, optarg)) >= 0)
			return rc;
	if (argc - optind != 1) {
		cli_usage(&cmd_provision, stderr);
		return CLI_EXIT_USAGE;
	}
	id = cli_positive(argv[optind][0] == '#' ? argv[optind] + 1 : argv[optind]);
	if (id < 0)
		return cli_error(cli, CLI_EXIT_USAGE, "'%s' is not a provision id (a number)",
				 argv[optind]);
	if (cli_store(cli) == NULL)
		return CLI_EXIT_DATA;
	if (cli->json && (w.obj = json_object()) == NULL)
		return cli_error(cli, CLI_EXIT_DATA, "out of memory");

	w.id = filter.id = id;
	rc = store_each_provision(cli->store, &filter, show_main, &w);
	if (rc == STORE_NOT_FOUND) {
		rc = cli_error(cli, CLI_EXIT_NOT_FOUND, "no provision #%ld", id);
		goto out;
	}
	if (rc == STORE_OK && (rc = new_list(&w, "history")) == 0) {
		if (w.obj == NULL)
			section(&cli->out, "Its history");
		rc = store_each_provision_event(cli->store, w.id, show_event, &w);
		if (rc == STORE_OK && w.obj == NULL && w.events == 0)
			fputs("  No change to it recorded since it was read.\n", cli->out.fp);
	}
	if (rc == STORE_OK && (rc = new_list(&w, "regulations")) == 0) {
		if (w.obj == NULL)
			section(&cli->out, "The law it engages");
		rc = store_each_provision_regulation(cli->store, w.id, show_regulation, &w);
	}
	if (rc == STORE_OK && (rc = new_list(&w, "others")) == 0) {
		if (w.obj == NULL)
			section(&cli->out, "How other platforms handle this");
		rc = store_each_provision_elsewhere(cli->store, w.kind, w.platform_id, 0, show_other,
						    &w);
		if (rc == STORE_OK && w.obj == NULL && w.others == 0)
			fputs("  No other platform has a provision of this kind in clause.\n",
			      cli->out.fp);
	}
	if (rc != STORE_OK) {
		rc = cli_walk_error(cli, rc);
		goto out;
	}
	if (w.obj != NULL) {
		rc = cli_json_print(cli, w.obj);
		w.obj = NULL;
	} else {
		output_style(&cli->out, OUTPUT_DIM);
		fputs("\nA reading of what the document states, not legal advice.\n", cli->out.fp);
		output_style(&cli->out, OUTPUT_PLAIN);
	}
out:
	json_decref(w.obj);
	free(w.kind);
	return rc;
}

const struct cli_command cmd_provision = {
	.name = "provision",
	.args = "ID",
	.summary = "show one provision whole, the law it engages, and other platforms' take",
	.run = provision_run,
};
