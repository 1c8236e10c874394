/*
 * matrix: kinds of provision down, platforms across, a mark where the
 * platform has a provision of that kind; Enter on a cell compares that
 * kind across platforms.
 */

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "ui-internal.h"

/* Width of the kinds' column and of each platform's. */
#define KIND_WIDTH 32
#define CELL_WIDTH 4

void
ui_matrix_free(struct ui *ui)
{
	struct ui_matrix *m = &ui->matrix;
	size_t i;

	for (i = 0; i < m->nkinds; i++) {
		free(m->kinds[i].slug);
		free(m->kinds[i].name);
	}
	free(m->kinds);
	free(m->cells);
	memset(m, 0, sizeof(*m));
}

static int
keep_kind(const struct store_type *t, void *ctx)
{
	struct ui_matrix *m = ctx;
	struct ui_kind *grown = realloc(m->kinds, (m->nkinds + 1) * sizeof(*grown));

	if (grown == NULL)
		return 1;
	m->kinds = grown;
	m->kinds[m->nkinds].slug = strdup(t->slug);
	m->kinds[m->nkinds].name = strdup(t->name);
	m->nkinds++;
	return m->kinds[m->nkinds - 1].slug == NULL || m->kinds[m->nkinds - 1].name == NULL;
}

static int
mark_cell(const struct store_provision *p, void *ctx)
{
	struct ui *ui = ctx;
	struct ui_matrix *m = &ui->matrix;
	size_t k, pl;

	for (k = 0; k < m->nkinds && strcmp(m->kinds[k].slug, p->kind) != 0; k++)
		;
	for (pl = 0; pl < ui->nplatforms && strcmp(ui->platforms[pl].slug, p->platform_slug) != 0;
	     pl++)
		;
	if (k < m->nkinds && pl < ui->nplatforms)
		m->cells[k * ui->nplatforms + pl] = 1;
	return 0;
}

static void
matrix_prepare(struct ui *ui)
{
	struct ui_matrix *m = &ui->matrix;

	if (m->kinds != NULL)
		return;
	if (store_each_type(ui->st, keep_kind, m) != STORE_OK) {
		ui_message(ui, 1, "cannot read the kinds: %s", store_errmsg(ui->st));
		ui_matrix_free(ui);
		return;
	}
	m->cells = calloc(m->nkinds * ui->nplatforms + 1, 1);
	if (m->cells == NULL || store_each_provision(ui->st, NULL, mark_cell, ui) != STORE_OK) {
		ui_message(ui, 1, "cannot read provisions");
		ui_matrix_free(ui);
	}
}

static void
matrix_draw(struct ui *ui)
{
	struct ui_matrix *m = &ui->matrix;
	int cols = (ui->cols - KIND_WIDTH) / CELL_WIDTH, rows = ui->rows - 4, r, c;
	char title[128];

	if (m->kinds == NULL)
		return;
	if (cols < 1)
		cols = 1;
	ui_scroll_to(&m->top, m->row, rows);
	ui_scroll_to(&m->left, m->col, cols);
	snprintf(title, sizeof(title), " Matrix: %zu kinds × %zu platforms · Enter compares",
		 m->nkinds, ui->nplatforms);
	ui_put(ui, 0, 0, ui->cols, UI_TITLE_FOCUS, title, 1);
	/* Platform names, abbreviated to the cell, with the full name of the
	 * cursor's column spelled out above. */
	ui_put(ui, 1, 0, KIND_WIDTH, UI_DIM, " platform:", 1);
	ui_put(ui, 1, KIND_WIDTH, ui->cols - KIND_WIDTH, UI_HEADING,
	       ui->nplatforms > 0 ? ui->platforms[m->col].name : "", 1);
	ui_clear(ui, 2, 0, 1, KIND_WIDTH);
	for (c = 0; c < cols; c++) {
		size_t p = m->left + (size_t)c;

		if (p >= ui->nplatforms)
			break;
		ui_put(ui, 2, KIND_WIDTH + c * CELL_WIDTH, CELL_WIDTH,
		       p == m->col ? UI_CURSOR_IDLE : UI_LABEL, ui->platforms[p].slug, 1);
	}
	for (r = 0; r < rows; r++) {
		size_t k = m->top + (size_t)r;

		if (k >= m->nkinds) {
			ui_clear(ui, 3 + r, 0, 1, ui->cols);
			continue;
		}
		ui_put(ui, 3 + r, 0, KIND_WIDTH - 1, k == m->row ? UI_CURSOR_IDLE : UI_NORMAL,
		       m->kinds[k].name, 1);
		ui_clear(ui, 3 + r, KIND_WIDTH - 1, 1, 1);
		for (c = 0; c < cols; c++) {
			size_t p = m->left + (size_t)c;
			int has;
			enum ui_style style;

			if (p >= ui->nplatforms)
				break;
			has = m->cells[k * ui->nplatforms + p];
			style = k == m->row && p == m->col ? UI_CURSOR : has ? UI_HEADING : UI_DIM;
			ui_put(ui, 3 + r, KIND_WIDTH + c * CELL_WIDTH, CELL_WIDTH, style,
			       has ? " ●" : " ·", 1);
		}
	}
}

static int
matrix_key(struct ui *ui, int key)
{
	struct ui_matrix *m = &ui->matrix;
	int rc;

	if (m->kinds == NULL)
		return 0;
	switch (key) {
	case 'h':
	case UI_KEY_FN(KEY_LEFT):
		if (m->col == 0)
			ui_message(ui, 0, "this is the first platform");
		else
			m->col--;
		return 1;
	case 'l':
	case UI_KEY_FN(KEY_RIGHT):
		if (m->col + 1 >= ui->nplatforms)
			ui_message(ui, 0, "this is the last platform");
		else
			m->col++;
		return 1;
	case '\r':
	case '\n':
	case UI_KEY_FN(KEY_ENTER):
		ui_open_compare(ui, m->kinds[m->row].slug);
		return 1;
	}
	rc = ui_move(&m->row, m->nkinds, key, ui->rows - 4);
	if (rc == 2)
		ui_message(ui, 0, "no more kinds that way");
	return rc != 0;
}

static const struct ui_key_help matrix_help[] = {
	{ "h l ← →", "move across platforms" },
	{ "j k ↓ ↑", "move down, up the kinds" },
	{ "Enter", "compare the kind across platforms" },
	{ NULL, NULL }
};

const struct ui_view_ops ui_matrix_ops = {
	.name = "matrix",
	.prepare = matrix_prepare,
	.draw = matrix_draw,
	.key = matrix_key,
	.help = matrix_help,
};
