/*
 * browse: the main screen's three panes: platforms, the selected platform's
 * provisions grouped by document, and the selected provision whole.
 */

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "textdiff.h"
#include "ui-internal.h"

/* Other platforms listed under a provision at most (c compares them all). */
#define DETAIL_OTHERS 40

/* The rectangles of the three panes for the terminal's size.  Wide
 * terminals get three columns; narrower ones stack the platforms above
 * the provisions on the left, with the detail on the right. */
struct layout {
	int py, px, ph, pw;	/* Platforms. */
	int vy, vx, vh, vw;	/* Provisions. */
	int dy, dx, dh, dw;	/* Detail. */
};

static void
layout(const struct ui *ui, struct layout *l)
{
	int h = ui->rows - 1;	/* Above the status line. */

	if (ui->cols >= 120) {
		l->py = l->vy = l->dy = 0;
		l->ph = l->vh = l->dh = h;
		l->px = 0;
		l->pw = 24;
		l->vx = l->pw + 1;
		l->vw = (ui->cols - l->vx) * 2 / 5;
		l->dx = l->vx + l->vw + 1;
		l->dw = ui->cols - l->dx;
	} else {
		l->px = l->vx = 0;
		l->pw = l->vw = ui->cols * 2 / 5;
		l->py = 0;
		l->ph = h / 3;
		l->vy = l->ph + 1;
		l->vh = h - l->vy;
		l->dy = 0;
		l->dx = l->pw + 1;
		l->dh = h;
		l->dw = ui->cols - l->dx;
	}
}

static void
free_rows(struct ui_browse *b)
{
	size_t i;

	for (i = 0; i < b->nrows; i++) {
		free(b->rows[i].text);
		free(b->rows[i].kind);
		free(b->rows[i].severity);
	}
	free(b->rows);
	b->rows = NULL;
	b->nrows = 0;
}

void
ui_browse_free(struct ui *ui)
{
	free_rows(&ui->browse);
	ui_lines_clear(&ui->browse.detail);
}

static int
add_row(struct ui_browse *b, int64_t id, const char *text, const char *kind, const char *severity)
{
	struct ui_provision_row *grown = realloc(b->rows, (b->nrows + 1) * sizeof(*grown)), *r;

	if (grown == NULL)
		return 1;
	b->rows = grown;
	r = &b->rows[b->nrows++];
	r->id = id;
	r->text = strdup(text != NULL ? text : "");
	r->kind = kind != NULL ? strdup(kind) : NULL;
	r->severity = severity != NULL ? strdup(severity) : NULL;
	return r->text == NULL;
}

static int
keep_row(const struct store_provision *p, void *ctx)
{
	struct ui_browse *b = ctx;
	const char *heading = NULL;
	size_t i;

	/* Rows come grouped by document: a heading before each group. */
	for (i = b->nrows; i > 0 && heading == NULL; i--)
		if (b->rows[i - 1].id == 0)
			heading = b->rows[i - 1].text;
	if ((heading == NULL || strcmp(heading, p->document_title) != 0)
	    && add_row(b, 0, p->document_title, NULL, NULL) != 0)
		return 1;
	return add_row(b, p->id, p->headline[0] != '\0' ? p->headline : p->excerpt, p->kind,
		       p->severity);
}

/* The first provision row at or after i (skipping headings), else i. */
static size_t
first_provision(const struct ui_browse *b, size_t i)
{
	size_t j;

	for (j = i; j < b->nrows; j++)
		if (b->rows[j].id != 0)
			return j;
	return i;
}

/* Load the selected platform's provisions when it changed. */
static void
load_rows(struct ui *ui)
{
	struct ui_browse *b = &ui->browse;
	struct store_provision_filter f = { 0 };
	int64_t platform;

	if (ui->nplatforms == 0)
		return;
	platform = ui->platforms[ui->platform].id;
	if (b->rows_for == platform)
		return;
	free_rows(b);
	f.platform_id = platform;
	if (store_each_provision(ui->st, &f, keep_row, b) != STORE_OK)
		ui_message(ui, 1, "cannot read provisions: %s", store_errmsg(ui->st));
	b->rows_for = platform;
	b->sel = first_provision(b, 0);
	b->top = 0;
	b->detail_for = 0;
}

