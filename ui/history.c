/*
 * history: a document's versions as a timeline, newest first, each with
 * what changed from the one before; d (or Enter) shows that change, the
 * removed and added words marked [-so-] and {+so+} and coloured; ] and [
 * step between the changes.
 */

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "textdiff.h"
#include "ui-internal.h"

static void
free_diff(struct ui_history *h)
{
	ui_lines_clear(&h->diff);
	free(h->hunks);
	h->hunks = NULL;
	h->nhunks = 0;
	h->diff_top = 0;
	h->diff_width = 0;
}

void
ui_history_free(struct ui *ui)
{
	struct ui_history *h = &ui->history;
	size_t i;

	free_diff(h);
	for (i = 0; i < h->n; i++)
		free(h->v[i].text);
	free(h->v);
	memset(h, 0, sizeof(*h));
}

static int
keep_version(const struct store_version *v, void *ctx)
{
	struct ui_history *h = ctx;
	struct ui_history_entry *grown = realloc(h->v, (h->n + 1) * sizeof(*grown)), *e;

	if (grown == NULL)
		return 1;
	h->v = grown;
	e = &h->v[h->n++];
	memset(e, 0, sizeof(*e));
	e->id = v->id;
	snprintf(e->date, sizeof(e->date), "%.10s", v->retrieved_at);
	snprintf(e->source, sizeof(e->source), "%s", v->source);
	e->size = v->size;
	e->text = strdup(v->text != NULL ? v->text : "");
	return e->text == NULL;
}

void
ui_open_history(struct ui *ui, int64_t document, const char *title)
{
	struct ui_history *h = &ui->history;
	size_t i;

	ui_history_free(ui);
	h->document = document;
	snprintf(h->title, sizeof(h->title), "%s", title != NULL ? title : "");
	if (store_each_version(ui->st, document, 1, keep_version, h) != STORE_OK) {
		ui_message(ui, 1, "cannot read the versions: %s", store_errmsg(ui->st));
		ui_history_free(ui);
		return;
	}
	/* Oldest first from the store: summarise, then turn newest first. */
	for (i = 0; i < h->n; i++) {
		struct textdiff d;
		char err[128];

		if (i == 0) {
			snprintf(h->v[i].summary, sizeof(h->v[i].summary), "first version stored");
			continue;
		}
		if (textdiff_run(h->v[i - 1].text, h->v[i].text, 0, &d, err, sizeof(err)) != 0) {
			snprintf(h->v[i].summary, sizeof(h->v[i].summary), "%s", err);
			continue;
		}
		textdiff_summary(&d, h->v[i].summary, sizeof(h->v[i].summary));
		textdiff_free(&d);
	}
	for (i = 0; i < h->n / 2; i++) {
		struct ui_history_entry t = h->v[i];

		h->v[i] = h->v[h->n - 1 - i];
		h->v[h->n - 1 - i] = t;
	}
	ui_switch(ui, UI_VIEW_HISTORY);
}

/* Add a paragraph of the diff, marked, and remember for each wrapped line
 * which word mark is open where it starts. */
static int
add_para(struct ui_lines *l, const char *mark, enum ui_style style, const char *text, int width)
{
	size_t first = l->n, i;
	char *line;
	int open = 0, rc;
	size_t n = strlen(mark) + strlen(text) + 2;

	line = malloc(n);
	if (line == NULL)
		return -1;
	snprintf(line, n, "%s %s", mark, text);
	rc = ui_lines_wrap(l, style, 0, width, line, 0);
	free(line);
	for (i = first; rc == 0 && i < l->n; i++) {
		const char *s = l->v[i].text;

		l->v[i].marks = open;
		for (; *s != '\0'; s++) {
			if ((s[0] == '[' && s[1] == '-') || (s[0] == '{' && s[1] == '+'))
				open = s[1];
			else if ((s[0] == '-' && s[1] == ']') || (s[0] == '+' && s[1] == '}'))
				open = 0;
		}
	}
	return rc;
}

