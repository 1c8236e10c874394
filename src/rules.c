/*
 * rules: loading the classification rules and matching passages (see
 * rules.h).
 *
 * Compiling turns every distinct word of every pattern into a term: a whole
 * word ("arbitration") or a prefix ("arbitrat*").  Terms live in one hash
 * table, so that reading a passage costs one pass over its bytes: while a
 * word is read its hash is computed a byte at a time, and looked up at each
 * length that some prefix term has and once at its end.  A pattern is a
 * list of elements, each a set of terms with the gap allowed before it;
 * patterns are tried only where a word matches one of their first
 * element's terms, so a passage costs little more than reading it.
 */

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "grow.h"
#include "rules.h"

/* Longest word a pattern may name; prefix terms at most 31 bytes, so that
 * the lengths that have one fit in a 32-bit mask. */
#define RULES_MAX_WORD 48
#define RULES_MAX_PREFIX 31
/* Largest gap "~N" allows. */
#define RULES_MAX_GAP 30
/* Not a kind: what a heading is, for all of them. */
#define RULES_HEADINGS_FILE "headings.json"

struct term {
	char *word;		/* Lower-case letters and digits, owned. */
	size_t len;
	uint32_t hash;		/* FNV-1a of word. */
	int prefix;		/* Matches any word that starts with word. */
	int clause_word;	/* One of headings.json's clause_words. */
};

struct element {
	size_t alt_first;	/* Its terms: alts[alt_first, + alt_count). */
	size_t alt_count;
	int gap;		/* Other words allowed before it. */
};

struct pattern {
	char *text;		/* As written, owned. */
	size_t kind;
	enum rules_role role;
	double weight;		/* 0 for RULES_UNLESS. */
	size_t elem_first;	/* Its elements: elems[elem_first, + elem_count). */
	size_t elem_count;
};

struct kind {
	char *slug;		/* Owned strings. */
	char *headline;
	char *severity;
	double threshold;
	size_t pattern_first;	/* Its patterns: patterns[pattern_first, + count). */
	size_t pattern_count;
};

struct rules {
	struct kind *kinds;
	size_t nkinds, kinds_alloc;
	struct pattern *patterns;
	size_t npatterns, patterns_alloc;
	struct element *elems;
	size_t nelems, elems_alloc;
	unsigned *alts;		/* Term ids of the elements. */
	size_t nalts, alts_alloc;
	struct term *terms;
	size_t nterms, terms_alloc;
	unsigned *slots;	/* Hash table: term id + 1, 0 when empty. */
	size_t nslots;		/* A power of two, at least twice nterms. */
	uint32_t prefix_lengths;	/* Bit n: some prefix term has n bytes. */
	size_t heading_words;	/* A heading has at most this many; 0: none. */
	size_t *starter_first;	/* Per term (and one more): into starters. */
	size_t *starters;	/* Patterns whose first element has the term. */
};

static uint32_t
fnv_start(void)
{
	return 2166136261u;
}

static uint32_t
fnv_add(uint32_t h, unsigned char c)
{
	return (h ^ c) * 16777619u;
}

