/*
 * extract: a page's text under its declaration's rules (see extract.h).
 */

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <libxml/xpath.h>

#include "declaration.h"
#include "extract.h"
#include "filter.h"
#include "markdown.h"
#include "paths.h"
#include "sanitize.h"
#include "selector.h"
#include "strbuf.h"

/* Where a node sits in document order, for ranges: a boundary before node
 * N is at 2 * enter(N), after it at 2 * exit(N) + 1, where exit is the
 * enter of its last descendant. */
struct position {
	size_t enter, exit;
};

struct page_doc {
	htmlDocPtr doc;
	struct position *positions;	/* Indexed through each node's _private. */
	xmlNodePtr *trash;		/* Nodes unlinked by remove, freed at the end. */
	size_t ntrash, trash_size;
	char *err;
	size_t errlen;
};

/*
 * Charset and parsing.
 */

/* The value of charset= in s (a Content-Type value or a <meta>'s text),
 * into out; 0 when there is none. */
static int
find_charset(const char *s, size_t len, char *out, size_t outlen)
{
	size_t i, n;

	for (i = 0; i + 8 <= len; i++) {
		if (strncasecmp(s + i, "charset", 7) != 0)
			continue;
		i += 7;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= len || s[i] != '=')
			continue;
		i++;
		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '"' || s[i] == '\''))
			i++;
		for (n = 0; i + n < len && n + 1 < outlen
		     && (isalnum((unsigned char)s[i + n]) || strchr("-_.:", s[i + n]) != NULL); n++)
			out[n] = s[i + n];
		out[n] = '\0';
		return n > 0;
	}
	return 0;
}

/* The charset of an HTML body: the header's, else a <meta>'s in the first
 * 4 KiB, else UTF-8; WHATWG's aliases of windows-1252 made that. */
static void
choose_charset(const struct extract_input *in, char *out, size_t outlen)
{
	size_t head = in->len < 4096 ? in->len : 4096, i;
	xmlCharEncodingHandlerPtr handler;
	int found = 0;

	if (in->content_type != NULL)
		found = find_charset(in->content_type, strlen(in->content_type), out, outlen);
	for (i = 0; !found && i + 5 < head; i++) {
		const char *end;

		if (strncasecmp(in->data + i, "<meta", 5) != 0)
			continue;
		end = memchr(in->data + i, '>', head - i);
		if (end == NULL)
			break;
		found = find_charset(in->data + i, (size_t)(end - (in->data + i)), out, outlen);
	}
	if (!found || strcasecmp(out, "utf8") == 0)
		snprintf(out, outlen, "UTF-8");
	else if (strcasecmp(out, "iso-8859-1") == 0 || strcasecmp(out, "latin1") == 0
		 || strcasecmp(out, "us-ascii") == 0 || strcasecmp(out, "ascii") == 0)
		snprintf(out, outlen, "windows-1252");
	handler = xmlFindCharEncodingHandler(out);
	if (handler == NULL)
		snprintf(out, outlen, "UTF-8");
	else
		xmlCharEncCloseFunc(handler);	/* An iconv handler is made for each call. */
}

static int
is_pdf(const struct extract_input *in)
{
	if (in->content_type != NULL && strncasecmp(in->content_type, "application/pdf", 15) == 0)
		return 1;
	return in->len >= 5 && memcmp(in->data, "%PDF-", 5) == 0;
}

static htmlDocPtr
parse_html(const struct extract_input *in, char *err, size_t errlen)
{
	char charset[64];
	char *clean = NULL;
	const char *data = in->data;
	size_t len = in->len;
	htmlDocPtr doc;

	choose_charset(in, charset, sizeof(charset));
	if (strcasecmp(charset, "UTF-8") == 0) {
		/* libxml2 would reread the whole page as Latin-1 at the first bad
		 * byte: replace bad bytes and NULs before it sees them. */
		clean = sanitize_text(in->data, in->len,
				      SANITIZE_ENCODING_ONLY | SANITIZE_KEEP_NEWLINES, &len);
		if (clean == NULL) {
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
		data = clean;
	}
	if (len > INT32_MAX) {
		free(clean);
		snprintf(err, errlen, "page too large");
		return NULL;
	}
	doc = htmlReadMemory(data, (int)len, NULL, charset,
			     HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING
			     | HTML_PARSE_NODEFDTD);
	free(clean);
	if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
		xmlFreeDoc(doc);
		snprintf(err, errlen, "not an HTML document");
		return NULL;
	}
	return doc;
}

