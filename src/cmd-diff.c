/*
 * cmd-diff: clause diff PLATFORM DOCUMENT-KIND [FROM [TO]] — what changed
 * between two versions of a document (by default the last two), paragraph
 * by paragraph, with [-removed-] and {+added+} words inside a changed one;
 * unified, or in two columns with --side-by-side.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sanitize.h"
#include "store.h"
#include "textdiff.h"
#include "textwidth.h"

/* A version to compare. */
struct diff_side {
	const char *want;	/* A date (YYYY-MM-DD), "#ID" or ID; NULL: by position. */
	int64_t id;		/* Chosen in the first walk. */
	char *date;		/* Read in the second. */
	char *text;
};

struct diff_walk {
	struct diff_side from, to;
	int64_t *ids;		/* Every version, oldest first (first walk). */
	size_t n;
};

static int
matches(const char *want, const struct store_version *v)
{
	char *end;
	long long id;

	if (want[0] == '#')
		want++;
	id = strtoll(want, &end, 10);
	if (*end == '\0' && end != want)
		return id == v->id;
	return strncmp(v->retrieved_at, want, strlen(want)) == 0;
}

/* First walk: every version's id, and the ones the user named. */
static int
choose_versions(const struct store_version *v, void *ctx)
{
	struct diff_walk *w = ctx;
	int64_t *grown = realloc(w->ids, (w->n + 1) * sizeof(*grown));

	if (grown == NULL)
		return CLI_WALK_NOMEM;
	w->ids = grown;
	w->ids[w->n++] = v->id;
	if (w->from.want != NULL && w->from.id == 0 && matches(w->from.want, v))
		w->from.id = v->id;
	if (w->to.want != NULL && w->to.id == 0 && matches(w->to.want, v))
		w->to.id = v->id;
	return 0;
}

/* Second walk: the texts of the two chosen. */
static int
read_versions(const struct store_version *v, void *ctx)
{
	struct diff_walk *w = ctx;
	struct diff_side *sides[] = { &w->from, &w->to };
	size_t i;

	for (i = 0; i < 2; i++) {
		if (sides[i]->id != v->id)
			continue;
		sides[i]->date = strdup(v->retrieved_at);
		sides[i]->text = strdup(v->text != NULL ? v->text : "");
		if (sides[i]->date == NULL || sides[i]->text == NULL)
			return CLI_WALK_NOMEM;
	}
	return 0;
}

static void
free_side(struct diff_side *s)
{
	free(s->date);
	free(s->text);
}

static void
print_para(struct output *o, const char *mark, enum output_style style, const char *text)
{
	output_style(o, style);
	fputs(mark, o->fp);
	output_style(o, OUTPUT_PLAIN);
	output_wrapped(o, text, 2, o->width);
}

static void
print_text(struct cli *cli, const char *slug, const char *kind, const struct diff_walk *w,
	   const struct textdiff *d)
{
	struct output *o = &cli->out;
	char summary[128];
	size_t h, p;

	output_style(o, OUTPUT_LABEL);
	fprintf(o->fp, "--- %s %s %.10s (#%lld)\n+++ %s %s %.10s (#%lld)\n", slug, kind,
		w->from.date, (long long)w->from.id, slug, kind, w->to.date, (long long)w->to.id);
	output_style(o, OUTPUT_PLAIN);
	textdiff_summary(d, summary, sizeof(summary));
	fprintf(o->fp, "%s\n", summary);
	for (h = 0; h < d->nhunks; h++) {
		const struct textdiff_hunk *hunk = &d->hunks[h];

		output_style(o, OUTPUT_HEADING);
		fprintf(o->fp, "@@ paragraphs %d,%d -> %d,%d @@\n", hunk->old_start, hunk->old_count,
			hunk->new_start, hunk->new_count);
		output_style(o, OUTPUT_PLAIN);
		for (p = 0; p < hunk->nparas; p++) {
			const struct textdiff_para *para = &hunk->paras[p];
			char *words;

			switch (para->op) {
			case TEXTDIFF_SAME:
				output_style(o, OUTPUT_DIM);
				output_wrapped(o, para->old_text, 2, o->width);
				output_style(o, OUTPUT_PLAIN);
				break;
			case TEXTDIFF_REMOVED:
				print_para(o, "-", OUTPUT_SEVERITY_HIGH, para->old_text);
				break;
			case TEXTDIFF_ADDED:
				print_para(o, "+", OUTPUT_SEVERITY_LOW, para->new_text);
				break;
			case TEXTDIFF_CHANGED:
				words = textdiff_marked(para);
				print_para(o, "~", OUTPUT_SEVERITY_MEDIUM,
					   words != NULL ? words : para->new_text);
				free(words);
				break;
			}
		}
	}
}

