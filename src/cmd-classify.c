/*
 * cmd-classify: clause classify PLATFORM [KIND] — the passages of a
 * platform's documents that the rules give a kind, and which rules matched,
 * for people who check or improve the rules; clause classify - — the
 * kinds of each line of standard input, one JSON object a line, so that
 * any labelled set of passages can be scored.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "cli.h"
#include "rules.h"
#include "store.h"

/* A line of standard input longer than this is refused: passages are
 * sentences and paragraphs, not whole files. */
#define CLASSIFY_MAX_LINE (1024 * 1024)

struct document_ref {
	int64_t id;
	char kind[64];
};

struct classify_walk {
	struct cli *cli;
	struct classifier *c;
	const char *kind;		/* Only this kind, or NULL. */
	const char *document;		/* The document being read. */
	const char *text;		/* Its text. */
	unsigned char *curated;		/* Per kind: the document has a curated one. */
	json_t *list;			/* --json: the passages. */
	struct document_ref *docs;
	size_t ndocs;
	int count;
};

/* A JSON object of one kind given to a passage, with the rules that
 * matched. */
static json_t *
kind_json(const struct classify_walk *w, const struct rules_match *m, size_t k)
{
	const struct rules *r = classifier_rules(w->c);
	json_t *o = json_object(), *rules = json_array();
	size_t i;

	if (o == NULL || rules == NULL) {
		json_decref(o);
		json_decref(rules);
		return NULL;
	}
	json_object_set_new(o, "kind", json_string(rules_kind(r, k)));
	json_object_set_new(o, "score", json_real(m->score[k]));
	json_object_set_new(o, "confidence", json_real(rules_confidence(r, m, k)));
	json_object_set_new(o, "curated", json_boolean(w->curated[k]));
	for (i = 0; i < m->nhits; i++) {
		enum rules_role role;
		double weight;
		const char *text;
		json_t *hit;

		if (m->hits[i].kind != k)
			continue;
		text = rules_pattern(r, k, m->hits[i].rule, &role, &weight);
		hit = json_object();
		if (hit == NULL || json_array_append_new(rules, hit) != 0) {
			json_decref(o);
			json_decref(rules);
			return NULL;
		}
		json_object_set_new(hit, "match", json_string(text));
		json_object_set_new(hit, "weight", json_real(weight));
	}
	json_object_set_new(o, "rules", rules);
	return o;
}

static int
print_passage(const struct classify_passage *p, void *ctx)
{
	struct classify_walk *w = ctx;
	const struct rules *r = classifier_rules(w->c);
	struct output *o = &w->cli->out;
	const struct rules_match *m = p->match;
	char *excerpt;
	json_t *obj = NULL, *kinds = NULL;
	size_t k, i;
	int shown = 0;

	for (k = 0; k < rules_nkinds(r); k++)
		shown += m->given[k] && (w->kind == NULL || strcmp(w->kind, rules_kind(r, k)) == 0);
	if (shown == 0)
		return 0;
	w->count++;
	if ((excerpt = strndup(w->text + p->start, p->len)) == NULL)
		return CLI_WALK_NOMEM;
	if (w->list != NULL) {
		obj = json_object();
		kinds = json_array();
		if (obj == NULL || kinds == NULL || cli_json_append(w->list, obj) != 0) {
			json_decref(kinds);
			free(excerpt);
			return CLI_WALK_NOMEM;
		}
		json_object_set_new(obj, "document", cli_json_string(w->document));
		json_object_set_new(obj, "section", cli_json_string(p->section));
		json_object_set_new(obj, "excerpt", cli_json_string(excerpt));
		json_object_set_new(obj, "kinds", kinds);
	} else {
		putc('\n', o->fp);
		output_style(o, OUTPUT_HEADING);
		output_text(o, w->document);
		output_style(o, OUTPUT_PLAIN);
		if (p->section[0] != '\0') {
			fputs("  ", o->fp);
			output_style(o, OUTPUT_DIM);
			output_fit(o, p->section, o->width - (int)strlen(w->document) - 3, 0);
			output_style(o, OUTPUT_PLAIN);
		}
		putc('\n', o->fp);
	}
	for (k = 0; k < rules_nkinds(r); k++) {
		if (!m->given[k] || (w->kind != NULL && strcmp(w->kind, rules_kind(r, k)) != 0))
			continue;
		if (kinds != NULL) {
			if (cli_json_append(kinds, kind_json(w, m, k)) != 0) {
				free(excerpt);
				return CLI_WALK_NOMEM;
			}
			continue;
		}
		fputs("  ", o->fp);
		output_style(o, OUTPUT_LABEL);
		output_text(o, rules_kind(r, k));
		output_style(o, OUTPUT_PLAIN);
		fprintf(o->fp, " %.2f%s:", rules_confidence(r, m, k),
			w->curated[k] ? " (the document has a curated one)" : "");
		for (i = 0; i < m->nhits; i++) {
			double weight;
			enum rules_role role;
			const char *text;

			if (m->hits[i].kind != k)
				continue;
			text = rules_pattern(r, k, m->hits[i].rule, &role, &weight);
			fputs(" \"", o->fp);
			output_text(o, text);
			fprintf(o->fp, "\" %+.2g", weight);
		}
		putc('\n', o->fp);
	}
	if (kinds == NULL) {
		output_style(o, OUTPUT_DIM);
		output_wrapped(o, excerpt, 4, o->width);
		output_style(o, OUTPUT_PLAIN);
	}
	free(excerpt);
	return 0;
}

static int
note_curated(const char *kind, void *ctx)
{
	struct classify_walk *w = ctx;
	long k = rules_find_kind(classifier_rules(w->c), kind);

	if (k >= 0)
		w->curated[k] = 1;
	return 0;
}

