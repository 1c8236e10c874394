/*
 * bench: how fast clause searches a large store, and how that compares with
 * grep over the same texts.
 *
 * The corpus of real terms ($CLAUSE_SHARED/corpus/versions/<service>/
 * <document>/<date>.md) is cut into paragraphs, and 100,000 provisions over
 * 2,000 platforms are made from them, through store.h only, in a temporary
 * database: 50 provisions a platform over 1 to 3 documents with one version
 * each, of 25 kinds modelled on clause's catalogue.  Platform and kind names
 * are indexed with every provision, so they are made to look real (a
 * "Platform 0042" would make "platform" match every row).  The run then
 * measures, in this order:
 *
 *   - the time from store_open() of the built database to the first hit of
 *     a search for a common word;
 *   - the latency of 1,000 varied queries (words, AND, phrases, prefixes,
 *     OR, some narrowed by platform or kind), each parsed by query_parse()
 *     and run by store_search() with the CLI's default limit of 20;
 *   - the size of the database and the peak RSS of this process;
 *   - one query in ten again, unfiltered, answered by `grep -i -l -r -F`
 *     over the same provisions written out as one file per platform.
 *
 * Everything is deterministic: the corpus files are read in sorted order
 * and every choice comes from a fixed-seed xorshift generator.  The scale
 * (1 by default) is the first argument or CLAUSE_BENCH_SCALE: 0.01 builds
 * 20 platforms and runs 10 queries, small enough for valgrind.  With
 * CLAUSE_BENCH_KEEP=1 the temporary directory is left (and named) at the
 * end, to look at the database with sqlite3; CLAUSE_BENCH_KEEP_DB=PATH
 * moves the database there for tests/bench-ui; CLAUSE_BENCH_VERBOSE=1
 * lists every query with its time and hits on stderr.  CLAUSE_BENCH_DB=PATH
 * skips the build and searches the database at PATH instead, one that a
 * run at the same scale kept (CLAUSE_BENCH_KEEP_DB): the queries are the
 * same, since they come from the corpus and the seed, and only the build
 * time and the grep baseline, which needs the texts written out, are left
 * out.  Opening it may write to it (its WAL): hand it a copy.
 *
 * A benchmark reports and does not judge: it exits 0 when a target is
 * missed, and 1 (with one "bench: ..." line) only when something failed.
 */

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "query.h"
#include "store.h"
#include "textdiff.h"

#define BENCH_PLATFORMS 2000		/* Platforms at scale 1. */
#define BENCH_PER_PLATFORM 50		/* Provisions of each platform. */
#define BENCH_QUERIES 1000		/* Queries at scale 1. */
#define BENCH_MIN_QUERIES 10		/* Queries at any scale. */
#define BENCH_LIMIT 20			/* Hits per search, as `clause search`. */
#define BENCH_GREP_EVERY 10		/* One query in this many goes to grep. */
#define BENCH_SEED 0x9e3779b97f4a7c15ULL

#define PASSAGE_MIN 80			/* Shortest paragraph kept (bytes). */
#define PASSAGE_MAX 900			/* Longest paragraph kept (bytes). */
#define PASSAGE_TOKENS 512		/* More than a PASSAGE_MAX text holds. */

#define TARGET_P99_MS 5.0
#define TARGET_RATIO 20.0

/* The word of the open-to-first-result search: common in every corpus. */
#define FIRST_QUERY "data"
/* What the first-hit callback returns to stop the walk. */
#define FIRST_HIT_STOP 1

/* Fail with one line, "bench: " and the message; returns -1 so that callers
 * can `return bench_fail(...)`. */
static int bench_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The corpus: paragraphs of real terms.
 */

struct corpus {
	char **passage;		/* Whitespace-normalised paragraphs, each malloc'd. */
	size_t count;		/* Passages held. */
	size_t size;		/* Room in passage[]. */
	uint32_t *slot;		/* Hash set of passage index + 1 (0 is empty), to drop repeats. */
	size_t slots;		/* Size of slot[], a power of two. */
	size_t files;		/* Markdown files read. */
	size_t bytes;		/* Bytes read. */
};

/* The kinds of generated query, with the share of each (in percent). */
enum bench_query_type {
	BENCH_QUERY_WORD,	/* One word: data */
	BENCH_QUERY_AND,	/* Two words that must both match: data retain */
	BENCH_QUERY_PHRASE,	/* Two adjacent words: "personal data" */
	BENCH_QUERY_PREFIX,	/* The start of a long word: perso* */
	BENCH_QUERY_OR,		/* Either of two words: arbitration OR refund */
	BENCH_QUERY_TYPES	/* Number of types, not a type. */
};

static const struct {
	const char *name;	/* For the report. */
	int share;		/* Percent of the queries. */
} query_types[BENCH_QUERY_TYPES] = {
	[BENCH_QUERY_WORD] = { .name = "word", .share = 40 },
	[BENCH_QUERY_AND] = { .name = "and", .share = 20 },
	[BENCH_QUERY_PHRASE] = { .name = "phrase", .share = 15 },
	[BENCH_QUERY_PREFIX] = { .name = "prefix", .share = 17 },
	[BENCH_QUERY_OR] = { .name = "or", .share = 8 },
};

struct bench_query {
	enum bench_query_type type;
	char *text;		/* What a user would type, for query_parse(). */
	char *pattern[2];	/* grep's fixed strings; the second for OR only. */
	int64_t platform_id;	/* Filter by this platform, or 0. */
	const char *kind;	/* Filter by this kind's slug, or NULL. */
	double ms;		/* Time of query_parse() and store_search(). */
	int hits;		/* Hits store_search() gave (at most BENCH_LIMIT). */
};

/* The state of one run; the arrays are owned here and freed by bench_free. */
struct bench {
	double scale;			/* 1 for the figures. */
	size_t platforms;		/* Platforms generated. */
	size_t provisions;		/* platforms * BENCH_PER_PLATFORM. */
	size_t nqueries;		/* Queries run. */
	uint64_t rng;			/* xorshift64* state, never 0. */
	struct corpus corpus;
	uint32_t *passage;		/* Per provision: its index in corpus.passage. */
	unsigned char *kind;		/* Per provision: its kind number. */
	unsigned char *documents;	/* Per platform: documents (1 to 3). */
	int64_t *platform_id;		/* Per platform: its row id. */
	struct bench_query *query;	/* nqueries queries. */
	char dir[PATH_MAX];		/* The temporary directory, or "" before mkdtemp. */
	char db[PATH_MAX];		/* The database in dir. */
	char grep_dir[PATH_MAX];	/* The texts for grep, in dir. */
	size_t grep_files;		/* Files written into grep_dir. */
	size_t grep_bytes;		/* Bytes written into grep_dir. */
	int keep;			/* CLAUSE_BENCH_KEEP: leave dir for a look. */
	int verbose;			/* CLAUSE_BENCH_VERBOSE: list every query. */
};

/* Words of four letters or more too common to search for.  Words common
 * in terms ("data", "services") are kept: users search for them. */
