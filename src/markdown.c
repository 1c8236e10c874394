/*
 * markdown: HTML to Markdown as turndown writes it (see markdown.h).
 *
 * turndown builds each node's Markdown from its children's as strings.
 * Here every piece is written at the end of one buffer and a rule edits
 * the tail it owns (its content) in place: a prefix inserted, a suffix
 * added, newlines indented.  Each edit costs the length of that content,
 * so the whole costs the text's length times the nesting depth, which
 * EXTRACT_MAX_DEPTH bounds (deeper elements are written as plain text).
 *
 * What turndown asks of the DOM repeatedly (whether an element is blank,
 * whether a table is laid out as one) is computed once, in a pass after
 * white space is collapsed, and kept in each element's _private.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "extract.h"
#include "markdown.h"
#include "strbuf.h"

/* What an element's name says about it (turndown's lists). */
enum {
	TAG_BLOCK = 1 << 0,		/* Laid out as a block. */
	TAG_VOID = 1 << 1,		/* Has no content. */
	TAG_MEANINGFUL = 1 << 2		/* Kept even when it has no text. */
};

struct tag {
	const char *name;
	unsigned flags;
};

/* Sorted by name, for bsearch. */
static const struct tag tags[] = {
	{ "a", TAG_MEANINGFUL },
	{ "address", TAG_BLOCK },
	{ "area", TAG_VOID },
	{ "article", TAG_BLOCK },
	{ "aside", TAG_BLOCK },
	{ "audio", TAG_BLOCK | TAG_MEANINGFUL },
	{ "base", TAG_VOID },
	{ "blockquote", TAG_BLOCK },
	{ "body", TAG_BLOCK },
	{ "br", TAG_VOID },
	{ "canvas", TAG_BLOCK },
	{ "center", TAG_BLOCK },
	{ "col", TAG_VOID },
	{ "command", TAG_VOID },
	{ "dd", TAG_BLOCK },
	{ "dir", TAG_BLOCK },
	{ "div", TAG_BLOCK },
	{ "dl", TAG_BLOCK },
	{ "dt", TAG_BLOCK },
	{ "embed", TAG_VOID },
	{ "fieldset", TAG_BLOCK },
	{ "figcaption", TAG_BLOCK },
	{ "figure", TAG_BLOCK },
	{ "footer", TAG_BLOCK },
	{ "form", TAG_BLOCK },
	{ "frameset", TAG_BLOCK },
	{ "h1", TAG_BLOCK },
	{ "h2", TAG_BLOCK },
	{ "h3", TAG_BLOCK },
	{ "h4", TAG_BLOCK },
	{ "h5", TAG_BLOCK },
	{ "h6", TAG_BLOCK },
	{ "header", TAG_BLOCK },
	{ "hgroup", TAG_BLOCK },
	{ "hr", TAG_BLOCK | TAG_VOID },
	{ "html", TAG_BLOCK },
	{ "iframe", TAG_MEANINGFUL },
	{ "img", TAG_VOID },
	{ "input", TAG_VOID },
	{ "isindex", TAG_BLOCK },
	{ "keygen", TAG_VOID },
	{ "li", TAG_BLOCK },
	{ "link", TAG_VOID },
	{ "main", TAG_BLOCK },
	{ "menu", TAG_BLOCK },
	{ "meta", TAG_VOID },
	{ "nav", TAG_BLOCK },
	{ "noframes", TAG_BLOCK },
	{ "noscript", TAG_BLOCK },
	{ "ol", TAG_BLOCK },
	{ "output", TAG_BLOCK },
	{ "p", TAG_BLOCK },
	{ "param", TAG_VOID },
	{ "pre", TAG_BLOCK },
	{ "script", TAG_MEANINGFUL },
	{ "section", TAG_BLOCK },
	{ "source", TAG_VOID },
	{ "table", TAG_BLOCK | TAG_MEANINGFUL },
	{ "tbody", TAG_BLOCK | TAG_MEANINGFUL },
	{ "td", TAG_BLOCK | TAG_MEANINGFUL },
	{ "tfoot", TAG_BLOCK | TAG_MEANINGFUL },
	{ "th", TAG_BLOCK | TAG_MEANINGFUL },
	{ "thead", TAG_BLOCK | TAG_MEANINGFUL },
	{ "tr", TAG_BLOCK },
	{ "track", TAG_VOID },
	{ "ul", TAG_BLOCK },
	{ "video", TAG_MEANINGFUL },
	{ "wbr", TAG_VOID },
};

/* What the pass after collapsing learns of each element. */
struct node_info {
	unsigned flags;			/* TAG_*. */
	unsigned blank_text : 1;	/* Its text is white space only (or none). */
	unsigned has_void : 1;		/* A descendant is void. */
	unsigned has_meaningful : 1;	/* A descendant is meaningful when blank. */
	unsigned table_checked : 1;	/* table_skipped is known. */
	unsigned table_skipped : 1;	/* A table written as its cells' text. */
};

struct md {
	struct strbuf *out;
	int depth;
};

static int
tag_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tag *)elem)->name);
}

static unsigned
tag_flags(const xmlChar *name)
{
	const struct tag *t = bsearch(name, tags, sizeof(tags) / sizeof(tags[0]), sizeof(tags[0]),
				      tag_cmp);

	return t != NULL ? t->flags : 0;
}

