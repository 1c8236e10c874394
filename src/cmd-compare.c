/*
 * cmd-compare: clause compare KIND [--platforms a,b,c] — how platforms
 * handle the same kind of provision, one column per platform, side by side
 * in columns that fit the width, stacked when it is too narrow.
 */

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sanitize.h"
#include "store.h"
#include "textwidth.h"

/* Narrowest column worth reading, and the gap between columns. */
#define COMPARE_MIN_COLUMN 36
#define COMPARE_GAP " │ "
#define COMPARE_GAP_WIDTH 3
/* Most columns side by side, however wide the terminal. */
#define COMPARE_MAX_COLUMNS 8

/* One provision, copied out of the walk. */
struct compare_entry {
	int64_t id;
	char *platform;		/* Slug. */
	char *platform_name;
	char *document_title;
	char *version_date;
	char *severity;
	char *headline;
	char *excerpt;
};

/* One line of a column, ready to draw. */
struct compare_line {
	enum output_style style;
	char *text;		/* Sanitised; NULL for a blank line. */
};

struct compare_column {
	struct compare_line *lines;
	size_t n, size;
};

struct compare_walk {
	struct compare_entry *entries;
	size_t n, size;
};

static void
entry_free(struct compare_entry *e)
{
	free(e->platform);
	free(e->platform_name);
	free(e->document_title);
	free(e->version_date);
	free(e->severity);
	free(e->headline);
	free(e->excerpt);
}

static char *
copy(const char *s)
{
	return strdup(s != NULL ? s : "");
}

static int
keep_entry(const struct store_provision *p, void *ctx)
{
	struct compare_walk *w = ctx;
	struct compare_entry *e;

	if (w->n == w->size) {
		size_t size = w->size > 0 ? w->size * 2 : 16;
		struct compare_entry *grown = realloc(w->entries, size * sizeof(*grown));

		if (grown == NULL)
			return CLI_WALK_NOMEM;
		w->entries = grown;
		w->size = size;
	}
	e = &w->entries[w->n];
	memset(e, 0, sizeof(*e));
	e->id = p->id;
	e->platform = copy(p->platform_slug);
	e->platform_name = copy(p->platform_name);
	e->document_title = copy(p->document_title);
	e->version_date = copy(p->version_date);
	e->severity = copy(p->severity);
	e->headline = copy(p->headline);
	e->excerpt = copy(p->excerpt);
	if (e->platform == NULL || e->platform_name == NULL || e->document_title == NULL
	    || e->version_date == NULL || e->severity == NULL || e->headline == NULL
	    || e->excerpt == NULL) {
		entry_free(e);
		return CLI_WALK_NOMEM;
	}
	w->n++;
	return 0;
}

static int
column_add(struct compare_column *col, enum output_style style, const char *text, size_t len)
{
	struct compare_line *line;

	if (col->n == col->size) {
		size_t size = col->size > 0 ? col->size * 2 : 32;
		struct compare_line *grown = realloc(col->lines, size * sizeof(*grown));

		if (grown == NULL)
			return -1;
		col->lines = grown;
		col->size = size;
	}
	line = &col->lines[col->n];
	line->style = style;
	line->text = NULL;
	if (text != NULL && (line->text = strndup(text, len)) == NULL)
		return -1;
	col->n++;
	return 0;
}

/* Add text wrapped to width, sanitised, in style. */
static int
column_wrap(struct compare_column *col, enum output_style style, const char *text, int width)
{
	struct text_line *lines = NULL;
	size_t len;
	char *clean = sanitize_text(text, strlen(text), SANITIZE_KEEP_NEWLINES, &len);
	int n, i, rc = 0;

	if (clean == NULL)
		return -1;
	n = text_wrap(clean, len, width, &lines);
	if (n < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++)
		rc = column_add(col, style, clean + lines[i].start, lines[i].len);
	free(lines);
	free(clean);
	return rc;
}

static void
column_free(struct compare_column *col)
{
	size_t i;

	for (i = 0; i < col->n; i++)
		free(col->lines[i].text);
	free(col->lines);
	memset(col, 0, sizeof(*col));
}

/* Lay out one platform's provisions of the kind in a column of width. */
static int
column_build(struct compare_column *col, const char *name, const struct compare_entry *entries,
	     size_t n, int width)
{
	size_t i;
	int rc;

	rc = column_wrap(col, OUTPUT_HEADING, name, width);
	if (rc == 0 && n == 0)
		rc = column_wrap(col, OUTPUT_DIM, "No provision of this kind in clause.", width);
	for (i = 0; rc == 0 && i < n; i++) {
		char meta[128], date[11];

		cli_date(entries[i].version_date, date);
		snprintf(meta, sizeof(meta), "#%lld · %s · %s", (long long)entries[i].id,
			 entries[i].severity, date);
		rc = column_wrap(col, output_severity_style(entries[i].severity), meta, width);
		if (rc == 0)
			rc = column_wrap(col, OUTPUT_DIM, entries[i].document_title, width);
		if (rc == 0)
			rc = column_wrap(col, OUTPUT_LABEL, entries[i].headline, width);
		if (rc == 0)
			rc = column_add(col, OUTPUT_PLAIN, NULL, 0);
		if (rc == 0)
			rc = column_wrap(col, OUTPUT_PLAIN, entries[i].excerpt, width);
		if (rc == 0 && i + 1 < n)
			rc = column_add(col, OUTPUT_PLAIN, NULL, 0);
	}
	return rc;
}

