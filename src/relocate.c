/*
 * relocate: find a provision's excerpt again in a new version of its
 * document.  See relocate.h for the method.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "relocate.h"

/* A word of the text: where it is, and a hash of its case-folded bytes. */
struct word {
	size_t start, end;
	uint32_t hash;
	unsigned sentence_start : 1;	/* Begins a sentence or a paragraph. */
	unsigned sentence_end : 1;	/* Ends one. */
	unsigned paragraph_start : 1;	/* Begins a paragraph. */
};

struct relocate_text {
	const char *text;
	char *flat;		/* The text, every run of white space one space. */
	struct word *words;
	size_t nwords;
	uint32_t *pairs;	/* pairs[i]: hash of words i and i + 1. */
};

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Letters, digits and every byte of a multi-byte UTF-8 character make up
 * words; punctuation and Markdown marks separate them. */
static int
is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
	       || c >= 0x80;
}

/* Copy text with every run of white space made one space, trimmed. */
static char *
flatten(const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	int pending = 0;

	if (out == NULL)
		return NULL;
	for (; *text != '\0'; text++) {
		if (is_space((unsigned char)*text)) {
			pending = o != out;
			continue;
		}
		if (pending)
			*o++ = ' ';
		pending = 0;
		*o++ = *text;
	}
	*o = '\0';
	return out;
}

static uint32_t
word_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 16777619u;
	}
	return h;
}

static uint32_t
pair_hash(uint32_t a, uint32_t b)
{
	return (a * 0x9e3779b1u) ^ (b + 0x7f4a7c15u + (a << 6) + (a >> 2));
}

/* What lies between two words says whether a sentence or a paragraph
 * ends there: end punctuation, a line break, or a blank line. */
static void
classify_gap(const char *gap, size_t len, int *sentence, int *paragraph)
{
	size_t i, newlines = 0;

	*sentence = *paragraph = 0;
	for (i = 0; i < len; i++) {
		switch (gap[i]) {
		case '.': case '!': case '?': case ';': case ':':
			*sentence = 1;
			break;
		case '\n':
			newlines++;
			*sentence = 1;
			break;
		default:
			break;
		}
	}
	if (newlines >= 2)
		*paragraph = 1;
}

/* Cut text into words; *n receives their number.  NULL with *n = 0 for a
 * text without words; NULL with *n = SIZE_MAX when out of memory. */
static struct word *
split_words(const char *text, size_t *n)
{
	struct word *words = NULL;
	size_t count = 0, cap = 0, i = 0, prev_end = 0;

	while (text[i] != '\0') {
		size_t start;
		int sentence, paragraph;

		if (!is_word_byte((unsigned char)text[i])) {
			i++;
			continue;
		}
		start = i;
		while (text[i] != '\0' && is_word_byte((unsigned char)text[i]))
			i++;
		if (count == cap) {
			size_t ncap = cap != 0 ? cap * 2 : 256;
			struct word *nw = realloc(words, ncap * sizeof(*nw));

			if (nw == NULL) {
				free(words);
				*n = SIZE_MAX;
				return NULL;
			}
			words = nw;
			cap = ncap;
		}
		classify_gap(text + prev_end, start - prev_end, &sentence, &paragraph);
		words[count].start = start;
		words[count].end = i;
		words[count].hash = word_hash(text + start, i - start);
		words[count].sentence_start = count == 0 || sentence || paragraph;
		words[count].paragraph_start = count == 0 || paragraph;
		words[count].sentence_end = 0;
		if (count > 0 && words[count].sentence_start)
			words[count - 1].sentence_end = 1;
		prev_end = i;
		count++;
	}
	if (count > 0)
		words[count - 1].sentence_end = 1;
	*n = count;
	return words;
}

struct relocate_text *
relocate_prepare(const char *text)
{
	struct relocate_text *t = calloc(1, sizeof(*t));
	size_t i;

	if (t == NULL)
		return NULL;
	t->text = text;
	t->flat = flatten(text);
	t->words = split_words(text, &t->nwords);
	if (t->flat == NULL || (t->words == NULL && t->nwords != 0))
		goto fail;
	if (t->nwords > 1) {
		t->pairs = malloc((t->nwords - 1) * sizeof(*t->pairs));
		if (t->pairs == NULL)
			goto fail;
		for (i = 0; i + 1 < t->nwords; i++)
			t->pairs[i] = pair_hash(t->words[i].hash, t->words[i + 1].hash);
	}
	return t;
fail:
	if (t->nwords == SIZE_MAX)
		t->nwords = 0;
	relocate_text_free(t);
	return NULL;
}

void
relocate_text_free(struct relocate_text *t)
{
	if (t == NULL)
		return;
	free(t->flat);
	free(t->words);
	free(t->pairs);
	free(t);
}

static int
compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Dice coefficient of an excerpt of e pairs and a window of w pairs that
 * share `shared` of them. */
static double
dice(size_t shared, size_t e, size_t w)
{
	if (shared > e)
		shared = e;
	if (shared > w)
		shared = w;
	return e + w == 0 ? 0.0 : 2.0 * (double)shared / (double)(e + w);
}