static int
is_element(const xmlNode *n)
{
	return n != NULL && n->type == XML_ELEMENT_NODE;
}

static int
is_text(const xmlNode *n)
{
	return n != NULL && (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE);
}

static int
named(const xmlNode *n, const char *name)
{
	return is_element(n) && strcmp((const char *)n->name, name) == 0;
}

static struct node_info *
info(const xmlNode *n)
{
	return n->_private;
}

static unsigned
flags_of(const xmlNode *n)
{
	return n->_private != NULL ? info(n)->flags : tag_flags(n->name);
}

static int
is_block(const xmlNode *n)
{
	return is_element(n) && (flags_of(n) & TAG_BLOCK) != 0;
}

static const char *
text_of(const xmlNode *n)
{
	return n->content != NULL ? (const char *)n->content : "";
}

/* The byte length of the JavaScript white space character (\s) at s, or 0. */
static size_t
js_space(const unsigned char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
		return 1;
	if (s[0] < 0x80 || n < 2)
		return 0;
	if (s[0] == 0xC2 && s[1] == 0xA0)				/* U+00A0 */
		return 2;
	if (n < 3)
		return 0;
	if (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)		/* U+1680 */
		return 3;
	if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9
					     || s[2] == 0xAF))	/* U+2000-200A, 2028, 2029, 202F */
		return 3;
	if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)		/* U+205F */
		return 3;
	if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)		/* U+3000 */
		return 3;
	if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)		/* U+FEFF */
		return 3;
	return 0;
}

/* The byte length of the \s character that ends s[0, n), or 0. */
static size_t
js_space_back(const unsigned char *s, size_t n)
{
	size_t k;

	for (k = 1; k <= 3 && k <= n; k++)
		if (js_space(s + n - k, k) == k)
			return k;
	return 0;
}

static int
is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Length of s[0, n) in UTF-16 code units, as JavaScript counts. */
static size_t
js_length(const char *s, size_t n)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c & 0xC0) != 0x80)
			len += c >= 0xF0 ? 2 : 1;
	}
	return len;
}

/*
 * White space, as turndown's collapse-whitespace does it.
 */

static xmlNodePtr
remove_node(xmlNodePtr node)
{
	xmlNodePtr next = node->next != NULL ? node->next : node->parent;

	xmlUnlinkNode(node);
	xmlFreeNode(node);
	return next;
}

static xmlNodePtr
next_node(xmlNodePtr prev, xmlNodePtr current)
{
	if ((prev != NULL && prev->parent == current) || named(current, "pre"))
		return current->next != NULL ? current->next : current->parent;
	if (current->children != NULL && current->type == XML_ELEMENT_NODE)
		return current->children;
	return current->next != NULL ? current->next : current->parent;
}

/* Set a text node's content to s[0, n). */
static int
set_text(xmlNodePtr node, const char *s, size_t n)
{
	xmlChar *copy = xmlStrndup((const xmlChar *)s, (int)n);

	if (copy == NULL)
		return -1;
	xmlNodeSetContent(node, NULL);
	xmlNodeAddContent(node, copy);
	xmlFree(copy);
	return 0;
}

/* Drop the trailing space of the previous text node, and the node if that
 * leaves it empty (only at the very end, as turndown does). */
static int
trim_trailing_space(xmlNodePtr text)
{
	const char *s = text_of(text);
	size_t n = strlen(s);

	if (n == 0 || s[n - 1] != ' ')
		return 0;
	return set_text(text, s, n - 1);
}

static int
collapse_whitespace(xmlNodePtr root, struct strbuf *scratch)
{
	xmlNodePtr prev = NULL, node, prev_text = NULL, next;
	int keep_leading = 0;

	if (root->children == NULL)
		return 0;
	node = next_node(NULL, root);
	while (node != root) {
		if (is_text(node)) {
			const char *s = text_of(node), *p;
			int space = 0;

			strbuf_truncate(scratch, 0);
			for (p = s; *p != '\0'; p++) {
				if (is_ascii_space(*p)) {
					space = 1;
					continue;
				}
				if (space)
					strbuf_putc(scratch, ' ');
				space = 0;
				strbuf_putc(scratch, *p);
			}
			if (space)
				strbuf_putc(scratch, ' ');
			if (strbuf_failed(scratch))
				return -1;
			p = scratch->s != NULL ? scratch->s : "";
			if ((prev_text == NULL || (strlen(text_of(prev_text)) > 0
			     && text_of(prev_text)[strlen(text_of(prev_text)) - 1] == ' '))
			    && !keep_leading && p[0] == ' ')
				p++;
			if (*p == '\0') {
				node = remove_node(node);
				continue;
			}
			if (strcmp(p, s) != 0 && set_text(node, p, strlen(p)) != 0)
				return -1;
			prev_text = node;
		} else if (is_element(node)) {
			if (is_block(node) || named(node, "br")) {
				if (prev_text != NULL && trim_trailing_space(prev_text) != 0)
					return -1;
				prev_text = NULL;
				keep_leading = 0;
			} else if ((tag_flags(node->name) & TAG_VOID) || named(node, "pre")) {
				prev_text = NULL;
				keep_leading = 1;
			} else if (prev_text != NULL) {
				keep_leading = 0;
			}
		} else {
			node = remove_node(node);
			continue;
		}
		next = next_node(prev, node);
		prev = node;
		node = next;
	}
	if (prev_text != NULL) {
		if (trim_trailing_space(prev_text) != 0)
			return -1;
		if (*text_of(prev_text) == '\0')
			remove_node(prev_text);
	}
	return 0;
}