/* The detail of one provision, built into lines of the detail's width. */
struct detail_build {
	struct ui *ui;
	struct ui_lines *l;
	int width;
	char *kind;
	int others;
	int events;		/* Changes in the provision's own history. */
	int failed;
};

static void
field(struct detail_build *d, const char *label, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	d->failed |= ui_lines_blank(d->l) != 0;
	d->failed |= ui_lines_wrap(d->l, UI_LABEL, 0, d->width, label, 0) != 0;
	d->failed |= ui_lines_wrap(d->l, UI_NORMAL, 0, d->width, text, 0) != 0;
}

/* One change in the provision's own history: when, what, and the words. */
static int
detail_event(const struct store_provision_event *e, void *ctx)
{
	struct detail_build *d = ctx;
	char line[768], words[512] = "";

	if (strcmp(e->what, "changed") == 0 && e->before != NULL && e->after != NULL
	    && textdiff_passage_summary(e->before, e->after, words, sizeof(words)) != 0)
		return 1;
	if (d->events == 0) {
		d->failed |= ui_lines_blank(d->l) != 0;
		d->failed |= ui_lines_wrap(d->l, UI_LABEL, 0, d->width, "Its history", 0) != 0;
	}
	snprintf(line, sizeof(line), "%.10s %s%s%s", e->detected_at,
		 strcmp(e->what, "changed") == 0 ? "changed: " : "removed from the document",
		 words, strcmp(e->cause, "technical") == 0 ? " (re-extraction)" : "");
	d->failed |= ui_lines_wrap(d->l, UI_NORMAL, 2, d->width, line, 0) != 0;
	if (e->after != NULL) {
		snprintf(line, sizeof(line), "now: %s", e->after);
		d->failed |= ui_lines_wrap(d->l, UI_DIM, 4, d->width, line, 0) != 0;
	}
	d->events++;
	return 0;
}

static int
detail_main(const struct store_provision *p, void *ctx)
{
	struct detail_build *d = ctx;
	int versions = 0;
	char since[11];
	char line[512], date[11], first[11];

	snprintf(date, sizeof(date), "%.10s", p->version_date != NULL ? p->version_date : "");
	snprintf(first, sizeof(first), "%.10s", p->first_seen != NULL ? p->first_seen : "");
	d->kind = strdup(p->kind);
	d->failed |= d->kind == NULL;
	d->failed |= ui_lines_wrap(d->l, UI_HEADING, 0, d->width, p->headline, 0) != 0;
	snprintf(line, sizeof(line), "#%lld · %s · severity %s", (long long)p->id, p->kind_name,
		 p->severity);
	d->failed |= ui_lines_wrap(d->l, ui_severity_style(p->severity), 0, d->width, line, 0);
	d->failed |= ui_lines_blank(d->l) != 0;
	d->failed |= ui_lines_wrap(d->l, UI_NORMAL, 2, d->width, p->excerpt, 0) != 0;
	snprintf(line, sizeof(line), "— %s, version of %s (since %s, %s)", p->document_title, date,
		 first, p->status);
	d->failed |= ui_lines_wrap(d->l, UI_DIM, 2, d->width, line, 0) != 0;
	d->failed |= ui_lines_wrap(d->l, UI_DIM, 2, d->width, p->url, 0) != 0;
	/* How often the document changed, and since when. */
	if (store_count_versions(d->ui->st, p->document_id, &versions, since) == STORE_OK
	    && versions > 1) {
		snprintf(line, sizeof(line), "This document has changed %d time%s since %s "
			 "(H: its history).", versions - 1, versions == 2 ? "" : "s", since);
		d->failed |= ui_lines_wrap(d->l, UI_DIM, 2, d->width, line, 0) != 0;
	}
	/* The provision's own history, where a fetch found its text moved. */
	if (store_each_provision_event(d->ui->st, p->id, detail_event, d) != STORE_OK)
		d->failed = 1;
	field(d, "What it establishes", p->analysis);
	field(d, "Impact", p->impact);
	field(d, "What you can do", p->action);
	field(d, "Severity", p->severity_reason);
	return 0;
}