/* The passage for words [s, e]: from the first word's start to the end of
 * the last word and the punctuation that closes it. */
static void
passage_range(const struct relocate_text *t, size_t s, size_t e, struct relocate_match *m)
{
	size_t end = t->words[e].end;

	while (t->text[end] != '\0' && !is_space((unsigned char)t->text[end])
	       && !is_word_byte((unsigned char)t->text[end]))
		end++;
	m->start = t->words[s].start;
	m->end = end;
}

/* The best passage for an excerpt of ne word pairs, shared_before[i]
 * counting the text's pairs before pair i that the excerpt has: whole
 * sentences of one paragraph, or a window of the excerpt's length where
 * no run of sentences is near it. */
static void
best_passage(const struct relocate_text *t, size_t ne, const size_t *shared_before,
	     struct relocate_match *m)
{
	size_t nwords = ne + 1, s, e;
	double best = 0.0, best_window = 0.0;
	size_t best_s = 0, best_e = 0, window_s = 0;

	/* Sentence runs: from each sentence start, the sentence ends after it
	 * in the same paragraph, while the run is at most twice as long. */
	for (s = 0; s < t->nwords; s++) {
		if (!t->words[s].sentence_start)
			continue;
		for (e = s; e < t->nwords && e - s + 1 <= 2 * nwords; e++) {
			size_t pairs, shared;
			double score;

			if (e > s && t->words[e].paragraph_start)
				break;
			if (!t->words[e].sentence_end || 2 * (e - s + 1) < nwords)
				continue;
			pairs = e - s;
			shared = shared_before[e] - shared_before[s];
			score = dice(shared, ne, pairs);
			if (score > best) {
				best = score;
				best_s = s;
				best_e = e;
			}
		}
	}
	/* Windows of the excerpt's length anywhere: an excerpt may be part of
	 * a sentence. */
	for (s = 0; s + nwords <= t->nwords; s++) {
		size_t shared = shared_before[s + nwords - 1] - shared_before[s];
		double score = dice(shared, ne, ne);

		if (score > best_window) {
			best_window = score;
			window_s = s;
		}
	}
	/* A sentence run is the readable passage: take it unless the window
	 * is elsewhere and far better (a clause of a long sentence). */
	if (best >= RELOCATE_THRESHOLD
	    && ((window_s >= best_s && window_s + nwords - 1 <= best_e)
		|| best_window - best < 0.3)) {
		m->similarity = best;
	} else if (best_window >= RELOCATE_THRESHOLD) {
		m->similarity = best_window;
		best_s = window_s;
		best_e = window_s + nwords - 1;
	} else {
		m->similarity = best > best_window ? best : best_window;
		m->outcome = RELOCATE_REMOVED;
		return;
	}
	m->outcome = RELOCATE_CHANGED;
	passage_range(t, best_s, best_e, m);
}

int
relocate_find(const struct relocate_text *t, const char *excerpt, struct relocate_match *m)
{
	char *flat = flatten(excerpt);
	struct word *words = NULL;
	uint32_t *epairs = NULL;
	size_t *shared_before = NULL, nwords = 0, ne, i;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	m->outcome = RELOCATE_REMOVED;
	if (flat == NULL)
		return -1;
	if (*flat != '\0' && strstr(t->flat, flat) != NULL) {
		m->outcome = RELOCATE_CURRENT;
		m->similarity = 1.0;
		rc = 0;
		goto done;
	}
	words = split_words(excerpt, &nwords);
	if (words == NULL && nwords != 0)
		goto done;
	if (nwords < 2 || t->nwords < 2) {
		rc = 0;		/* Too short to be found but verbatim. */
		goto done;
	}
	ne = nwords - 1;
	epairs = malloc(ne * sizeof(*epairs));
	shared_before = malloc(t->nwords * sizeof(*shared_before));
	if (epairs == NULL || shared_before == NULL)
		goto done;
	for (i = 0; i < ne; i++)
		epairs[i] = pair_hash(words[i].hash, words[i + 1].hash);
	qsort(epairs, ne, sizeof(*epairs), compare_u32);
	/* shared_before[i]: how many of the text's pairs before pair i are
	 * among the excerpt's, so that any window's count is a subtraction. */
	shared_before[0] = 0;
	for (i = 0; i + 1 < t->nwords; i++)
		shared_before[i + 1] = shared_before[i]
			+ (bsearch(&t->pairs[i], epairs, ne, sizeof(*epairs), compare_u32) != NULL);
	best_passage(t, ne, shared_before, m);
	rc = 0;
done:
	free(flat);
	free(words);
	free(epairs);
	free(shared_before);
	return rc;
}

const char *
relocate_outcome_name(enum relocate_outcome outcome)
{
	switch (outcome) {
	case RELOCATE_CURRENT:
		return "current";
	case RELOCATE_CHANGED:
		return "changed";
	case RELOCATE_REMOVED:
		break;
	}
	return "removed";
}
