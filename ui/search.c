/*
 * search: the incremental search view.  Each keystroke runs the query
 * through the same parser and index as `clause search`; the results
 * update as the user types, matches highlighted; Enter opens the selected
 * provision in its platform's context; n and N step through the hits.
 */

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "store.h"
#include "ui-internal.h"

/* Rows each hit takes, and hits read at most (the best).  A keystroke
 * reads two screens of hits, not all it may show: most of a search's time
 * goes to the snippets and rows of the hits read, and the user scrolls
 * through few of them; scrolling reads more. */
#define HIT_ROWS 3
#define SEARCH_MAX 1000

/* Hits the screen shows at once. */
static size_t
hits_shown(const struct ui *ui)
{
	int shown = (ui->rows - 3) / HIT_ROWS;

	return shown > 1 ? (size_t)shown : 1;
}

/* Hits a new query reads: two screens, at least ten. */
static size_t
first_limit(const struct ui *ui)
{
	return 2 * hits_shown(ui) > 10 ? 2 * hits_shown(ui) : 10;
}

static void
free_hits(struct ui_search *s)
{
	size_t i;

	for (i = 0; i < s->nhits; i++) {
		free(s->hits[i].platform);
		free(s->hits[i].kind);
		free(s->hits[i].severity);
		free(s->hits[i].headline);
		free(s->hits[i].snippet);
	}
	free(s->hits);
	s->hits = NULL;
	s->nhits = 0;
	s->sel = s->top = 0;
}

void
ui_search_free(struct ui *ui)
{
	free_hits(&ui->search);
}

static int
keep_hit(const struct store_hit *hit, void *ctx)
{
	struct ui_search *s = ctx;
	struct ui_hit *grown = realloc(s->hits, (s->nhits + 1) * sizeof(*grown)), *h;

	if (grown == NULL)
		return 1;
	s->hits = grown;
	h = &s->hits[s->nhits++];
	h->id = hit->provision->id;
	h->platform = strdup(hit->provision->platform_name);
	h->kind = strdup(hit->provision->kind);
	h->severity = strdup(hit->provision->severity);
	h->headline = strdup(hit->provision->headline);
	h->snippet = strdup(hit->snippet != NULL ? hit->snippet : "");
	return h->platform == NULL || h->kind == NULL || h->severity == NULL
	       || h->headline == NULL || h->snippet == NULL;
}

static int
keep_platform_id(const struct store_platform *p, void *ctx)
{
	*(int64_t *)ctx = p->id;
	return 0;
}

/* The query as typed so far, the word being typed also read as a prefix
 * once it has three letters ("arbit" finds "arbitration"; fewer would
 * match most of the index on every keystroke).  The index holds stems
 * ("arbitration" is "arbitr"), and FTS5 stems a prefix too ("using*" is
 * "us*"), so the prefix is the word less its last two letters, which a
 * stem may have cut: "arbitrat" looks for "arbitr*".  When the word's stem
 * starts with the prefix's, the prefix finds all the word does and is
 * searched alone ("privacy" is "priva*"); otherwise the word is searched
 * too, "(word OR prefix*)".  Each phrase of a query costs a pass over its
 * matches, and one phrase alone is ranked in one walk (store/search.c). */