/*
 * Walking the tree.
 */

/* The node after node in document order, within top; skip_children to
 * step over node's subtree. */
static xmlNodePtr
walk_next(xmlNodePtr top, xmlNodePtr node, int skip_children)
{
	if (!skip_children && node->type == XML_ELEMENT_NODE && node->children != NULL)
		return node->children;
	while (node != top && node->next == NULL)
		node = node->parent;
	return node == top ? NULL : node->next;
}

static int
trash_node(struct page_doc *pd, xmlNodePtr node)
{
	if (node->parent == NULL)
		return 0;		/* Already unlinked. */
	if (pd->ntrash == pd->trash_size) {
		size_t size = pd->trash_size > 0 ? pd->trash_size * 2 : 64;
		xmlNodePtr *grown = realloc(pd->trash, size * sizeof(*grown));

		if (grown == NULL)
			return -1;
		pd->trash = grown;
		pd->trash_size = size;
	}
	xmlUnlinkNode(node);
	pd->trash[pd->ntrash++] = node;
	return 0;
}

/* Whether an element is hidden by its own markup. */
static int
is_hidden(xmlNodePtr node)
{
	xmlChar *style;
	int hidden = 0;

	if (xmlHasProp(node, (const xmlChar *)"hidden") != NULL)
		return 1;
	style = xmlGetProp(node, (const xmlChar *)"style");
	if (style != NULL) {
		char compact[256];
		size_t i, n = 0;

		for (i = 0; style[i] != '\0' && n + 1 < sizeof(compact); i++)
			if (!isspace(style[i]))
				compact[n++] = (char)tolower(style[i]);
		compact[n] = '\0';
		hidden = strstr(compact, "display:none") != NULL
			 || strstr(compact, "visibility:hidden") != NULL;
		xmlFree(style);
	}
	return hidden;
}

/* Scripts, styles, templates and hidden elements never make text. */
static int
drop_invisible(struct page_doc *pd)
{
	static const char *const dropped[] = { "script", "style", "template", NULL };
	xmlNodePtr top = (xmlNodePtr)pd->doc, node = top->children, next;
	size_t i;

	while (node != NULL) {
		int drop = 0;

		if (node->type == XML_ELEMENT_NODE) {
			for (i = 0; dropped[i] != NULL && !drop; i++)
				drop = strcmp((const char *)node->name, dropped[i]) == 0;
			drop = drop || is_hidden(node);
		}
		next = walk_next(top, node, drop);
		if (drop && trash_node(pd, node) != 0)
			return -1;
		node = next;
	}
	return 0;
}

/* Number every node in document order (see struct position). */
static int
number_nodes(struct page_doc *pd)
{
	xmlNodePtr top = (xmlNodePtr)pd->doc, node;
	size_t n = 0, i = 0;

	for (node = top->children; node != NULL; node = walk_next(top, node, 0))
		n++;
	free(pd->positions);
	pd->positions = calloc(n + 1, sizeof(*pd->positions));
	if (pd->positions == NULL)
		return -1;
	for (node = top->children; node != NULL; node = walk_next(top, node, 0)) {
		xmlNodePtr up;

		node->_private = &pd->positions[i];
		pd->positions[i].enter = i;
		pd->positions[i].exit = i;
		/* This node ends every ancestor it is the last descendant of. */
		for (up = node->parent; up != NULL && up != top && up->_private != NULL;
		     up = up->parent)
			((struct position *)up->_private)->exit = i;
		i++;
	}
	return 0;
}

static void
clear_numbers(struct page_doc *pd)
{
	xmlNodePtr top = (xmlNodePtr)pd->doc, node;

	for (node = top->children; node != NULL; node = walk_next(top, node, 0))
		node->_private = NULL;
	free(pd->positions);
	pd->positions = NULL;
}