/* The change from the version before the selected one, as lines. */
static void
build_diff(struct ui *ui, int width)
{
	struct ui_history *h = &ui->history;
	const struct ui_history_entry *to = &h->v[h->sel], *from = &h->v[h->sel + 1];
	struct textdiff d;
	char err[256], head[256];
	size_t k, p;
	int failed = 0;

	free_diff(h);
	h->diff_width = width;
	if (textdiff_run(from->text, to->text, 1, &d, err, sizeof(err)) != 0) {
		ui_message(ui, 1, "%s", err);
		return;
	}
	snprintf(head, sizeof(head), "%s → %s: %d paragraph%s changed, %d added, %d removed",
		 from->date, to->date, d.changed, d.changed == 1 ? "" : "s", d.added, d.removed);
	failed |= ui_lines_wrap(&h->diff, UI_LABEL, 0, width, head, 0);
	h->hunks = calloc(d.nhunks > 0 ? d.nhunks : 1, sizeof(*h->hunks));
	failed |= h->hunks == NULL;
	for (k = 0; !failed && k < d.nhunks; k++) {
		const struct textdiff_hunk *hunk = &d.hunks[k];

		snprintf(head, sizeof(head), "@@ paragraphs %d,%d → %d,%d", hunk->old_start,
			 hunk->old_count, hunk->new_start, hunk->new_count);
		failed |= ui_lines_blank(&h->diff);
		h->hunks[h->nhunks++] = h->diff.n;
		failed |= ui_lines_wrap(&h->diff, UI_HEADING, 0, width, head, 0);
		for (p = 0; !failed && p < hunk->nparas; p++) {
			const struct textdiff_para *para = &hunk->paras[p];
			char *s;

			switch (para->op) {
			case TEXTDIFF_SAME:
				failed |= add_para(&h->diff, " ", UI_DIM, para->old_text, width);
				break;
			case TEXTDIFF_REMOVED:
				failed |= add_para(&h->diff, "-", UI_HIGH, para->old_text, width);
				break;
			case TEXTDIFF_ADDED:
				failed |= add_para(&h->diff, "+", UI_LOW, para->new_text, width);
				break;
			case TEXTDIFF_CHANGED:
				s = textdiff_marked(para);
				if (s == NULL) {
					failed = 1;
					break;
				}
				failed |= add_para(&h->diff, "~", UI_NORMAL, s, width);
				free(s);
				break;
			}
		}
	}
	textdiff_free(&d);
	if (failed)
		ui_message(ui, 1, "out of memory while showing the change");
}

static void
history_prepare(struct ui *ui)
{
	struct ui_history *h = &ui->history;

	if (h->diffing && h->sel + 1 < h->n && h->diff_width != ui->cols - 1)
		build_diff(ui, ui->cols - 1);
}

/* A diff line, the marked words in colour: [-removed-] red, {+added+}
 * green; the marks themselves stay, for terminals without colour. */
static void
draw_diff_line(struct ui *ui, int y, const struct ui_line *line)
{
	const char *s = line->text;
	int open = line->marks, x = 0;

	move(y, 0);
	while (*s != '\0' && x < ui->cols) {
		char buf[2] = { *s, '\0' };
		enum ui_style style = open == '-' ? UI_HIGH : open == '+' ? UI_LOW : line->style;

		if ((s[0] == '[' && s[1] == '-') || (s[0] == '{' && s[1] == '+'))
			open = s[1];
		style = open == '-' ? UI_HIGH : open == '+' ? UI_LOW : line->style;
		if ((s[0] == '-' && s[1] == ']') || (s[0] == '+' && s[1] == '}')) {
			attrset(ui_attr(ui, style));
			addnstr(s, 2);
			s += 2;
			x += 2;
			open = 0;
			continue;
		}
		/* Whole UTF-8 characters: lines are sanitised and wrapped to fit. */
		if (((unsigned char)*s & 0x80) != 0) {
			size_t n = 1;

			while ((((unsigned char)s[n]) & 0xc0) == 0x80)
				n++;
			attrset(ui_attr(ui, style));
			addnstr(s, (int)n);
			s += n;
			x++;
			continue;
		}
		attrset(ui_attr(ui, style));
		addstr(buf);
		s++;
		x++;
	}
	attrset(ui_attr(ui, UI_NORMAL));
	clrtoeol();
}