static int
detail_regulation(const struct store_regulation *r, void *ctx)
{
	struct detail_build *d = ctx;
	char line[1024];

	snprintf(line, sizeof(line), "%s %s — %s", r->framework, r->article, r->title);
	d->failed |= ui_lines_wrap(d->l, UI_LABEL, 0, d->width, line, 0) != 0;
	d->failed |= ui_lines_wrap(d->l, UI_NORMAL, 2, d->width, r->why, 0) != 0;
	snprintf(line, sizeof(line), "Enforced by %s%s%s", r->authority,
		 r->max_penalty != NULL && *r->max_penalty != '\0' ? "; up to " : "",
		 r->max_penalty != NULL ? r->max_penalty : "");
	d->failed |= ui_lines_wrap(d->l, UI_DIM, 2, d->width, line, 0) != 0;
	return 0;
}

static int
detail_other(const struct store_provision *p, void *ctx)
{
	struct detail_build *d = ctx;
	char line[512];

	d->others++;
	snprintf(line, sizeof(line), "→ %s: %s", p->platform_name, p->headline);
	d->failed |= ui_lines_wrap(d->l, UI_LINK, 0, d->width, line, p->id) != 0;
	return 0;
}

static void
build_detail(struct ui *ui, int width)
{
	struct ui_browse *b = &ui->browse;
	struct detail_build d = { .ui = ui, .l = &b->detail, .width = width };
	struct store_provision_filter f = { 0 };
	int64_t id = b->nrows > 0 ? b->rows[b->sel].id : 0;

	if (b->detail_for == id && b->detail_width == width && id != 0)
		return;
	ui_lines_clear(&b->detail);
	b->detail_for = id;
	b->detail_width = width;
	b->detail_top = 0;
	b->detail_sel = 0;
	if (id == 0)
		return;
	f.id = id;
	if (store_each_provision(ui->st, &f, detail_main, &d) != STORE_OK) {
		ui_message(ui, 1, "cannot read provision #%lld: %s", (long long)id,
			   store_errmsg(ui->st));
		return;
	}
	d.failed |= ui_lines_blank(d.l) != 0;
	d.failed |= ui_lines_wrap(d.l, UI_HEADING, 0, width, "The law it engages", 0) != 0;
	store_each_provision_regulation(ui->st, id, detail_regulation, &d);
	d.failed |= ui_lines_blank(d.l) != 0;
	d.failed |= ui_lines_wrap(d.l, UI_HEADING, 0, width,
				  "How other platforms handle this (Enter opens)", 0) != 0;
	store_each_provision_elsewhere(ui->st, d.kind, ui->platforms[ui->platform].id,
				       DETAIL_OTHERS, detail_other, &d);
	if (d.others == DETAIL_OTHERS)
		d.failed |= ui_lines_wrap(d.l, UI_DIM, 0, width,
					  "… and more: c compares them all side by side.", 0);
	if (d.others == 0)
		d.failed |= ui_lines_wrap(d.l, UI_DIM, 0, width,
					  "No other platform has a provision of this kind.", 0);
	d.failed |= ui_lines_blank(d.l) != 0;
	d.failed |= ui_lines_wrap(d.l, UI_DIM, 0, width,
				  "A reading of what the document states, not legal advice.", 0);
	free(d.kind);
	if (d.failed)
		ui_message(ui, 1, "out of memory while showing provision #%lld", (long long)id);
}