static size_t
before(xmlNodePtr n)
{
	return 2 * ((struct position *)n->_private)->enter;
}

static size_t
after(xmlNodePtr n)
{
	return 2 * ((struct position *)n->_private)->exit + 1;
}

/*
 * Selectors.
 */

static void
quiet_xpath_error(void *ctx, xmlErrorPtr error)
{
	(void)ctx;
	(void)error;
}

/* The elements css matches, in document order; NULL with err set on error.
 * An empty set is not an error here. */
static xmlXPathObjectPtr
match(struct page_doc *pd, const char *css)
{
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr result;
	char *xpath, why[256];

	if (selector_to_xpath(css, &xpath, why, sizeof(why)) != 0) {
		snprintf(pd->err, pd->errlen, "%s", why);
		return NULL;
	}
	ctx = xmlXPathNewContext(pd->doc);
	if (ctx == NULL) {
		free(xpath);
		snprintf(pd->err, pd->errlen, "out of memory");
		return NULL;
	}
	ctx->error = quiet_xpath_error;
	ctx->node = (xmlNodePtr)pd->doc;
	result = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
	xmlXPathFreeContext(ctx);
	if (result == NULL || result->type != XPATH_NODESET)
		snprintf(pd->err, pd->errlen, "selector '%s' could not be evaluated", css);
	if (result != NULL && result->type != XPATH_NODESET) {
		xmlXPathFreeObject(result);
		result = NULL;
	}
	free(xpath);
	return result;
}

static size_t
match_count(xmlXPathObjectPtr r)
{
	return r != NULL && r->nodesetval != NULL ? (size_t)r->nodesetval->nodeNr : 0;
}

/* The first element css matches, or NULL with err set (what names the
 * range's end in the message). */
static xmlNodePtr
match_first(struct page_doc *pd, const char *css, const char *what)
{
	xmlXPathObjectPtr r = match(pd, css);
	xmlNodePtr first = NULL;

	if (r == NULL)
		return NULL;
	if (match_count(r) > 0)
		first = r->nodesetval->nodeTab[0];
	else
		snprintf(pd->err, pd->errlen, "range %s '%s' matched nothing", what, css);
	xmlXPathFreeObject(r);
	return first;
}

/* A range's boundaries, as positions (see struct position). */
static int
range_bounds(struct page_doc *pd, const struct declaration_range *r, size_t *start,
	     size_t *end, xmlNodePtr *start_node, xmlNodePtr *end_node)
{
	const char *s = r->start_before != NULL ? r->start_before : r->start_after;
	const char *e = r->end_before != NULL ? r->end_before : r->end_after;

	if ((*start_node = match_first(pd, s, "start")) == NULL)
		return -1;
	if ((*end_node = match_first(pd, e, "end")) == NULL)
		return -1;
	*start = r->start_before != NULL ? before(*start_node) : after(*start_node);
	*end = r->end_before != NULL ? before(*end_node) : after(*end_node);
	return 0;
}

/* Unlink the nodes inside [start, end), the topmost of each run. */
static int
delete_range(struct page_doc *pd, size_t start, size_t end)
{
	xmlNodePtr top = (xmlNodePtr)pd->doc, node = top->children, next;

	while (node != NULL) {
		int inside = node->_private != NULL && before(node) >= start && after(node) <= end;
		int overlaps = node->_private != NULL && before(node) < end && after(node) > start;

		next = walk_next(top, node, inside || !overlaps);
		if (inside && trash_node(pd, node) != 0)
			return -1;
		node = next;
	}
	return 0;
}

/* Apply remove: every range and every selector's matches is found on the
 * page as it is, then all are taken out, as OTA does. */