/* Draw columns side by side, each width wide. */
static void
columns_draw(struct output *o, struct compare_column *cols, size_t ncols, int width)
{
	size_t row, rows = 0, c;

	for (c = 0; c < ncols; c++)
		if (cols[c].n > rows)
			rows = cols[c].n;
	for (row = 0; row < rows; row++) {
		for (c = 0; c < ncols; c++) {
			const struct compare_line *line = row < cols[c].n ? &cols[c].lines[row] : NULL;
			int last = c + 1 == ncols;

			if (c > 0)
				fputs(COMPARE_GAP, o->fp);
			if (line != NULL && line->text != NULL) {
				output_style(o, line->style);
				output_fit(o, line->text, width, !last);
				output_style(o, OUTPUT_PLAIN);
			} else if (!last) {
				output_spaces(o, width);
			}
		}
		putc('\n', o->fp);
	}
}

/* A platform to compare: its name and its entries (a run of w->entries). */
struct compare_platform {
	const char *name;
	const struct compare_entry *entries;
	size_t n;
};

static int
compare_draw(struct cli *cli, const struct compare_platform *platforms, size_t n)
{
	struct output *o = &cli->out;
	int per_row = (o->width + COMPARE_GAP_WIDTH) / (COMPARE_MIN_COLUMN + COMPARE_GAP_WIDTH);
	int width, rc = 0;
	size_t first, c;

	if (per_row < 2 || n < 2)
		per_row = 1;	/* Too narrow: stack the platforms. */
	if ((size_t)per_row > n)
		per_row = (int)n;
	if (per_row > COMPARE_MAX_COLUMNS)
		per_row = COMPARE_MAX_COLUMNS;
	width = (o->width - (per_row - 1) * COMPARE_GAP_WIDTH) / per_row;
	for (first = 0; rc == 0 && first < n; first += (size_t)per_row) {
		struct compare_column cols[COMPARE_MAX_COLUMNS];
		size_t count = n - first < (size_t)per_row ? n - first : (size_t)per_row;

		memset(cols, 0, sizeof(cols));
		for (c = 0; rc == 0 && c < count; c++)
			rc = column_build(&cols[c], platforms[first + c].name,
					  platforms[first + c].entries, platforms[first + c].n,
					  width);
		if (rc == 0) {
			putc('\n', o->fp);
			columns_draw(o, cols, count, width);
		}
		for (c = 0; c < count; c++)
			column_free(&cols[c]);
	}
	return rc == 0 ? CLI_EXIT_OK : cli_error(cli, CLI_EXIT_DATA, "out of memory");
}

static json_t *
compare_json(const struct compare_platform *platforms, size_t n, const char *kind)
{
	json_t *root = json_object(), *list = json_array();
	size_t i, j;

	if (root == NULL || list == NULL) {
		json_decref(root);
		json_decref(list);
		return NULL;
	}
	json_object_set_new(root, "kind", cli_json_string(kind));
	json_object_set_new(root, "platforms", list);
	for (i = 0; i < n; i++) {
		json_t *obj = json_object(), *provisions = json_array();

		if (obj == NULL || provisions == NULL) {
			json_decref(obj);
			json_decref(provisions);
			json_decref(root);
			return NULL;
		}
		json_object_set_new(obj, "platform",
				    cli_json_string(platforms[i].n > 0
						    ? platforms[i].entries[0].platform
						    : platforms[i].name));
		json_object_set_new(obj, "name", cli_json_string(platforms[i].n > 0
								 ? platforms[i].entries[0].platform_name
								 : platforms[i].name));
		json_object_set_new(obj, "provisions", provisions);
		for (j = 0; j < platforms[i].n; j++) {
			const struct compare_entry *e = &platforms[i].entries[j];
			json_t *p = json_object();

			if (p == NULL) {
				json_decref(obj);
				json_decref(root);
				return NULL;
			}
			json_object_set_new(p, "id", json_integer(e->id));
			json_object_set_new(p, "document_title", cli_json_string(e->document_title));
			json_object_set_new(p, "version_date", cli_json_string(e->version_date));
			json_object_set_new(p, "severity", cli_json_string(e->severity));
			json_object_set_new(p, "headline", cli_json_string(e->headline));
			json_object_set_new(p, "excerpt", cli_json_string(e->excerpt));
			json_array_append_new(provisions, p);
		}
		if (json_array_append_new(list, obj) != 0) {
			json_decref(root);
			return NULL;
		}
	}
	return root;
}