static void
browse_prepare(struct ui *ui)
{
	struct layout l;
	size_t i;

	layout(ui, &l);
	ui_scroll_to(&ui->browse.platform_top, ui->platform, l.ph - 1);
	for (i = 0; i < (size_t)(l.ph > 1 ? l.ph - 1 : 0); i++)
		ui_count_platform(ui, ui->browse.platform_top + i);
	load_rows(ui);
	build_detail(ui, l.dw - 1);
}

static void
draw_platforms(struct ui *ui, const struct layout *l)
{
	struct ui_browse *b = &ui->browse;
	int focused = b->focus == 0, r;
	char title[64];

	snprintf(title, sizeof(title), " Platforms (%zu)", ui->nplatforms);
	ui_title(ui, l->py, l->px, l->pw, title, focused);
	ui_scroll_to(&b->platform_top, ui->platform, l->ph - 1);
	for (r = 0; r < l->ph - 1; r++) {
		size_t i = b->platform_top + (size_t)r;
		enum ui_style style = UI_NORMAL;
		char count[16], marks[3];

		if (i >= ui->nplatforms) {
			ui_clear(ui, l->py + 1 + r, l->px, 1, l->pw);
			continue;
		}
		if (i == ui->platform)
			style = focused ? UI_CURSOR : UI_CURSOR_IDLE;
		if (ui->platforms[i].provisions >= 0)
			snprintf(count, sizeof(count), "%4d ", ui->platforms[i].provisions);
		else
			snprintf(count, sizeof(count), "     ");
		/* * watched, ! a document changed since the user last looked. */
		marks[0] = ui->platforms[i].watched ? '*' : ' ';
		marks[1] = ui->platforms[i].changed ? '!' : ' ';
		marks[2] = '\0';
		ui_put(ui, l->py + 1 + r, l->px, 2, style, marks, 1);
		ui_put(ui, l->py + 1 + r, l->px + 2, l->pw - 7, style, ui->platforms[i].name, 1);
		ui_put(ui, l->py + 1 + r, l->px + l->pw - 5, 5, style, count, 1);
	}
}

static const char *
severity_mark(const char *severity)
{
	if (severity == NULL)
		return "   ";
	if (strcmp(severity, "high") == 0)
		return "[H]";
	if (strcmp(severity, "medium") == 0)
		return "[M]";
	if (strcmp(severity, "low") == 0)
		return "[L]";
	return "[F]";
}

static void
draw_provisions(struct ui *ui, const struct layout *l)
{
	struct ui_browse *b = &ui->browse;
	int focused = b->focus == 1, r;
	char title[256];

	snprintf(title, sizeof(title), " %s: provisions",
		 ui->nplatforms > 0 ? ui->platforms[ui->platform].name : "");
	ui_title(ui, l->vy, l->vx, l->vw, title, focused);
	ui_scroll_to(&b->top, b->sel, l->vh - 1);
	for (r = 0; r < l->vh - 1; r++) {
		size_t i = b->top + (size_t)r;
		const struct ui_provision_row *row;
		int y = l->vy + 1 + r;

		if (i >= b->nrows) {
			ui_clear(ui, y, l->vx, 1, l->vw);
			continue;
		}
		row = &b->rows[i];
		if (row->id == 0) {
			ui_put(ui, y, l->vx, l->vw, UI_HEADING, row->text, 1);
			continue;
		}
		ui_put(ui, y, l->vx, 4, ui_severity_style(row->severity),
		       severity_mark(row->severity), 1);
		ui_put(ui, y, l->vx + 4, l->vw - 4,
		       i == b->sel ? (focused ? UI_CURSOR : UI_CURSOR_IDLE) : UI_NORMAL, row->text, 1);
	}
}

static void
draw_detail(struct ui *ui, const struct layout *l)
{
	struct ui_browse *b = &ui->browse;
	int focused = b->focus == 2;

	ui_title(ui, l->dy, l->dx, l->dw, " Provision", focused);
	if (focused)
		ui_scroll_to(&b->detail_top, b->detail_sel, l->dh - 1);
	ui_draw_lines(ui, &b->detail, b->detail_top, focused ? b->detail_sel : (size_t)-1,
		      l->dy + 1, l->dx + 1, l->dh - 1, l->dw - 1, focused);
}

