/*
 * output: what the CLI writes to standard output, made safe and fitted.
 *
 * Every string that came from the database goes through output_text() or
 * output_wrapped(), which pass it through the terminal sanitiser first:
 * control characters and escape sequences never reach the terminal.  Styles
 * are by meaning; they become SGR sequences only on a terminal, colour only
 * when NO_COLOR is unset, and nothing at all in a pipe.
 */
#ifndef CLAUSE_OUTPUT_H
#define CLAUSE_OUTPUT_H

#include <stdio.h>

enum output_style {
	OUTPUT_PLAIN,		/* Back to normal. */
	OUTPUT_HEADING,		/* A platform or section name. */
	OUTPUT_LABEL,		/* A field name: "Impact:". */
	OUTPUT_DIM,		/* Secondary facts: URLs, dates, ids. */
	OUTPUT_MATCH,		/* A search match inside a snippet. */
	OUTPUT_SEVERITY_HIGH,
	OUTPUT_SEVERITY_MEDIUM,
	OUTPUT_SEVERITY_LOW,
	OUTPUT_SEVERITY_FAVOURABLE
};

struct output {
	FILE *fp;		/* Where it goes. */
	int tty;		/* fp is a terminal. */
	int color;		/* Colours allowed (a terminal, NO_COLOR unset). */
	int width;		/* Columns: the terminal's, else $COLUMNS, else 80. */
};

/* Set o up for fp: whether it is a terminal, its width, colours. */
void output_init(struct output *o, FILE *fp);

/* Switch to a style (nothing when o is not a terminal). */
void output_style(struct output *o, enum output_style style);

/* The style of a severity name (high, medium, low, favourable). */
enum output_style output_severity_style(const char *severity);

/* Write s sanitised, on one line (newlines become spaces).  NULL writes
 * nothing.  Returns the display width written. */
int output_text(struct output *o, const char *s);

/* Write s sanitised and fitted to exactly width columns: cut with an
 * ellipsis when wider, padded with spaces when pad. */
void output_fit(struct output *o, const char *s, int width, int pad);

/* Write s sanitised and wrapped to width columns, each line after indent
 * spaces and ended by a newline; paragraphs (newlines) are kept.  Text
 * between STORE_MARK_START and STORE_MARK_END is shown in OUTPUT_MATCH. */
void output_wrapped(struct output *o, const char *s, int indent, int width);

/* Write n spaces. */
void output_spaces(struct output *o, int n);

#endif