/*
 * Facts about elements, computed bottom-up once.
 */

static int
all_js_space(const char *s)
{
	size_t n = strlen(s), k;

	while (n > 0) {
		k = js_space((const unsigned char *)s, n);
		if (k == 0)
			return 0;
		s += k;
		n -= k;
	}
	return 1;
}

/* Merge what child tells into its parent's facts. */
static void
tell_parent(xmlNodePtr child)
{
	struct node_info *p = child->parent != NULL ? child->parent->_private : NULL;

	if (p == NULL)
		return;
	if (is_text(child)) {
		if (p->blank_text && !all_js_space(text_of(child)))
			p->blank_text = 0;
	} else if (is_element(child)) {
		struct node_info *c = info(child);

		p->blank_text &= c->blank_text;
		p->has_void |= c->has_void || (c->flags & TAG_VOID) != 0;
		p->has_meaningful |= c->has_meaningful || (c->flags & TAG_MEANINGFUL) != 0;
	}
}

static struct node_info *
learn(xmlNodePtr root)
{
	struct node_info *all;
	xmlNodePtr node;
	size_t n = 1, i = 0;

	/* Count, then fill: the array must not move once pointed to. */
	for (node = root->children; node != NULL && node != root; ) {
		if (is_element(node))
			n++;
		if (is_element(node) && node->children != NULL) {
			node = node->children;
			continue;
		}
		while (node != root && node->next == NULL)
			node = node->parent;
		if (node != root)
			node = node->next;
	}
	all = calloc(n, sizeof(*all));
	if (all == NULL)
		return NULL;
	root->_private = &all[i++];
	all[0].blank_text = 1;
	for (node = root->children; node != NULL && node != root; ) {
		if (is_element(node)) {
			node->_private = &all[i];
			all[i].flags = tag_flags(node->name);
			all[i].blank_text = 1;
			i++;
			if (node->children != NULL) {
				node = node->children;
				continue;
			}
		}
		tell_parent(node);
		while (node != root && node->next == NULL) {
			node = node->parent;
			if (node != root)
				tell_parent(node);
		}
		if (node != root)
			node = node->next;
	}
	return all;
}

static void
forget(xmlNodePtr root)
{
	xmlNodePtr node;

	root->_private = NULL;
	for (node = root->children; node != NULL && node != root; ) {
		node->_private = NULL;
		if (is_element(node) && node->children != NULL) {
			node = node->children;
			continue;
		}
		while (node != root && node->next == NULL)
			node = node->parent;
		if (node != root)
			node = node->next;
	}
}

static int
is_blank(const xmlNode *n)
{
	const struct node_info *i = info(n);

	return !(i->flags & (TAG_VOID | TAG_MEANINGFUL)) && i->blank_text && !i->has_void
	       && !i->has_meaningful;
}

/*
 * textContent's edges, for turndown's flanking white space.
 */

/* The next text node after node inside top, in document order (or in
 * reverse with backward), or NULL. */
static xmlNodePtr
next_text(xmlNodePtr top, xmlNodePtr node, int backward)
{
	for (;;) {
		xmlNodePtr down = node != NULL && is_element(node)
				  ? (backward ? node->last : node->children) : NULL;

		if (node == NULL) {
			node = backward ? top->last : top->children;
			if (node == NULL)
				return NULL;
		} else if (down != NULL && (node == top || node->type == XML_ELEMENT_NODE)) {
			node = down;
		} else {
			while (node != top && (backward ? node->prev : node->next) == NULL)
				node = node->parent;
			if (node == top)
				return NULL;
			node = backward ? node->prev : node->next;
		}
		if (is_text(node))
			return node;
	}
}

/* The white space that starts (or ends) node's textContent, into ws; 1 when
 * the text is white space only. */
static int
edge_space(xmlNodePtr node, int at_end, struct strbuf *ws)
{
	xmlNodePtr t = NULL;

	strbuf_truncate(ws, 0);
	if (is_text(node))
		t = node;
	else
		t = next_text(node, NULL, at_end);
	while (t != NULL) {
		const unsigned char *s = (const unsigned char *)text_of(t);
		size_t n = strlen((const char *)s), k, used = 0;

		if (!at_end) {
			while (used < n && (k = js_space(s + used, n - used)) > 0)
				used += k;
			strbuf_add(ws, (const char *)s, used);
		} else {
			while (used < n && (k = js_space_back(s, n - used)) > 0)
				used += k;
			strbuf_insert(ws, 0, (const char *)s + n - used, used);
		}
		if (used < n)
			return 0;
		if (is_text(node))
			return 1;
		t = next_text(node, t, at_end);
	}
	return 1;
}