static void
browse_draw(struct ui *ui)
{
	struct layout l;

	layout(ui, &l);
	draw_platforms(ui, &l);
	draw_provisions(ui, &l);
	draw_detail(ui, &l);
	attrset(ui_attr(ui, UI_DIM));
	mvvline(0, l.dx - 1, ACS_VLINE, ui->rows - 1);
	if (l.vx > 0)
		mvvline(0, l.vx - 1, ACS_VLINE, ui->rows - 1);
	else
		mvhline(l.vy - 1, 0, ACS_HLINE, l.pw);
	attrset(ui_attr(ui, UI_NORMAL));
}

/* Move the provision selection, stepping over document headings. */
static int
move_provision(struct ui *ui, int key, int page)
{
	struct ui_browse *b = &ui->browse;
	size_t old = b->sel;
	int rc = ui_move(&b->sel, b->nrows, key, page);

	if (rc == 0 || b->nrows == 0)
		return rc;
	if (b->rows[b->sel].id == 0) {
		int up = key == 'k' || key == UI_KEY_FN(KEY_UP) || key == UI_KEY_FN(KEY_PPAGE);
		size_t i = b->sel;

		if (up) {
			while (i > 0 && b->rows[i].id == 0)
				i--;
			if (b->rows[i].id == 0)
				i = old;
		} else {
			i = first_provision(b, i);
			if (b->rows[i].id == 0)
				i = old;
		}
		b->sel = i;
	}
	if (b->sel == old)
		ui_message(ui, 0, "no more provisions that way");
	return 1;
}

/* A provision's document, for its history. */
struct provision_document {
	int64_t id;
	char title[256];	/* "Platform · Document title". */
};

static int
keep_document(const struct store_provision *p, void *ctx)
{
	struct provision_document *doc = ctx;

	doc->id = p->document_id;
	snprintf(doc->title, sizeof(doc->title), "%s · %s", p->platform_name, p->document_title);
	return 0;
}

/* H: the history of the selected provision's document. */
static void
open_history(struct ui *ui)
{
	struct ui_browse *b = &ui->browse;
	struct store_provision_filter f = { 0 };
	struct provision_document doc = { 0, "" };

	if (b->nrows == 0 || b->rows[b->sel].id == 0) {
		ui_message(ui, 1, "select a provision first: H shows its document's history");
		return;
	}
	f.id = b->rows[b->sel].id;
	if (store_each_provision(ui->st, &f, keep_document, &doc) != STORE_OK || doc.id == 0) {
		ui_message(ui, 1, "cannot find the provision's document");
		return;
	}
	ui_open_history(ui, doc.id, doc.title);
}

/* Watch the selected platform for changes, or stop. */
static void
toggle_watch(struct ui *ui)
{
	struct ui_platform *p;

	if (ui->nplatforms == 0)
		return;
	p = &ui->platforms[ui->platform];
	if (store_watch(ui->st, p->id, !p->watched) != STORE_OK) {
		ui_message(ui, 1, "cannot change the watch: %s", store_errmsg(ui->st));
		return;
	}
	p->watched = !p->watched;
	ui_message(ui, 0, p->watched ? "watching %s (marked *); w again stops"
				     : "no longer watching %s", p->name);
}

/* The user went into the platform's provisions: what changed in its
 * documents until now is seen, and its mark goes. */
static void
look_at_platform(struct ui *ui)
{
	struct ui_platform *p;

	if (ui->browse.focus == 0 || ui->nplatforms == 0)
		return;
	p = &ui->platforms[ui->platform];
	if (!p->changed)
		return;
	if (store_mark_seen(ui->st, p->id) != STORE_OK) {
		ui_message(ui, 1, "cannot record that %s was seen: %s", p->name,
			   store_errmsg(ui->st));
		return;
	}
	p->changed = 0;
}

