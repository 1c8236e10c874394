/*
 * extract: the text of a fetched page, as clause stores it.
 *
 * HTML goes through libxml2's HTML parser (charset from the Content-Type
 * header, else the document's <meta>, else UTF-8), never touching the
 * network or the file system.  Scripts, styles, templates and hidden
 * elements (the hidden attribute, an inline display:none) are dropped;
 * then the declaration's remove, then its select (selector.h), as Open
 * Terms Archive applies them: every remove first, on the whole page, then
 * the selected elements in the order of the select list, each selector's
 * matches in document order.  Relative links are made absolute.
 *
 * The selection is written as Markdown the way Open Terms Archive's
 * recorded versions are (turndown with the GFM plugin): "Title\n=====" and
 * "Section\n-------" for h1 and h2, "### " below; "*   " and "1.  " list
 * items, nested by four spaces; **strong**, _emphasis_, [text](url),
 * ![alt](src), tables as "| a | b |" rows under a "| --- |" line, and
 * Markdown's special characters in the text escaped with '\'.
 *
 * PDF goes to the helper clause-pdftext (src/pdftext.c), which reads it
 * through poppler's GLib API in a process of its own: each page's text,
 * its lines joined into paragraphs.  It is given EXTRACT_PDF_SECONDS.
 *
 * Bounds: an input of up to EXTRACT_MAX_INPUT bytes; time linear in the
 * input (element nesting past EXTRACT_MAX_DEPTH is read as plain text).
 * NUL bytes, invalid UTF-8 and control characters do not stop extraction:
 * the text keeps only what extract_normalise leaves.
 */
#ifndef CLAUSE_EXTRACT_H
#define CLAUSE_EXTRACT_H

#include <stddef.h>

struct declaration_page;
struct declaration_document;

/* The largest body extracted, in bytes. */
#define EXTRACT_MAX_INPUT (10 * 1024 * 1024)

/* Wall time for reading one PDF, in seconds. */
#define EXTRACT_PDF_SECONDS 60

/* Elements nested deeper than this are read as their text alone. */
#define EXTRACT_MAX_DEPTH 200

struct extract_input {
	const char *data;		/* The body as fetched (already decoded from gzip etc.). */
	size_t len;
	const char *content_type;	/* Content-Type header value, or NULL. */
	const char *url;		/* For resolving relative links, or NULL. */
};

/* The text of one page under its rules: HTML (by content type or
 * sniffing) through libxml2, or PDF through clause-pdftext.  Not yet
 * normalised.  Returns 0 with *text malloc'd, or -1 with a one-line reason
 * in err: a select that matches nothing is an error ("select 'main'
 * matched nothing"), and so is a page with no text. */
int extract_page(const struct declaration_page *page, const struct extract_input *in,
		 char **text, char *err, size_t errlen);

/* The document's text: each of doc->npages pages (pages[i] is the body of
 * doc->pages[i]) extracted and joined in order with a blank line, then
 * normalised.  Returns 0 with *text malloc'd, or -1 with a reason in err
 * (naming the page's URL when there are several). */
int extract_document(const struct declaration_document *doc, const struct extract_input *pages,
		     char **text, char *err, size_t errlen);

/* Normalise text as stored and hashed: Unicode NFC, invalid UTF-8
 * replaced (U+FFFD), control characters removed (newlines kept, CR LF and
 * CR made newlines, tabs made spaces), trailing spaces trimmed, runs of
 * blank lines collapsed to one, no leading blank line, one final newline
 * (an empty text stays empty).  The same text always gives the same bytes.
 * NULL when out of memory. */
char *extract_normalise(const char *text, size_t len);

#endif
