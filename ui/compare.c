/*
 * compare: how platforms handle one kind of provision, one column per
 * platform side by side (at least 2 at 100 columns, 3 at 150), scrolled
 * sideways with h/l or </>; below 100 columns the platforms stack.  p opens
 * a picker of the platforms compared.
 */

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "ui-internal.h"

/* Narrowest column worth reading. */
#define COLUMN_MIN 44
/* Below this width the platforms stack vertically. */
#define STACK_BELOW 100

static void
free_columns(struct ui_compare *c)
{
	size_t i;

	for (i = 0; i < c->ncolumns; i++)
		ui_lines_clear(&c->columns[i]);
	free(c->columns);
	free(c->column_platform);
	c->columns = NULL;
	c->column_platform = NULL;
	c->ncolumns = 0;
}

void
ui_compare_free(struct ui *ui)
{
	free_columns(&ui->compare);
	free(ui->compare.kind);
	free(ui->compare.kind_name);
	free(ui->compare.chosen);
	memset(&ui->compare, 0, sizeof(ui->compare));
}

/* Provisions of the kind, grouped into the columns of their platforms. */
struct compare_fill {
	struct ui *ui;
	int width;
	int failed;
};

static int
column_of(const struct ui *ui, const char *slug)
{
	const struct ui_compare *c = &ui->compare;
	size_t i;

	for (i = 0; i < c->ncolumns; i++)
		if (strcmp(ui->platforms[c->column_platform[i]].slug, slug) == 0)
			return (int)i;
	return -1;
}

static int
fill_column(const struct store_provision *p, void *ctx)
{
	struct compare_fill *f = ctx;
	struct ui_lines *l;
	char meta[256];
	int col = column_of(f->ui, p->platform_slug);

	if (col < 0)
		return 0;
	l = &f->ui->compare.columns[col];
	if (l->n > 1)
		f->failed |= ui_lines_blank(l) != 0;
	snprintf(meta, sizeof(meta), "#%lld · %s · %.10s", (long long)p->id, p->severity,
		 p->version_date != NULL ? p->version_date : "");
	f->failed |= ui_lines_wrap(l, ui_severity_style(p->severity), 0, f->width, meta, p->id);
	f->failed |= ui_lines_wrap(l, UI_DIM, 0, f->width, p->document_title, p->id) != 0;
	f->failed |= ui_lines_wrap(l, UI_LABEL, 0, f->width, p->headline, p->id) != 0;
	f->failed |= ui_lines_wrap(l, UI_NORMAL, 0, f->width, p->excerpt, p->id) != 0;
	return 0;
}

/* The width of a column: side by side, as many as fit; stacked, all. */
static int
column_width(const struct ui *ui, size_t *per_screen)
{
	size_t n;

	if (ui->cols < STACK_BELOW) {
		*per_screen = 1;
		return ui->cols - 1;
	}
	n = (size_t)((ui->cols + 1) / (COLUMN_MIN + 1));
	if (n > ui->compare.ncolumns && ui->compare.ncolumns > 0)
		n = ui->compare.ncolumns;
	if (n < 1)
		n = 1;
	*per_screen = n;
	return (ui->cols - (int)n + 1) / (int)n;
}

static void
compare_prepare(struct ui *ui)
{
	struct ui_compare *c = &ui->compare;
	struct store_provision_filter f = { .kind = c->kind };
	struct compare_fill fill = { .ui = ui };
	size_t i, per_screen;

	if (!c->stale || c->kind == NULL)
		return;
	free_columns(c);
	for (i = 0; i < ui->nplatforms; i++)
		c->ncolumns += c->chosen[i] != 0;
	c->columns = calloc(c->ncolumns > 0 ? c->ncolumns : 1, sizeof(*c->columns));
	c->column_platform = calloc(c->ncolumns > 0 ? c->ncolumns : 1,
				    sizeof(*c->column_platform));
	if (c->columns == NULL || c->column_platform == NULL) {
		free_columns(c);
		ui_message(ui, 1, "out of memory");
		return;
	}
	c->ncolumns = 0;
	for (i = 0; i < ui->nplatforms; i++)
		if (c->chosen[i])
			c->column_platform[c->ncolumns++] = i;
	fill.width = column_width(ui, &per_screen);
	c->column_width = fill.width;
	for (i = 0; i < c->ncolumns; i++)
		fill.failed |= ui_lines_wrap(&c->columns[i], UI_HEADING, 0, fill.width,
					     ui->platforms[c->column_platform[i]].name, 0);
	if (store_each_provision(ui->st, &f, fill_column, &fill) != STORE_OK)
		ui_message(ui, 1, "cannot read provisions: %s", store_errmsg(ui->st));
	for (i = 0; i < c->ncolumns; i++)
		if (c->columns[i].n == 1)
			fill.failed |= ui_lines_wrap(&c->columns[i], UI_DIM, 0, fill.width,
						     "No provision of this kind.", 0);
	if (fill.failed)
		ui_message(ui, 1, "out of memory");
	if (c->first >= c->ncolumns)
		c->first = 0;
	c->stale = 0;
}

static int
has_kind(const struct store_provision *p, void *ctx)
{
	(void)p;
	(*(int *)ctx)++;
	return 0;
}