static const char *
typed_prefix(struct store *st, const char *query, char *buf, size_t size)
{
	size_t len = strlen(query), word = 0, quotes = 0, plen, i;
	char lower[64], word_stem[64], prefix_stem[64];
	const char *w;

	while (word < len && isalnum((unsigned char)query[len - 1 - word]))
		word++;
	for (i = 0; i < len; i++)
		quotes += query[i] == '"';
	if (word < 3 || quotes % 2 == 1 || 2 * len + 12 > size)
		return query;
	w = query + len - word;
	/* Not a filter's value (platform:abc) nor an operator. */
	if (len > word && w[-1] == ':')
		return query;
	if (strcmp(w, "AND") == 0 || strcmp(w, "OR") == 0 || strcmp(w, "NOT") == 0)
		return query;
	plen = word >= 6 ? word - 2 : word;
	if (word < sizeof(lower)) {
		for (i = 0; i < word; i++)
			lower[i] = (char)tolower((unsigned char)w[i]);
		lower[word] = '\0';
		if (store_stem(st, lower, word_stem, sizeof(word_stem)) == STORE_OK) {
			lower[plen] = '\0';
			if (store_stem(st, lower, prefix_stem, sizeof(prefix_stem)) == STORE_OK
			    && strncmp(word_stem, prefix_stem, strlen(prefix_stem)) == 0) {
				snprintf(buf, size, "%.*s%.*s*", (int)(len - word), query,
					 (int)plen, w);
				return buf;
			}
		}
	}
	snprintf(buf, size, "%.*s(%s OR %.*s*)", (int)(len - word), query, w, (int)plen, w);
	return buf;
}

/* Run the query as it stands. */
static void
run_query(struct ui *ui)
{
	struct ui_search *s = &ui->search;
	struct store_provision_filter f = { 0 };
	char typing[2 * sizeof(s->query) + 16];
	struct query q;
	int rc;

	free_hits(s);
	s->error[0] = '\0';
	s->more = 0;
	if (s->limit == 0)
		s->limit = first_limit(ui);
	if (s->len == 0)
		return;
	if (query_parse(typed_prefix(ui->st, s->query, typing, sizeof(typing)), &q, s->error,
			sizeof(s->error)) != 0)
		return;
	if (q.platform != NULL) {
		rc = store_find_platform(ui->st, q.platform, keep_platform_id, &f.platform_id);
		if (rc != STORE_OK) {
			snprintf(s->error, sizeof(s->error), "%s", store_errmsg(ui->st));
			goto out;
		}
	}
	f.kind = q.kind;
	f.severity = q.severity;
	if (q.match == NULL) {
		snprintf(s->error, sizeof(s->error), "type words to search for");
		goto out;
	}
	rc = store_search(ui->st, q.match, &f, (int)s->limit, keep_hit, s);
	s->more = rc == STORE_OK && s->nhits == s->limit && s->limit < SEARCH_MAX;
	if (rc == STORE_BAD_QUERY)
		snprintf(s->error, sizeof(s->error), "cannot search for that");
	else if (rc != STORE_OK)
		snprintf(s->error, sizeof(s->error), "%s",
			 rc == 1 ? "out of memory" : store_errmsg(ui->st));
out:
	query_free(&q);
}

/* The query changed: read its first hits. */
static void
new_query(struct ui *ui)
{
	ui->search.limit = first_limit(ui);
	run_query(ui);
}

/* Read hits up to index want (two screens past it), when there may be
 * more than were read, keeping the selection and the scroll. */
static void
load_more(struct ui *ui, size_t want)
{
	struct ui_search *s = &ui->search;
	size_t sel = s->sel, top = s->top, limit;

	if (!s->more || want < s->nhits)
		return;
	limit = want + 2 * hits_shown(ui);
	if (limit < 2 * s->limit)
		limit = 2 * s->limit;
	s->limit = limit < SEARCH_MAX ? limit : SEARCH_MAX;
	run_query(ui);
	s->sel = sel < s->nhits ? sel : (s->nhits > 0 ? s->nhits - 1 : 0);
	s->top = top <= s->sel ? top : s->sel;
}

/* Move the selection by key, reading more hits first when it heads past
 * those read.  ui_move's answer. */
static int
move_in_hits(struct ui *ui, int key)
{
	struct ui_search *s = &ui->search;
	size_t shown = hits_shown(ui);

	if (key == 'G' || key == UI_KEY_FN(KEY_END))
		load_more(ui, SEARCH_MAX);
	else
		load_more(ui, s->sel + shown + 1);
	return ui_move(&s->sel, s->nhits, key, (int)shown);
}

