/*
 * textdiff: paragraph and word diffs through libgit2 (see textdiff.h).
 */

#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textdiff.h"

/* A growing buffer of text. */
struct buf {
	char *s;
	size_t len, size;
	int failed;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->size) {
		size_t size = b->size > 0 ? b->size : 4096;
		char *grown;

		while (b->len + n + 1 > size)
			size *= 2;
		grown = realloc(b->s, size);
		if (grown == NULL) {
			b->failed = 1;
			return;
		}
		b->s = grown;
		b->size = size;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* One paragraph a line: blank lines end a paragraph, other white space
 * folds into single spaces.  With words, one word a line instead. */
static void
lines_of(const char *text, int words, struct buf *out)
{
	int pending_space = 0, newlines = 0, any = 0;

	for (; *text != '\0'; text++) {
		if (is_space(*text)) {
			newlines += *text == '\n';
			pending_space = 1;
			continue;
		}
		if (any && pending_space)
			buf_add(out, words || newlines >= 2 ? "\n" : " ", 1);
		pending_space = 0;
		newlines = 0;
		buf_add(out, text, 1);
		any = 1;
	}
	if (any)
		buf_add(out, "\n", 1);
}

/* A line of a diff, as libgit2 gives it, kept for the pass that pairs
 * removed and added paragraphs. */
struct diff_line {
	char origin;		/* ' ', '-' or '+'. */
	char *text;		/* Without its newline. */
};

struct collect {
	struct diff_line *lines;
	size_t n, size;
	struct textdiff_hunk *hunk;	/* The hunk being read, or NULL (words). */
	struct textdiff *d;
	int failed;
};

static int
on_line(const git_diff_delta *delta, const git_diff_hunk *hunk, const git_diff_line *line,
	void *payload)
{
	struct collect *c = payload;
	struct diff_line *l;
	size_t n = line->content_len;

	(void)delta;
	(void)hunk;
	if (line->origin != GIT_DIFF_LINE_CONTEXT && line->origin != GIT_DIFF_LINE_ADDITION
	    && line->origin != GIT_DIFF_LINE_DELETION)
		return 0;
	if (c->n == c->size) {
		size_t size = c->size > 0 ? c->size * 2 : 64;
		struct diff_line *grown = realloc(c->lines, size * sizeof(*grown));

		if (grown == NULL) {
			c->failed = 1;
			return -1;
		}
		c->lines = grown;
		c->size = size;
	}
	while (n > 0 && line->content[n - 1] == '\n')
		n--;
	l = &c->lines[c->n];
	l->origin = line->origin;
	l->text = malloc(n + 1);
	if (l->text == NULL) {
		c->failed = 1;
		return -1;
	}
	memcpy(l->text, line->content, n);
	l->text[n] = '\0';
	c->n++;
	return 0;
}

static void
free_lines(struct collect *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->lines[i].text);
	free(c->lines);
	c->lines = NULL;
	c->n = c->size = 0;
}

/* Diff two buffers of lines, calling back for hunks (may be NULL). */
static int
diff_lines(const struct buf *a, const struct buf *b, int context, struct collect *c,
	   git_diff_hunk_cb hunk_cb)
{
	git_diff_options opts;

	if (git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION) != 0)
		return -1;
	opts.context_lines = (uint32_t)context;
	opts.interhunk_lines = 0;
	opts.flags = GIT_DIFF_FORCE_TEXT;
	return git_diff_buffers(a->s != NULL ? a->s : "", a->len, NULL, b->s != NULL ? b->s : "",
				b->len, NULL, &opts, NULL, NULL, hunk_cb, on_line, c);
}

