/*
 * markdown: an HTML tree written as Markdown, the way Open Terms Archive
 * writes its recorded versions (turndown 7 with its default options and
 * the GFM plugin's tables and strikethrough), so that clause's text of a
 * page reads as OTA's text of it does.
 *
 * The steps are turndown's: white space is collapsed as a browser lays it
 * out (runs of spaces become one, none at the edge of a block; <pre> is
 * kept as it is); then each node is replaced, children first, and the
 * pieces joined with at most one blank line between blocks.  Text outside
 * code has Markdown's special characters escaped.
 */
#ifndef CLAUSE_MARKDOWN_H
#define CLAUSE_MARKDOWN_H

#include <stddef.h>

#include <libxml/tree.h>

struct strbuf;

/* Write the children of root (an element the caller made to hold the
 * selection; it is modified: white space collapsed, comments removed) as
 * Markdown into out, trimmed of leading and trailing blank space.
 * Returns 0, or -1 when out of memory. */
int markdown_write(xmlNodePtr root, struct strbuf *out);

#endif