/* One side of a changed paragraph: its words with the removed (old side)
 * or added (new side) ones marked; malloc'd, NULL when out of memory. */
static char *
marked_side(const struct textdiff_para *p, int new_side)
{
	size_t i, len = 1;
	char *out;

	for (i = 0; i < p->nwords; i++)
		len += strlen(p->words[i].text) + 5;
	out = malloc(len);
	if (out == NULL)
		return NULL;
	out[0] = '\0';
	for (i = 0; i < p->nwords; i++) {
		const struct textdiff_words *w = &p->words[i];
		size_t n = strlen(out);

		if ((w->op == TEXTDIFF_REMOVED && new_side) || (w->op == TEXTDIFF_ADDED && !new_side))
			continue;
		snprintf(out + n, len - n, "%s%s%s%s", n > 0 ? " " : "",
			 w->op == TEXTDIFF_REMOVED ? "[-" : w->op == TEXTDIFF_ADDED ? "{+" : "",
			 w->text,
			 w->op == TEXTDIFF_REMOVED ? "-]" : w->op == TEXTDIFF_ADDED ? "+}" : "");
	}
	return out;
}

/* Text wrapped to width, sanitised: its lines into *lines, the text it
 * indexes into *clean (both to free).  -1 when out of memory. */
static int
wrap_side(const char *text, int width, char **clean, struct text_line **lines)
{
	int n;

	*lines = NULL;
	*clean = sanitize_cstr(text != NULL ? text : "", 0);
	if (*clean == NULL)
		return -1;
	n = text_wrap(*clean, strlen(*clean), width, lines);
	if (n < 0) {
		free(*clean);
		*clean = NULL;
	}
	return n;
}

/* Two texts side by side in columns of colw, a mark between them. */
static int
print_pair(struct output *o, char mark, enum output_style style, const char *left,
	   const char *right, int colw)
{
	struct text_line *ll, *rl;
	char *lc, *rc, cell[1024];
	int nl = wrap_side(left, colw, &lc, &ll), nr, i;

	if (nl < 0)
		return -1;
	nr = wrap_side(right, colw, &rc, &rl);
	if (nr < 0) {
		free(ll);
		free(lc);
		return -1;
	}
	for (i = 0; i < nl || i < nr; i++) {
		output_style(o, style);
		text_fit(i < nl ? lc + ll[i].start : "", i < nl ? ll[i].len : 0, colw, 1, cell,
			 sizeof(cell));
		fputs(cell, o->fp);
		fprintf(o->fp, " %c ", mark);
		text_fit(i < nr ? rc + rl[i].start : "", i < nr ? rl[i].len : 0, colw, 0, cell,
			 sizeof(cell));
		fputs(cell, o->fp);
		output_style(o, OUTPUT_PLAIN);
		putc('\n', o->fp);
	}
	free(ll);
	free(rl);
	free(lc);
	free(rc);
	return 0;
}

/* The diff in two columns, old on the left, that fit the width: < a
 * removed paragraph, > an added one, | a changed one with its words
 * marked on each side. */