static int
apply_remove(struct page_doc *pd, const struct declaration_page *page)
{
	xmlXPathObjectPtr *found;
	size_t i, k, *starts = NULL, *ends = NULL;
	int rc = -1, ranges = 0;

	if (page->nremove == 0)
		return 0;
	found = calloc(page->nremove, sizeof(*found));
	starts = calloc(page->nremove, sizeof(*starts));
	ends = calloc(page->nremove, sizeof(*ends));
	if (found == NULL || starts == NULL || ends == NULL) {
		snprintf(pd->err, pd->errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < page->nremove; i++)
		if (page->remove[i].css == NULL)
			ranges = 1;
	if (ranges && number_nodes(pd) != 0) {
		snprintf(pd->err, pd->errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < page->nremove; i++) {
		const struct declaration_selector *sel = &page->remove[i];
		xmlNodePtr s, e;

		if (sel->css != NULL) {
			if ((found[i] = match(pd, sel->css)) == NULL)
				goto out;
		} else if (range_bounds(pd, &sel->range, &starts[i], &ends[i], &s, &e) != 0) {
			goto out;
		}
	}
	for (i = 0; i < page->nremove; i++)
		if (page->remove[i].css == NULL && starts[i] < ends[i]
		    && delete_range(pd, starts[i], ends[i]) != 0)
			goto nomem;
	for (i = 0; i < page->nremove; i++)
		for (k = 0; k < match_count(found[i]); k++)
			if (trash_node(pd, found[i]->nodesetval->nodeTab[k]) != 0)
				goto nomem;
	rc = 0;
	goto out;
nomem:
	snprintf(pd->err, pd->errlen, "out of memory");
out:
	if (ranges)
		clear_numbers(pd);
	for (i = 0; found != NULL && i < page->nremove; i++)
		xmlXPathFreeObject(found[i]);
	free(found);
	free(starts);
	free(ends);
	return rc;
}

/* A copy of what lies in [start, end) below parent, appended to dst:
 * nodes wholly inside copied whole, nodes partly inside copied without
 * their children and filled the same way (DOM's Range.cloneContents). */
static int
clone_range(struct page_doc *pd, xmlNodePtr parent, xmlNodePtr dst, size_t start, size_t end)
{
	xmlNodePtr c, copy;

	for (c = parent->children; c != NULL; c = c->next) {
		int inside, overlaps;

		if (c->_private == NULL)
			continue;
		inside = before(c) >= start && after(c) <= end;
		overlaps = before(c) < end && after(c) > start;
		if (!inside && !overlaps)
			continue;
		copy = xmlDocCopyNode(c, pd->doc, inside ? 1 : 2);
		if (copy == NULL)
			return -1;
		if (xmlAddChild(dst, copy) == NULL) {
			xmlFreeNode(copy);
			return -1;
		}
		if (!inside && clone_range(pd, c, copy, start, end) != 0)
			return -1;
	}
	return 0;
}

static xmlNodePtr
common_ancestor(xmlNodePtr a, xmlNodePtr b)
{
	xmlNodePtr x, y;

	for (x = a; x != NULL; x = x->parent)
		for (y = b; y != NULL; y = y->parent)
			if (x == y)
				return x;
	return NULL;
}

/* The body, or the root element when there is none. */
static xmlNodePtr
find_body(htmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), c;

	for (c = root->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "body") == 0)
			return c;
	return root;
}

