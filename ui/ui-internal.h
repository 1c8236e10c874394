/*
 * ui-internal: what the files of ui/ share.
 *
 * The browser is a set of views (browse, search, compare, matrix), each a
 * file that fills in a struct ui_view_ops: draw() only reads state and
 * draws; key() changes state and marks the screen dirty.  app.c runs the
 * loop: it waits on the keyboard and signals, hands each key to the help
 * overlay or the current view, and redraws once per turn when dirty.
 * Every text drawn passes through draw.c, which sanitises it first.
 */
#ifndef CLAUSE_UI_INTERNAL_H
#define CLAUSE_UI_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* Styles by meaning; draw.c maps them to colours and attributes. */
enum ui_style {
	UI_NORMAL,
	UI_TITLE,		/* A pane's title. */
	UI_TITLE_FOCUS,		/* The focused pane's title. */
	UI_CURSOR,		/* The selected row of the focused pane. */
	UI_CURSOR_IDLE,		/* The selected row of another pane. */
	UI_HEADING,		/* A group or section heading. */
	UI_LABEL,		/* A field name. */
	UI_DIM,			/* Secondary facts: URLs, dates. */
	UI_MATCH,		/* A search match. */
	UI_HIGH,		/* Severities. */
	UI_MEDIUM,
	UI_LOW,
	UI_FAVOURABLE,
	UI_STATUS,		/* The status line. */
	UI_ERROR,		/* A message that something went wrong. */
	UI_LINK,		/* A row that jumps somewhere on Enter. */
	UI_STYLE_COUNT
};

/* Keys: a character is its code point; a function key (KEY_UP, ...) is
 * UI_KEY_FN(KEY_UP), above every code point. */
#define UI_KEY_FN(k) ((k) + 0x110000)
#define UI_KEY_CTRL(c) ((c) & 0x1f)
#define UI_KEY_ESC 0x1b

/* One line of wrapped text. */
struct ui_line {
	enum ui_style style;
	char *text;		/* Sanitised, fits the width it was wrapped to. */
	int indent;
	int64_t target;		/* A provision to open on Enter, or 0. */
	int marks;		/* Diff lines: the word mark open at the line's start
				 * (0 none, '-' removed, '+' added). */
};

/* A growing list of lines. */
struct ui_lines {
	struct ui_line *v;
	size_t n, size;
};

/* Append text wrapped to width (sanitised), each line after indent
 * spaces, with target; -1 when out of memory. */
int ui_lines_wrap(struct ui_lines *l, enum ui_style style, int indent, int width,
		  const char *text, int64_t target);
/* Append an empty line. */
int ui_lines_blank(struct ui_lines *l);
void ui_lines_clear(struct ui_lines *l);

/* One entry of a view's help: a key and what it does. */
struct ui_key_help {
	const char *keys;
	const char *what;
};

struct ui;

struct ui_view_ops {
	const char *name;		/* For the status line. */
	/* Bring what the view shows up to date with its state (read the
	 * store, wrap text to the width) before it is drawn.  May be NULL. */
	void (*prepare)(struct ui *ui);
	void (*draw)(struct ui *ui);	/* Draw the view in rows 0 .. ui->rows - 2. */
	int (*key)(struct ui *ui, int key);	/* 1 when handled, 0 when not. */
	const struct ui_key_help *help;	/* Ended by { NULL, NULL }. */
};

enum ui_view {
	UI_VIEW_BROWSE,
	UI_VIEW_SEARCH,
	UI_VIEW_COMPARE,
	UI_VIEW_MATRIX,
	UI_VIEW_HISTORY,
	UI_VIEW_COUNT
};

/* A platform as the lists show it. */
struct ui_platform {
	int64_t id;
	char *slug;
	char *name;
	char *sector;
	int provisions;		/* -1 until counted (ui_count_platform). */
	int watched;		/* Watched for changes: marked in the list. */
	int changed;		/* A document changed in this session's refresh. */
};