void
ui_search_start(struct ui *ui)
{
	ui->search.editing = 1;
	ui_switch(ui, UI_VIEW_SEARCH);
}

static void
search_draw(struct ui *ui)
{
	struct ui_search *s = &ui->search;
	int height = ui->rows - 3, shown = height / HIT_ROWS, r;
	char line[512];

	/* A taller terminal may show more than was read. */
	load_more(ui, s->top + hits_shown(ui));
	snprintf(line, sizeof(line), "/%s", s->query);
	ui_put(ui, 0, 0, ui->cols, s->editing ? UI_TITLE_FOCUS : UI_TITLE, line, 1);
	if (s->editing) {
		curs_set(1);
		move(0, (int)strlen(line) < ui->cols ? (int)strlen(line) : ui->cols - 1);
	}
	if (s->error[0] != '\0')
		snprintf(line, sizeof(line), " %s", s->error);
	else if (s->len == 0)
		snprintf(line, sizeof(line),
			 " words, \"a phrase\", prefix*, OR, NOT, platform:NAME, kind:KIND, "
			 "severity:high");
	else if (s->more)
		snprintf(line, sizeof(line), " the best %zu provisions, more as you scroll",
			 s->nhits);
	else
		snprintf(line, sizeof(line), " %zu provision%s%s", s->nhits, s->nhits == 1 ? "" : "s",
			 s->nhits == SEARCH_MAX ? " (the best shown)" : "");
	ui_put(ui, 1, 0, ui->cols, s->error[0] != '\0' ? UI_ERROR : UI_DIM, line, 1);

	ui_scroll_to(&s->top, s->sel, shown);
	for (r = 0; r < shown; r++) {
		size_t i = s->top + (size_t)r;
		int y = 2 + r * HIT_ROWS;
		const struct ui_hit *h;

		if (i >= s->nhits) {
			ui_clear(ui, y, 0, HIT_ROWS, ui->cols);
			continue;
		}
		h = &s->hits[i];
		snprintf(line, sizeof(line), "#%lld %s · %s · %s", (long long)h->id, h->platform,
			 h->kind, h->severity);
		ui_put(ui, y, 0, ui->cols, i == s->sel ? (s->editing ? UI_CURSOR_IDLE : UI_CURSOR)
						       : UI_HEADING, line, 1);
		ui_put(ui, y + 1, 2, ui->cols - 2, UI_LABEL, h->headline, 1);
		ui_put_marked(ui, y + 2, 2, ui->cols - 2, UI_NORMAL, h->snippet);
	}
	if (!s->editing)
		curs_set(0);
}

/* Open the hit at sel + step (step -1, 0 or 1). */
void
ui_search_step(struct ui *ui, int step)
{
	struct ui_search *s = &ui->search;

	if (s->nhits == 0) {
		ui_message(ui, 1, s->len == 0 ? "no search yet: / searches" : "no provision matches");
		return;
	}
	if (step > 0)
		load_more(ui, s->sel + 1);
	if (step > 0 && s->sel + 1 >= s->nhits) {
		ui_message(ui, 0, "last match: no more after it");
		return;
	}
	if (step < 0 && s->sel == 0) {
		ui_message(ui, 0, "first match: none before it");
		return;
	}
	s->sel = (size_t)((long)s->sel + step);
	s->editing = 0;
	curs_set(0);
	ui_open_provision(ui, s->hits[s->sel].id);
	ui->back = UI_VIEW_SEARCH;
	ui_message(ui, 0, "match %zu of %zu%s for \"%s\" · n next, N previous, Esc results",
		   s->sel + 1, s->nhits, s->more ? "+" : "", s->query);
}

