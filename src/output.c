/*
 * output: sanitised, fitted and styled text on standard output.
 */

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "marks.h"
#include "output.h"
#include "sanitize.h"
#include "store.h"
#include "textwidth.h"

/* SGR sequences of each style: [style][0] with colour, [style][1] without. */
static const char *const style_sgr[][2] = {
	[OUTPUT_PLAIN] = { "\033[0m", "\033[0m" },
	[OUTPUT_HEADING] = { "\033[1;36m", "\033[1m" },
	[OUTPUT_LABEL] = { "\033[1m", "\033[1m" },
	[OUTPUT_DIM] = { "\033[2m", "" },
	[OUTPUT_MATCH] = { "\033[1;33m", "\033[1;4m" },
	[OUTPUT_SEVERITY_HIGH] = { "\033[1;31m", "\033[1m" },
	[OUTPUT_SEVERITY_MEDIUM] = { "\033[33m", "" },
	[OUTPUT_SEVERITY_LOW] = { "\033[32m", "" },
	[OUTPUT_SEVERITY_FAVOURABLE] = { "\033[1;32m", "" },
};

void
output_init(struct output *o, FILE *fp)
{
	const char *columns = getenv("COLUMNS"), *no_color = getenv("NO_COLOR");
	struct winsize ws;

	o->fp = fp;
	o->tty = isatty(fileno(fp));
	o->color = o->tty && (no_color == NULL || *no_color == '\0');
	o->width = 80;
	if (o->tty && ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		o->width = ws.ws_col;
	else if (columns != NULL && atoi(columns) > 0)
		o->width = atoi(columns);
	if (o->width < 20)
		o->width = 20;
	if (o->width > 1000)
		o->width = 1000;
}

void
output_style(struct output *o, enum output_style style)
{
	if (o->tty)
		fputs(style_sgr[style][o->color ? 0 : 1], o->fp);
}

enum output_style
output_severity_style(const char *severity)
{
	if (severity == NULL)
		return OUTPUT_PLAIN;
	if (strcmp(severity, "high") == 0)
		return OUTPUT_SEVERITY_HIGH;
	if (strcmp(severity, "medium") == 0)
		return OUTPUT_SEVERITY_MEDIUM;
	if (strcmp(severity, "low") == 0)
		return OUTPUT_SEVERITY_LOW;
	if (strcmp(severity, "favourable") == 0)
		return OUTPUT_SEVERITY_FAVOURABLE;
	return OUTPUT_PLAIN;
}

void
output_spaces(struct output *o, int n)
{
	while (n-- > 0)
		putc(' ', o->fp);
}

int
output_text(struct output *o, const char *s)
{
	size_t len;
	char *clean;
	int width;

	if (s == NULL)
		return 0;
	clean = sanitize_text(s, strlen(s), 0, &len);
	if (clean == NULL)
		return 0;
	fwrite(clean, 1, len, o->fp);
	width = text_width(clean, len);
	free(clean);
	return width;
}

void
output_fit(struct output *o, const char *s, int width, int pad)
{
	size_t len, bufsize = (size_t)width * 4 + 8;
	char *clean, *buf;

	if (width <= 0)
		return;
	clean = sanitize_text(s != NULL ? s : "", s != NULL ? strlen(s) : 0, 0, &len);
	buf = malloc(bufsize);
	if (clean != NULL && buf != NULL) {
		text_fit(clean, len, width, pad, buf, bufsize);
		fputs(buf, o->fp);
	}
	free(buf);
	free(clean);
}

void
output_wrapped(struct output *o, const char *s, int indent, int width)
{
	struct text_line *lines = NULL;
	struct marks marks;
	size_t len, b;
	char *clean;
	int n, i;

	if (s == NULL)
		return;
	if (width - indent < 10)
		width = indent + 10;
	clean = sanitize_text(s, strlen(s), SANITIZE_KEEP_NEWLINES, &len);
	if (clean == NULL)
		return;
	len = marks_strip(clean, len, &marks);
	n = text_wrap(clean, len, width - indent, &lines);
	for (i = 0; i < n; i++) {
		int matching = 0;

		output_spaces(o, lines[i].len > 0 ? indent : 0);
		for (b = lines[i].start; b < lines[i].start + lines[i].len; b++) {
			int want = marks_inside(&marks, b);

			if (want != matching) {
				output_style(o, want ? OUTPUT_MATCH : OUTPUT_PLAIN);
				matching = want;
			}
			putc(clean[b], o->fp);
		}
		if (matching)
			output_style(o, OUTPUT_PLAIN);
		putc('\n', o->fp);
	}
	free(lines);
	marks_free(&marks);
	free(clean);
}