/* Copy what select keeps under root, in the order of the select list. */
static int
apply_select(struct page_doc *pd, const struct declaration_page *page, xmlNodePtr root)
{
	size_t i, k;
	int ranges = 0, rc = -1;

	if (page->nselect == 0) {
		xmlNodePtr copy = xmlDocCopyNode(find_body(pd->doc), pd->doc, 1);

		if (copy == NULL || xmlAddChild(root, copy) == NULL) {
			xmlFreeNode(copy);
			snprintf(pd->err, pd->errlen, "out of memory");
			return -1;
		}
		return 0;
	}
	for (i = 0; i < page->nselect; i++)
		if (page->select[i].css == NULL)
			ranges = 1;
	if (ranges && number_nodes(pd) != 0) {
		snprintf(pd->err, pd->errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < page->nselect; i++) {
		const struct declaration_selector *sel = &page->select[i];

		if (sel->css != NULL) {
			xmlXPathObjectPtr r = match(pd, sel->css);

			if (r == NULL)
				goto out;
			for (k = 0; k < match_count(r); k++) {
				xmlNodePtr copy = xmlDocCopyNode(r->nodesetval->nodeTab[k], pd->doc, 1);

				if (copy == NULL || xmlAddChild(root, copy) == NULL) {
					xmlFreeNode(copy);
					xmlXPathFreeObject(r);
					goto nomem;
				}
			}
			xmlXPathFreeObject(r);
		} else {
			size_t start, end;
			xmlNodePtr s, e, ancestor;

			if (range_bounds(pd, &sel->range, &start, &end, &s, &e) != 0)
				goto out;
			ancestor = common_ancestor(s->parent, e->parent);
			if (start < end && ancestor != NULL
			    && clone_range(pd, ancestor, root, start, end) != 0)
				goto nomem;
		}
	}
	if (root->children == NULL) {
		struct strbuf list;

		strbuf_init(&list, 0);
		for (i = 0; i < page->nselect; i++)
			if (page->select[i].css != NULL)
				strbuf_printf(&list, "%s'%s'", list.len > 0 ? ", " : "",
					      page->select[i].css);
		snprintf(pd->err, pd->errlen, "select %s matched nothing",
			 list.s != NULL ? list.s : "(a range)");
		strbuf_free(&list);
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	snprintf(pd->err, pd->errlen, "out of memory");
out:
	if (ranges) {
		/* The copies carry the numbers too. */
		xmlNodePtr node;

		for (node = root->children; node != NULL; node = walk_next(root, node, 0))
			node->_private = NULL;
		clear_numbers(pd);
	}
	return rc;
}

/*
 * Links.
 */

static int
is_unreserved_url_byte(unsigned char c)
{
	return c > 0x20 && c < 0x7F && c != '"' && c != '<' && c != '>' && c != '`';
}

/* A URL written the way a browser serialises it: scheme and host in lower
 * case, "/" for an empty path, and spaces, controls and non-ASCII bytes
 * percent-encoded. */
static void
put_url(struct strbuf *out, const char *url)
{
	const char *p = strstr(url, "://"), *host_end;
	size_t i;

	if (p != NULL && (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0)) {
		int plain = 1;

		for (i = 0; url + i < p; i++)
			strbuf_putc(out, (char)tolower((unsigned char)url[i]));
		strbuf_puts(out, "://");
		p += 3;
		host_end = p + strcspn(p, "/?#");
		for (i = 0; p + i < host_end; i++)
			if (!is_unreserved_url_byte((unsigned char)p[i]))
				plain = 0;
		for (; p < host_end; p++) {
			if (!is_unreserved_url_byte((unsigned char)*p))
				strbuf_printf(out, "%%%02X", (unsigned char)*p);
			else
				strbuf_putc(out, plain ? (char)tolower((unsigned char)*p) : *p);
		}
		if (*p != '/' && plain)
			strbuf_putc(out, '/');
		url = p;
	}
	for (; *url != '\0'; url++) {
		if (!is_unreserved_url_byte((unsigned char)*url))
			strbuf_printf(out, "%%%02X", (unsigned char)*url);
		else
			strbuf_putc(out, *url);
	}
}

/* As a URL parser reads an href: without the spaces and controls around
 * it, and without tabs and newlines inside it. */
static void
trim_url(xmlChar *href)
{
	size_t i, n = 0, start = 0, end = strlen((char *)href);

	while (start < end && href[start] <= 0x20)
		start++;
	while (end > start && href[end - 1] <= 0x20)
		end--;
	for (i = start; i < end; i++)
		if (href[i] != '\t' && href[i] != '\n' && href[i] != '\r')
			href[n++] = href[i];
	href[n] = '\0';
}

/* Drop the query parameters named in page->remove_query_params. */
static void
strip_params(struct strbuf *url, const struct declaration_page *page)
{
	char *q, *param, *end;
	size_t i;

	if (url->s == NULL || (q = strchr(url->s, '?')) == NULL)
		return;
	param = q + 1;
	while (param < url->s + url->len && *param != '#') {
		size_t name_len = strcspn(param, "=&#");
		int drop = 0;

		end = param + strcspn(param, "&#");
		for (i = 0; i < page->nremove_query_params && !drop; i++)
			drop = strlen(page->remove_query_params[i]) == name_len
			       && strncmp(param, page->remove_query_params[i], name_len) == 0;
		if (!drop) {
			param = *end == '&' ? end + 1 : end;
			continue;
		}
		if (*end == '&')
			end++;
		strbuf_erase(url, (size_t)(param - url->s), (size_t)(end - param));
	}
	/* A '?' or '&' left with nothing after it goes too. */
	q = strchr(url->s, '?');
	while (q != NULL) {
		size_t at = strcspn(url->s, "#");

		if (at > 0 && (url->s[at - 1] == '&' || url->s[at - 1] == '?'))
			strbuf_erase(url, at - 1, 1);
		else
			break;
	}
}

/* Make every link of the selection absolute, as OTA does (links to a
 * fragment of the same page stay as they are). */
static int
resolve_links(xmlNodePtr root, const char *base, const struct declaration_page *page)
{
	xmlNodePtr node;

	for (node = root->children; node != NULL; node = walk_next(root, node, 0)) {
		xmlChar *href, *resolved = NULL;
		struct strbuf url;

		if (node->type != XML_ELEMENT_NODE || strcmp((const char *)node->name, "a") != 0)
			continue;
		href = xmlGetProp(node, (const xmlChar *)"href");
		if (href == NULL || href[0] == '#' || href[0] == '\0') {
			xmlFree(href);
			continue;
		}
		trim_url(href);
		if (base != NULL)
			resolved = xmlBuildURI(href, (const xmlChar *)base);
		strbuf_init(&url, 0);
		put_url(&url, (const char *)(resolved != NULL ? resolved : href));
		if (page != NULL && page->nremove_query_params > 0)
			strip_params(&url, page);
		xmlFree(href);
		xmlFree(resolved);
		if (strbuf_failed(&url))
			return -1;
		if (xmlSetProp(node, (const xmlChar *)"href", (const xmlChar *)url.s) == NULL) {
			strbuf_free(&url);
			return -1;
		}
		strbuf_free(&url);
	}
	return 0;
}

static int
extract_html(const struct declaration_page *page, const struct extract_input *in, char **text,
	     char *err, size_t errlen)
{
	struct page_doc pd = { NULL, NULL, NULL, 0, 0, err, errlen };
	struct strbuf out;
	xmlNodePtr root = NULL;
	size_t i;
	int rc = -1;

	strbuf_init(&out, 4 * EXTRACT_MAX_INPUT);
	pd.doc = parse_html(in, err, errlen);
	if (pd.doc == NULL)
		return -1;
	if (drop_invisible(&pd) != 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (apply_remove(&pd, page) != 0)
		goto out;
	root = xmlNewDocNode(pd.doc, NULL, (const xmlChar *)"clause-selection", NULL);
	if (root == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (apply_select(&pd, page, root) != 0)
		goto out;
	if (resolve_links(root, in->url != NULL ? in->url : page->url, page) != 0
	    || markdown_write(root, &out) != 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (out.len == 0) {
		snprintf(err, errlen, "the selection has no text");
		goto out;
	}
	*text = strbuf_detach(&out, NULL);
	if (*text == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rc = 0;
out:
	strbuf_free(&out);
	xmlFreeNode(root);
	for (i = 0; i < pd.ntrash; i++)
		xmlFreeNode(pd.trash[i]);
	free(pd.trash);
	free(pd.positions);
	xmlFreeDoc(pd.doc);
	return rc;
}

/*
 * PDF: read by clause-pdftext (src/pdftext.c) in a process of its own.
 */

static int
extract_pdf(const struct extract_input *in, char **text, char *err, size_t errlen)
{
	const struct filter_bounds bounds = { 4 * EXTRACT_MAX_INPUT, EXTRACT_PDF_SECONDS * 1000 };
	char *helper = paths_helper("clause-pdftext", err, errlen);
	const char *argv[] = { helper, NULL };
	size_t len;
	int rc;

	if (helper == NULL)
		return -1;
	rc = filter_run(argv, in->data, in->len, &bounds, text, &len, err, errlen);
	free(helper);
	return rc;
}

/*
 * The API.
 */

int
extract_page(const struct declaration_page *page, const struct extract_input *in, char **text,
	     char *err, size_t errlen)
{
	*text = NULL;
	if (in->len > EXTRACT_MAX_INPUT) {
		snprintf(err, errlen, "page larger than %d bytes", EXTRACT_MAX_INPUT);
		return -1;
	}
	if (in->len == 0 || in->data == NULL) {
		snprintf(err, errlen, "empty page");
		return -1;
	}
	xmlInitParser();
	if (is_pdf(in))
		return extract_pdf(in, text, err, errlen);
	return extract_html(page, in, text, err, errlen);
}

int
extract_document(const struct declaration_document *doc, const struct extract_input *pages,
		 char **text, char *err, size_t errlen)
{
	struct strbuf all;
	size_t i;

	*text = NULL;
	strbuf_init(&all, 0);
	for (i = 0; i < doc->npages; i++) {
		char *page_text, why[512];

		if (extract_page(&doc->pages[i], &pages[i], &page_text, why, sizeof(why)) != 0) {
			if (doc->npages > 1)
				snprintf(err, errlen, "page %zu (%s): %s", i + 1, doc->pages[i].url, why);
			else
				snprintf(err, errlen, "%s", why);
			strbuf_free(&all);
			return -1;
		}
		if (i > 0)
			strbuf_puts(&all, "\n\n");
		strbuf_puts(&all, page_text);
		free(page_text);
	}
	if (strbuf_failed(&all)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*text = extract_normalise(all.s != NULL ? all.s : "", all.len);
	strbuf_free(&all);
	if (*text == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* Whether NFC could change s: only text with a character at or above
 * U+0300 (a lead byte of 0xCC or more) can hold one that composes or
 * decomposes. */
static int
may_need_nfc(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0xCC)
			return 1;
	return 0;
}

char *
extract_normalise(const char *text, size_t len)
{
	char *valid, *nfc = NULL;
	const char *s;
	size_t vlen, i, blank_lines = 0, line_start;
	struct strbuf out;
	int started = 0;

	valid = sanitize_text(text, len, SANITIZE_ENCODING_ONLY | SANITIZE_KEEP_NEWLINES, &vlen);
	if (valid == NULL)
		return NULL;
	s = valid;
	if (may_need_nfc(valid, vlen)) {
		nfc = g_utf8_normalize(valid, (gssize)vlen, G_NORMALIZE_NFC);
		if (nfc == NULL) {
			free(valid);
			return NULL;
		}
		s = nfc;
		vlen = strlen(nfc);
	}
	strbuf_init(&out, 0);
	line_start = 0;
	for (i = 0; i < vlen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r' || c == '\n') {
			if (c == '\r' && i + 1 < vlen && s[i + 1] == '\n')
				i++;
			/* End of a line: trim it, count it if blank. */
			while (out.len > line_start && out.s[out.len - 1] == ' ')
				strbuf_truncate(&out, out.len - 1);
			if (out.len == line_start) {
				blank_lines++;
			} else {
				strbuf_putc(&out, '\n');
				line_start = out.len;
				blank_lines = 0;
				started = 1;
			}
			continue;
		}
		if (c == '\t')
			c = ' ';
		if (c < 0x20 || c == 0x7F)
			continue;
		if (c == 0xC2 && i + 1 < vlen && (unsigned char)s[i + 1] >= 0x80
		    && (unsigned char)s[i + 1] <= 0x9F) {
			i++;		/* A C1 control. */
			continue;
		}
		if (out.len == line_start && started && blank_lines > 0) {
			strbuf_putc(&out, '\n');
			line_start = out.len;
		}
		blank_lines = 0;
		strbuf_putc(&out, (char)c);
	}
	while (out.len > line_start && out.s[out.len - 1] == ' ')
		strbuf_truncate(&out, out.len - 1);
	if (out.len > line_start)
		strbuf_putc(&out, '\n');
	free(valid);
	g_free(nfc);
	return strbuf_detach(&out, NULL);
}