/* Whether the sibling before (or after) node ends (or starts) with a space. */
static int
flanked(const xmlNode *node, int right)
{
	const xmlNode *sib = right ? node->next : node->prev;
	xmlNodePtr t;
	const char *s;

	if (sib == NULL)
		return 0;
	if (is_text(sib)) {
		s = text_of(sib);
	} else if (is_element(sib) && !is_block(sib)) {
		t = next_text((xmlNodePtr)sib, NULL, !right);
		while (t != NULL && *text_of(t) == '\0')
			t = next_text((xmlNodePtr)sib, t, !right);
		if (t == NULL)
			return 0;
		s = text_of(t);
	} else {
		return 0;
	}
	if (*s == '\0')
		return 0;
	return right ? s[0] == ' ' : s[strlen(s) - 1] == ' ';
}

/* turndown's flankingWhitespace: the white space at the edges of an
 * inline element's text, to be written outside its markup. */
static void
flanking(xmlNodePtr node, struct strbuf *lead, struct strbuf *trail)
{
	size_t ascii;

	strbuf_truncate(lead, 0);
	strbuf_truncate(trail, 0);
	if (is_block(node))
		return;
	if (edge_space(node, 0, lead)) {
		/* Only white space: it all leads, nothing trails. */
	} else {
		edge_space(node, 1, trail);
	}
	for (ascii = 0; ascii < lead->len && is_ascii_space(lead->s[ascii]); ascii++)
		;
	if (ascii > 0 && flanked(node, 0))
		strbuf_erase(lead, 0, ascii);
	for (ascii = 0; ascii < trail->len && is_ascii_space(trail->s[trail->len - 1 - ascii]);
	     ascii++)
		;
	if (ascii > 0 && flanked(node, 1))
		strbuf_truncate(trail, trail->len - ascii);
}

/*
 * Editing the tail of the output.
 */

/* JavaScript's trim() of out[from, len). */
static void
trim_tail(struct strbuf *out, size_t from)
{
	size_t k, lead = 0;

	while (out->len > from
	       && (k = js_space_back((const unsigned char *)out->s + from, out->len - from)) > 0)
		strbuf_truncate(out, out->len - k);
	while (from + lead < out->len
	       && (k = js_space((const unsigned char *)out->s + from + lead,
				out->len - from - lead)) > 0)
		lead += k;
	strbuf_erase(out, from, lead);
}

static void
wrap(struct strbuf *out, size_t from, const char *prefix, const char *suffix)
{
	strbuf_insert(out, from, prefix, strlen(prefix));
	strbuf_puts(out, suffix);
}

/* turndown's join: the newlines where the piece at mark meets what is
 * before it (from from) become as many as the longer run, two at most. */
static void
join_at(struct strbuf *out, size_t from, size_t mark)
{
	size_t t = 0, l = 0, want;

	while (mark - t > from && out->s[mark - t - 1] == '\n')
		t++;
	while (mark + l < out->len && out->s[mark + l] == '\n')
		l++;
	want = t > l ? t : l;
	if (want > 2)
		want = 2;
	if (t + l > want)
		strbuf_erase(out, mark - t, t + l - want);
}

/* turndown's escape, for the text of a text node outside code. */
static void
put_escaped(struct strbuf *out, const char *s)
{
	size_t n;

	if (s[0] == '-' || s[0] == '>') {
		strbuf_putc(out, '\\');
		strbuf_putc(out, *s++);
	} else if (s[0] == '+' && s[1] == ' ') {
		strbuf_puts(out, "\\+ ");
		s += 2;
	} else if (s[0] == '=') {
		strbuf_putc(out, '\\');
	} else if (s[0] == '#') {
		for (n = 0; s[n] == '#'; n++)
			;
		if (n <= 6 && s[n] == ' ')
			strbuf_putc(out, '\\');
	} else if (strncmp(s, "~~~", 3) == 0) {
		strbuf_putc(out, '\\');
	} else if (s[0] >= '0' && s[0] <= '9') {
		for (n = 0; s[n] >= '0' && s[n] <= '9'; n++)
			;
		if (s[n] == '.' && s[n + 1] == ' ') {
			strbuf_add(out, s, n);
			strbuf_puts(out, "\\. ");
			s += n + 2;
		}
	}
	while (*s != '\0') {
		n = strcspn(s, "\\*`[]_");
		strbuf_add(out, s, n);
		s += n;
		if (*s == '\0')
			break;
		strbuf_putc(out, '\\');
		strbuf_putc(out, *s++);
	}
}