static const char *const stopwords[] = {
	"about", "above", "after", "again", "against", "also", "among", "another", "because",
	"been", "before", "being", "below", "between", "both", "cannot", "could", "does",
	"doing", "down", "during", "each", "either", "even", "every", "from", "further", "have",
	"having", "here", "herein", "hereby", "into", "just", "less", "like", "made", "make",
	"many", "more", "most", "much", "must", "neither", "only", "other", "otherwise", "ours",
	"over", "same", "shall", "should", "since", "some", "such", "than", "that", "their",
	"theirs", "them", "then", "there", "thereof", "these", "they", "this", "those",
	"through", "under", "until", "upon", "very", "were", "what", "when", "where",
	"whether", "which", "while", "whom", "will", "with", "within", "without", "would",
	"your", "yours", "yourself",
};

/* The documents a platform has: the first 1 to 3 of these. */
static const char *const document_kinds[] = { "terms", "privacy", "usage-policy" };
static const char *const document_titles[] = { "Terms of Service", "Privacy Policy",
					       "Usage Policy" };
static const char *const severities[] = { "high", "medium", "low", "favourable" };

/*
 * The kinds, modelled on clause's catalogue, each with the impact sentence
 * its provisions get.  Their slugs and names are indexed with every
 * provision, so they are real words, as in a real database: a placeholder
 * such as "kind-07 Kind 07" would put the token "kind" in every row and
 * make a search for "kind" match all 100,000.
 */
static const struct {
	const char *slug;	/* provision_type.slug, and a filter's value. */
	const char *name;	/* provision_type.name. */
	const char *topic;	/* provision_type.topic. */
	const char *impact;	/* The impact of every provision of the kind. */
} kinds[] = {
	{ "training-on-user-content", "Training on user content", "AI and data use",
	  "What you type can be used to train future models." },
	{ "feedback-licence", "Feedback licence", "AI and data use",
	  "Suggestions you send become the provider's to use freely." },
	{ "human-review-of-conversations", "Human review of conversations", "AI and data use",
	  "Staff or contractors may read flagged conversations." },
	{ "conversation-retention", "Retention of conversations", "AI and data use",
	  "Chats are kept for weeks after you delete them." },
	{ "output-ownership", "Ownership of AI outputs", "Content and ownership",
	  "You may use the answers, but others can get similar ones." },
	{ "content-licence", "Licence over user content", "Content and ownership",
	  "Uploads grant a worldwide royalty-free licence." },
	{ "content-removal", "Content removal and moderation", "Content and ownership",
	  "Posts can be taken down without explanation." },
	{ "data-retention", "Retention of personal data", "Data collection and use",
	  "Records about you stay long after the account closes." },
	{ "advertising", "Advertising and ad targeting", "Data collection and use",
	  "Your activity shapes the adverts shown to you." },
	{ "data-sharing-and-sale", "Sharing and sale of data", "Data collection and use",
	  "Affiliates and partners receive details about you." },
	{ "law-enforcement-access", "Disclosure to law enforcement", "Data collection and use",
	  "Police requests can be answered without telling you." },
	{ "international-transfers", "International data transfers", "Data collection and use",
	  "Your records may be processed in other countries." },
	{ "sensitive-data", "Sensitive data", "Data collection and use",
	  "Health or belief details may be inferred and stored." },
	{ "cookies-and-tracking", "Cookies and tracking", "Data collection and use",
	  "Browsing is followed across sites with pixels." },
	{ "children", "Children's data", "Data collection and use",
	  "Teenagers get fewer protections than adults expect." },
	{ "age-requirements", "Age requirements", "Contract changes and termination",
	  "Users under sixteen need a parent's consent." },
	{ "arbitration", "Mandatory arbitration", "Disputes and liability",
	  "Disputes go to a private arbitrator, not a judge." },
	{ "class-action-waiver", "Class-action waiver", "Disputes and liability",
	  "You cannot join others in a group lawsuit." },
	{ "jurisdiction", "Jurisdiction and venue", "Disputes and liability",
	  "Claims must be brought in a distant court." },
	{ "choice-of-law", "Governing law", "Disputes and liability",
	  "A foreign legal system decides the contract." },
	{ "limitation-of-liability", "Limitation of liability", "Disputes and liability",
	  "Compensation is capped at a small amount." },
	{ "indemnification", "Indemnification by the user", "Disputes and liability",
	  "You pay the provider's costs if someone sues it over you." },
	{ "unilateral-change", "Unilateral changes to terms", "Contract changes and termination",
	  "The rules may change and continued use means agreement." },
	{ "unilateral-termination", "Suspension and termination by the provider",
	  "Contract changes and termination", "Access can end at any moment." },
	{ "account-deletion", "Account deletion", "User rights",
	  "Deleting the profile does not erase everything." },
};

#define BENCH_KINDS (sizeof(kinds) / sizeof(kinds[0]))

/* Syllables of the generated platform names: brand-like, so that a name is
 * not an English word the corpus uses ("Platform 0042" would put
 * "platform" in every row). */
static const char *const syllables[] = {
	"ka", "lo", "mi", "nu", "ra", "se", "ti", "vo",
	"zen", "dor", "qua", "bel", "fi", "gor", "hu", "jax",
};

static int
bench_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* Milliseconds on the monotonic clock. */
static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The next number of the xorshift64* generator in *state (never 0). */
static uint64_t
rng_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* A number in [0, n), n > 0; the bias of the modulo does not matter here. */
static size_t
rng_below(uint64_t *state, size_t n)
{
	return (size_t)((rng_next(state) >> 11) % n);
}

/* dir "/" name into buf; -1 (with a message) if it does not fit. */
static int
path_join(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= size)
		return bench_fail("path too long: '%s/%s'", dir, name);
	return 0;
}

static int
compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
compare_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The p-th percentile (nearest rank) of the n sorted values. */
static double
percentile(const double *sorted, size_t n, double p)
{
	size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);

	if (rank == 0)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

static double
mean(const double *v, size_t n)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += v[i];
	return n > 0 ? sum / (double)n : 0;
}

/*
 * Reading the corpus.
 */

/* The names in directory path but "." and "..", sorted, into *names (a
 * malloc'd array of malloc'd strings, *count of them; free with
 * names_free).  With suffix, only the names that end in it. */
static int
names_read(const char *path, const char *suffix, char ***names, size_t *count)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	char **list = NULL;
	size_t n = 0, size = 0, len, slen = suffix != NULL ? strlen(suffix) : 0;

	*names = NULL;
	*count = 0;
	if (dir == NULL)
		return bench_fail("cannot open directory '%s': %s", path, strerror(errno));
	errno = 0;
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		len = strlen(e->d_name);
		if (suffix != NULL && (len < slen || strcmp(e->d_name + len - slen, suffix) != 0))
			continue;
		if (n == size) {
			size_t grown_size = size > 0 ? size * 2 : 64;
			char **grown = realloc(list, grown_size * sizeof(*grown));

			if (grown == NULL)
				goto nomem;
			list = grown;
			size = grown_size;
		}
		if ((list[n] = strdup(e->d_name)) == NULL)
			goto nomem;
		n++;
		errno = 0;
	}
	if (errno != 0) {
		bench_fail("cannot read directory '%s': %s", path, strerror(errno));
		goto error;
	}
	closedir(dir);
	if (n > 0)
		qsort(list, n, sizeof(*list), compare_string);
	*names = list;
	*count = n;
	return 0;

