/*
 * cmd-extract: clause extract FILE... --declaration JSON | --select CSS —
 * the text clause would store for local HTML or PDF files, without a
 * database or the network: for people writing declarations, and for the
 * extraction benchmark.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "declaration.h"
#include "extract.h"
#include "selector.h"

struct extract_opts {
	const char *declaration;	/* --declaration FILE. */
	const char *terms;		/* --terms TYPE. */
	const char *output_dir;		/* --output-dir DIR. */
	const char *url;		/* --url URL. */
	long page;			/* --page N, from 1. */
	char **select, **remove;	/* --select, --remove, in order. */
	size_t nselect, nremove;
};

/* Read a whole file (or standard input for "-") of at most max bytes. */
static char *
read_input(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf = NULL, *grown;
	size_t n = 0, size = 0, got;

	if (fp == NULL) {
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n + 65536 + 1 > size) {
			size = size > 0 ? size * 2 : 131072;
			if ((grown = realloc(buf, size)) == NULL) {
				snprintf(err, errlen, "'%s': out of memory", path);
				goto fail;
			}
			buf = grown;
		}
		got = fread(buf + n, 1, size - n - 1, fp);
		n += got;
		if (n > max) {
			snprintf(err, errlen, "'%s' is larger than %zu bytes", path, max);
			goto fail;
		}
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		goto fail;
	}
	if (fp != stdin)
		fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	if (fp != stdin)
		fclose(fp);
	free(buf);
	return NULL;
}

/* The document to extract with, and what owns it. */
struct loaded {
	struct declaration_service *service;	/* The declaration, when a service's. */
	struct declaration_document *own;	/* A document entry, or --select's. */
	const struct declaration_document *doc;	/* Points into one of them. */
};

/* The document the options describe: the declaration's (one document of a
 * service, or a document entry), or one made of --select and --remove. */
static int
load_document(struct cli *cli, const struct extract_opts *o, struct loaded *l)
{
	struct declaration_service *service = NULL;
	char err[1024], *json;
	json_t *root;
	size_t len, i;
	int rc;

	if (o->declaration == NULL) {
		/* --select and --remove alone: one page. */
		struct declaration_document *d = calloc(1, sizeof(*d));
		struct declaration_page *p = d != NULL ? calloc(1, sizeof(*p)) : NULL;

		if (p == NULL) {
			free(d);
			return cli_error(cli, CLI_EXIT_DATA, "out of memory");
		}
		d->pages = p;
		d->npages = 1;
		l->own = d;
		l->doc = d;
		p->select = calloc(o->nselect + 1, sizeof(*p->select));
		p->remove = calloc(o->nremove + 1, sizeof(*p->remove));
		if (p->select == NULL || p->remove == NULL)
			return cli_error(cli, CLI_EXIT_DATA, "out of memory");
		for (i = 0; i < o->nselect; i++, p->nselect++)
			if ((p->select[i].css = strdup(o->select[i])) == NULL)
				return cli_error(cli, CLI_EXIT_DATA, "out of memory");
		for (i = 0; i < o->nremove; i++, p->nremove++)
			if ((p->remove[i].css = strdup(o->remove[i])) == NULL)
				return cli_error(cli, CLI_EXIT_DATA, "out of memory");
		return CLI_EXIT_OK;
	}
	json = read_input(o->declaration, DECLARATION_MAX_SIZE, &len, err, sizeof(err));
	if (json == NULL)
		return cli_error(cli, CLI_EXIT_DATA, "%s", err);
	/* A service declaration has its documents under "terms" (or the older
	 * "documents"); anything else is read as one document's entry. */
	root = json_loadb(json, len, 0, NULL);
	if (root != NULL && (json_object_get(root, "terms") != NULL
			     || json_object_get(root, "documents") != NULL)) {
		if (declaration_parse_service(json, len, o->declaration, &service, err,
					      sizeof(err)) != 0) {
			rc = cli_error(cli, CLI_EXIT_USAGE, "%s", err);
			goto out;
		}
		rc = CLI_EXIT_OK;
		if (service->ndocuments == 0) {
			rc = cli_error(cli, CLI_EXIT_USAGE, "%s: the declaration has no documents",
				       o->declaration);
		} else if (o->terms == NULL && service->ndocuments > 1) {
			rc = cli_error(cli, CLI_EXIT_USAGE, "%s has %zu documents: pick one with "
				       "--terms (for example --terms '%s')", o->declaration,
				       service->ndocuments, service->documents[0].type);
		} else {
			l->doc = o->terms != NULL ? declaration_find(service, o->terms)
				 : &service->documents[0];
			if (l->doc == NULL)
				rc = cli_error(cli, CLI_EXIT_USAGE, "%s has no document '%s'",
					       o->declaration, o->terms);
		}
		if (rc == CLI_EXIT_OK) {
			l->service = service;
			service = NULL;
		}
	} else if (declaration_parse_document(json, len, o->declaration, o->terms, &l->own, err,
					      sizeof(err)) != 0) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "%s", err);
	} else {
		l->doc = l->own;
		rc = CLI_EXIT_OK;
	}