static int
inside_code(const xmlNode *n)
{
	for (; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (named(n, "code"))
			return 1;
	return 0;
}

/* Every text inside node, escaped, with no markup: for elements nested
 * past EXTRACT_MAX_DEPTH. */
static void
put_flat(struct strbuf *out, xmlNodePtr node)
{
	xmlNodePtr t;

	for (t = next_text(node, NULL, 0); t != NULL; t = next_text(node, t, 0))
		put_escaped(out, text_of(t));
}

/* The value of an attribute as turndown's cleanAttribute leaves it:
 * newlines and the white space after them become one newline. */
static void
put_clean_attribute(struct strbuf *out, const char *v, int escape_quotes)
{
	while (*v != '\0') {
		if (*v == '\n') {
			strbuf_putc(out, '\n');
			while (*v == '\n' || js_space((const unsigned char *)v, strlen(v)) > 0)
				v += js_space((const unsigned char *)v, strlen(v));
			continue;
		}
		if (escape_quotes && *v == '"')
			strbuf_putc(out, '\\');
		strbuf_putc(out, *v++);
	}
}

static char *
attribute(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/*
 * The rules.
 */

static void md_children(struct md *m, xmlNodePtr parent);

static int
element_index(const xmlNode *node)
{
	int i = 0;

	for (node = node->prev; node != NULL; node = node->prev)
		if (is_element(node))
			i++;
	return i;
}

static int
child_index(const xmlNode *node)
{
	int i = 0;

	for (node = node->prev; node != NULL; node = node->prev)
		i++;
	return i;
}

static const xmlNode *
last_element_child(const xmlNode *n)
{
	const xmlNode *c;

	for (c = n->last; c != NULL && !is_element(c); c = c->prev)
		;
	return c;
}

static void
rule_heading(struct strbuf *out, size_t cs, int level)
{
	size_t n, i;

	if (level <= 2) {
		n = js_length(out->s + cs, out->len - cs);
		strbuf_insert(out, cs, "\n\n", 2);
		strbuf_putc(out, '\n');
		for (i = 0; i < n; i++)
			strbuf_putc(out, level == 1 ? '=' : '-');
		strbuf_puts(out, "\n\n");
	} else {
		char prefix[16];

		snprintf(prefix, sizeof(prefix), "\n\n%.*s ", level, "######");
		wrap(out, cs, prefix, "\n\n");
	}
}

static void
rule_blockquote(struct strbuf *out, size_t cs)
{
	size_t i;

	while (out->len > cs && out->s[cs] == '\n')
		strbuf_erase(out, cs, 1);
	while (out->len > cs && out->s[out->len - 1] == '\n')
		strbuf_truncate(out, out->len - 1);
	strbuf_insert(out, cs, "> ", 2);
	for (i = cs + 2; !strbuf_failed(out) && i < out->len; i++)
		if (out->s[i] == '\n')
			strbuf_insert(out, i + 1, "> ", 2);
	wrap(out, cs, "\n\n", "\n\n");
}

/* A list item: its content indented by the width of its marker ("*   ",
 * "1.  ", "10.  "), as OTA's turndown does. */
static void
rule_list_item(struct strbuf *out, size_t cs, const xmlNode *node)
{
	struct strbuf indented;
	char prefix[32];
	size_t i, k, width;

	if (named(node->parent, "ol")) {
		char *start = attribute(node->parent, "start");
		int index = element_index(node);

		if (start != NULL && *start != '\0') {
			char *end;
			long v = strtol(start, &end, 10);

			if (*end == '\0' && end != start && v > -1000000000L && v < 1000000000L)
				snprintf(prefix, sizeof(prefix), "%ld.  ", v + index);
			else
				snprintf(prefix, sizeof(prefix), "NaN.  ");
		} else {
			snprintf(prefix, sizeof(prefix), "%d.  ", index + 1);
		}
		xmlFree(start);
	} else {
		snprintf(prefix, sizeof(prefix), "*   ");
	}
	width = strlen(prefix);
	while (out->len > cs && out->s[cs] == '\n')
		strbuf_erase(out, cs, 1);
	if (out->len > cs && out->s[out->len - 1] == '\n') {
		while (out->s[out->len - 1] == '\n')
			strbuf_truncate(out, out->len - 1);
		strbuf_putc(out, '\n');
	}
	strbuf_init(&indented, 0);
	strbuf_puts(&indented, prefix);
	for (i = cs; i < out->len; i++) {
		strbuf_putc(&indented, out->s[i]);
		if (out->s[i] == '\n')
			for (k = 0; k < width; k++)
				strbuf_putc(&indented, ' ');
	}
	if (strbuf_failed(&indented)) {
		strbuf_set_failed(out);
		return;
	}
	strbuf_truncate(out, cs);
	strbuf_add(out, indented.s, indented.len);
	strbuf_free(&indented);
	if (node->next != NULL && (out->len == 0 || out->s[out->len - 1] != '\n'))
		strbuf_putc(out, '\n');
}

static void
rule_code(struct strbuf *out, size_t cs)
{
	size_t i, n, run, best;
	unsigned char seen[64] = { 0 };
	int extra;
	char delim[66];

	if (out->len == cs)
		return;
	for (i = cs; i < out->len; i++) {
		if (out->s[i] == '\r' && i + 1 < out->len && out->s[i + 1] == '\n')
			strbuf_erase(out, i, 1);
		if (out->s[i] == '\n' || out->s[i] == '\r')
			out->s[i] = ' ';
	}
	n = out->len - cs;
	extra = out->s[cs] == '`' || out->s[out->len - 1] == '`';
	if (!extra && n >= 3 && out->s[cs] == ' ' && out->s[out->len - 1] == ' ')
		for (i = cs + 1; i < out->len - 1; i++)
			if (out->s[i] != ' ')
				extra = 1;
	for (i = cs; i < out->len; i += run) {
		for (run = 0; i + run < out->len && out->s[i + run] == '`'; run++)
			;
		if (run == 0)
			run = 1;
		else if (run < sizeof(seen))
			seen[run] = 1;
	}
	for (best = 1; best < sizeof(seen) && seen[best]; best++)
		;
	memset(delim, '`', best);
	delim[best] = '\0';
	if (extra) {
		strbuf_insert(out, cs, " ", 1);
		strbuf_putc(out, ' ');
	}
	wrap(out, cs, delim, delim);
}

static void
rule_link(struct strbuf *out, size_t cs, const xmlNode *node, const char *href)
{
	char *title = attribute(node, "title");

	trim_tail(out, cs);
	strbuf_insert(out, cs, "[", 1);
	strbuf_puts(out, "](");
	for (; *href != '\0'; href++) {
		if (*href == '(' || *href == ')')
			strbuf_putc(out, '\\');
		strbuf_putc(out, *href);
	}
	if (title != NULL && *title != '\0') {
		strbuf_puts(out, " \"");
		put_clean_attribute(out, title, 1);
		strbuf_putc(out, '"');
	}
	strbuf_putc(out, ')');
	xmlFree(title);
}

static void
rule_image(struct strbuf *out, const xmlNode *node)
{
	char *src = attribute(node, "src"), *alt, *title;

	if (src == NULL || *src == '\0') {
		xmlFree(src);
		return;
	}
	alt = attribute(node, "alt");
	title = attribute(node, "title");
	strbuf_puts(out, "![");
	if (alt != NULL)
		put_clean_attribute(out, alt, 0);
	strbuf_puts(out, "](");
	strbuf_puts(out, src);
	if (title != NULL && *title != '\0') {
		strbuf_puts(out, " \"");
		put_clean_attribute(out, title, 0);
		strbuf_putc(out, '"');
	}
	strbuf_putc(out, ')');
	xmlFree(src);
	xmlFree(alt);
	xmlFree(title);
}

/*
 * Tables, as the GFM plugin writes them.
 */

static const xmlNode *
parent_table(const xmlNode *n)
{
	for (n = n->parent; n != NULL; n = n->parent)
		if (named(n, "table"))
			return n;
	return NULL;
}

/* Calls fn for each row of table (its own, and its sections'). */
static size_t
table_rows(const xmlNode *table, const xmlNode **rows, size_t max)
{
	const xmlNode *c, *r;
	size_t n = 0;

	for (c = table->children; c != NULL; c = c->next) {
		if (named(c, "tr")) {
			if (n < max)
				rows[n] = c;
			n++;
		} else if (named(c, "thead") || named(c, "tbody") || named(c, "tfoot")) {
			for (r = c->children; r != NULL; r = r->next)
				if (named(r, "tr")) {
					if (n < max)
						rows[n] = r;
					n++;
				}
		}
	}
	return n;
}

static size_t
count_children(const xmlNode *n)
{
	size_t k = 0;

	for (n = n->children; n != NULL; n = n->next)
		k++;
	return k;
}

static int
contains_table(const xmlNode *top)
{
	const xmlNode *node = top->children;

	while (node != NULL && node != top) {
		if (named(node, "table"))
			return 1;
		if (is_element(node) && node->children != NULL) {
			node = node->children;
			continue;
		}
		while (node != top && node->next == NULL)
			node = node->parent;
		if (node != top)
			node = node->next;
	}
	return 0;
}

static int
table_skipped(const xmlNode *table)
{
	struct node_info *i;
	const xmlNode *first[1];

	if (table == NULL)
		return 1;
	i = info(table);
	if (!i->table_checked) {
		size_t rows = table_rows(table, first, 1);

		i->table_checked = 1;
		/* No rows at all would make the plugin fail: written as text. */
		i->table_skipped = rows == 0 || (rows == 1 && count_children(first[0]) <= 1)
				   || contains_table(table);
	}
	return i->table_skipped;
}

static size_t
table_columns(const xmlNode *table)
{
	const xmlNode *c, *r;
	size_t most = 0, k;

	for (c = table->children; c != NULL; c = c->next) {
		if (named(c, "tr")) {
			if ((k = count_children(c)) > most)
				most = k;
		} else if (named(c, "thead") || named(c, "tbody") || named(c, "tfoot")) {
			for (r = c->children; r != NULL; r = r->next)
				if (named(r, "tr") && (k = count_children(r)) > most)
					most = k;
		}
	}
	return most;
}

static int
is_heading_row(const xmlNode *tr)
{
	const xmlNode *parent = tr->parent, *c;

	if (named(parent, "thead"))
		return 1;
	if (parent->children != tr)
		return 0;
	if (!named(parent, "table")) {
		const xmlNode *prev = parent->prev;

		if (!named(parent, "tbody"))
			return 0;
		if (prev != NULL && !(named(prev, "thead") && info(prev)->blank_text))
			return 0;
	}
	for (c = tr->children; c != NULL; c = c->next)
		if (!named(c, "th"))
			return 0;
	return 1;
}

/* The cell at cs (to the end of out) written as "| text |" or " text |". */
static void
write_cell(struct strbuf *out, size_t cs, const xmlNode *cell, int index)
{
	struct strbuf text;
	size_t i, len;
	long span = 1;
	char *colspan;

	trim_tail(out, cs);
	strbuf_init(&text, 0);
	strbuf_puts(&text, index == 0 ? "| " : " ");
	for (i = cs; i < out->len; i++) {
		if (out->s[i] == '\n' && i + 1 < out->len && out->s[i + 1] == '\r') {
			strbuf_puts(&text, "<br>");
			i++;
		} else if (out->s[i] == '\n') {
			strbuf_puts(&text, "<br>");
		} else {
			strbuf_putc(&text, out->s[i]);
		}
	}
	len = js_length(text.s, text.len) - (index == 0 ? 2 : 1);
	for (; len < 3; len++)
		strbuf_putc(&text, ' ');
	if (cell != NULL && (colspan = attribute(cell, "colspan")) != NULL) {
		char *end;

		span = strtol(colspan, &end, 10);
		if (*end != '\0' || end == colspan || span < 1)
			span = 1;
		if (span > 1000)
			span = 1000;
		xmlFree(colspan);
	}
	for (; span > 1; span--)
		strbuf_puts(&text, " |    ");
	strbuf_puts(&text, " |");
	if (strbuf_failed(&text)) {
		strbuf_set_failed(out);
		return;
	}
	strbuf_truncate(out, cs);
	strbuf_add(out, text.s, text.len);
	strbuf_free(&text);
}

static void
rule_row(struct strbuf *out, size_t cs, const xmlNode *tr)
{
	const xmlNode *table = parent_table(tr);
	size_t i, columns, mark;

	if (table_skipped(table))
		return;
	strbuf_insert(out, cs, "\n", 1);
	if (!is_heading_row(tr))
		return;
	/* The plugin's border cells never look at the heading's own cells. */
	columns = table_columns(table);
	strbuf_putc(out, '\n');
	for (i = 0; i < columns; i++) {
		mark = out->len;
		strbuf_puts(out, "---");
		write_cell(out, mark, NULL, (int)i);
	}
}

static void
rule_table(struct strbuf *out, size_t cs, const xmlNode *table)
{
	const xmlNode *first[1];
	size_t i, columns;

	if (table_skipped(table))
		return;
	for (i = cs; i < out->len; i++)
		while (out->s[i] == '\n' && i + 1 < out->len && out->s[i + 1] == '\n')
			strbuf_erase(out, i + 1, 1);
	columns = table_columns(table);
	if (columns > 0 && table_rows(table, first, 1) > 0 && !is_heading_row(first[0])) {
		struct strbuf head;

		strbuf_init(&head, 0);
		strbuf_putc(&head, '|');
		for (i = 0; i < columns; i++)
			strbuf_puts(&head, "     |");
		strbuf_puts(&head, "\n|");
		for (i = 0; i < columns; i++)
			strbuf_puts(&head, " --- |");
		if (strbuf_failed(&head)) {
			strbuf_set_failed(out);
			return;
		}
		strbuf_insert(out, cs, head.s, head.len);
		strbuf_free(&head);
	}
	wrap(out, cs, "\n\n", "\n\n");
}

/* Apply the rule for node to its content, out[cs, len). */
static void
apply_rule(struct md *m, xmlNodePtr node, size_t cs)
{
	struct strbuf *out = m->out;
	const char *name = (const char *)node->name;
	char *v;

	switch (name[0]) {
	case 'a':
		if (strcmp(name, "a") == 0) {
			v = attribute(node, "href");
			if (v != NULL && *v != '\0')
				rule_link(out, cs, node, v);
			xmlFree(v);
			return;
		}
		break;
	case 'b':
		if (strcmp(name, "b") == 0)
			goto strong;
		if (strcmp(name, "br") == 0) {
			strbuf_puts(out, "  \n");
			return;
		}
		if (strcmp(name, "blockquote") == 0) {
			rule_blockquote(out, cs);
			return;
		}
		break;
	case 'c':
		if (strcmp(name, "code") == 0) {
			if (!(named(node->parent, "pre") && node->prev == NULL && node->next == NULL))
				rule_code(out, cs);
			return;
		}
		break;
	case 'd':
		if (strcmp(name, "del") == 0)
			goto strike;
		break;
	case 'e':
		if (strcmp(name, "em") == 0)
			goto emphasis;
		break;
	case 'h':
		if (name[1] >= '1' && name[1] <= '6' && name[2] == '\0') {
			rule_heading(out, cs, name[1] - '0');
			return;
		}
		if (strcmp(name, "hr") == 0) {
			strbuf_truncate(out, cs);
			strbuf_puts(out, "\n\n* * *\n\n");
			return;
		}
		break;
	case 'i':
		if (strcmp(name, "i") == 0)
			goto emphasis;
		if (strcmp(name, "img") == 0) {
			rule_image(out, node);
			return;
		}
		if (strcmp(name, "input") == 0 && named(node->parent, "li")) {
			v = attribute(node, "type");
			if (v != NULL && xmlStrcasecmp((xmlChar *)v, (const xmlChar *)"checkbox") == 0) {
				xmlChar *checked = xmlGetProp(node, (const xmlChar *)"checked");

				strbuf_puts(out, checked != NULL ? "[x] " : "[ ] ");
				xmlFree(checked);
			}
			xmlFree(v);
			return;
		}
		break;
	case 'l':
		if (strcmp(name, "li") == 0) {
			rule_list_item(out, cs, node);
			return;
		}
		break;
	case 'o':
	case 'u':
		if (strcmp(name + 1, "l") == 0) {
			if (named(node->parent, "li") && last_element_child(node->parent) == node)
				strbuf_insert(out, cs, "\n", 1);
			else
				wrap(out, cs, "\n\n", "\n\n");
			return;
		}
		break;
	case 'p':
		if (strcmp(name, "p") == 0) {
			wrap(out, cs, "\n\n", "\n\n");
			return;
		}
		if (strcmp(name, "pre") == 0 && is_element(node->children)
		    && named(node->children, "code")) {
			xmlChar *code = xmlNodeGetContent(node->children);
			const char *c;

			strbuf_truncate(out, cs);
			strbuf_puts(out, "\n\n    ");
			for (c = code != NULL ? (const char *)code : ""; *c != '\0'; c++) {
				strbuf_putc(out, *c);
				if (*c == '\n')
					strbuf_puts(out, "    ");
			}
			strbuf_puts(out, "\n\n");
			xmlFree(code);
			return;
		}
		break;
	case 's':
		if (strcmp(name, "strong") == 0)
			goto strong;
		if (strcmp(name, "s") == 0 || strcmp(name, "strike") == 0)
			goto strike;
		break;
	case 't':
		if (strcmp(name, "table") == 0) {
			rule_table(out, cs, node);
			return;
		}
		if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
			if (!table_skipped(parent_table(node)))
				write_cell(out, cs, node, child_index(node));
			return;
		}
		if (strcmp(name, "tr") == 0) {
			rule_row(out, cs, node);
			return;
		}
		if (strcmp(name, "thead") == 0 || strcmp(name, "tbody") == 0
		    || strcmp(name, "tfoot") == 0)
			return;
		break;
	}
	if (is_block(node))
		wrap(out, cs, "\n\n", "\n\n");
	return;
emphasis:
strong:
	{
		size_t i, k;
		const char *delim = name[0] == 'b' || name[0] == 's' ? "**" : "_";

		for (i = cs; i < out->len
		     && (k = js_space((const unsigned char *)out->s + i, out->len - i)) > 0; i += k)
			;
		if (i == out->len)
			strbuf_truncate(out, cs);
		else
			wrap(out, cs, delim, delim);
	}
	return;
strike:
	wrap(out, cs, "~~", "~~");
}

static void
md_element(struct md *m, xmlNodePtr node)
{
	struct strbuf lead, trail;
	size_t start = m->out->len, cs;

	if (m->depth >= EXTRACT_MAX_DEPTH) {
		put_flat(m->out, node);
		return;
	}
	strbuf_init(&lead, 0);
	strbuf_init(&trail, 0);
	flanking(node, &lead, &trail);
	cs = m->out->len;
	if (is_blank(node)) {
		/* Its white space still flanks it. */
		if (is_block(node))
			strbuf_puts(m->out, "\n\n");
	} else {
		m->depth++;
		md_children(m, node);
		m->depth--;
		if (lead.len > 0 || trail.len > 0)
			trim_tail(m->out, cs);
		apply_rule(m, node, cs);
	}
	if (lead.len > 0)
		strbuf_insert(m->out, start, lead.s, lead.len);
	if (trail.len > 0)
		strbuf_add(m->out, trail.s, trail.len);
	if (strbuf_failed(&lead) || strbuf_failed(&trail))
		strbuf_set_failed(m->out);
	strbuf_free(&lead);
	strbuf_free(&trail);
}

static void
md_children(struct md *m, xmlNodePtr parent)
{
	size_t from = m->out->len, mark;
	xmlNodePtr c;

	for (c = parent->children; c != NULL && !strbuf_failed(m->out); c = c->next) {
		mark = m->out->len;
		if (is_text(c)) {
			if (inside_code(parent))
				strbuf_puts(m->out, text_of(c));
			else
				put_escaped(m->out, text_of(c));
		} else if (is_element(c)) {
			md_element(m, c);
		} else {
			continue;
		}
		if (!strbuf_failed(m->out))
			join_at(m->out, from, mark);
	}
}

int
markdown_write(xmlNodePtr root, struct strbuf *out)
{
	struct strbuf scratch;
	struct node_info *all;
	struct md m = { out, 0 };
	size_t start = out->len, k;

	strbuf_init(&scratch, 0);
	if (collapse_whitespace(root, &scratch) != 0) {
		strbuf_free(&scratch);
		return -1;
	}
	strbuf_free(&scratch);
	all = learn(root);
	if (all == NULL)
		return -1;
	md_children(&m, root);
	forget(root);
	free(all);
	if (strbuf_failed(out))
		return -1;
	/* turndown's postProcess: no leading newlines or tabs, no trailing
	 * white space. */
	for (k = start; k < out->len && (out->s[k] == '\n' || out->s[k] == '\t'
					 || out->s[k] == '\r'); k++)
		;
	strbuf_erase(out, start, k - start);
	while (out->len > start
	       && (k = js_space_back((const unsigned char *)out->s + start, out->len - start)) > 0)
		strbuf_truncate(out, out->len - k);
	return 0;
}