static int
edit_key(struct ui *ui, int key)
{
	struct ui_search *s = &ui->search;

	switch (key) {
	case UI_KEY_ESC:
		s->editing = 0;
		curs_set(0);
		if (s->nhits == 0)
			ui_switch(ui, ui->back);
		return 1;
	case '\r':
	case '\n':
	case UI_KEY_FN(KEY_ENTER):
		ui_search_step(ui, 0);
		return 1;
	case UI_KEY_FN(KEY_BACKSPACE):
	case 0x7f:
	case 0x08:
		if (s->len > 0) {
			/* Back over one UTF-8 character. */
			do
				s->len--;
			while (s->len > 0 && ((unsigned char)s->query[s->len] & 0xc0) == 0x80);
			s->query[s->len] = '\0';
			new_query(ui);
		}
		return 1;
	case UI_KEY_CTRL('u'):
		s->len = 0;
		s->query[0] = '\0';
		new_query(ui);
		return 1;
	case UI_KEY_FN(KEY_DOWN):
	case UI_KEY_FN(KEY_UP):
	case UI_KEY_FN(KEY_NPAGE):
	case UI_KEY_FN(KEY_PPAGE):
		move_in_hits(ui, key);
		return 1;
	}
	if (key >= 0x20 && key < 0x110000 && key != 0x7f) {
		char utf8[8];
		size_t n;

		/* Encode the character as UTF-8 and append it. */
		if (key < 0x80) {
			utf8[0] = (char)key;
			n = 1;
		} else if (key < 0x800) {
			utf8[0] = (char)(0xc0 | (key >> 6));
			utf8[1] = (char)(0x80 | (key & 0x3f));
			n = 2;
		} else if (key < 0x10000) {
			utf8[0] = (char)(0xe0 | (key >> 12));
			utf8[1] = (char)(0x80 | ((key >> 6) & 0x3f));
			utf8[2] = (char)(0x80 | (key & 0x3f));
			n = 3;
		} else {
			utf8[0] = (char)(0xf0 | (key >> 18));
			utf8[1] = (char)(0x80 | ((key >> 12) & 0x3f));
			utf8[2] = (char)(0x80 | ((key >> 6) & 0x3f));
			utf8[3] = (char)(0x80 | (key & 0x3f));
			n = 4;
		}
		if (s->len + n >= sizeof(s->query)) {
			ui_message(ui, 1, "the query is as long as it can be");
			return 1;
		}
		memcpy(s->query + s->len, utf8, n);
		s->len += n;
		s->query[s->len] = '\0';
		new_query(ui);
		return 1;
	}
	return 1;	/* Other keys are ignored while typing. */
}

static int
search_key(struct ui *ui, int key)
{
	struct ui_search *s = &ui->search;
	int rc;

	if (s->editing)
		return edit_key(ui, key);
	switch (key) {
	case '/':
		s->editing = 1;
		return 1;
	case '\r':
	case '\n':
	case UI_KEY_FN(KEY_ENTER):
		ui_search_step(ui, 0);
		return 1;
	case 'n':
		ui_search_step(ui, 1);
		return 1;
	case 'N':
		ui_search_step(ui, -1);
		return 1;
	}
	rc = move_in_hits(ui, key);
	if (rc == 2)
		ui_message(ui, 0, "no more matches that way");
	return rc != 0;
}

static const struct ui_key_help search_help[] = {
	{ "type", "search as you type: words, \"a phrase\", prefix*, OR, NOT" },
	{ "platform: kind:", "filters: platform:NAME kind:KIND severity:high" },
	{ "Enter", "open the selected provision in its platform" },
	{ "↓ ↑", "move among the results while typing" },
	{ "n N", "open the next, previous match" },
	{ "Backspace Ctrl-U", "delete a character, the whole query" },
	{ "Esc", "stop typing; again, back" },
	{ NULL, NULL }
};

const struct ui_view_ops ui_search_ops = {
	.name = "search",
	.prepare = NULL,
	.draw = search_draw,
	.key = search_key,
	.help = search_help,
};
