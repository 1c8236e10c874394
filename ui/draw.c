/*
 * draw: styles by meaning, and every string put on the screen, sanitised.
 */

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "marks.h"
#include "sanitize.h"
#include "textwidth.h"
#include "ui-internal.h"

/* Each style: its colour pair's colours (-1 is the terminal's default) and
 * the attributes it has with colour and without. */
static const struct {
	short fg, bg;
	int attr_color;
	int attr_mono;
} styles[UI_STYLE_COUNT] = {
	[UI_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[UI_TITLE] = { -1, -1, A_BOLD, A_BOLD },
	[UI_TITLE_FOCUS] = { COLOR_CYAN, -1, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE },
	[UI_CURSOR] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[UI_CURSOR_IDLE] = { -1, -1, A_REVERSE, A_UNDERLINE },
	[UI_HEADING] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[UI_LABEL] = { -1, -1, A_BOLD, A_BOLD },
	[UI_DIM] = { -1, -1, A_DIM, A_NORMAL },
	[UI_MATCH] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[UI_HIGH] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[UI_MEDIUM] = { COLOR_YELLOW, -1, A_NORMAL, A_NORMAL },
	[UI_LOW] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[UI_FAVOURABLE] = { COLOR_GREEN, -1, A_BOLD, A_NORMAL },
	[UI_STATUS] = { -1, -1, A_REVERSE, A_REVERSE },
	[UI_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[UI_LINK] = { COLOR_BLUE, -1, A_NORMAL, A_NORMAL },
};

void
ui_draw_init(struct ui *ui)
{
	const char *no_color = getenv("NO_COLOR");
	int i;

	ui->color = has_colors() && (no_color == NULL || *no_color == '\0');
	if (!ui->color)
		return;
	start_color();
	use_default_colors();
	for (i = 1; i < UI_STYLE_COUNT; i++)
		init_pair((short)i, styles[i].fg, styles[i].bg);
}

int
ui_attr(const struct ui *ui, enum ui_style style)
{
	if (!ui->color)
		return styles[style].attr_mono;
	return (int)COLOR_PAIR(style) | styles[style].attr_color;
}

enum ui_style
ui_severity_style(const char *severity)
{
	if (severity == NULL)
		return UI_NORMAL;
	if (strcmp(severity, "high") == 0)
		return UI_HIGH;
	if (strcmp(severity, "medium") == 0)
		return UI_MEDIUM;
	if (strcmp(severity, "low") == 0)
		return UI_LOW;
	if (strcmp(severity, "favourable") == 0)
		return UI_FAVOURABLE;
	return UI_NORMAL;
}

void
ui_clear(struct ui *ui, int y, int x, int height, int width)
{
	int r;

	attrset(ui_attr(ui, UI_NORMAL));
	for (r = 0; r < height; r++)
		mvhline(y + r, x, ' ', width);
}

void
ui_put(struct ui *ui, int y, int x, int width, enum ui_style style, const char *s, int pad)
{
	size_t len, bufsize = (size_t)width * 4 + 8;
	char *clean, *buf;

	if (width <= 0)
		return;
	if (s == NULL)
		s = "";
	clean = sanitize_text(s, strlen(s), 0, &len);
	buf = malloc(bufsize);
	if (clean != NULL && buf != NULL) {
		text_fit(clean, len, width, pad, buf, bufsize);
		attrset(ui_attr(ui, style));
		mvaddstr(y, x, buf);
		attrset(ui_attr(ui, UI_NORMAL));
	}
	free(buf);
	free(clean);
}

void
ui_put_marked(struct ui *ui, int y, int x, int width, enum ui_style style, const char *s)
{
	struct marks marks;
	size_t len, b, start;
	char *clean;
	int used = 0;

	clean = sanitize_text(s, strlen(s), 0, &len);
	if (clean == NULL)
		return;
	len = marks_strip(clean, len, &marks);
	move(y, x);
	/* Segment by segment, each in its style, until the width is used. */
	for (start = 0; start < len && used < width;) {
		int inside = marks_inside(&marks, start);
		size_t seglen, fitted;
		char buf[1024];
		int w;

		for (b = start; b < len && marks_inside(&marks, b) == inside; b++)
			;
		seglen = b - start;
		if (seglen > 255)
			seglen = 255;
		w = text_fit(clean + start, seglen, width - used, 0, buf, sizeof(buf));
		attrset(ui_attr(ui, inside ? UI_MATCH : style));
		addstr(buf);
		used += w;
		fitted = strlen(buf);
		if (fitted < seglen)
			break;	/* Cut: the width is used up. */
		start += seglen;
	}
	attrset(ui_attr(ui, style));
	if (used < width)
		hline(' ', width - used);
	attrset(ui_attr(ui, UI_NORMAL));
	marks_free(&marks);
	free(clean);
}

void
ui_title(struct ui *ui, int y, int x, int width, const char *title, int focused)
{
	ui_put(ui, y, x, width, focused ? UI_TITLE_FOCUS : UI_TITLE, title, 1);
}

void
ui_draw_lines(struct ui *ui, const struct ui_lines *l, size_t top, size_t sel, int y, int x,
	      int height, int width, int focused)
{
	int r;

	for (r = 0; r < height; r++) {
		size_t i = top + (size_t)r;
		const struct ui_line *line;
		enum ui_style style;

		if (i >= l->n) {
			ui_clear(ui, y + r, x, 1, width);
			continue;
		}
		line = &l->v[i];
		style = line->style;
		if (i == sel)
			style = focused ? UI_CURSOR : UI_CURSOR_IDLE;
		ui_clear(ui, y + r, x, 1, line->indent);
		ui_put(ui, y + r, x + line->indent, width - line->indent, style, line->text, 1);
	}
}

int
ui_lines_wrap(struct ui_lines *l, enum ui_style style, int indent, int width, const char *text,
	      int64_t target)
{
	struct text_line *wrapped = NULL;
	size_t len;
	char *clean;
	int n, i, rc = 0;

	if (text == NULL || *text == '\0')
		return 0;
	if (width - indent < 8)
		width = indent + 8;
	clean = sanitize_text(text, strlen(text), SANITIZE_KEEP_NEWLINES, &len);
	if (clean == NULL)
		return -1;
	n = text_wrap(clean, len, width - indent, &wrapped);
	if (n < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++) {
		struct ui_line *line;

		if (l->n == l->size) {
			size_t size = l->size > 0 ? l->size * 2 : 64;
			struct ui_line *grown = realloc(l->v, size * sizeof(*grown));

			if (grown == NULL) {
				rc = -1;
				break;
			}
			l->v = grown;
			l->size = size;
		}
		line = &l->v[l->n];
		line->text = strndup(clean + wrapped[i].start, wrapped[i].len);
		if (line->text == NULL) {
			rc = -1;
			break;
		}
		line->style = style;
		line->indent = indent;
		line->target = target;
		line->marks = 0;
		l->n++;
	}
	free(wrapped);
	free(clean);
	return rc;
}

int
ui_lines_blank(struct ui_lines *l)
{
	struct ui_line *line;

	if (l->n == l->size) {
		size_t size = l->size > 0 ? l->size * 2 : 64;
		struct ui_line *grown = realloc(l->v, size * sizeof(*grown));

		if (grown == NULL)
			return -1;
		l->v = grown;
		l->size = size;
	}
	line = &l->v[l->n];
	line->text = strdup("");
	if (line->text == NULL)
		return -1;
	line->style = UI_NORMAL;
	line->indent = 0;
	line->target = 0;
	line->marks = 0;
	l->n++;
	return 0;
}

void
ui_lines_clear(struct ui_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