/* The platforms of --platforms, in the order given, each with its entries. */
static int
compare_chosen(struct cli *cli, const struct compare_walk *w, char *list,
	       struct compare_platform **out, size_t *n, char ***slugs)
{
	char *item, *save = NULL;
	size_t i, count = 1;
	int rc;

	for (i = 0; list[i] != '\0'; i++)
		count += list[i] == ',';
	*out = calloc(count, sizeof(**out));
	*slugs = calloc(count, sizeof(**slugs));
	*n = 0;
	if (*out == NULL || *slugs == NULL)
		return cli_error(cli, CLI_EXIT_DATA, "out of memory");
	for (item = strtok_r(list, ",", &save); item != NULL; item = strtok_r(NULL, ",", &save)) {
		struct compare_platform *p = &(*out)[*n];
		int64_t id;

		if ((rc = cli_platform(cli, item, &id, &(*slugs)[*n])) != CLI_EXIT_OK)
			return rc;
		p->name = (*slugs)[*n];
		for (i = 0; i < w->n; i++) {
			if (strcmp(w->entries[i].platform, p->name) != 0)
				continue;
			if (p->n == 0) {
				p->entries = &w->entries[i];
				p->name = w->entries[i].platform_name;
			}
			p->n++;
		}
		(*n)++;
	}
	if (*n == 0)
		return cli_error(cli, CLI_EXIT_USAGE, "--platforms names no platform");
	return CLI_EXIT_OK;
}

/* Every platform that has the kind: runs of entries, which come ordered
 * by platform. */
static int
compare_all(const struct compare_walk *w, struct compare_platform **out, size_t *n)
{
	size_t i;

	*n = 0;
	*out = calloc(w->n > 0 ? w->n : 1, sizeof(**out));
	if (*out == NULL)
		return -1;
	for (i = 0; i < w->n; i++) {
		if (*n > 0 && strcmp((*out)[*n - 1].entries[0].platform, w->entries[i].platform) == 0) {
			(*out)[*n - 1].n++;
			continue;
		}
		(*out)[*n].name = w->entries[i].platform_name;
		(*out)[*n].entries = &w->entries[i];
		(*out)[*n].n = 1;
		(*n)++;
	}
	return 0;
}

static int
compare_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "platforms", required_argument, NULL, 'p' },
		CLI_COMMON_OPTIONS
	};
	struct store_provision_filter filter = { 0 };
	struct compare_walk w = { 0 };
	struct compare_platform *platforms = NULL;
	char *chosen = NULL, **slugs = NULL;
	size_t n = 0, i;
	int c, rc;

	while ((c = getopt_long(argc, argv, "hp:", options, NULL)) != -1) {
		if (c == 'p')
			chosen = optarg;
		else if ((rc = cli_common_option(cli, &cmd_compare, c, optarg)) >= 0)
			return rc;
	}
	if (argc - optind != 1) {
		cli_usage(&cmd_compare, stderr);
		return CLI_EXIT_USAGE;
	}
	filter.kind = argv[optind];
	if ((rc = cli_kind(cli, filter.kind)) != CLI_EXIT_OK)
		return rc;
	rc = store_each_provision(cli->store, &filter, keep_entry, &w);
	if (rc != STORE_OK) {
		rc = cli_walk_error(cli, rc);
		goto out;
	}
	if (chosen != NULL) {
		char *list = strdup(chosen);

		rc = list != NULL ? compare_chosen(cli, &w, list, &platforms, &n, &slugs)
				  : cli_error(cli, CLI_EXIT_DATA, "out of memory");
		free(list);
		if (rc != CLI_EXIT_OK)
			goto out;
	} else if (compare_all(&w, &platforms, &n) != 0) {
		rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
		goto out;
	}

	if (cli->json) {
		json_t *root = compare_json(platforms, n, filter.kind);

		rc = cli_json_print(cli, root);
	} else if (w.n == 0 && chosen == NULL) {
		rc = cli_error(cli, CLI_EXIT_NOT_FOUND, "no platform has a provision of kind '%s'",
			       filter.kind);
	} else {
		output_style(&cli->out, OUTPUT_HEADING);
		output_text(&cli->out, filter.kind);
		output_style(&cli->out, OUTPUT_PLAIN);
		fprintf(cli->out.fp, ": %zu platform%s\n", n, n == 1 ? "" : "s");
		rc = compare_draw(cli, platforms, n);
	}
	if (rc == CLI_EXIT_OK && w.n == 0)
		rc = CLI_EXIT_NOT_FOUND;
out:
	for (i = 0; i < w.n; i++)
		entry_free(&w.entries[i]);
	free(w.entries);
	for (i = 0; slugs != NULL && i < n; i++)
		free(slugs[i]);
	free(slugs);
	free(platforms);
	return rc;
}

const struct cli_command cmd_compare = {
	.name = "compare",
	.args = "KIND [--platforms a,b,c]",
	.summary = "compare how platforms handle one kind of provision, side by side",
	.run = compare_run,
};