static int
read_document(const struct store_classify_source *src, void *ctx)
{
	struct classify_walk *w = ctx;
	char err[256];
	int rc;

	w->text = src->text;
	rc = classifier_text(w->c, src->text, src->size, 0, print_passage, w, err, sizeof(err));
	if (rc < 0)
		return CLI_WALK_NOMEM;
	return rc;
}

static int
keep_document(const struct store_document *d, void *ctx)
{
	struct classify_walk *w = ctx;
	struct document_ref *grown = realloc(w->docs, (w->ndocs + 1) * sizeof(*grown));

	if (grown == NULL)
		return CLI_WALK_NOMEM;
	w->docs = grown;
	w->docs[w->ndocs].id = d->id;
	snprintf(w->docs[w->ndocs].kind, sizeof(w->docs[w->ndocs].kind), "%s", d->kind);
	w->ndocs++;
	return 0;
}

static int
classify_platform(struct cli *cli, struct classifier *c, const char *platform, const char *kind)
{
	struct classify_walk w = { .cli = cli, .c = c, .kind = kind };
	json_t *root = NULL;
	int64_t platform_id;
	size_t i;
	int rc;

	if ((rc = cli_platform(cli, platform, &platform_id, NULL)) != CLI_EXIT_OK)
		return rc;
	if (kind != NULL && (rc = cli_kind(cli, kind)) != CLI_EXIT_OK)
		return rc;
	if (kind != NULL && rules_find_kind(classifier_rules(c), kind) < 0)
		return cli_error(cli, CLI_EXIT_USAGE, "no rules for kind '%s'", kind);
	w.curated = calloc(rules_nkinds(classifier_rules(c)), 1);
	if (w.curated == NULL)
		return cli_error(cli, CLI_EXIT_DATA, "out of memory");
	if (cli->json && (root = cli_json_list("passages", &w.list)) == NULL) {
		free(w.curated);
		return cli_error(cli, CLI_EXIT_DATA, "out of memory");
	}
	rc = store_each_document(cli->store, platform_id, keep_document, &w);
	for (i = 0; rc == STORE_OK && i < w.ndocs; i++) {
		memset(w.curated, 0, rules_nkinds(classifier_rules(c)));
		w.document = w.docs[i].kind;
		rc = store_each_curated_kind(cli->store, w.docs[i].id, note_curated, &w);
		if (rc == STORE_OK)
			rc = store_classify_source(cli->store, w.docs[i].id, read_document, &w);
		if (rc == STORE_NOT_FOUND)
			rc = STORE_OK;		/* A document not fetched yet. */
	}
	free(w.docs);
	free(w.curated);
	if (rc != STORE_OK) {
		json_decref(root);
		return cli_walk_error(cli, rc);
	}
	if (root != NULL)
		return cli_json_print(cli, root);
	return w.count > 0 ? CLI_EXIT_OK : CLI_EXIT_NOT_FOUND;
}

/* One JSON object a line of standard input: {"kinds": [...]}. */
static int
classify_lines(struct cli *cli, struct classifier *c)
{
	const struct rules *r = classifier_rules(c);
	char *line = NULL;
	size_t size = 0, k;
	ssize_t len;
	long lineno = 0;
	int rc = CLI_EXIT_OK;

	while ((len = getline(&line, &size, stdin)) >= 0) {
		const struct rules_match *m;
		json_t *obj, *kinds;
		char *out;

		lineno++;
		if (len > CLASSIFY_MAX_LINE) {
			rc = cli_error(cli, CLI_EXIT_USAGE, "line %ld: longer than %d bytes", lineno,
				       CLASSIFY_MAX_LINE);
			break;
		}
		if (classifier_passage(c, line, (size_t)len, &m) < 0) {
			rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
			break;
		}
		obj = json_object();
		kinds = json_array();
		if (obj == NULL || kinds == NULL || json_object_set_new(obj, "kinds", kinds) != 0) {
			json_decref(obj);
			rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
			break;
		}
		for (k = 0; k < rules_nkinds(r); k++)
			if (m->given[k])
				json_array_append_new(kinds, json_string(rules_kind(r, k)));
		out = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII);
		json_decref(obj);
		if (out == NULL) {
			rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
			break;
		}
		fputs(out, cli->out.fp);
		putc('\n', cli->out.fp);
		free(out);
	}
	if (rc == CLI_EXIT_OK && ferror(stdin))
		rc = cli_error(cli, CLI_EXIT_DATA, "cannot read standard input");
	free(line);
	return rc;
}

static int
classify_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = { CLI_COMMON_OPTIONS };
	struct classifier *c;
	char err[512];
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", options, NULL)) != -1)
		if ((rc = cli_common_option(cli, &cmd_classify, ch, optarg)) >= 0)
			return rc;
	if (optind >= argc || argc - optind > 2) {
		cli_usage(&cmd_classify, stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[optind], "-") == 0 && argc - optind > 1)
		return cli_error(cli, CLI_EXIT_USAGE, "unexpected argument '%s'", argv[optind + 1]);
	if ((c = classifier_open(err, sizeof(err))) == NULL)
		return cli_error(cli, CLI_EXIT_DATA, "embedded %s", err);
	if (strcmp(argv[optind], "-") == 0)
		rc = classify_lines(cli, c);
	else if (cli_store(cli) == NULL)
		rc = CLI_EXIT_DATA;
	else
		rc = classify_platform(cli, c, argv[optind], optind + 1 < argc ? argv[optind + 1] : NULL);
	classifier_close(c);
	return rc;
}

const struct cli_command cmd_classify = {
	.name = "classify",
	.args = "PLATFORM [KIND] | -",
	.summary = "the passages the rules find and why; '-': the kinds of each line of stdin",
	.run = classify_run,
};