static int
fail(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	if (errsize > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errsize, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The term id of (word, len, prefix), or -1. */
static long
term_find(const struct rules *r, const char *word, size_t len, uint32_t hash, int prefix)
{
	size_t mask = r->nslots - 1, i;

	if (r->nslots == 0)
		return -1;
	for (i = hash & mask; r->slots[i] != 0; i = (i + 1) & mask) {
		const struct term *t = &r->terms[r->slots[i] - 1];

		if (t->hash == hash && t->len == len && t->prefix == prefix
		    && memcmp(t->word, word, len) == 0)
			return (long)(r->slots[i] - 1);
	}
	return -1;
}

static int
slots_rebuild(struct rules *r, size_t nslots)
{
	unsigned *slots = calloc(nslots, sizeof(*slots));
	size_t i, j;

	if (slots == NULL)
		return -1;
	for (i = 0; i < r->nterms; i++) {
		for (j = r->terms[i].hash & (nslots - 1); slots[j] != 0; j = (j + 1) & (nslots - 1))
			;
		slots[j] = (unsigned)i + 1;
	}
	free(r->slots);
	r->slots = slots;
	r->nslots = nslots;
	return 0;
}

/* The id of a term, added when new; -1 out of memory. */
static long
term_intern(struct rules *r, const char *word, size_t len, int prefix)
{
	uint32_t hash = fnv_start();
	struct term *t;
	size_t i;
	long id;

	for (i = 0; i < len; i++)
		hash = fnv_add(hash, (unsigned char)word[i]);
	if ((id = term_find(r, word, len, hash, prefix)) >= 0)
		return id;
	if ((r->nterms + 1) * 2 > r->nslots
	    && slots_rebuild(r, r->nslots != 0 ? r->nslots * 2 : 256) != 0)
		return -1;
	if (grow((void **)&r->terms, &r->terms_alloc, r->nterms, sizeof(*r->terms)) != 0)
		return -1;
	t = &r->terms[r->nterms];
	if ((t->word = malloc(len + 1)) == NULL)
		return -1;
	memcpy(t->word, word, len);
	t->word[len] = '\0';
	t->len = len;
	t->hash = hash;
	t->prefix = prefix;
	t->clause_word = 0;
	if (prefix)
		r->prefix_lengths |= (uint32_t)1 << len;
	r->nterms++;
	/* The table has room: it was grown above. */
	for (i = hash & (r->nslots - 1); r->slots[i] != 0; i = (i + 1) & (r->nslots - 1))
		;
	r->slots[i] = (unsigned)r->nterms;
	return (long)r->nterms - 1;
}

/* The term of one alternative, "word" or "word*", checked and interned:
 * its id, or -1 with the reason in err. */
static long
alternative_term(struct rules *r, const char *word, size_t len, const char *where,
		 const char *pattern, char *err, size_t errsize)
{
	int prefix = len > 0 && word[len - 1] == '*';
	size_t i;
	long id;

	len -= (size_t)prefix;
	if (len == 0)
		return fail(err, errsize, "%s: pattern '%s': empty word", where, pattern);
	if (len > (prefix ? RULES_MAX_PREFIX : RULES_MAX_WORD))
		return fail(err, errsize, "%s: pattern '%s': word '%.*s' is too long", where,
			    pattern, (int)len, word);
	for (i = 0; i < len; i++)
		if (!((word[i] >= 'a' && word[i] <= 'z') || (word[i] >= '0' && word[i] <= '9')))
			return fail(err, errsize,
				    "%s: pattern '%s': '%.*s' is not lower-case letters and digits",
				    where, pattern, (int)(len + (size_t)prefix), word);
	if ((id = term_intern(r, word, len, prefix)) < 0)
		return fail(err, errsize, "out of memory");
	return id;
}

/* One alternative of an element. */
static int
compile_alternative(struct rules *r, const char *word, size_t len, const char *where,
		    const char *pattern, char *err, size_t errsize)
{
	long id = alternative_term(r, word, len, where, pattern, err, errsize);

	if (id < 0)
		return -1;
	if (grow((void **)&r->alts, &r->alts_alloc, r->nalts, sizeof(*r->alts)) != 0)
		return fail(err, errsize, "out of memory");
	r->alts[r->nalts++] = (unsigned)id;
	return 0;
}

/* Compile one pattern of kind into patterns[]. */
static int
compile_pattern(struct rules *r, size_t kind, const char *text, enum rules_role role,
		double weight, const char *where, char *err, size_t errsize)
{
	struct pattern *p;
	const char *s = text;
	int gap = 0, pending = 0;

	if (grow((void **)&r->patterns, &r->patterns_alloc, r->npatterns, sizeof(*r->patterns))
	    != 0)
		return fail(err, errsize, "out of memory");
	p = &r->patterns[r->npatterns];
	*p = (struct pattern){ .kind = kind, .role = role, .weight = weight,
			       .elem_first = r->nelems };
	while (*s != '\0') {
		size_t n;

		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		n = strcspn(s, " ");
		if (*s == '~') {
			char *end;
			long v = strtol(s + 1, &end, 10);

			if (end != s + n || v < 1 || v > RULES_MAX_GAP || pending
			    || p->elem_count == 0)
				return fail(err, errsize,
					    "%s: pattern '%s': '%.*s' must be ~1 to ~%d between two words",
					    where, text, (int)n, s, RULES_MAX_GAP);
			gap = (int)v;
			pending = 1;
		} else {
			struct element *e;
			const char *alt = s, *stop = s + n;

			if (grow((void **)&r->elems, &r->elems_alloc, r->nelems, sizeof(*r->elems))
			    != 0)
				return fail(err, errsize, "out of memory");
			e = &r->elems[r->nelems];
			*e = (struct element){ .alt_first = r->nalts, .gap = gap };
			while (alt <= stop) {
				const char *bar = memchr(alt, '|', (size_t)(stop - alt));
				const char *end = bar != NULL ? bar : stop;

				if (compile_alternative(r, alt, (size_t)(end - alt), where, text, err,
							errsize) != 0)
					return -1;
				alt = end + 1;
			}
			e->alt_count = r->nalts - e->alt_first;
			r->nelems++;
			p->elem_count++;
			gap = 0;
			pending = 0;
		}
		s += n;
	}
	if (p->elem_count == 0 || pending)
		return fail(err, errsize, "%s: pattern '%s' %s", where, text,
			    pending ? "ends with a gap" : "is empty");
	if ((p->text = strdup(text)) == NULL)
		return fail(err, errsize, "out of memory");
	r->npatterns++;
	return 0;
}

static int
get_text(json_t *root, const char *key, const char *where, int optional, char **out, char *err,
	 size_t errsize)
{
	json_t *v = json_object_get(root, key);

	if (v == NULL && optional)
		return 0;
	if (!json_is_string(v) || json_string_length(v) == 0)
		return fail(err, errsize, "%s: '%s' must be a non-empty string", where, key);
	if ((*out = strdup(json_string_value(v))) == NULL)
		return fail(err, errsize, "out of memory");
	return 0;
}

/* Read rules/headings.json: what a heading is, for every kind. */
static int
rules_add_headings(struct rules *r, const char *name, const char *json, size_t len, char *err,
		   size_t errsize)
{
	json_error_t jerr;
	json_t *root, *v;
	const char *words, *alt, *bar;
	int rc = -1;

	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return fail(err, errsize, "%s: line %d: %s", name, jerr.line, jerr.text);
	v = json_object_get(root, "words");
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100) {
		fail(err, errsize, "%s: 'words' must be a whole number from 1 to 100", name);
		goto out;
	}
	r->heading_words = (size_t)json_integer_value(v);
	v = json_object_get(root, "clause_words");
	if (!json_is_string(v) || json_string_length(v) == 0
	    || strchr(json_string_value(v), ' ') != NULL) {
		fail(err, errsize, "%s: 'clause_words' must be words joined by '|'", name);
		goto out;
	}
	words = json_string_value(v);
	for (alt = words; alt != NULL; alt = bar != NULL ? bar + 1 : NULL) {
		size_t n;
		long id;

		bar = strchr(alt, '|');
		n = bar != NULL ? (size_t)(bar - alt) : strlen(alt);
		if ((id = alternative_term(r, alt, n, name, words, err, errsize)) < 0)
			goto out;
		r->terms[id].clause_word = 1;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

/* Add the kind one rules file describes (or, for headings.json, what a
 * heading is). */
static int
rules_add_file(struct rules *r, const char *name, const char *json, size_t len, char *err,
	       size_t errsize)
{
	static const char *const severities[] = { "high", "medium", "low", "favourable", NULL };
	json_error_t jerr;
	json_t *root, *list, *item, *v;
	const char *base = strrchr(name, '/');
	struct kind *k;
	size_t i;
	int rc = -1;

	if (strcmp(base != NULL ? base + 1 : name, RULES_HEADINGS_FILE) == 0)
		return rules_add_headings(r, name, json, len, err, errsize);
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return fail(err, errsize, "%s: line %d: %s", name, jerr.line, jerr.text);
	if (!json_is_object(root)) {
		fail(err, errsize, "%s: not a JSON object", name);
		goto out;
	}
	if (grow((void **)&r->kinds, &r->kinds_alloc, r->nkinds, sizeof(*r->kinds)) != 0) {
		fail(err, errsize, "out of memory");
		goto out;
	}
	k = &r->kinds[r->nkinds++];
	*k = (struct kind){ .threshold = 1.0, .pattern_first = r->npatterns };
	if (get_text(root, "kind", name, 0, &k->slug, err, errsize) != 0
	    || get_text(root, "headline", name, 0, &k->headline, err, errsize) != 0
	    || get_text(root, "severity", name, 0, &k->severity, err, errsize) != 0)
		goto out;
	for (i = 0; severities[i] != NULL && strcmp(severities[i], k->severity) != 0; i++)
		;
	if (severities[i] == NULL) {
		fail(err, errsize, "%s: unknown severity '%s'", name, k->severity);
		goto out;
	}
	for (i = 0; i + 1 < r->nkinds; i++)
		if (strcmp(r->kinds[i].slug, k->slug) == 0) {
			fail(err, errsize, "%s: kind '%s' has rules in another file too", name,
			     k->slug);
			goto out;
		}
	if ((v = json_object_get(root, "threshold")) != NULL) {
		if (!json_is_number(v) || json_number_value(v) <= 0) {
			fail(err, errsize, "%s: 'threshold' must be a positive number", name);
			goto out;
		}
		k->threshold = json_number_value(v);
	}
	list = json_object_get(root, "rules");
	if (!json_is_array(list) || json_array_size(list) == 0) {
		fail(err, errsize, "%s: 'rules' must be a non-empty array", name);
		goto out;
	}
	json_array_foreach(list, i, item) {
		json_t *match = json_object_get(item, "match");
		json_t *weight = json_object_get(item, "weight");

		if (!json_is_string(match) || !json_is_number(weight)) {
			fail(err, errsize, "%s: rule %zu needs a 'match' string and a 'weight'",
			     name, i + 1);
			goto out;
		}
		if (compile_pattern(r, r->nkinds - 1, json_string_value(match), RULES_WEIGHT,
				    json_number_value(weight), name, err, errsize) != 0)
			goto out;
	}
	list = json_object_get(root, "unless");
	if (list != NULL && !json_is_array(list)) {
		fail(err, errsize, "%s: 'unless' must be an array of patterns", name);
		goto out;
	}
	json_array_foreach(list, i, item) {
		if (!json_is_string(item)) {
			fail(err, errsize, "%s: 'unless' must be an array of patterns", name);
			goto out;
		}
		if (compile_pattern(r, r->nkinds - 1, json_string_value(item), RULES_UNLESS, 0,
				    name, err, errsize) != 0)
			goto out;
	}
	k->pattern_count = r->npatterns - k->pattern_first;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

/* Index the patterns by the terms of their first element. */
static int
rules_finish(struct rules *r, char *err, size_t errsize)
{
	size_t p, a, total = 0;
	size_t *fill;

	if (r->nkinds == 0)
		return fail(err, errsize, "no rules");
	r->starter_first = calloc(r->nterms + 1, sizeof(*r->starter_first));
	fill = calloc(r->nterms + 1, sizeof(*fill));
	if (r->starter_first == NULL || fill == NULL) {
		free(fill);
		return fail(err, errsize, "out of memory");
	}
	for (p = 0; p < r->npatterns; p++) {
		const struct element *e = &r->elems[r->patterns[p].elem_first];

		for (a = 0; a < e->alt_count; a++) {
			r->starter_first[r->alts[e->alt_first + a] + 1]++;
			total++;
		}
	}
	for (a = 0; a < r->nterms; a++)
		r->starter_first[a + 1] += r->starter_first[a];
	r->starters = malloc((total > 0 ? total : 1) * sizeof(*r->starters));
	if (r->starters == NULL) {
		free(fill);
		return fail(err, errsize, "out of memory");
	}
	for (p = 0; p < r->npatterns; p++) {
		const struct element *e = &r->elems[r->patterns[p].elem_first];

		for (a = 0; a < e->alt_count; a++) {
			unsigned t = r->alts[e->alt_first + a];

			r->starters[r->starter_first[t] + fill[t]++] = p;
		}
	}
	free(fill);
	return 0;
}

struct rules *
rules_parse(const char *name, const char *json, size_t len, char *err, size_t errsize)
{
	struct rules *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		fail(err, errsize, "out of memory");
		return NULL;
	}
	if (rules_add_file(r, name, json, len, err, errsize) != 0
	    || rules_finish(r, err, errsize) != 0) {
		rules_free(r);
		return NULL;
	}
	return r;
}

struct rules *
rules_load(const struct asset *table, char *err, size_t errsize)
{
	static const char prefix[] = "rules/";
	struct rules *r = calloc(1, sizeof(*r));
	const struct asset *a;

	if (r == NULL) {
		fail(err, errsize, "out of memory");
		return NULL;
	}
	for (a = table; a->name != NULL; a++) {
		size_t n = strlen(a->name), len;
		char *json;
		int rc;

		if (strncmp(a->name, prefix, sizeof(prefix) - 1) != 0 || n < 5
		    || strcmp(a->name + n - 5, ".json") != 0)
			continue;
		if ((json = assets_read(a, &len)) == NULL) {
			fail(err, errsize, "%s: cannot read (out of memory, or corrupt)", a->name);
			goto error;
		}
		rc = rules_add_file(r, a->name, json, len, err, errsize);
		free(json);
		if (rc != 0)
			goto error;
	}
	if (rules_finish(r, err, errsize) != 0)
		goto error;
	return r;

error:
	rules_free(r);
	return NULL;
}

void
rules_free(struct rules *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nkinds; i++) {
		free(r->kinds[i].slug);
		free(r->kinds[i].headline);
		free(r->kinds[i].severity);
	}
	for (i = 0; i < r->npatterns; i++)
		free(r->patterns[i].text);
	for (i = 0; i < r->nterms; i++)
		free(r->terms[i].word);
	free(r->kinds);
	free(r->patterns);
	free(r->elems);
	free(r->alts);
	free(r->terms);
	free(r->slots);
	free(r->starter_first);
	free(r->starters);
	free(r);
}

size_t
rules_nkinds(const struct rules *r)
{
	return r->nkinds;
}

const char *
rules_kind(const struct rules *r, size_t kind)
{
	return r->kinds[kind].slug;
}

const char *
rules_headline(const struct rules *r, size_t kind)
{
	return r->kinds[kind].headline;
}

const char *
rules_severity(const struct rules *r, size_t kind)
{
	return r->kinds[kind].severity;
}

double
rules_threshold(const struct rules *r, size_t kind)
{
	return r->kinds[kind].threshold;
}

long
rules_find_kind(const struct rules *r, const char *slug)
{
	size_t i;

	for (i = 0; i < r->nkinds; i++)
		if (strcmp(r->kinds[i].slug, slug) == 0)
			return (long)i;
	return -1;
}

const char *
rules_pattern(const struct rules *r, size_t kind, size_t rule, enum rules_role *role,
	      double *weight)
{
	const struct pattern *p = &r->patterns[r->kinds[kind].pattern_first + rule];

	if (role != NULL)
		*role = p->role;
	if (weight != NULL)
		*weight = p->weight;
	return p->text;
}

int
rules_match_init(const struct rules *r, struct rules_match *m)
{
	*m = (struct rules_match){ 0 };
	m->score = calloc(r->nkinds, sizeof(*m->score));
	m->given = calloc(r->nkinds, sizeof(*m->given));
	m->vetoed = calloc(r->nkinds, sizeof(*m->vetoed));
	m->seen = calloc(r->npatterns > 0 ? r->npatterns : 1, sizeof(*m->seen));
	if (m->score == NULL || m->given == NULL || m->vetoed == NULL || m->seen == NULL) {
		rules_match_free(m);
		return -1;
	}
	return 0;
}

void
rules_match_free(struct rules_match *m)
{
	if (m == NULL)
		return;
	free(m->score);
	free(m->given);
	free(m->hits);
	free(m->tok_first);
	free(m->tok_count);
	free(m->terms);
	free(m->seen);
	free(m->vetoed);
	*m = (struct rules_match){ 0 };
}

/* Record that the word being read matches term id. */
static int
add_term(struct rules_match *m, size_t ntok, long id)
{
	if (id < 0)
		return 0;
	if (grow((void **)&m->terms, &m->terms_alloc, m->tok_first[ntok] + m->tok_count[ntok],
		 sizeof(*m->terms)) != 0)
		return -1;
	m->terms[m->tok_first[ntok] + m->tok_count[ntok]++] = (unsigned)id;
	return 0;
}

/* Room for twice as many words. */
static int
grow_words(struct rules_match *m)
{
	size_t want = m->toks_alloc != 0 ? m->toks_alloc * 2 : 256;
	size_t *first = realloc(m->tok_first, want * sizeof(*first));
	size_t *count;

	if (first == NULL)
		return -1;
	m->tok_first = first;
	count = realloc(m->tok_count, want * sizeof(*count));
	if (count == NULL)
		return -1;
	m->tok_count = count;
	m->toks_alloc = want;
	return 0;
}

/* Where a link target or a URL that starts at text[i] ends, or i when none
 * starts there: the "(...)" of a Markdown link after "]", or "http://..."
 * up to white space. */
static size_t
skip_link(const char *text, size_t i, size_t len)
{
	size_t j;

	if (text[i] == '(' && i > 0 && text[i - 1] == ']') {
		for (j = i + 1; j < len && text[j] != ')' && text[j] != ' ' && text[j] != '\n'; j++)
			if (text[j] == '\\' && j + 1 < len)
				j++;
		return j;
	}
	if (len - i > 7 && (text[i] == 'h' || text[i] == 'H')
	    && (strncmp(text + i + 1, "ttp://", 6) == 0 || strncmp(text + i + 1, "ttps://", 7) == 0)) {
		for (j = i; j < len && text[j] != ' ' && text[j] != '\n' && text[j] != ')'; j++)
			;
		return j;
	}
	return i;
}

/* Read the passage into words and the terms each matches. */
static int
read_words(const struct rules *r, const char *text, size_t len, struct rules_match *m,
	   size_t *nwords)
{
	size_t i = 0, ntok = 0;

	while (i < len) {
		char word[RULES_MAX_WORD + 1];
		uint32_t hash = fnv_start();
		size_t n = 0, skip = skip_link(text, i, len);
		unsigned char c;

		if (skip != i) {
			i = skip;
			continue;
		}
		c = (unsigned char)text[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
			i++;
			continue;
		}
		if (ntok == m->toks_alloc && grow_words(m) != 0)
			return -1;
		m->tok_first[ntok] = ntok > 0 ? m->tok_first[ntok - 1] + m->tok_count[ntok - 1] : 0;
		m->tok_count[ntok] = 0;
		for (; i < len; i++, n++) {
			c = (unsigned char)text[i];
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
				break;
			hash = fnv_add(hash, c);
			if (n < RULES_MAX_WORD)
				word[n] = (char)c;
			if (n + 1 <= RULES_MAX_PREFIX && (r->prefix_lengths >> (n + 1) & 1)
			    && add_term(m, ntok, term_find(r, word, n + 1, hash, 1)) != 0)
				return -1;
		}
		if (n <= RULES_MAX_WORD && add_term(m, ntok, term_find(r, word, n, hash, 0)) != 0)
			return -1;
		ntok++;
	}
	*nwords = ntok;
	return 0;
}

/* Whether word w matches element e. */
static int
word_is(const struct rules *r, const struct rules_match *m, size_t w, const struct element *e)
{
	size_t i, j;

	for (i = 0; i < m->tok_count[w]; i++)
		for (j = 0; j < e->alt_count; j++)
			if (m->terms[m->tok_first[w] + i] == r->alts[e->alt_first + j])
				return 1;
	return 0;
}

/* Whether elements k.. of pattern p match from word w on. */
static int
match_from(const struct rules *r, const struct rules_match *m, size_t nwords,
	   const struct pattern *p, size_t k, size_t w)
{
	const struct element *e;
	size_t last, pos;

	if (k == p->elem_count)
		return 1;
	e = &r->elems[p->elem_first + k];
	last = w + (size_t)e->gap;
	for (pos = w; pos <= last && pos < nwords; pos++)
		if (word_is(r, m, pos, e) && match_from(r, m, nwords, p, k + 1, pos + 1))
			return 1;
	return 0;
}

/* Whether the passage just read is a heading ("Binding Arbitration and
 * Class Action Waiver"), which names kinds without being a clause of any:
 * at most heading_words words, and none of them a clause word (a verb, a
 * pronoun, "please"). */
static int
is_heading(const struct rules *r, const struct rules_match *m, size_t nwords)
{
	size_t w, i;

	if (nwords > r->heading_words)
		return 0;
	for (w = 0; w < nwords; w++)
		for (i = 0; i < m->tok_count[w]; i++)
			if (r->terms[m->terms[m->tok_first[w] + i]].clause_word)
				return 0;
	return 1;
}

int
rules_match(const struct rules *r, const char *text, size_t len, struct rules_match *m)
{
	size_t nwords = 0, w, i, s, k;
	int given = 0;

	m->nhits = 0;
	if (++m->pass == 0) {
		/* The pass count wrapped: forget every pattern's old pass. */
		memset(m->seen, 0, r->npatterns * sizeof(*m->seen));
		m->pass = 1;
	}
	memset(m->score, 0, r->nkinds * sizeof(*m->score));
	memset(m->vetoed, 0, r->nkinds * sizeof(*m->vetoed));
	if (read_words(r, text, len, m, &nwords) != 0)
		return -1;
	m->nwords = nwords;
	for (w = 0; w < nwords; w++) {
		for (i = 0; i < m->tok_count[w]; i++) {
			unsigned t = m->terms[m->tok_first[w] + i];

			for (s = r->starter_first[t]; s < r->starter_first[t + 1]; s++) {
				size_t p = r->starters[s];
				const struct pattern *pat = &r->patterns[p];

				if (m->seen[p] == m->pass || !match_from(r, m, nwords, pat, 1, w + 1))
					continue;
				m->seen[p] = m->pass;
				if (grow((void **)&m->hits, &m->hits_alloc, m->nhits,
					 sizeof(*m->hits)) != 0)
					return -1;
				m->hits[m->nhits++] = (struct rules_hit){
					.kind = pat->kind,
					.rule = p - r->kinds[pat->kind].pattern_first,
				};
				if (pat->role == RULES_UNLESS)
					m->vetoed[pat->kind] = 1;
				else
					m->score[pat->kind] += pat->weight;
			}
		}
	}
	m->heading = is_heading(r, m, nwords);
	for (k = 0; k < r->nkinds; k++) {
		m->given[k] = !m->heading && !m->vetoed[k] && m->score[k] >= r->kinds[k].threshold;
		given += m->given[k];
	}
	return given;
}

double
rules_confidence(const struct rules *r, const struct rules_match *m, size_t kind)
{
	double score = m->score[kind];

	if (score <= 0)
		return 0;
	return score / (score + r->kinds[kind].threshold);
}