nomem:
	bench_fail("out of memory reading directory '%s'", path);
error:
	while (n > 0)
		free(list[--n]);
	free(list);
	closedir(dir);
	return -1;
}

static void
names_free(char **names, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

/* The whole file at path, NUL-terminated, in *text (malloc'd), its length
 * in *len. */
static int
file_read(const char *path, char **text, size_t *len)
{
	struct stat sb;
	char *buf = NULL;
	size_t n = 0;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*text = NULL;
	if (fd < 0)
		return bench_fail("cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &sb) != 0) {
		bench_fail("cannot stat '%s': %s", path, strerror(errno));
		goto error;
	}
	if ((buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		bench_fail("out of memory reading '%s'", path);
		goto error;
	}
	while (n < (size_t)sb.st_size) {
		got = read(fd, buf + n, (size_t)sb.st_size - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			bench_fail("cannot read '%s': %s", path, strerror(errno));
			goto error;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;

error:
	free(buf);
	close(fd);
	return -1;
}

/* FNV-1a of a string. */
static uint32_t
hash_string(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Grow the hash set to twice its size (or its first size) and re-insert. */
static int
corpus_rehash(struct corpus *c)
{
	size_t slots = c->slots > 0 ? c->slots * 2 : 1 << 16, i, j;
	uint32_t *slot = calloc(slots, sizeof(*slot));

	if (slot == NULL)
		return bench_fail("out of memory indexing the corpus");
	for (i = 0; i < c->count; i++) {
		for (j = hash_string(c->passage[i]) & (slots - 1); slot[j] != 0;
		     j = (j + 1) & (slots - 1))
			;
		slot[j] = (uint32_t)i + 1;
	}
	free(c->slot);
	c->slot = slot;
	c->slots = slots;
	return 0;
}

/* Add the n bytes at p as a passage, its whitespace runs made one space and
 * trimmed, unless it is too short, too long or already held. */
static int
corpus_add(struct corpus *c, const char *p, size_t n)
{
	char *s = malloc(n + 1);
	size_t len = 0, i, j;
	int space = 0;

	if (s == NULL)
		return bench_fail("out of memory reading the corpus");
	for (i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r' || p[i] == '\f'
		    || p[i] == '\v') {
			space = len > 0;
			continue;
		}
		if (space)
			s[len++] = ' ';
		space = 0;
		s[len++] = p[i];
	}
	s[len] = '\0';
	if (len < PASSAGE_MIN || len > PASSAGE_MAX)
		goto drop;
	/* Keep the set at most half full. */
	if ((c->count + 1) * 2 > c->slots && corpus_rehash(c) != 0)
		goto error;
	for (j = hash_string(s) & (c->slots - 1); c->slot[j] != 0; j = (j + 1) & (c->slots - 1))
		if (strcmp(c->passage[c->slot[j] - 1], s) == 0)
			goto drop;
	if (c->count == c->size) {
		size_t size = c->size > 0 ? c->size * 2 : 4096;
		char **grown = realloc(c->passage, size * sizeof(*grown));

		if (grown == NULL) {
			bench_fail("out of memory reading the corpus");
			goto error;
		}
		c->passage = grown;
		c->size = size;
	}
	c->slot[j] = (uint32_t)c->count + 1;
	c->passage[c->count++] = s;
	return 0;

drop:
	free(s);
	return 0;
error:
	free(s);
	return -1;
}

/* Cut text into paragraphs at blank lines (lines of whitespace only). */
static int
corpus_cut(struct corpus *c, const char *text, size_t len)
{
	const char *start = text, *line = text, *end = text + len, *nl, *q;

	while (line < end) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		for (q = line; q < nl && (*q == ' ' || *q == '\t' || *q == '\r'); q++)
			;
		if (q == nl) {
			if (line > start && corpus_add(c, start, (size_t)(line - start)) != 0)
				return -1;
			start = nl < end ? nl + 1 : end;
		}
		line = nl < end ? nl + 1 : end;
	}
	if (end > start && corpus_add(c, start, (size_t)(end - start)) != 0)
		return -1;
	return 0;
}

/* Read every versions/<service>/<document>/<date>.md under shared's corpus,
 * in sorted order, into c. */
static int
corpus_load(struct corpus *c, const char *shared)
{
	char root[PATH_MAX], service[PATH_MAX], document[PATH_MAX], file[PATH_MAX];
	char **services = NULL, **docs = NULL, **dates = NULL;
	size_t nservices = 0, ndocs = 0, ndates = 0, i, j, k, len = 0;
	char *text;
	int rc = -1;

	if (path_join(root, sizeof(root), shared, "corpus/versions") != 0
	    || names_read(root, NULL, &services, &nservices) != 0)
		return -1;
	for (i = 0; i < nservices; i++) {
		if (path_join(service, sizeof(service), root, services[i]) != 0
		    || names_read(service, NULL, &docs, &ndocs) != 0)
			goto out;
		for (j = 0; j < ndocs; j++) {
			if (path_join(document, sizeof(document), service, docs[j]) != 0
			    || names_read(document, ".md", &dates, &ndates) != 0)
				goto out;
			for (k = 0; k < ndates; k++) {
				if (path_join(file, sizeof(file), document, dates[k]) != 0
				    || file_read(file, &text, &len) != 0)
					goto out;
				rc = corpus_cut(c, text, len);
				free(text);
				if (rc != 0)
					goto out;
				rc = -1;
				c->files++;
				c->bytes += len;
			}
			names_free(dates, ndates);
			dates = NULL;
			ndates = 0;
		}
		names_free(docs, ndocs);
		docs = NULL;
		ndocs = 0;
	}
	if (c->count == 0) {
		bench_fail("no passage of %d to %d bytes in '%s'", PASSAGE_MIN, PASSAGE_MAX, root);
		goto out;
	}
	rc = 0;
out:
	names_free(dates, ndates);
	names_free(docs, ndocs);
	names_free(services, nservices);
	return rc;
}

static void
corpus_free(struct corpus *c)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		free(c->passage[i]);
	free(c->passage);
	free(c->slot);
	memset(c, 0, sizeof(*c));
}

/*
 * The generated layout: which passage and kind each provision has.
 */

/* Deal the passages to the provisions: a fresh shuffle of the corpus for
 * each pass, so that a passage used again lands on another platform, among
 * other neighbours.  Each platform gets 1 to 3 documents and each provision
 * one of the kinds. */
static int
layout_make(struct bench *b)
{
	size_t n = b->corpus.count, i, j;
	uint32_t *order = malloc(n * sizeof(*order)), t;

	b->passage = malloc(b->provisions * sizeof(*b->passage));
	b->kind = malloc(b->provisions);
	b->documents = malloc(b->platforms);
	b->platform_id = calloc(b->platforms, sizeof(*b->platform_id));
	if (order == NULL || b->passage == NULL || b->kind == NULL || b->documents == NULL
	    || b->platform_id == NULL) {
		free(order);
		return bench_fail("out of memory laying out %zu provisions", b->provisions);
	}
	for (i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	for (i = 0; i < b->provisions; i++) {
		if (i % n == 0) {
			for (j = n - 1; j > 0; j--) {
				size_t r = rng_below(&b->rng, j + 1);

				t = order[j];
				order[j] = order[r];
				order[r] = t;
			}
		}
		b->passage[i] = order[i % n];
		b->kind[i] = (unsigned char)rng_below(&b->rng, BENCH_KINDS);
	}
	for (i = 0; i < b->platforms; i++)
		b->documents[i] = (unsigned char)(1 + rng_below(&b->rng, 3));
	free(order);
	return 0;
}

/* The name of platform p: its number in base 16, one syllable a digit,
 * three at least ("Kalomi"). */
static void
platform_name(char *buf, size_t size, size_t p)
{
	size_t digits = 3, n = 0, d, i;

	while (digits < 8 && (p >> (4 * digits)) != 0)
		digits++;
	for (i = digits; i-- > 0 && n + 4 < size;) {
		d = (p >> (4 * i)) & 15;
		n += (size_t)snprintf(buf + n, size - n, "%s", syllables[d]);
	}
	buf[0] = (char)(buf[0] - 'a' + 'A');
}

/*
 * Building the database.
 */

/* The passages of document d of platform p (every provision j of p with
 * j % documents == d), joined by blank lines, as the version's text
 * (malloc'd). */
static char *
version_text(const struct bench *b, size_t p, unsigned d)
{
	size_t first = p * BENCH_PER_PLATFORM, len = 1, j;
	unsigned documents = b->documents[p];
	char *text, *w;

	for (j = d; j < BENCH_PER_PLATFORM; j += documents)
		len += strlen(b->corpus.passage[b->passage[first + j]]) + 2;
	if ((text = malloc(len)) == NULL)
		return NULL;
	w = text;
	for (j = d; j < BENCH_PER_PLATFORM; j += documents) {
		const char *s = b->corpus.passage[b->passage[first + j]];
		size_t n = strlen(s);

		memcpy(w, s, n);
		w += n;
		*w++ = '\n';
		*w++ = '\n';
	}
	*w = '\0';
	return text;
}

/* The first eight words of s into buf (size bytes, cut short if need be). */
static void
headline_of(char *buf, size_t size, const char *s)
{
	size_t n = 0;
	int words = 0;

	while (s[n] != '\0' && n + 1 < size) {
		if (s[n] == ' ' && ++words == 8)
			break;
		n++;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* Platform p: the platform, its documents, one version of each and its
 * provisions. */
static int
build_platform(struct bench *b, struct store *st, size_t p)
{
	char slug[32], name[64], operator_name[80], homepage[64], url[96];
	char sha[DIGEST_HEX_LEN + 1], headline[PASSAGE_MAX + 1];
	struct store_provision_in in = { .origin = "curated", .status = "current" };
	size_t first = p * BENCH_PER_PLATFORM, j;
	unsigned d;
	char *text;
	int64_t document, version;

	snprintf(slug, sizeof(slug), "p%04zu", p);
	platform_name(name, sizeof(name), p);
	snprintf(operator_name, sizeof(operator_name), "%s Inc.", name);
	snprintf(homepage, sizeof(homepage), "https://%s.example", slug);
	if (store_put_platform(st, slug, name, operator_name, "AI", homepage, &b->platform_id[p])
	    != STORE_OK)
		return bench_fail("%s", store_errmsg(st));
	for (d = 0; d < b->documents[p]; d++) {
		snprintf(url, sizeof(url), "%s/%s", homepage, document_kinds[d]);
		if (store_put_document(st, b->platform_id[p], document_kinds[d],
				       document_titles[d], url, NULL, &document) != STORE_OK)
			return bench_fail("%s", store_errmsg(st));
		if ((text = version_text(b, p, d)) == NULL)
			return bench_fail("out of memory building platform %s", slug);
		if (digest_sha256_hex(text, strlen(text), sha) != 0) {
			free(text);
			return bench_fail("cannot compute SHA-256 of a version of %s", slug);
		}
		if (store_add_version(st, document, "2025-01-01T00:00:00Z", "embedded", sha, text,
				      &version, NULL) != STORE_OK) {
			free(text);
			return bench_fail("%s", store_errmsg(st));
		}
		free(text);
		in.document_id = document;
		in.first_version = version;
		in.last_version = version;
		for (j = d; j < BENCH_PER_PLATFORM; j += b->documents[p]) {
			const char *excerpt = b->corpus.passage[b->passage[first + j]];

			headline_of(headline, sizeof(headline), excerpt);
			in.kind = kinds[b->kind[first + j]].slug;
			in.excerpt = excerpt;
			in.headline = headline;
			in.impact = kinds[b->kind[first + j]].impact;
			in.severity = severities[(first + j) % 4];
			if (store_put_provision(st, &in, NULL) != STORE_OK)
				return bench_fail("%s", store_errmsg(st));
		}
	}
	return 0;
}

/* The ids of the platforms of a database built by an earlier run
 * (CLAUSE_BENCH_DB), found by their slugs, for the queries narrowed by
 * platform. */
static int
platform_ids_read(struct bench *b)
{
	char err[512], slug[32];
	struct store *st;
	size_t p;

	if ((st = store_open(b->db, err, sizeof(err))) == NULL)
		return bench_fail("%s", err);
	for (p = 0; p < b->platforms; p++) {
		snprintf(slug, sizeof(slug), "p%04zu", p);
		if (store_platform_by_slug(st, slug, &b->platform_id[p]) != STORE_OK) {
			bench_fail("no platform '%s' in '%s' (built at another scale?): %s", slug,
				   b->db, store_errmsg(st));
			store_close(st);
			return -1;
		}
	}
	store_close(st);
	return 0;
}

/* Create the database at b->db and fill it in one transaction. */
static int
build(struct bench *b)
{
	char err[512];
	struct store *st;
	size_t k, p;
	int64_t id;

	if ((st = store_open(b->db, err, sizeof(err))) == NULL)
		return bench_fail("%s", err);
	if (store_begin(st) != STORE_OK) {
		bench_fail("%s", store_errmsg(st));
		goto error;
	}
	for (k = 0; k < BENCH_KINDS; k++) {
		if (store_put_type(st, kinds[k].slug, kinds[k].name, kinds[k].topic,
				   "A kind of the benchmark.", &id) != STORE_OK) {
			bench_fail("%s", store_errmsg(st));
			goto rollback;
		}
	}
	for (p = 0; p < b->platforms; p++)
		if (build_platform(b, st, p) != 0)
			goto rollback;
	if (store_commit(st) != STORE_OK) {
		bench_fail("%s", store_errmsg(st));
		goto rollback;
	}
	store_close(st);
	return 0;

rollback:
	store_rollback(st);
error:
	store_close(st);
	return -1;
}

/*
 * Making the queries.
 */

struct token {
	const char *p;		/* Start, in the passage. */
	size_t n;		/* Length. */
};

static int
is_word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	       || c >= 0x80;
}

static int
is_stopword(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(stopwords) / sizeof(stopwords[0]); i++)
		if (strlen(stopwords[i]) == n && strncasecmp(stopwords[i], p, n) == 0)
			return 1;
	return 0;
}

/* The words of text made of ASCII letters only (as the index and grep
 * both see them), at most max, into tok. */
static size_t
tokens_of(const char *text, struct token *tok, size_t max)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n = 0, start;
	int letters;

	while (s[i] != '\0' && n < max) {
		if (!is_word_byte(s[i])) {
			i++;
			continue;
		}
		start = i;
		letters = 1;
		while (is_word_byte(s[i])) {
			if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
				letters = 0;
			i++;
		}
		if (letters) {
			tok[n].p = text + start;
			tok[n].n = i - start;
			n++;
		}
	}
	return n;
}

/* Whether a token is worth searching for: four letters or more, and not a
 * stopword. */
static int
is_keyword(const struct token *t)
{
	return t->n >= 4 && !is_stopword(t->p, t->n);
}

/* A malloc'd lower-case copy of the n bytes at p, with an optional suffix. */
static char *
lower_copy(const char *p, size_t n, const char *suffix)
{
	size_t slen = suffix != NULL ? strlen(suffix) : 0, i;
	char *s = malloc(n + slen + 1);

	if (s == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		s[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] - 'A' + 'a') : p[i];
	memcpy(s + n, suffix != NULL ? suffix : "", slen + 1);
	return s;
}

/* A malloc'd string of printf's making, or NULL. */
static char *text_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
text_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

/* A random keyword of the passage, or NULL where it has none (or
 * min_len-letter ones).  ntok > 0. */
static const struct token *
pick_keyword(uint64_t *rng, const struct token *tok, size_t ntok, size_t min_len)
{
	size_t start = rng_below(rng, ntok), i;

	for (i = 0; i < ntok; i++) {
		const struct token *t = &tok[(start + i) % ntok];

		if (is_keyword(t) && t->n >= min_len)
			return t;
	}
	return NULL;
}

/* Two adjacent words of the passage, one space apart, one of them a
 * keyword: the first of the two, or NULL. */
static const struct token *
pick_phrase(uint64_t *rng, const struct token *tok, size_t ntok)
{
	size_t start, i, k;

	if (ntok < 2)
		return NULL;
	start = rng_below(rng, ntok - 1);
	for (i = 0; i < ntok - 1; i++) {
		k = (start + i) % (ntok - 1);
		if (tok[k].p + tok[k].n + 1 == tok[k + 1].p && tok[k].p[tok[k].n] == ' '
		    && tok[k].n >= 2 && tok[k + 1].n >= 2
		    && (is_keyword(&tok[k]) || is_keyword(&tok[k + 1])))
			return &tok[k];
	}
	return NULL;
}

/* Fill q as a query of type from the words of passage, and (for OR) of
 * other.  Returns 1 when the passage cannot make such a query, -1 on
 * error. */
static int
query_fill(struct bench_query *q, enum bench_query_type type, uint64_t *rng,
	   const char *passage, const char *other)
{
	struct token tok[PASSAGE_TOKENS], tok2[PASSAGE_TOKENS];
	const struct token *a, *c;
	size_t ntok = tokens_of(passage, tok, PASSAGE_TOKENS), ntok2, n;
	char *w1 = NULL, *w2 = NULL;

	if (ntok == 0 || (a = pick_keyword(rng, tok, ntok, 4)) == NULL)
		return 1;
	switch (type) {
	case BENCH_QUERY_WORD:
		if ((q->text = lower_copy(a->p, a->n, NULL)) == NULL
		    || (q->pattern[0] = strdup(q->text)) == NULL)
			goto nomem;
		break;
	case BENCH_QUERY_AND:
		c = pick_keyword(rng, tok, ntok, 4);
		if (c == NULL || (c->n == a->n && strncasecmp(c->p, a->p, a->n) == 0))
			return 1;
		if ((w1 = lower_copy(a->p, a->n, NULL)) == NULL
		    || (w2 = lower_copy(c->p, c->n, NULL)) == NULL
		    || (q->text = text_printf("%s %s", w1, w2)) == NULL)
			goto nomem;
		/* grep -l over files cannot tell that both words are in one
		 * line: it searches for the first one only. */
		q->pattern[0] = w1;
		w1 = NULL;
		break;
	case BENCH_QUERY_PHRASE:
		if ((a = pick_phrase(rng, tok, ntok)) == NULL)
			return 1;
		n = (size_t)(a[1].p + a[1].n - a->p);
		if ((q->pattern[0] = lower_copy(a->p, n, NULL)) == NULL
		    || (q->text = text_printf("\"%s\"", q->pattern[0])) == NULL)
			goto nomem;
		break;
	case BENCH_QUERY_PREFIX:
		if ((a = pick_keyword(rng, tok, ntok, 7)) == NULL)
			return 1;
		n = 4 + rng_below(rng, 2);
		if ((q->pattern[0] = lower_copy(a->p, n, NULL)) == NULL
		    || (q->text = lower_copy(a->p, n, "*")) == NULL)
			goto nomem;
		break;
	case BENCH_QUERY_OR:
		ntok2 = tokens_of(other, tok2, PASSAGE_TOKENS);
		if (ntok2 == 0 || (c = pick_keyword(rng, tok2, ntok2, 4)) == NULL)
			return 1;
		if ((q->pattern[0] = lower_copy(a->p, a->n, NULL)) == NULL
		    || (q->pattern[1] = lower_copy(c->p, c->n, NULL)) == NULL
		    || (q->text = text_printf("%s OR %s", q->pattern[0], q->pattern[1])) == NULL)
			goto nomem;
		break;
	default:
		return 1;
	}
	q->type = type;
	free(w1);
	free(w2);
	return 0;

nomem:
	free(w1);
	free(w2);
	free(q->text);
	free(q->pattern[0]);
	free(q->pattern[1]);
	q->text = q->pattern[0] = q->pattern[1] = NULL;
	return bench_fail("out of memory making queries");
}

static enum bench_query_type
pick_type(uint64_t *rng)
{
	int r = (int)rng_below(rng, 100), t;

	for (t = 0; t < BENCH_QUERY_TYPES - 1; t++) {
		if (r < query_types[t].share)
			break;
		r -= query_types[t].share;
	}
	return (enum bench_query_type)t;
}

/* Whether query i goes to grep too: one in BENCH_GREP_EVERY, but never a
 * filtered one, which grep has no equivalent of. */
static int
in_grep_sample(const struct bench *b, size_t i)
{
	const struct bench_query *q = &b->query[i];

	return i % BENCH_GREP_EVERY == 0 && q->platform_id == 0 && q->kind == NULL;
}

/* Make the queries.  Each is drawn from the passage of a random provision,
 * so that it should find that provision at least; the filtered ones (query
 * i with i % 10 == 3: its platform; i % 10 == 7: its kind) still should.  A
 * type the passage cannot make is tried on other provisions, and falls
 * back to a single word. */
static int
queries_make(struct bench *b)
{
	size_t i, tries, r;
	enum bench_query_type type;
	int rc;

	if ((b->query = calloc(b->nqueries, sizeof(*b->query))) == NULL)
		return bench_fail("out of memory making queries");
	for (i = 0; i < b->nqueries; i++) {
		struct bench_query *q = &b->query[i];

		type = pick_type(&b->rng);
		rc = 1;
		for (tries = 0; rc == 1 && tries < 200; tries++) {
			const char *other;

			if (tries == 20)
				type = BENCH_QUERY_WORD;
			r = rng_below(&b->rng, b->provisions);
			other = b->corpus.passage[b->passage[rng_below(&b->rng, b->provisions)]];
			rc = query_fill(q, type, &b->rng, b->corpus.passage[b->passage[r]], other);
		}
		if (rc == 1)
			return bench_fail("no query words in the corpus");
		if (rc != 0)
			return -1;
		if (i % 10 == 3)
			q->platform_id = b->platform_id[r / BENCH_PER_PLATFORM];
		else if (i % 10 == 7)
			q->kind = kinds[b->kind[r]].slug;
	}
	return 0;
}

static void
queries_free(struct bench *b)
{
	size_t i;

	for (i = 0; b->query != NULL && i < b->nqueries; i++) {
		free(b->query[i].text);
		free(b->query[i].pattern[0]);
		free(b->query[i].pattern[1]);
	}
	free(b->query);
	b->query = NULL;
}

/*
 * Searching.
 */

static int
count_hit(const struct store_hit *hit, void *ctx)
{
	int *hits = ctx;

	(void)hit;
	(*hits)++;
	return 0;
}

static int
first_hit(const struct store_hit *hit, void *ctx)
{
	int *hits = ctx;

	(void)hit;
	(*hits)++;
	return FIRST_HIT_STOP;
}

/* Parse text and search for it with filter f, as `clause search` does. */
static int
search(struct store *st, const char *text, const struct store_provision_filter *f,
       int (*cb)(const struct store_hit *, void *), int *hits)
{
	struct query q;
	char err[256];
	int rc;

	if (query_parse(text, &q, err, sizeof(err)) != 0)
		return bench_fail("%s", err);
	rc = store_search(st, q.match, f, BENCH_LIMIT, cb, hits);
	query_free(&q);
	if (rc == STORE_BAD_QUERY)
		return bench_fail("the index refused '%s': %s", text, store_errmsg(st));
	if (rc != STORE_OK && rc != FIRST_HIT_STOP)
		return bench_fail("cannot search for '%s': %s", text, store_errmsg(st));
	return 0;
}

/* Open the built database and search for FIRST_QUERY up to its first hit:
 * *ms is that time, *open_ms the part store_open() took, and *st the open
 * store (for the caller to close). */
static int
open_to_first(struct bench *b, struct store **st, double *ms, double *open_ms, int *hits)
{
	struct store_provision_filter f = { 0 };
	char err[512];
	double t0 = now_ms();

	*hits = 0;
	*ms = *open_ms = 0;
	if ((*st = store_open(b->db, err, sizeof(err))) == NULL)
		return bench_fail("%s", err);
	*open_ms = now_ms() - t0;
	if (search(*st, FIRST_QUERY, &f, first_hit, hits) != 0)
		return -1;
	*ms = now_ms() - t0;
	return 0;
}

/* Run every query once, timing each. */
static int
queries_run(struct bench *b, struct store *st)
{
	size_t i;

	for (i = 0; i < b->nqueries; i++) {
		struct bench_query *q = &b->query[i];
		struct store_provision_filter f = {
			.platform_id = q->platform_id,
			.kind = q->kind,
		};
		double t0 = now_ms();

		if (search(st, q->text, &f, count_hit, &q->hits) != 0)
			return -1;
		q->ms = now_ms() - t0;
		if (b->verbose)
			fprintf(stderr, "%8.2f ms %3d hits  %-6s %s%s%s%s%s\n", q->ms, q->hits,
				query_types[q->type].name, q->text,
				q->platform_id != 0 ? "  [platform]" : "",
				q->kind != NULL ? "  [kind " : "", q->kind != NULL ? q->kind : "",
				q->kind != NULL ? "]" : "");
	}
	return 0;
}

/*
 * The grep baseline.
 */

/* Write each platform's provisions, one a line (excerpt, tab, impact), to
 * grep_dir/pNNNN.txt. */
static int
grep_files_write(struct bench *b)
{
	char name[32], path[PATH_MAX];
	size_t p, j, i;
	FILE *fp;
	int n;

	if (mkdir(b->grep_dir, 0700) != 0)
		return bench_fail("cannot create '%s': %s", b->grep_dir, strerror(errno));
	for (p = 0; p < b->platforms; p++) {
		snprintf(name, sizeof(name), "p%04zu.txt", p);
		if (path_join(path, sizeof(path), b->grep_dir, name) != 0)
			return -1;
		if ((fp = fopen(path, "w")) == NULL)
			return bench_fail("cannot create '%s': %s", path, strerror(errno));
		b->grep_files++;
		for (j = 0; j < BENCH_PER_PLATFORM; j++) {
			i = p * BENCH_PER_PLATFORM + j;
			n = fprintf(fp, "%s\t%s\n", b->corpus.passage[b->passage[i]],
				    kinds[b->kind[i]].impact);
			if (n < 0)
				break;
			b->grep_bytes += (size_t)n;
		}
		n = ferror(fp);
		if (fclose(fp) != 0 || n != 0)
			return bench_fail("cannot write '%s': %s", path, strerror(errno));
	}
	return 0;
}

/* Run grep -i -l -r -F over grep_dir for q's patterns, its output thrown
 * away, and time it from fork to exit. */
static int
grep_run(const struct bench *b, const struct bench_query *q, double *ms)
{
	const char *argv[12];
	int argc = 0, status, fd;
	pid_t pid;
	double t0;

	argv[argc++] = "grep";
	argv[argc++] = "-i";
	argv[argc++] = "-l";
	argv[argc++] = "-r";
	argv[argc++] = "-F";
	argv[argc++] = "-e";
	argv[argc++] = q->pattern[0];
	if (q->pattern[1] != NULL) {
		argv[argc++] = "-e";
		argv[argc++] = q->pattern[1];
	}
	argv[argc++] = "--";
	argv[argc++] = b->grep_dir;
	argv[argc] = NULL;

	fflush(stdout);
	fflush(stderr);
	t0 = now_ms();
	if ((pid = fork()) < 0)
		return bench_fail("cannot fork: %s", strerror(errno));
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
			_exit(126);
		close(fd);
		/* execvp's argv is char *const[]: the strings are not written. */
		execvp("grep", (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return bench_fail("cannot wait for grep: %s", strerror(errno));
	}
	*ms = now_ms() - t0;
	if (!WIFEXITED(status))
		return bench_fail("grep for '%s' died of signal %d", q->pattern[0],
				  WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	/* 0: some file matched; 1: none did. */
	if (WEXITSTATUS(status) == 127)
		return bench_fail("cannot run grep");
	if (WEXITSTATUS(status) > 1)
		return bench_fail("grep for '%s' failed (exit %d)", q->pattern[0],
				  WEXITSTATUS(status));
	return 0;
}

/*
 * The run.
 */

/* The scale: argv[1], else CLAUSE_BENCH_SCALE, else 1. */
static int
scale_parse(int argc, char **argv, double *scale)
{
	const char *s = argc > 1 ? argv[1] : getenv("CLAUSE_BENCH_SCALE");
	char *end;

	*scale = 1;
	if (argc > 2)
		return bench_fail("usage: bench [SCALE]");
	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	*scale = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !(*scale > 0 && *scale <= 10))
		return bench_fail("scale wants a number above 0 and at most 10, not '%s'", s);
	return 0;
}

/* Whether the environment variable name is "1". */
static int
env_flag(const char *name)
{
	const char *value = getenv(name);

	return value != NULL && strcmp(value, "1") == 0;
}

/* Size of the file at path, 0 when it does not exist. */
static int
file_size(const char *path, double *bytes)
{
	struct stat sb;

	*bytes = 0;
	if (stat(path, &sb) == 0) {
		*bytes = (double)sb.st_size;
		return 0;
	}
	if (errno == ENOENT)
		return 0;
	return bench_fail("cannot stat '%s': %s", path, strerror(errno));
}

/* Unlink path if it exists. */
static int
remove_file(const char *path)
{
	if (unlink(path) != 0 && errno != ENOENT)
		return bench_fail("cannot remove '%s': %s", path, strerror(errno));
	return 0;
}

/* Remove the temporary directory and what this run put in it. */
static int
cleanup(struct bench *b)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	char path[PATH_MAX + 16], name[32];
	size_t i;
	int rc = 0;

	if (b->dir[0] == '\0')
		return 0;
	/* CLAUSE_BENCH_KEEP_DB: hand the database on (to bench-ui). */
	if (getenv("CLAUSE_BENCH_KEEP_DB") != NULL && *getenv("CLAUSE_BENCH_KEEP_DB") != '\0'
	    && rename(b->db, getenv("CLAUSE_BENCH_KEEP_DB")) != 0)
		return bench_fail("cannot move the database to '%s': %s",
				  getenv("CLAUSE_BENCH_KEEP_DB"), strerror(errno));
	if (b->keep) {
		fprintf(stderr, "bench: kept '%s'\n", b->dir);
		return 0;
	}
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", b->db, suffixes[i]);
		rc |= remove_file(path);
	}
	for (i = 0; i < b->grep_files; i++) {
		snprintf(name, sizeof(name), "p%04zu.txt", i);
		if (path_join(path, sizeof(path), b->grep_dir, name) != 0)
			return -1;
		rc |= remove_file(path);
	}
	if (rmdir(b->grep_dir) != 0 && errno != ENOENT)
		rc = bench_fail("cannot remove '%s': %s", b->grep_dir, strerror(errno));
	if (rmdir(b->dir) != 0)
		rc = bench_fail("cannot remove '%s': %s", b->dir, strerror(errno));
	b->dir[0] = '\0';
	return rc;
}

static void
bench_free(struct bench *b)
{
	queries_free(b);
	corpus_free(&b->corpus);
	free(b->passage);
	free(b->kind);
	free(b->documents);
	free(b->platform_id);
}

/* Make the temporary directory and the names in it. */
static int
tmpdir_make(struct bench *b)
{
	const char *base = getenv("TMPDIR");
	char tmpl[PATH_MAX];

	if (base == NULL || *base == '\0')
		base = "/tmp";
	if (path_join(tmpl, sizeof(tmpl), base, "clause-bench.XXXXXX") != 0)
		return -1;
	if (mkdtemp(tmpl) == NULL)
		return bench_fail("cannot create a directory in '%s': %s", base, strerror(errno));
	memcpy(b->dir, tmpl, strlen(tmpl) + 1);
	if (path_join(b->db, sizeof(b->db), b->dir, "bench.db") != 0
	    || path_join(b->grep_dir, sizeof(b->grep_dir), b->dir, "grep") != 0)
		return -1;
	return 0;
}

/* Print the FTS latencies of the queries, and their share with a hit. */
static int
report_latency(const struct bench *b)
{
	double *ms = malloc(b->nqueries * sizeof(*ms)), p99;
	size_t i, hit = 0;

	if (ms == NULL)
		return bench_fail("out of memory");
	for (i = 0; i < b->nqueries; i++) {
		ms[i] = b->query[i].ms;
		hit += b->query[i].hits > 0;
	}
	qsort(ms, b->nqueries, sizeof(*ms), compare_double);
	p99 = percentile(ms, b->nqueries, 99);
	printf("  search latency (%zu queries, limit %d)  p50 %.2f ms  p90 %.2f ms"
	       "  p99 %.2f ms  max %.2f ms  mean %.2f ms  (target p99 < %g ms: %s)\n",
	       b->nqueries, BENCH_LIMIT, percentile(ms, b->nqueries, 50),
	       percentile(ms, b->nqueries, 90), p99, ms[b->nqueries - 1],
	       mean(ms, b->nqueries), TARGET_P99_MS, p99 < TARGET_P99_MS ? "met" : "MISSED");
	printf("  queries with hits        %.0f%%\n", 100.0 * (double)hit / (double)b->nqueries);
	free(ms);
	return 0;
}

/* Print, for each type of query, how many ran and their p50 and max: the
 * line that says where the slow ones are. */
static int
report_types(const struct bench *b)
{
	double *ms = malloc(b->nqueries * sizeof(*ms));
	size_t i, n, hit;
	int t;

	if (ms == NULL)
		return bench_fail("out of memory");
	printf("  by type (n, p50 ms, max ms, with hits)\n   ");
	for (t = 0; t < BENCH_QUERY_TYPES; t++) {
		for (i = 0, n = 0, hit = 0; i < b->nqueries; i++) {
			if ((int)b->query[i].type != t)
				continue;
			ms[n++] = b->query[i].ms;
			hit += b->query[i].hits > 0;
		}
		if (n == 0)
			continue;
		qsort(ms, n, sizeof(*ms), compare_double);
		printf(" %s %zu %.2f %.2f %.0f%%;", query_types[t].name, n, percentile(ms, n, 50),
		       ms[n - 1], 100.0 * (double)hit / (double)n);
	}
	for (i = 0, n = 0, hit = 0; i < b->nqueries; i++) {
		if (b->query[i].platform_id == 0 && b->query[i].kind == NULL)
			continue;
		ms[n++] = b->query[i].ms;
		hit += b->query[i].hits > 0;
	}
	if (n > 0) {
		qsort(ms, n, sizeof(*ms), compare_double);
		printf(" filtered %zu %.2f %.2f %.0f%%", n, percentile(ms, n, 50), ms[n - 1],
		       100.0 * (double)hit / (double)n);
	}
	putchar('\n');
	free(ms);
	return 0;
}

/* Run the grep sample and print it against the FTS times of the same
 * queries. */
static int
report_grep(const struct bench *b)
{
	size_t n = 0, i;
	double *grep_ms = malloc(b->nqueries * sizeof(*grep_ms));
	double *fts_ms = malloc(b->nqueries * sizeof(*fts_ms));
	double gmean, fmean, g50, f50;
	int rc = -1;

	if (grep_ms == NULL || fts_ms == NULL) {
		bench_fail("out of memory");
		goto out;
	}
	for (i = 0; i < b->nqueries; i++) {
		if (!in_grep_sample(b, i))
			continue;
		if (grep_run(b, &b->query[i], &grep_ms[n]) != 0)
			goto out;
		fts_ms[n++] = b->query[i].ms;
	}
	qsort(grep_ms, n, sizeof(*grep_ms), compare_double);
	qsort(fts_ms, n, sizeof(*fts_ms), compare_double);
	gmean = mean(grep_ms, n);
	fmean = mean(fts_ms, n);
	g50 = percentile(grep_ms, n, 50);
	f50 = percentile(fts_ms, n, 50);
	printf("  grep -i -l baseline (%zu of the queries over %zu files, %.1f MB;"
	       " AND by its first word)  p50 %.1f ms  mean %.1f ms\n",
	       n, b->grep_files, (double)b->grep_bytes / 1e6, g50, gmean);
	printf("  FTS5 vs grep (same %zu)    %.0fx faster (mean)  %.0fx (p50)"
	       "  (target >= %gx: %s)\n",
	       n, fmean > 0 ? gmean / fmean : 0, f50 > 0 ? g50 / f50 : 0, TARGET_RATIO,
	       fmean > 0 && gmean / fmean >= TARGET_RATIO ? "met" : "MISSED");
	rc = 0;
out:
	free(grep_ms);
	free(fts_ms);
	return rc;
}

/*
 * The diff of two versions of a 1 MB document that differ in 1% of their
 * paragraphs (one word changed in each), as clause history and diff
 * compute it.  Target: under 50 ms.
 */
static int
report_diff(struct bench *b)
{
	struct buf_text { char *s; size_t len, size; } v[2] = { { 0 }, { 0 } };
	size_t i, paragraphs = 0, target = 1000000;
	struct textdiff d;
	struct rusage ru;
	double t0, ms;
	char err[256];
	int k, rc = 0;

	for (i = 0; v[0].len < target && b->corpus.count > 0; i++) {
		const char *p = b->corpus.passage[i % b->corpus.count];
		size_t n = strlen(p);

		for (k = 0; k < 2; k++) {
			if (v[k].len + n + 16 > v[k].size) {
				size_t size = v[k].size > 0 ? v[k].size * 2 : 1 << 20;
				char *grown = realloc(v[k].s, size);

				if (grown == NULL) {
					free(v[0].s);
					free(v[1].s);
					return bench_fail("out of memory");
				}
				v[k].s = grown;
				v[k].size = size;
			}
			memcpy(v[k].s + v[k].len, p, n);
			v[k].len += n;
			/* Every hundredth paragraph of the new version gains a word. */
			if (k == 1 && i % 100 == 50) {
				memcpy(v[k].s + v[k].len, " amended", 8);
				v[k].len += 8;
			}
			memcpy(v[k].s + v[k].len, "\n\n", 3);
			v[k].len += 2;
		}
		paragraphs++;
	}
	if (v[0].s == NULL)
		return bench_fail("no corpus to diff");
	t0 = now_ms();
	if (textdiff_run(v[0].s, v[1].s, 1, &d, err, sizeof(err)) != 0) {
		free(v[0].s);
		free(v[1].s);
		return bench_fail("diff: %s", err);
	}
	ms = now_ms() - t0;
	getrusage(RUSAGE_SELF, &ru);
	printf("  diff of two 1 MB versions (%zu paragraphs, 1%% changed)  %.1f ms, %d changed"
	       "  (target < 50 ms: %s)\n", paragraphs, ms, d.changed, ms < 50.0 ? "met" : "MISSED");
	fflush(stdout);
	textdiff_free(&d);
	free(v[0].s);
	free(v[1].s);
	return rc;
}

int
main(int argc, char **argv)
{
	struct bench b = { .rng = BENCH_SEED };
	struct store *st = NULL;
	const char *shared = getenv("CLAUSE_SHARED");
	const char *prebuilt = getenv("CLAUSE_BENCH_DB");
	double t0, build_s, first_ms, open_ms, db_bytes, wal_bytes;
	char wal[PATH_MAX + 8];
	struct rusage ru;
	int rc = 1, first_hits;

	if (scale_parse(argc, argv, &b.scale) != 0)
		return 1;
	b.keep = env_flag("CLAUSE_BENCH_KEEP");
	b.verbose = env_flag("CLAUSE_BENCH_VERBOSE");
	if (shared == NULL || *shared == '\0') {
		bench_fail("CLAUSE_SHARED is not set (run it with make bench)");
		return 1;
	}
	b.platforms = (size_t)(BENCH_PLATFORMS * b.scale + 0.5);
	if (b.platforms == 0)
		b.platforms = 1;
	b.provisions = b.platforms * BENCH_PER_PLATFORM;
	b.nqueries = (size_t)(BENCH_QUERIES * b.scale + 0.5);
	if (b.nqueries < BENCH_MIN_QUERIES)
		b.nqueries = BENCH_MIN_QUERIES;

	if (corpus_load(&b.corpus, shared) != 0 || layout_make(&b) != 0)
		goto out;
	if (prebuilt != NULL && *prebuilt != '\0') {
		if (snprintf(b.db, sizeof(b.db), "%s", prebuilt) >= (int)sizeof(b.db)) {
			bench_fail("CLAUSE_BENCH_DB is too long");
			goto out;
		}
		if (platform_ids_read(&b) != 0)
			goto out;
		printf("clause bench: search (%zu provisions, %zu platforms, prebuilt %s)\n",
		       b.provisions, b.platforms, b.db);
	} else {
		if (tmpdir_make(&b) != 0)
			goto out;
		t0 = now_ms();
		if (build(&b) != 0)
			goto out;
		build_s = (now_ms() - t0) / 1e3;
		printf("clause bench: search (%zu provisions, %zu platforms, built in %.1f s)\n",
		       b.provisions, b.platforms, build_s);
	}
	printf("  corpus                   %zu passages from %zu files (%.1f MB)\n",
	       b.corpus.count, b.corpus.files, (double)b.corpus.bytes / 1e6);
	fflush(stdout);

	if (open_to_first(&b, &st, &first_ms, &open_ms, &first_hits) != 0)
		goto out;
	printf("  open to first result     %.2f ms (store_open %.2f ms, then '%s'%s)\n", first_ms,
	       open_ms, FIRST_QUERY, first_hits > 0 ? "" : ": no hit");
	fflush(stdout);
	if (queries_make(&b) != 0 || queries_run(&b, st) != 0 || report_latency(&b) != 0
	    || report_types(&b) != 0)
		goto out;
	store_close(st);
	st = NULL;

	snprintf(wal, sizeof(wal), "%s-wal", b.db);
	if (file_size(b.db, &db_bytes) != 0 || file_size(wal, &wal_bytes) != 0)
		goto out;
	if (getrusage(RUSAGE_SELF, &ru) != 0) {
		bench_fail("cannot read resource usage: %s", strerror(errno));
		goto out;
	}
	printf("  database size            %.1f MB (WAL %.1f MB)\n",
	       (db_bytes + wal_bytes) / 1e6, wal_bytes / 1e6);
	printf("  peak RSS                 %.0f MB (corpus held in memory)\n",
	       (double)ru.ru_maxrss / 1024.0);
	fflush(stdout);

	/* The grep baseline needs the texts, which only a build writes. */
	if (b.dir[0] != '\0' && (grep_files_write(&b) != 0 || report_grep(&b) != 0))
		goto out;
	if (report_diff(&b) != 0)
		goto out;
	rc = 0;
out:
	store_close(st);
	if (cleanup(&b) != 0)
		rc = 1;
	bench_free(&b);
	return rc;
}