out:
	json_decref(root);
	declaration_service_free(service);
	free(json);
	return rc;
}

/* DIR/NAME.md for an input path: its base name without its extension. */
static char *
output_path(const char *dir, const char *input)
{
	const char *base = strcmp(input, "-") == 0 ? "stdin" : strrchr(input, '/');
	const char *dot;
	size_t n, blen;
	char *path;

	base = base == NULL ? input : (*base == '/' ? base + 1 : base);
	dot = strrchr(base, '.');
	blen = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
	n = strlen(dir) + blen + 5;
	path = malloc(n);
	if (path != NULL)
		snprintf(path, n, "%s/%.*s.md", dir, (int)blen, base);
	return path;
}

/* Write text to path through a temporary file, so that a failure leaves
 * what was there. */
static int
write_file(const char *path, const char *text, char *err, size_t errlen)
{
	size_t n = strlen(path) + 8;
	char *tmp = malloc(n);
	FILE *fp;
	int ok;

	if (tmp == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(tmp, n, "%s.tmp", path);
	fp = fopen(tmp, "wb");
	if (fp == NULL) {
		snprintf(err, errlen, "cannot write '%s': %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	ok = fputs(text, fp) >= 0;
	ok = fclose(fp) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

static int
add_option(char ***list, size_t *n, char *value)
{
	char **grown = realloc(*list, (*n + 1) * sizeof(*grown));

	if (grown == NULL)
		return -1;
	grown[(*n)++] = value;
	*list = grown;
	return 0;
}

/* The text of one file: 0, or the exit code after printing why not. */
static int
extract_file(struct cli *cli, const struct extract_opts *o,
	     const struct declaration_document *doc, const char *path, char **text)
{
	struct declaration_document one = *doc;
	struct extract_input in = { NULL, 0, NULL, o->url };
	char err[1024];
	size_t len;
	int rc = CLI_EXIT_OK;

	*text = NULL;
	in.data = read_input(path, EXTRACT_MAX_INPUT, &len, err, sizeof(err));
	if (in.data == NULL)
		return cli_error(cli, CLI_EXIT_DATA, "%s", err);
	in.len = len;
	/* One file is one page: the page --page names. */
	one.pages = &doc->pages[o->page - 1];
	one.npages = 1;
	if (in.url == NULL)
		in.url = one.pages->url;
	if (extract_document(&one, &in, text, err, sizeof(err)) != 0)
		rc = cli_error(cli, CLI_EXIT_DATA, "%s: %s", strcmp(path, "-") == 0 ? "stdin"
			       : path, err);
	free((char *)in.data);
	return rc;
}

static int
extract_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "declaration", required_argument, NULL, 'd' },
		{ "terms", required_argument, NULL, 't' },
		{ "select", required_argument, NULL, 's' },
		{ "remove", required_argument, NULL, 'r' },
		{ "output-dir", required_argument, NULL, 'o' },
		{ "url", required_argument, NULL, 'u' },
		{ "page", required_argument, NULL, 'p' },
		CLI_COMMON_OPTIONS
	};
	struct extract_opts o = { 0 };
	struct loaded loaded = { NULL, NULL, NULL };
	const struct declaration_document *doc;
	json_t *results = NULL;
	char err[512];
	int c, rc = CLI_EXIT_OK, i;
	size_t k;

	o.page = 1;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			o.declaration = optarg;
			break;
		case 't':
			o.terms = optarg;
			break;
		case 's':
		case 'r':
			if (add_option(c == 's' ? &o.select : &o.remove,
				       c == 's' ? &o.nselect : &o.nremove, optarg) != 0) {
				rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
				goto out;
			}
			break;
		case 'o':
			o.output_dir = optarg;
			break;
		case 'u':
			o.url = optarg;
			break;
		case 'p':
			if ((o.page = cli_positive(optarg)) < 0) {
				rc = cli_error(cli, CLI_EXIT_USAGE, "--page: '%s' is not a page "
					       "number", optarg);
				goto out;
			}
			break;
		default:
			if ((rc = cli_common_option(cli, &cmd_extract, c, optarg)) >= 0)
				goto out;
			rc = CLI_EXIT_OK;
		}
	}
	if (optind >= argc || (o.declaration == NULL) == (o.nselect == 0)) {
		cli_usage(&cmd_extract, stderr);
		if (optind < argc)
			fprintf(stderr, "clause: extract: give either --declaration or --select\n");
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (o.declaration != NULL && o.nremove > 0) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "--remove goes with --select, not with "
			       "--declaration");
		goto out;
	}
	for (k = 0; k < o.nselect + o.nremove; k++) {
		const char *css = k < o.nselect ? o.select[k] : o.remove[k - o.nselect];
		char *xpath;

		if (selector_to_xpath(css, &xpath, err, sizeof(err)) != 0) {
			rc = cli_error(cli, CLI_EXIT_USAGE, "--%s: %s", k < o.nselect ? "select"
				       : "remove", err);
			goto out;
		}
		free(xpath);
	}
	if ((rc = load_document(cli, &o, &loaded)) != CLI_EXIT_OK)
		goto out;
	doc = loaded.doc;
	if ((size_t)o.page > doc->npages) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "--page %ld: the document has %zu page%s",
			       o.page, doc->npages, doc->npages == 1 ? "" : "s");
		goto out;
	}
	if (o.output_dir != NULL && mkdir(o.output_dir, 0777) != 0 && errno != EEXIST) {
		rc = cli_error(cli, CLI_EXIT_DATA, "cannot create '%s': %s", o.output_dir,
			       strerror(errno));
		goto out;
	}
	if (cli->json && o.output_dir == NULL && (results = json_array()) == NULL) {
		rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
		goto out;
	}
	for (i = optind; i < argc; i++) {
		const char *path = argv[i];
		char *text, *dest;
		int one = extract_file(cli, &o, doc, path, &text);

		if (one != CLI_EXIT_OK) {
			if (rc == CLI_EXIT_OK)
				rc = one;
			continue;
		}
		if (o.output_dir != NULL) {
			dest = output_path(o.output_dir, path);
			if (dest == NULL || write_file(dest, text, err, sizeof(err)) != 0) {
				one = cli_error(cli, CLI_EXIT_DATA, "%s", dest != NULL ? err
						: "out of memory");
				if (rc == CLI_EXIT_OK)
					rc = one;
			}
			free(dest);
		} else if (results != NULL) {
			json_t *item = json_pack("{s:s, s:o}", "file", path, "text",
						 cli_json_string(text));

			if (item == NULL || json_array_append_new(results, item) != 0) {
				free(text);
				rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
				goto out;
			}
		} else {
			if (argc - optind > 1)
				fprintf(cli->out.fp, "%s==> %s <==\n", i > optind ? "\n" : "", path);
			if (cli->out.tty)
				output_text(&cli->out, text);
			else
				fputs(text, cli->out.fp);
		}
		free(text);
	}
	if (results != NULL) {
		int printed = cli_json_print(cli, results);

		results = NULL;
		if (rc == CLI_EXIT_OK)
			rc = printed;
	}
out:
	json_decref(results);
	declaration_service_free(loaded.service);
	declaration_document_free(loaded.own);
	free(o.select);
	free(o.remove);
	return rc;
}

const struct cli_command cmd_extract = {
	.name = "extract",
	.args = "FILE... (--declaration JSON [--terms TYPE] [--page N] | --select CSS "
		"[--remove CSS]) [--url URL] [--output-dir DIR]",
	.summary = "print the text clause would store for local HTML or PDF files",
	.run = extract_run,
};