void
ui_open_compare(struct ui *ui, const char *kind)
{
	struct ui_compare *c = &ui->compare;
	size_t i;

	if (c->kind == NULL || strcmp(c->kind, kind) != 0) {
		ui_compare_free(ui);
		c->kind = strdup(kind);
		c->chosen = calloc(ui->nplatforms > 0 ? ui->nplatforms : 1, sizeof(*c->chosen));
		if (c->kind == NULL || c->chosen == NULL) {
			ui_compare_free(ui);
			ui_message(ui, 1, "out of memory");
			return;
		}
		/* At first, every platform that has a provision of the kind. */
		for (i = 0; i < ui->nplatforms; i++) {
			struct store_provision_filter f = { .platform_id = ui->platforms[i].id,
							    .kind = kind };
			int n = 0;

			store_each_provision(ui->st, &f, has_kind, &n);
			c->chosen[i] = n > 0;
		}
	}
	c->stale = 1;
	c->scroll = 0;
	c->picking = 0;
	ui_switch(ui, UI_VIEW_COMPARE);
}

static void
draw_picker(struct ui *ui)
{
	struct ui_compare *c = &ui->compare;
	int height = ui->rows - 6, width = 44, x = (ui->cols - width) / 2, y = 2, r;

	ui_put(ui, y, x, width, UI_TITLE_FOCUS, " Compare which platforms? Space toggles", 1);
	ui_scroll_to(&c->pick_top, c->pick_sel, height);
	for (r = 0; r < height; r++) {
		size_t i = c->pick_top + (size_t)r;
		char line[256];

		if (i >= ui->nplatforms) {
			ui_clear(ui, y + 1 + r, x, 1, width);
			continue;
		}
		snprintf(line, sizeof(line), " [%c] %s", c->chosen[i] ? 'x' : ' ',
			 ui->platforms[i].name);
		ui_put(ui, y + 1 + r, x, width, i == c->pick_sel ? UI_CURSOR : UI_NORMAL, line, 1);
	}
	ui_put(ui, y + 1 + height, x, width, UI_DIM, " Enter or p: done", 1);
}

static void
compare_draw(struct ui *ui)
{
	struct ui_compare *c = &ui->compare;
	size_t per_screen, i;
	int width = column_width(ui, &per_screen), height = ui->rows - 2;
	char title[256];

	snprintf(title, sizeof(title), " Compare: %s · %zu platforms%s", c->kind != NULL ? c->kind : "",
		 c->ncolumns, c->ncolumns > per_screen && per_screen > 1 ? " · h/l scroll" : "");
	ui_put(ui, 0, 0, ui->cols, UI_TITLE_FOCUS, title, 1);
	if (per_screen == 1) {
		/* Stacked: every column one after the other, scrolled. */
		size_t line = 0;
		int y = 1;

		for (i = 0; i < c->ncolumns && y < height + 1; i++) {
			size_t j;

			for (j = 0; j < c->columns[i].n + 1 && y < height + 1; j++, line++) {
				if (line < c->scroll)
					continue;
				if (j == c->columns[i].n)
					ui_clear(ui, y, 0, 1, ui->cols);
				else
					ui_draw_lines(ui, &c->columns[i], j, (size_t)-1, y, 0, 1, width,
						      0);
				y++;
			}
		}
	} else {
		for (i = 0; i < per_screen && c->first + i < c->ncolumns; i++) {
			int x = (int)i * (width + 1);

			ui_draw_lines(ui, &c->columns[c->first + i], c->scroll, (size_t)-1, 1, x,
				      height, width, 0);
			if (i > 0) {
				attrset(ui_attr(ui, UI_DIM));
				mvvline(1, x - 1, ACS_VLINE, height);
				attrset(ui_attr(ui, UI_NORMAL));
			}
		}
	}
	if (c->picking)
		draw_picker(ui);
}

static int
picker_key(struct ui *ui, int key)
{
	struct ui_compare *c = &ui->compare;

	switch (key) {
	case ' ':
		c->chosen[c->pick_sel] = !c->chosen[c->pick_sel];
		c->stale = 1;
		return 1;
	case 'p':
	case '\r':
	case '\n':
	case UI_KEY_ESC:
		c->picking = 0;
		return 1;
	}
	if (ui_move(&c->pick_sel, ui->nplatforms, key, ui->rows - 6) == 2)
		ui_message(ui, 0, "no more platforms that way");
	return 1;
}

static int
compare_key(struct ui *ui, int key)
{
	struct ui_compare *c = &ui->compare;
	size_t per_screen, longest = 0, i;
	int lines;

	if (c->picking)
		return picker_key(ui, key);
	column_width(ui, &per_screen);
	for (i = 0; i < c->ncolumns; i++) {
		if (per_screen == 1)
			longest += c->columns[i].n + 1;
		else if (c->columns[i].n > longest)
			longest = c->columns[i].n;
	}
	switch (key) {
	case 'p':
		c->picking = 1;
		return 1;
	case 'h':
	case '<':
	case UI_KEY_FN(KEY_LEFT):
		if (per_screen == 1 || c->first == 0)
			ui_message(ui, 0, "this is the first column");
		else
			c->first--;
		return 1;
	case 'l':
	case '>':
	case UI_KEY_FN(KEY_RIGHT):
		if (per_screen == 1 || c->first + per_screen >= c->ncolumns)
			ui_message(ui, 0, "this is the last column");
		else
			c->first++;
		return 1;
	}
	lines = ui_move(&c->scroll, longest, key, ui->rows - 2);
	if (lines == 2)
		ui_message(ui, 0, "no more lines that way");
	return lines != 0;
}

static const struct ui_key_help compare_help[] = {
	{ "h l < >", "scroll the columns sideways" },
	{ "j k PgDn PgUp", "scroll down, up" },
	{ "p", "choose the platforms compared (Space toggles)" },
	{ NULL, NULL }
};

const struct ui_view_ops ui_compare_ops = {
	.name = "compare",
	.prepare = compare_prepare,
	.draw = compare_draw,
	.key = compare_key,
	.help = compare_help,
};