static int
print_side_by_side(struct cli *cli, const char *slug, const char *kind,
		   const struct diff_walk *w, const struct textdiff *d)
{
	struct output *o = &cli->out;
	int colw = (o->width - 3) / 2;
	char summary[128], head[64];
	size_t h, p;

	output_style(o, OUTPUT_LABEL);
	snprintf(head, sizeof(head), "%.10s (#%lld)", w->from.date, (long long)w->from.id);
	text_fit(head, strlen(head), colw, 1, summary, sizeof(summary));
	fprintf(o->fp, "%s   %.10s (#%lld)\n", summary, w->to.date, (long long)w->to.id);
	output_style(o, OUTPUT_PLAIN);
	textdiff_summary(d, summary, sizeof(summary));
	fprintf(o->fp, "%s %s: %s\n", slug, kind, summary);
	for (h = 0; h < d->nhunks; h++) {
		const struct textdiff_hunk *hunk = &d->hunks[h];

		output_style(o, OUTPUT_HEADING);
		fprintf(o->fp, "@@ paragraphs %d,%d -> %d,%d @@\n", hunk->old_start, hunk->old_count,
			hunk->new_start, hunk->new_count);
		output_style(o, OUTPUT_PLAIN);
		for (p = 0; p < hunk->nparas; p++) {
			const struct textdiff_para *para = &hunk->paras[p];
			char *left, *right;
			int rc = 0;

			switch (para->op) {
			case TEXTDIFF_SAME:
				rc = print_pair(o, ' ', OUTPUT_DIM, para->old_text, para->new_text,
						colw);
				break;
			case TEXTDIFF_REMOVED:
				rc = print_pair(o, '<', OUTPUT_SEVERITY_HIGH, para->old_text, NULL,
						colw);
				break;
			case TEXTDIFF_ADDED:
				rc = print_pair(o, '>', OUTPUT_SEVERITY_LOW, NULL, para->new_text,
						colw);
				break;
			case TEXTDIFF_CHANGED:
				left = marked_side(para, 0);
				right = marked_side(para, 1);
				rc = left == NULL || right == NULL ? -1
				     : print_pair(o, '|', OUTPUT_SEVERITY_MEDIUM, left, right, colw);
				free(left);
				free(right);
				break;
			}
			if (rc != 0)
				return cli_error(cli, CLI_EXIT_DATA, "out of memory");
		}
	}
	return CLI_EXIT_OK;
}

static const char *const op_names[] = {
	[TEXTDIFF_SAME] = "same",
	[TEXTDIFF_REMOVED] = "removed",
	[TEXTDIFF_ADDED] = "added",
	[TEXTDIFF_CHANGED] = "changed",
};

static json_t *
diff_json(const char *slug, const char *kind, const struct diff_walk *w, const struct textdiff *d)
{
	json_t *root = json_pack("{s:s, s:s, s:{s:I, s:s}, s:{s:I, s:s}, s:i, s:i, s:i}",
				 "platform", slug, "document", kind,
				 "from", "id", (json_int_t)w->from.id, "date", w->from.date,
				 "to", "id", (json_int_t)w->to.id, "date", w->to.date,
				 "changed", d->changed, "added", d->added, "removed", d->removed);
	json_t *hunks = json_array();
	size_t h, p, k;

	if (root == NULL || hunks == NULL || json_object_set_new(root, "hunks", hunks) != 0) {
		json_decref(root);
		return NULL;
	}
	for (h = 0; h < d->nhunks; h++) {
		const struct textdiff_hunk *hunk = &d->hunks[h];
		json_t *paras = json_array();
		json_t *jh = json_pack("{s:i, s:i, s:i, s:i, s:o}", "old_start", hunk->old_start,
				       "old_count", hunk->old_count, "new_start", hunk->new_start,
				       "new_count", hunk->new_count, "paragraphs", paras);

		if (jh == NULL || cli_json_append(hunks, jh) != 0) {
			json_decref(root);
			return NULL;
		}
		for (p = 0; p < hunk->nparas; p++) {
			const struct textdiff_para *para = &hunk->paras[p];
			json_t *jp = json_object(), *words;

			if (jp == NULL || cli_json_append(paras, jp) != 0) {
				json_decref(root);
				return NULL;
			}
			json_object_set_new(jp, "op", json_string(op_names[para->op]));
			if (para->old_text != NULL)
				json_object_set_new(jp, "old", cli_json_string(para->old_text));
			if (para->new_text != NULL)
				json_object_set_new(jp, "new", cli_json_string(para->new_text));
			if (para->nwords == 0)
				continue;
			words = json_array();
			json_object_set_new(jp, "words", words);
			for (k = 0; words != NULL && k < para->nwords; k++)
				json_array_append_new(words, json_pack("{s:s, s:o}", "op",
						      op_names[para->words[k].op], "text",
						      cli_json_string(para->words[k].text)));
		}
	}
	return root;
}

