/*
 * cmd-history: clause history PLATFORM [KIND] — every stored version of a
 * platform's documents, newest first, with what changed from the one
 * before.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"
#include "textdiff.h"

/* A version, copied out of the walk. */
struct history_version {
	int64_t id;
	char *retrieved_at;
	char *source;
	char *sha256;
	char *text;
	size_t size;
};

struct history_versions {
	struct history_version *v;
	size_t n;
	int failed;
};

static int
keep_version(const struct store_version *v, void *ctx)
{
	struct history_versions *hv = ctx;
	struct history_version *grown = realloc(hv->v, (hv->n + 1) * sizeof(*grown)), *h;

	if (grown == NULL)
		return CLI_WALK_NOMEM;
	hv->v = grown;
	h = &hv->v[hv->n++];
	h->id = v->id;
	h->size = v->size;
	h->retrieved_at = strdup(v->retrieved_at);
	h->source = strdup(v->source);
	h->sha256 = strdup(v->sha256);
	h->text = strdup(v->text != NULL ? v->text : "");
	if (h->retrieved_at == NULL || h->source == NULL || h->sha256 == NULL || h->text == NULL)
		return CLI_WALK_NOMEM;
	return 0;
}

static void
free_versions(struct history_versions *hv)
{
	size_t i;

	for (i = 0; i < hv->n; i++) {
		free(hv->v[i].retrieved_at);
		free(hv->v[i].source);
		free(hv->v[i].sha256);
		free(hv->v[i].text);
	}
	free(hv->v);
	memset(hv, 0, sizeof(*hv));
}

struct history_walk {
	struct cli *cli;
	const char *kind;	/* Only this document kind, or NULL. */
	const char *slug;	/* The platform, for the text heading. */
	json_t *list;		/* --json: the documents. */
	int documents;
	int failed;		/* An exit code, once something failed. */
};

static int
show_document(const struct store_document *doc, void *ctx)
{
	struct history_walk *w = ctx;
	struct output *o = &w->cli->out;
	struct history_versions hv = { 0 };
	json_t *obj = NULL, *versions = NULL;
	size_t i;
	int rc;

	if (w->kind != NULL && strcmp(doc->kind, w->kind) != 0)
		return 0;
	w->documents++;
	rc = store_each_version(w->cli->store, doc->id, 1, keep_version, &hv);
	if (rc != STORE_OK) {
		free_versions(&hv);
		return rc;
	}
	if (w->list != NULL) {
		obj = json_object();
		versions = json_array();
		if (obj == NULL || versions == NULL || json_object_set_new(obj, "versions", versions)) {
			json_decref(obj);
			free_versions(&hv);
			return CLI_WALK_NOMEM;
		}
		json_object_set_new(obj, "kind", cli_json_string(doc->kind));
		json_object_set_new(obj, "title", cli_json_string(doc->title));
		json_object_set_new(obj, "url", cli_json_string(doc->url));
		if (cli_json_append(w->list, obj) != 0) {
			free_versions(&hv);
			return CLI_WALK_NOMEM;
		}
	} else {
		if (w->documents == 1) {
			output_style(o, OUTPUT_HEADING);
			output_text(o, w->slug);
			output_style(o, OUTPUT_PLAIN);
			putc('\n', o->fp);
		}
		putc('\n', o->fp);
		output_style(o, OUTPUT_HEADING);
		output_text(o, doc->title);
		output_style(o, OUTPUT_PLAIN);
		fprintf(o->fp, " (%s) · %zu version%s\n", doc->kind, hv.n, hv.n == 1 ? "" : "s");
	}
	/* Newest first, each against the one before it. */
	for (i = hv.n; i > 0; i--) {
		const struct history_version *v = &hv.v[i - 1];
		struct textdiff d = { 0 };
		char line[256] = "first version stored", err[256];

		if (i > 1) {
			if (textdiff_run(hv.v[i - 2].text, v->text, 0, &d, err, sizeof(err)) != 0) {
				free_versions(&hv);
				w->failed = cli_error(w->cli, CLI_EXIT_DATA, "%s", err);
				return 1;
			}
			textdiff_summary(&d, line, sizeof(line));
		}
		if (versions != NULL) {
			json_t *jv = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)v->id,
					       "date", v->retrieved_at, "source", v->source, "sha256",
					       v->sha256, "size", (json_int_t)v->size, "summary", line);

			if (jv != NULL && i > 1) {
				json_object_set_new(jv, "changed", json_integer(d.changed));
				json_object_set_new(jv, "added", json_integer(d.added));
				json_object_set_new(jv, "removed", json_integer(d.removed));
			}
			if (cli_json_append(versions, jv) != 0) {
				textdiff_free(&d);
				free_versions(&hv);
				return CLI_WALK_NOMEM;
			}
		} else {
			fprintf(o->fp, "  %.10s  %-8s %7.1f kB  ", v->retrieved_at, v->source,
				(double)v->size / 1024.0);
			output_style(o, OUTPUT_DIM);
			fprintf(o->fp, "%.12s", v->sha256);
			output_style(o, OUTPUT_PLAIN);
			fprintf(o->fp, "  %s\n", line);
		}
		textdiff_free(&d);
	}
	free_versions(&hv);
	return 0;
}

static int
history_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = { CLI_COMMON_OPTIONS };
	struct history_walk w = { .cli = cli };
	json_t *root = NULL;
	char *slug = NULL;
	int64_t id;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		if ((rc = cli_common_option(cli, &cmd_history, c, optarg)) >= 0)
			return rc;
	if (argc - optind < 1 || argc - optind > 2) {
		cli_usage(&cmd_history, stderr);
		return CLI_EXIT_USAGE;
	}
	if ((rc = cli_platform(cli, argv[optind], &id, &slug)) != CLI_EXIT_OK)
		return rc;
	w.kind = argc - optind == 2 ? argv[optind + 1] : NULL;
	if (cli->json) {
		if ((root = cli_json_list("documents", &w.list)) == NULL) {
			free(slug);
			return cli_error(cli, CLI_EXIT_DATA, "out of memory");
		}
		json_object_set_new(root, "platform", cli_json_string(slug));
	}
	w.slug = slug;
	rc = store_each_document(cli->store, id, show_document, &w);
	if (w.failed) {
		rc = w.failed;
		goto out;
	}
	if (rc != STORE_OK) {
		rc = cli_walk_error(cli, rc);
		goto out;
	}
	if (w.documents == 0) {
		rc = cli_error(cli, CLI_EXIT_NOT_FOUND, "'%s' has no %s%sdocument", slug,
			       w.kind != NULL ? w.kind : "", w.kind != NULL ? " " : "");
		goto out;
	}
	rc = root != NULL ? cli_json_print(cli, root) : CLI_EXIT_OK;
	root = NULL;
out:
	json_decref(root);
	free(slug);
	return rc;
}

const struct cli_command cmd_history = {
	.name = "history",
	.args = "PLATFORM [DOCUMENT-KIND]",
	.summary = "list every stored version of a platform's documents and what changed",
	.run = history_run,
};