/* A row of the provisions pane: a document heading (id 0) or a provision. */
struct ui_provision_row {
	int64_t id;
	char *text;		/* The heading, or the provision's headline. */
	char *kind;
	char *severity;
};

struct ui_browse {
	struct ui_provision_row *rows;	/* The selected platform's provisions. */
	size_t nrows;
	size_t sel, top;		/* Selected row, first row shown. */
	int64_t rows_for;		/* Platform the rows were loaded for. */
	struct ui_lines detail;		/* The selected provision, wrapped. */
	size_t detail_top;
	size_t detail_sel;		/* Selected line when the detail has focus. */
	int64_t detail_for;		/* Provision the detail was built for. */
	int detail_width;		/* Width it was wrapped to. */
	size_t platform_top;
	int focus;			/* 0 platforms, 1 provisions, 2 detail. */
};

struct ui_hit {
	int64_t id;
	char *platform;		/* Name. */
	int64_t platform_id;
	char *kind;
	char *severity;
	char *headline;
	char *snippet;		/* Sanitised later, markers kept. */
};

struct ui_search {
	char query[256];	/* What the user typed. */
	size_t len;
	int editing;		/* The prompt has the keyboard. */
	struct ui_hit *hits;
	size_t nhits;
	size_t limit;		/* Hits asked for: a few pages, more as the user scrolls. */
	int more;		/* There may be hits past the last one read. */
	size_t sel, top;
	char error[256];	/* Why the query is malformed, or "". */
};

struct ui_compare {
	char *kind;		/* Slug of the kind compared. */
	char *kind_name;
	int *chosen;		/* Per platform (index in ui->platforms): compared. */
	size_t first;		/* First compared platform shown (side by side). */
	size_t scroll;		/* Lines scrolled down. */
	int picking;		/* The platform picker is open. */
	size_t pick_sel, pick_top;
	struct ui_lines *columns;	/* One per chosen platform, wrapped. */
	size_t ncolumns;
	size_t *column_platform;	/* Platform index of each column. */
	int column_width;	/* Width the columns were wrapped to. */
	int stale;		/* Columns must be rebuilt. */
};

struct ui_kind {
	char *slug;
	char *name;
};

struct ui_matrix {
	struct ui_kind *kinds;
	size_t nkinds;
	unsigned char *cells;	/* nkinds x nplatforms: has a provision. */
	size_t row, col;	/* Cursor. */
	size_t top, left;	/* First row and column shown. */
};

struct ui_history_entry {
	int64_t id;
	char date[11];
	char source[16];
	size_t size;
	char summary[128];	/* What changed from the version before. */
	char *text;
};

struct ui_history {
	int64_t document;	/* The document shown, or 0. */
	char title[256];
	struct ui_history_entry *v;	/* Newest first. */
	size_t n;
	size_t sel, top;
	int diffing;		/* Showing the selected version's diff. */
	struct ui_lines diff;	/* Its lines, wrapped. */
	int diff_width;
	size_t diff_top;
	size_t *hunks;		/* Line where each hunk starts. */
	size_t nhunks;
};

/* Background refreshes (r, R): the fetch thread and what it reported. */
struct ui_refresh {
	struct fetcher *fetcher;	/* Started by the first r or R. */
	struct classifier *classifier;	/* Finds provisions in new versions. */
	int queued;			/* Documents asked for since idle. */
	int done, changed, failed;	/* Of those, with an event. */
	char last_error[240];		/* The last failure, for the status line. */
};

struct ui {
	struct store *st;
	const char *db_path;
	int rows, cols;			/* Terminal size. */
	int too_small;			/* Below 80 x 24. */
	int color;			/* Colours in use. */
	enum ui_view view;
	enum ui_view back;		/* Where Esc from a view returns. */
	int help;			/* The help overlay is shown. */
	int quit;
	int dirty;			/* Redraw at the end of this turn. */
	char message[256];		/* The status line's message, or "". */
	int message_error;

	struct ui_platform *platforms;
	size_t nplatforms;
	size_t platform;		/* Selected platform. */
	int provisions_total;