struct find_document {
	const char *kind;
	int64_t id;
};

static int
find_document(const struct store_document *d, void *ctx)
{
	struct find_document *f = ctx;

	if (strcmp(d->kind, f->kind) == 0)
		f->id = d->id;
	return 0;
}

static int
diff_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "side-by-side", no_argument, NULL, 's' },
		CLI_COMMON_OPTIONS
	};
	struct diff_walk w = { { 0 }, { 0 }, NULL, 0 };
	struct find_document doc = { 0 };
	struct textdiff d = { 0 };
	char *slug = NULL, err[256];
	int64_t platform;
	int c, rc, side_by_side = 0;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 's')
			side_by_side = 1;
		else if ((rc = cli_common_option(cli, &cmd_diff, c, optarg)) >= 0)
			return rc;
	}
	if (side_by_side && cli->out.width < 60)
		return cli_error(cli, CLI_EXIT_USAGE, "--side-by-side needs 60 columns at least "
				 "(this is %d)", cli->out.width);
	if (argc - optind < 2 || argc - optind > 4) {
		cli_usage(&cmd_diff, stderr);
		return CLI_EXIT_USAGE;
	}
	if ((rc = cli_platform(cli, argv[optind], &platform, &slug)) != CLI_EXIT_OK)
		return rc;
	doc.kind = argv[optind + 1];
	w.from.want = argc - optind >= 3 ? argv[optind + 2] : NULL;
	w.to.want = argc - optind >= 4 ? argv[optind + 3] : NULL;
	rc = store_each_document(cli->store, platform, find_document, &doc);
	if (rc != STORE_OK) {
		rc = cli_walk_error(cli, rc);
		goto out;
	}
	if (doc.id == 0) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "'%s' has no document '%s' (see 'clause show %s')",
			       slug, doc.kind, slug);
		goto out;
	}
	rc = store_each_version(cli->store, doc.id, 0, choose_versions, &w);
	if (rc != STORE_OK) {
		rc = cli_walk_error(cli, rc);
		goto out;
	}
	if ((w.from.want != NULL && w.from.id == 0) || (w.to.want != NULL && w.to.id == 0)) {
		const char *missing = w.from.want != NULL && w.from.id == 0 ? w.from.want : w.to.want;

		rc = cli_error(cli, CLI_EXIT_NOT_FOUND, "no version '%s' of %s %s (see 'clause "
			       "history %s')", missing, slug, doc.kind, slug);
		goto out;
	}
	if (w.from.want == NULL) {
		if (w.n < 2) {
			rc = cli_error(cli, CLI_EXIT_NOT_FOUND, "%s %s has only one version", slug,
				       doc.kind);
			goto out;
		}
		w.from.id = w.ids[w.n - 2];
	}
	if (w.to.want == NULL)
		w.to.id = w.ids[w.n - 1];
	rc = store_each_version(cli->store, doc.id, 1, read_versions, &w);
	if (rc != STORE_OK || w.from.text == NULL || w.to.text == NULL) {
		rc = cli_walk_error(cli, rc != STORE_OK ? rc : CLI_WALK_NOMEM);
		goto out;
	}
	if (textdiff_run(w.from.text, w.to.text, 1, &d, err, sizeof(err)) != 0) {
		rc = cli_error(cli, CLI_EXIT_DATA, "%s", err);
		goto out;
	}
	if (cli->json) {
		rc = cli_json_print(cli, diff_json(slug, doc.kind, &w, &d));
	} else if (side_by_side) {
		rc = print_side_by_side(cli, slug, doc.kind, &w, &d);
	} else {
		print_text(cli, slug, doc.kind, &w, &d);
		rc = CLI_EXIT_OK;
	}
out:
	textdiff_free(&d);
	free_side(&w.from);
	free_side(&w.to);
	free(w.ids);
	free(slug);
	return rc;
}

const struct cli_command cmd_diff = {
	.name = "diff",
	.args = "PLATFORM DOCUMENT-KIND [FROM [TO]] [--side-by-side]",
	.summary = "show what changed between two versions of a document (default: the last two)",
	.run = diff_run,
};
