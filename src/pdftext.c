/*
 * clause-pdftext: the text of a PDF, read on standard input and written on
 * standard output: each page's text through poppler's GLib API, its lines
 * joined into paragraphs.
 *
 * clause runs it through filter_run (src/filter.h) for every PDF it
 * fetches or extracts, so that poppler, a large library, never parses a
 * hostile document inside the browser or a fetch, and so that clause does
 * not load poppler and its forty libraries at every start.  It fails with
 * the reason on the last line of standard error and exit status 1; it
 * bounds its own CPU time and memory, and clause bounds its wall time and
 * output.
 */

#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib.h>
#include <poppler.h>

#include "extract.h"
#include "strbuf.h"

/* Seconds of CPU time, and bytes of memory, that one PDF may take. */
#define CPU_SECONDS 60
#define MEMORY_BYTES (1024L * 1024L * 1024L)

static void
limit(int resource, rlim_t value)
{
	struct rlimit r = { value, value };

	/* Best effort: a limit already lower stays. */
	(void)setrlimit(resource, &r);
}

static void
set_limits(void)
{
	limit(RLIMIT_CORE, 0);
	limit(RLIMIT_CPU, CPU_SECONDS);
	/* AddressSanitizer reserves terabytes of address space for its shadow
	 * memory: a data limit would stop it from starting. */
#if !defined(__SANITIZE_ADDRESS__)
	limit(RLIMIT_DATA, MEMORY_BYTES);
#endif
}

/* All of standard input, up to EXTRACT_MAX_INPUT bytes.  0, or -1 with
 * the reason in err. */
static int
read_input(struct strbuf *in, char *err, size_t errlen)
{
	char buf[65536];
	ssize_t n;

	for (;;) {
		n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "cannot read the PDF: %s", strerror(errno));
			return -1;
		}
		if (in->len + (size_t)n > EXTRACT_MAX_INPUT) {
			snprintf(err, errlen, "PDF larger than %d bytes", EXTRACT_MAX_INPUT);
			return -1;
		}
		strbuf_add(in, buf, (size_t)n);
	}
	if (strbuf_failed(in)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* A page's lines joined into paragraphs: a line that ends a sentence and
 * stops well short of the page's longest line ends its paragraph, and so
 * does one shorter than half of it (a heading). */
static void
put_page(struct strbuf *out, const char *text)
{
	const char *line, *end;
	size_t longest = 0, len, k;
	int in_para = 0;

	for (line = text; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		len = g_utf8_strlen(line, end - line);
		if (len > longest)
			longest = len;
	}
	for (line = text; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		for (k = (size_t)(end - line); k > 0 && isspace((unsigned char)line[k - 1]); k--)
			;
		while (k > 0 && isspace((unsigned char)*line)) {
			line++;
			k--;
		}
		if (k == 0) {
			if (in_para)
				strbuf_puts(out, "\n\n");
			in_para = 0;
			continue;
		}
		if (in_para)
			strbuf_putc(out, ' ');
		strbuf_add(out, line, k);
		in_para = 1;
		len = g_utf8_strlen(line, (gssize)k);
		if ((strchr(".:;!?", line[k - 1]) != NULL && len * 4 < longest * 3)
		    || len * 2 < longest) {
			strbuf_puts(out, "\n\n");
			in_para = 0;
		}
	}
	if (in_para)
		strbuf_puts(out, "\n\n");
}

/* The text of the PDF in in, in out.  0, or -1 with the reason in err. */
static int
pdf_text(const struct strbuf *in, struct strbuf *out, char *err, size_t errlen)
{
	GBytes *bytes = g_bytes_new(in->s, in->len);
	GError *gerr = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	int i, n;

	if (doc == NULL) {
		snprintf(err, errlen, "not a readable PDF: %s",
			 gerr != NULL ? gerr->message : "unknown error");
		g_clear_error(&gerr);
		g_bytes_unref(bytes);
		return -1;
	}
	n = poppler_document_get_n_pages(doc);
	for (i = 0; i < n; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *t;

		if (page == NULL)
			continue;
		t = poppler_page_get_text(page);
		if (t != NULL)
			put_page(out, t);
		g_free(t);
		g_object_unref(page);
	}
	g_object_unref(doc);
	g_bytes_unref(bytes);
	while (out->len > 0 && out->s[out->len - 1] == '\n')
		strbuf_truncate(out, out->len - 1);
	if (strbuf_failed(out)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (out->len == 0) {
		snprintf(err, errlen, "the PDF has no text");
		return -1;
	}
	return 0;
}

static int
write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct strbuf in, out;
	char err[512];
	int rc;

	if (argc > 1) {
		fprintf(stderr, "usage: %s <PDF >TEXT (clause runs it; see clause(1))\n",
			argv[0]);
		return 2;
	}
	set_limits();
	strbuf_init(&in, EXTRACT_MAX_INPUT);
	strbuf_init(&out, 4 * EXTRACT_MAX_INPUT);
	rc = read_input(&in, err, sizeof(err));
	if (rc == 0)
		rc = pdf_text(&in, &out, err, sizeof(err));
	if (rc == 0 && write_all(STDOUT_FILENO, out.s, out.len) != 0) {
		snprintf(err, sizeof(err), "cannot write the text: %s", strerror(errno));
		rc = -1;
	}
	strbuf_free(&in);
	strbuf_free(&out);
	if (rc != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	return 0;
}