	struct ui_browse browse;
	struct ui_search search;
	struct ui_compare compare;
	struct ui_matrix matrix;
	struct ui_history history;
	struct ui_refresh refresh;
};

/* app.c */
void ui_message(struct ui *ui, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Count platform i's provisions if not yet counted: the list counts only
 * the platforms it shows, so that opening is quick at any size. */
void ui_count_platform(struct ui *ui, size_t i);
/* Open provision id in the browse view: select its platform and row. */
void ui_open_provision(struct ui *ui, int64_t id);
/* Open the compare view for a kind. */
void ui_open_compare(struct ui *ui, const char *kind);
/* Switch view, remembering where Esc returns. */
void ui_switch(struct ui *ui, enum ui_view view);
/* Move a selection within n items by key (j/k, arrows, PgUp/PgDn, Space,
 * g/G, Home/End); page is the number of rows shown.  1 when key was one. */
int ui_move(size_t *sel, size_t n, int key, int page);
/* Keep sel visible in a window of page rows starting at *top. */
void ui_scroll_to(size_t *top, size_t sel, int page);

/* draw.c */
void ui_draw_init(struct ui *ui);
int ui_attr(const struct ui *ui, enum ui_style style);
/* Draw s sanitised at (y, x), fitted to width columns, padded when pad. */
void ui_put(struct ui *ui, int y, int x, int width, enum ui_style style, const char *s, int pad);
/* The same with search markers shown in UI_MATCH. */
void ui_put_marked(struct ui *ui, int y, int x, int width, enum ui_style style, const char *s);
/* A pane's title bar. */
void ui_title(struct ui *ui, int y, int x, int width, const char *title, int focused);
/* Clear a rectangle. */
void ui_clear(struct ui *ui, int y, int x, int height, int width);
/* The style of a severity name. */
enum ui_style ui_severity_style(const char *severity);
/* Draw lines l from top in the rectangle; sel (or (size_t)-1) highlighted. */
void ui_draw_lines(struct ui *ui, const struct ui_lines *l, size_t top, size_t sel, int y, int x,
		   int height, int width, int focused);

/* The views. */
extern const struct ui_view_ops ui_browse_ops;
extern const struct ui_view_ops ui_search_ops;
extern const struct ui_view_ops ui_compare_ops;
extern const struct ui_view_ops ui_matrix_ops;
extern const struct ui_view_ops ui_history_ops;

/* history.c */
void ui_history_free(struct ui *ui);
/* Open the history of a document, titled title. */
void ui_open_history(struct ui *ui, int64_t document, const char *title);

/* browse.c */
void ui_browse_free(struct ui *ui);
/* Select provision id (loading its platform's rows). 0 when not found. */
int ui_browse_select(struct ui *ui, int64_t id);
/* The kind of the selected provision, or NULL. */
const char *ui_browse_kind(struct ui *ui);

/* search.c */
void ui_search_free(struct ui *ui);
void ui_search_start(struct ui *ui);
/* Open the next (1), previous (-1) or selected (0) match of the search. */
void ui_search_step(struct ui *ui, int step);

/* compare.c */
void ui_compare_free(struct ui *ui);

/* matrix.c */
void ui_matrix_free(struct ui *ui);

/* refresh.c */
/* Refresh the selected platform's documents (all 0) or every platform's
 * (all 1) in the background. */
void ui_refresh_start(struct ui *ui, int all);
/* The descriptor to poll for the fetch thread's events, or -1. */
int ui_refresh_fd(const struct ui *ui);
/* Take the events waiting: mark what changed, reload what shows it. */
void ui_refresh_events(struct ui *ui);
/* "fetching 3/12 · 1 failed" while busy, else "". */
void ui_refresh_status(const struct ui *ui, char *buf, size_t size);
/* Stop the thread (abandoning what is in flight). */
void ui_refresh_stop(struct ui *ui);

/* help.c */
void ui_help_draw(struct ui *ui, const struct ui_key_help *view_help);

/* The keys every view shares, for the help overlay. */
extern const struct ui_key_help ui_global_help[];

#endif