static void
history_draw(struct ui *ui)
{
	struct ui_history *h = &ui->history;
	int rows = ui->rows - 2, r;
	char line[512];

	if (h->diffing) {
		snprintf(line, sizeof(line), " Change: %s · ] next change, [ previous, Esc timeline",
			 h->title);
		ui_put(ui, 0, 0, ui->cols, UI_TITLE_FOCUS, line, 1);
		for (r = 0; r < rows; r++) {
			size_t i = h->diff_top + (size_t)r;

			if (i < h->diff.n)
				draw_diff_line(ui, 1 + r, &h->diff.v[i]);
			else
				ui_clear(ui, 1 + r, 0, 1, ui->cols);
		}
		return;
	}
	snprintf(line, sizeof(line), " History: %s · %zu version%s · d or Enter: what changed",
		 h->title, h->n, h->n == 1 ? "" : "s");
	ui_put(ui, 0, 0, ui->cols, UI_TITLE_FOCUS, line, 1);
	ui_scroll_to(&h->top, h->sel, rows);
	for (r = 0; r < rows; r++) {
		size_t i = h->top + (size_t)r;

		if (i >= h->n) {
			ui_clear(ui, 1 + r, 0, 1, ui->cols);
			continue;
		}
		snprintf(line, sizeof(line), " %s  %-8s %7.1f kB  %s", h->v[i].date, h->v[i].source,
			 (double)h->v[i].size / 1024.0, h->v[i].summary);
		ui_put(ui, 1 + r, 0, ui->cols, i == h->sel ? UI_CURSOR : UI_NORMAL, line, 1);
	}
}

static int
history_key(struct ui *ui, int key)
{
	struct ui_history *h = &ui->history;
	size_t k;
	int rc;

	if (h->diffing) {
		switch (key) {
		case UI_KEY_ESC:
		case 'q':
			h->diffing = 0;
			return 1;
		case ']':
			for (k = 0; k < h->nhunks && h->hunks[k] <= h->diff_top; k++)
				;
			if (k == h->nhunks)
				ui_message(ui, 0, "this is the last change");
			else
				h->diff_top = h->hunks[k];
			return 1;
		case '[':
			for (k = h->nhunks; k > 0 && h->hunks[k - 1] >= h->diff_top; k--)
				;
			if (k == 0)
				ui_message(ui, 0, "this is the first change");
			else
				h->diff_top = h->hunks[k - 1];
			return 1;
		}
		rc = ui_move(&h->diff_top, h->diff.n, key, ui->rows - 2);
		if (rc == 2)
			ui_message(ui, 0, "no more lines that way");
		return rc != 0;
	}
	switch (key) {
	case 'd':
	case '\r':
	case '\n':
	case UI_KEY_FN(KEY_ENTER):
		if (h->sel + 1 >= h->n) {
			ui_message(ui, 0, "the first version stored has nothing before it");
			return 1;
		}
		h->diffing = 1;
		h->diff_width = 0;	/* Built by history_prepare. */
		return 1;
	}
	rc = ui_move(&h->sel, h->n, key, ui->rows - 2);
	if (rc == 2)
		ui_message(ui, 0, "no more versions that way");
	return rc != 0;
}

static const struct ui_key_help history_help[] = {
	{ "d Enter", "what changed from the version before" },
	{ "] [", "in a change: the next, previous changed passage" },
	{ "Esc", "from a change, back to the timeline" },
	{ NULL, NULL }
};

const struct ui_view_ops ui_history_ops = {
	.name = "history",
	.prepare = history_prepare,
	.draw = history_draw,
	.key = history_key,
	.help = history_help,
};