static int
browse_key_inner(struct ui *ui, int key)
{
	struct ui_browse *b = &ui->browse;
	struct layout l;
	int rc;

	layout(ui, &l);
	switch (key) {
	case '\t':
	case 'l':
	case UI_KEY_FN(KEY_RIGHT):
		b->focus = (b->focus + 1) % 3;
		return 1;
	case UI_KEY_FN(KEY_BTAB):
	case 'h':
	case UI_KEY_FN(KEY_LEFT):
		b->focus = (b->focus + 2) % 3;
		return 1;
	case 'w':
		toggle_watch(ui);
		return 1;
	case 'H':
		open_history(ui);
		return 1;
	case 'n':
		ui_search_step(ui, 1);
		return 1;
	case 'N':
		ui_search_step(ui, -1);
		return 1;
	case '\r':
	case '\n':
	case UI_KEY_FN(KEY_ENTER):
		if (b->focus < 2) {
			b->focus++;
			return 1;
		}
		if (b->detail_sel < b->detail.n && b->detail.v[b->detail_sel].target != 0)
			ui_open_provision(ui, b->detail.v[b->detail_sel].target);
		else
			ui_message(ui, 0, "move to a line under 'How other platforms handle this'");
		return 1;
	}
	if (b->focus == 0) {
		size_t old = ui->platform;

		rc = ui_move(&ui->platform, ui->nplatforms, key, l.ph - 1);
		if (rc == 2)
			ui_message(ui, 0, "no more platforms that way");
		if (ui->platform != old)
			b->focus = 0;
		return rc != 0;
	}
	if (b->focus == 1)
		return move_provision(ui, key, l.vh - 1) != 0;
	rc = ui_move(&b->detail_sel, b->detail.n, key, l.dh - 1);
	if (rc == 2)
		ui_message(ui, 0, "no more lines that way");
	return rc != 0;
}

static int
browse_key(struct ui *ui, int key)
{
	int handled = browse_key_inner(ui, key);

	look_at_platform(ui);
	return handled;
}

static int
keep_platform_slug(const struct store_provision *p, void *ctx)
{
	snprintf(ctx, 128, "%s", p->platform_slug);
	return 0;
}

int
ui_browse_select(struct ui *ui, int64_t id)
{
	struct store_provision_filter f = { .id = id };
	struct ui_browse *b = &ui->browse;
	char slug[128] = "";
	size_t i, r;

	if (store_each_provision(ui->st, &f, keep_platform_slug, slug) != STORE_OK)
		return 0;
	for (i = 0; i < ui->nplatforms; i++)
		if (strcmp(ui->platforms[i].slug, slug) == 0)
			break;
	if (i == ui->nplatforms)
		return 0;
	ui->platform = i;
	load_rows(ui);
	for (r = 0; r < b->nrows; r++)
		if (b->rows[r].id == id) {
			b->sel = r;
			b->focus = 1;
			b->detail_for = 0;
			return 1;
		}
	return 0;
}

const char *
ui_browse_kind(struct ui *ui)
{
	struct ui_browse *b = &ui->browse;

	if (b->nrows == 0 || b->rows[b->sel].id == 0)
		return NULL;
	return b->rows[b->sel].kind;
}

static const struct ui_key_help browse_help[] = {
	{ "Tab S-Tab h l", "next, previous pane" },
	{ "Enter", "into the next pane; on another platform's line, open it" },
	{ "n N", "the next, previous match of the last search" },
	{ "w", "watch the selected platform for changes (* marks it), or stop" },
	{ "H", "the history of the selected provision's document, and its changes" },
	{ "!", "(a mark) a document changed since you last looked; going in clears it" },
	{ NULL, NULL }
};

const struct ui_view_ops ui_browse_ops = {
	.name = "platforms",
	.prepare = browse_prepare,
	.draw = browse_draw,
	.key = browse_key,
	.help = browse_help,
};
