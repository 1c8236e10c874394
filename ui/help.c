/*
 * help: the overlay that lists every key of the current view.
 */

#include <curses.h>
#include <stdio.h>

#include "ui-internal.h"

static int
count(const struct ui_key_help *h)
{
	int n = 0;

	while (h != NULL && h[n].keys != NULL)
		n++;
	return n;
}

static void
section(struct ui *ui, const struct ui_key_help *h, int *y, int x, int width)
{
	char line[256];

	for (; h != NULL && h->keys != NULL; h++, (*y)++) {
		snprintf(line, sizeof(line), "  %-18s %s", h->keys, h->what);
		ui_put(ui, *y, x, width, UI_NORMAL, line, 1);
	}
}

void
ui_help_draw(struct ui *ui, const struct ui_key_help *view_help)
{
	int width = ui->cols - 8 > 76 ? 76 : ui->cols - 8;
	int height = count(view_help) + count(ui_global_help) + 6;
	int x = (ui->cols - width) / 2, y = (ui->rows - height) / 2;

	if (y < 0)
		y = 0;
	ui_put(ui, y++, x, width, UI_TITLE_FOCUS, " Keys — any key closes this", 1);
	ui_put(ui, y++, x, width, UI_HEADING, " In this view", 1);
	section(ui, view_help, &y, x, width);
	ui_put(ui, y++, x, width, UI_HEADING, " Everywhere", 1);
	section(ui, ui_global_help, &y, x, width);
	ui_put(ui, y++, x, width, UI_DIM,
	       " clause shows a reading of documents, not legal advice", 1);
	ui_clear(ui, y, x, 1, width);
}