/* The words that changed between two paragraphs, as runs. */
static int
word_runs(const char *old_text, const char *new_text, struct textdiff_para *p)
{
	struct buf a = { 0 }, b = { 0 }, run = { 0 };
	struct collect c = { 0 };
	char op = 0;
	size_t i;
	int rc;

	lines_of(old_text, 1, &a);
	lines_of(new_text, 1, &b);
	rc = a.failed || b.failed ? -1 : diff_lines(&a, &b, 1 << 30, &c, NULL);
	for (i = 0; rc == 0 && i <= c.n; i++) {
		char origin = i < c.n ? c.lines[i].origin : 0;

		if (i > 0 && origin != op) {
			struct textdiff_words *grown = realloc(p->words,
							       (p->nwords + 1) * sizeof(*grown));

			if (grown == NULL || run.failed) {
				rc = -1;
				break;
			}
			p->words = grown;
			p->words[p->nwords].op = op == '-' ? TEXTDIFF_REMOVED
					       : op == '+' ? TEXTDIFF_ADDED : TEXTDIFF_SAME;
			p->words[p->nwords].text = run.s != NULL ? run.s : strdup("");
			p->nwords++;
			memset(&run, 0, sizeof(run));
		}
		if (i == c.n)
			break;
		if (run.len > 0)
			buf_add(&run, " ", 1);
		buf_add(&run, c.lines[i].text, strlen(c.lines[i].text));
		op = origin;
	}
	free(run.s);
	free_lines(&c);
	free(a.s);
	free(b.s);
	return rc == 0 && !c.failed ? 0 : -1;
}

static int
add_para(struct textdiff_hunk *h, enum textdiff_op op, char *old_text, char *new_text)
{
	struct textdiff_para *grown = realloc(h->paras, (h->nparas + 1) * sizeof(*grown));

	if (grown == NULL)
		return -1;
	h->paras = grown;
	memset(&h->paras[h->nparas], 0, sizeof(*h->paras));
	h->paras[h->nparas].op = op;
	h->paras[h->nparas].old_text = old_text;
	h->paras[h->nparas].new_text = new_text;
	h->nparas++;
	return 0;
}

/* The sorted hashes of a paragraph's words, for similarity. */
static size_t
word_hashes(const char *text, uint32_t **out)
{
	size_t n = 0, size = 0;
	uint32_t h = 2166136261u, *v = NULL;
	int in_word = 0;

	for (;; text++) {
		if (*text != '\0' && *text != ' ') {
			h = (h ^ (unsigned char)*text) * 16777619u;
			in_word = 1;
			continue;
		}
		if (in_word) {
			if (n == size) {
				uint32_t *grown;

				size = size > 0 ? size * 2 : 32;
				grown = realloc(v, size * sizeof(*grown));
				if (grown == NULL) {
					free(v);
					*out = NULL;
					return 0;
				}
				v = grown;
			}
			v[n++] = h;
		}
		h = 2166136261u;
		in_word = 0;
		if (*text == '\0')
			break;
	}
	/* Insertion sort: paragraphs are short. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint32_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*out = v;
	return n;
}

/* Whether two paragraphs share at least half of their words: then the
 * new one is the old one changed, not another paragraph. */
static int
similar(const char *a, const char *b)
{
	uint32_t *ha, *hb;
	size_t na = word_hashes(a, &ha), nb = word_hashes(b, &hb), i = 0, j = 0, common = 0;

	while (i < na && j < nb) {
		if (ha[i] == hb[j]) {
			common++;
			i++;
			j++;
		} else if (ha[i] < hb[j]) {
			i++;
		} else {
			j++;
		}
	}
	free(ha);
	free(hb);
	return na + nb > 0 && 4 * common >= na + nb;	/* Dice coefficient >= 0.5. */
}

static int
add_change(struct collect *c, enum textdiff_op op, char **old_text, char **new_text)
{
	struct textdiff_hunk *h = c->hunk;

	if (add_para(h, op, old_text != NULL ? *old_text : NULL, new_text != NULL ? *new_text : NULL))
		return -1;
	if (old_text != NULL)
		*old_text = NULL;
	if (new_text != NULL)
		*new_text = NULL;
	if (op == TEXTDIFF_CHANGED) {
		c->d->changed++;
		return word_runs(h->paras[h->nparas - 1].old_text, h->paras[h->nparas - 1].new_text,
				 &h->paras[h->nparas - 1]);
	}
	if (op == TEXTDIFF_REMOVED)
		c->d->removed++;
	else
		c->d->added++;
	return 0;
}

/* Turn the lines of the hunk just read into paragraphs.  In a run of
 * removed lines followed by a run of added ones, a removed paragraph pairs
 * with the next added one that shares half its words (a changed
 * paragraph); the others were removed or added whole. */
static int
close_hunk(struct collect *c)
{
	size_t i = 0, j;

	if (c->hunk == NULL)
		return 0;
	while (i < c->n) {
		size_t removed = 0, added = 0, r, a = 0;

		if (c->lines[i].origin == ' ') {
			char *copy = strdup(c->lines[i].text);

			if (copy == NULL || add_para(c->hunk, TEXTDIFF_SAME, c->lines[i].text, copy)) {
				free(copy);
				return -1;
			}
			c->lines[i++].text = NULL;
			continue;
		}
		while (i + removed < c->n && c->lines[i + removed].origin == '-')
			removed++;
		while (i + removed + added < c->n && c->lines[i + removed + added].origin == '+')
			added++;
		for (r = 0; r < removed; r++) {
			char **old_text = &c->lines[i + r].text;
			size_t k;

			for (k = a; k < added && !similar(*old_text, c->lines[i + removed + k].text);
			     k++)
				;
			if (k == added) {
				if (add_change(c, TEXTDIFF_REMOVED, old_text, NULL))
					return -1;
				continue;
			}
			for (; a < k; a++)
				if (add_change(c, TEXTDIFF_ADDED, NULL, &c->lines[i + removed + a].text))
					return -1;
			if (add_change(c, TEXTDIFF_CHANGED, old_text, &c->lines[i + removed + a].text))
				return -1;
			a++;
		}
		for (; a < added; a++)
			if (add_change(c, TEXTDIFF_ADDED, NULL, &c->lines[i + removed + a].text))
				return -1;
		i += removed + added;
	}
	for (j = 0; j < c->n; j++)
		free(c->lines[j].text);
	c->n = 0;
	return 0;
}

static int
on_hunk(const git_diff_delta *delta, const git_diff_hunk *hunk, void *payload)
{
	struct collect *c = payload;
	struct textdiff_hunk *grown;

	(void)delta;
	if (close_hunk(c) != 0) {
		c->failed = 1;
		return -1;
	}
	grown = realloc(c->d->hunks, (c->d->nhunks + 1) * sizeof(*grown));
	if (grown == NULL) {
		c->failed = 1;
		return -1;
	}
	c->d->hunks = grown;
	c->hunk = &c->d->hunks[c->d->nhunks++];
	memset(c->hunk, 0, sizeof(*c->hunk));
	c->hunk->old_start = hunk->old_start;
	c->hunk->old_count = hunk->old_lines;
	c->hunk->new_start = hunk->new_start;
	c->hunk->new_count = hunk->new_lines;
	return 0;
}

int
textdiff_run(const char *old_text, const char *new_text, int context, struct textdiff *d,
	     char *err, size_t errsize)
{
	struct buf a = { 0 }, b = { 0 };
	struct collect c = { 0 };
	int rc;

	memset(d, 0, sizeof(*d));
	c.d = d;
	lines_of(old_text, 0, &a);
	lines_of(new_text, 0, &b);
	if (a.failed || b.failed) {
		free(a.s);
		free(b.s);
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	git_libgit2_init();
	rc = diff_lines(&a, &b, context, &c, on_hunk);
	if (rc == 0 && !c.failed && close_hunk(&c) != 0)
		c.failed = 1;
	if (rc != 0 || c.failed) {
		const git_error *e = git_error_last();

		snprintf(err, errsize, "cannot compare the versions: %s",
			 c.failed ? "out of memory" : e != NULL ? e->message : "diff failed");
		textdiff_free(d);
		rc = -1;
	}
	free_lines(&c);
	git_libgit2_shutdown();
	free(a.s);
	free(b.s);
	return rc == 0 ? 0 : -1;
}

char *
textdiff_marked(const struct textdiff_para *p)
{
	struct buf out = { 0 };
	size_t i;

	for (i = 0; i < p->nwords; i++) {
		const char *open = p->words[i].op == TEXTDIFF_REMOVED ? "[-"
				   : p->words[i].op == TEXTDIFF_ADDED ? "{+" : "";
		const char *close = p->words[i].op == TEXTDIFF_REMOVED ? "-]"
				    : p->words[i].op == TEXTDIFF_ADDED ? "+}" : "";

		if (i > 0)
			buf_add(&out, " ", 1);
		buf_add(&out, open, strlen(open));
		buf_add(&out, p->words[i].text, strlen(p->words[i].text));
		buf_add(&out, close, strlen(close));
	}
	if (out.s == NULL && !out.failed)
		return strdup("");
	if (out.failed) {
		free(out.s);
		return NULL;
	}
	return out.s;
}

void
textdiff_summary(const struct textdiff *d, char *buf, size_t size)
{
	const int counts[3] = { d->changed, d->added, d->removed };
	static const char *const verbs[3] = { "reworded", "added", "removed" };
	size_t len = 0;
	int i, shown = 0;

	buf[0] = '\0';
	if (d->added + d->removed + d->changed == 0) {
		snprintf(buf, size, "same paragraphs (white space or layout only)");
		return;
	}
	/* "1 paragraph added", "3 paragraphs reworded, 2 added and 1 removed":
	 * the noun once, after the first count, and no zero counts. */
	for (i = 0; i < 3 && len < size; i++) {
		int rest = 0, j;

		if (counts[i] == 0)
			continue;
		for (j = i + 1; j < 3; j++)
			rest += counts[j] != 0;
		snprintf(buf + len, size - len, "%s%d%s %s",
			 shown == 0 ? "" : rest == 0 ? " and " : ", ", counts[i],
			 shown > 0 ? "" : counts[i] == 1 ? " paragraph" : " paragraphs", verbs[i]);
		len = strlen(buf);
		shown++;
	}
}

/* Append run's words to buf as "“a few words …”", cut after max_words. */
static void
append_quoted(char *buf, size_t size, const char *run, int max_words)
{
	size_t len = strlen(buf), n = 0;
	int words = 0;

	while (run[n] != '\0') {
		if (run[n] == ' ' && ++words == max_words)
			break;
		n++;
	}
	snprintf(buf + len, size - len, "\u201c%.*s%s\u201d", (int)n, run,
		 run[n] != '\0' ? " \u2026" : "");
}

int
textdiff_passage_summary(const char *before, const char *after, char *buf, size_t size)
{
	struct textdiff_para p = { 0 };
	size_t i, shown = 0;
	int rc;

	buf[0] = '\0';
	rc = word_runs(before, after, &p);
	for (i = 0; rc == 0 && i < p.nwords && shown < 3; i++) {
		const struct textdiff_words *w = &p.words[i];
		size_t len = strlen(buf);

		if (w->op == TEXTDIFF_SAME)
			continue;
		/* A removed run followed by an added one is a replacement. */
		if (w->op == TEXTDIFF_REMOVED && i + 1 < p.nwords
		    && p.words[i + 1].op == TEXTDIFF_ADDED) {
			snprintf(buf + len, size - len, "%s", shown > 0 ? "; " : "");
			append_quoted(buf, size, w->text, 8);
			len = strlen(buf);
			snprintf(buf + len, size - len, " became ");
			append_quoted(buf, size, p.words[i + 1].text, 8);
			i++;
		} else {
			snprintf(buf + len, size - len, "%s", shown > 0 ? "; " : "");
			append_quoted(buf, size, w->text, 8);
			len = strlen(buf);
			snprintf(buf + len, size - len, " %s",
				 w->op == TEXTDIFF_ADDED ? "was added" : "was removed");
		}
		shown++;
	}
	if (rc == 0 && shown == 0)
		snprintf(buf, size, "only punctuation or spacing changed");
	for (i = 0; i < p.nwords; i++)
		free(p.words[i].text);
	free(p.words);
	return rc;
}

void
textdiff_free(struct textdiff *d)
{
	size_t h, p, w;

	for (h = 0; h < d->nhunks; h++) {
		struct textdiff_hunk *hunk = &d->hunks[h];

		for (p = 0; p < hunk->nparas; p++) {
			free(hunk->paras[p].old_text);
			free(hunk->paras[p].new_text);
			for (w = 0; w < hunk->paras[p].nwords; w++)
				free(hunk->paras[p].words[w].text);
			free(hunk->paras[p].words);
		}
		free(hunk->paras);
	}
	free(d->hunks);
	memset(d, 0, sizeof(*d));
}
