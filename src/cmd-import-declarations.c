/*
 * cmd-import-declarations: clause import-declarations DIR — track every
 * document that a folder of Open Terms Archive declarations names.
 *
 * Each SERVICE.json (or SERVICE.COLLECTION.json) becomes the platform
 * SERVICE with one document per terms type; SERVICE.history.json files
 * hold past rules and are skipped.  A file that cannot be read or uses a
 * feature clause does not support is refused with one line naming it and
 * the reason (a document of a file alone, where the rest of the file is
 * good); the others are imported, each file in its own transaction.
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "declaration.h"
#include "store.h"

/* Declarations are small; anything larger is not one. */
#define MAX_DECLARATION_BYTES (1024 * 1024)

struct import_totals {
	int files, refused, platforms, documents, warnings;
	json_t *refusals;	/* --json: [{file, error}]. */
};

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The declaration files of dir, sorted, into *out (*n of them).  Returns
 * 0, CLI_EXIT_USAGE when dir cannot be opened, CLI_EXIT_DATA when out of
 * memory, with the reason in err. */
static int
list_files(const char *dir, char ***out, size_t *n, char *err, size_t errsize)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	*out = NULL;
	if (d == NULL) {
		snprintf(err, errsize, "%s: %s", dir, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !ends_with(e->d_name, ".json")
		    || ends_with(e->d_name, ".history.json"))
			continue;
		if (*n == cap) {
			size_t ncap = cap != 0 ? cap * 2 : 64;
			char **nn = realloc(names, ncap * sizeof(*nn));

			if (nn == NULL)
				goto nomem;
			names = nn;
			cap = ncap;
		}
		if ((names[*n] = strdup(e->d_name)) == NULL)
			goto nomem;
		(*n)++;
	}
	closedir(d);
	if (*n > 0)
		qsort(names, *n, sizeof(*names), by_name);
	*out = names;
	return 0;
nomem:
	closedir(d);
	while (*n > 0)
		free(names[--*n]);
	free(names);
	snprintf(err, errsize, "out of memory");
	return CLI_EXIT_DATA;
}

/* The whole of a regular file, at most MAX_DECLARATION_BYTES. */
static char *
read_declaration(const char *path, size_t *len, char *err, size_t errsize)
{
	FILE *fp = fopen(path, "rb");
	struct stat sb;
	char *buf;

	if (fp == NULL) {
		snprintf(err, errsize, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errsize, "not a regular file");
		fclose(fp);
		return NULL;
	}
	if (sb.st_size > MAX_DECLARATION_BYTES) {
		snprintf(err, errsize, "larger than %d bytes: not a declaration",
			 MAX_DECLARATION_BYTES);
		fclose(fp);
		return NULL;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (buf == NULL) {
		snprintf(err, errsize, "out of memory");
		fclose(fp);
		return NULL;
	}
	*len = fread(buf, 1, (size_t)sb.st_size, fp);
	if (ferror(fp)) {
		snprintf(err, errsize, "%s", strerror(errno));
		free(buf);
		fclose(fp);
		return NULL;
	}
	buf[*len] = '\0';
	fclose(fp);
	return buf;
}

/* The platform's slug: the file's name up to its first dot. */
static char *
slug_of(const char *file)
{
	size_t n = strcspn(file, ".");

	return strndup(file, n);
}

/* Store one service's documents in one transaction. */
static int
store_service(struct cli *cli, const char *slug, const struct declaration_service *svc,
	      struct import_totals *t, char *err, size_t errsize)
{
	int64_t platform_id = 0;
	size_t i;
	int rc, exists;

	exists = store_platform_by_slug(cli->store, slug, &platform_id);
	if (exists != STORE_OK && exists != STORE_NOT_FOUND) {
		snprintf(err, errsize, "%s", store_errmsg(cli->store));
		return -1;
	}
	if (store_begin(cli->store) != STORE_OK) {
		snprintf(err, errsize, "%s", store_errmsg(cli->store));
		return -1;
	}
	if (exists == STORE_NOT_FOUND
	    && store_put_platform(cli->store, slug, svc->name, "", "", "", &platform_id)
	       != STORE_OK)
		goto fail;
	for (i = 0; i < svc->ndocuments; i++) {
		const struct declaration_document *doc = &svc->documents[i];
		char *kind = declaration_kind_for_type(doc->type);
		int64_t id;

		if (kind == NULL) {
			store_rollback(cli->store);
			snprintf(err, errsize, "out of memory");
			return -1;
		}
		rc = store_put_document(cli->store, platform_id, kind, doc->type,
					doc->npages > 0 ? doc->pages[0].url : "", doc->json, &id);
		free(kind);
		if (rc != STORE_OK)
			goto fail;
	}
	if (store_commit(cli->store) != STORE_OK)
		goto fail;
	t->platforms += exists == STORE_NOT_FOUND;
	t->documents += (int)svc->ndocuments;
	return 0;
fail:
	snprintf(err, errsize, "%s", store_errmsg(cli->store));
	store_rollback(cli->store);
	return -1;
}

/* Report a refused file or document, once naming path. */
static void
refuse(struct cli *cli, struct import_totals *t, const char *path, const char *why)
{
	t->refused++;
	if (t->refusals != NULL)
		json_array_append_new(t->refusals, json_pack("{s:o, s:o}", "file",
							     cli_json_string(path), "error",
							     cli_json_string(why)));
	else if (path != NULL && strncmp(why, path, strlen(path)) != 0)
		cli_error(cli, CLI_EXIT_DATA, "%s: %s", path, why);
	else
		cli_error(cli, CLI_EXIT_DATA, "%s", why);
}

/* A declaration the parser refused as a whole: take its documents one by
 * one, so that one document using a feature clause lacks does not keep
 * the others out.  Each refused document gets its own line. */
static struct declaration_service *
parse_by_document(struct cli *cli, struct import_totals *t, const char *path, const char *text,
		  size_t len)
{
	struct declaration_service *svc;
	json_t *root = json_loadb(text, len, 0, NULL), *terms, *entry;
	const char *type, *name;

	if (root == NULL || !json_is_object(root))
		goto none;
	terms = json_object_get(root, "terms");
	if (terms == NULL)
		terms = json_object_get(root, "documents");
	name = json_string_value(json_object_get(root, "name"));
	if (!json_is_object(terms) || name == NULL)
		goto none;
	svc = calloc(1, sizeof(*svc));
	if (svc == NULL || (svc->name = strdup(name)) == NULL
	    || (svc->documents = calloc(json_object_size(terms) + 1,
					sizeof(*svc->documents))) == NULL) {
		declaration_service_free(svc);
		goto none;
	}
	json_object_foreach(terms, type, entry) {
		struct declaration_document *doc = NULL;
		char *entry_text = json_dumps(entry, JSON_COMPACT), err[512];

		if (entry_text == NULL)
			continue;
		if (declaration_parse_document(entry_text, strlen(entry_text), path, type, &doc, err,
					       sizeof(err)) != 0) {
			refuse(cli, t, path, err);
		} else {
			/* Moved into the service: the document struct itself goes. */
			svc->documents[svc->ndocuments++] = *doc;
			free(doc);
		}
		free(entry_text);
	}
	json_decref(root);
	return svc;
none:
	json_decref(root);
	return NULL;
}

static int
import_file(struct cli *cli, const char *dir, const char *name, struct import_totals *t)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2), *text = NULL, *slug = NULL;
	struct declaration_service *svc = NULL;
	char err[512];
	size_t len = 0;

	if (path == NULL)
		return -1;
	sprintf(path, "%s/%s", dir, name);
	t->files++;
	text = read_declaration(path, &len, err, sizeof(err));
	if (text == NULL) {
		refuse(cli, t, path, err);
	} else if (declaration_parse_service(text, len, path, &svc, err, sizeof(err)) != 0
		   && (svc = parse_by_document(cli, t, path, text, len)) == NULL) {
		/* Not a declaration at all: the parser's reason names the file. */
		refuse(cli, t, path, err);
	}
	if (svc != NULL && svc->ndocuments > 0) {
		if ((slug = slug_of(name)) == NULL)
			refuse(cli, t, path, "out of memory");
		else if (store_service(cli, slug, svc, t, err, sizeof(err)) != 0)
			refuse(cli, t, path, err);
	}
	declaration_service_free(svc);
	free(slug);
	free(text);
	free(path);
	return 0;
}

static int
import_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = { CLI_COMMON_OPTIONS };
	struct import_totals t;
	json_t *root = NULL;
	char **names, err[512];
	size_t n, i;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		if ((rc = cli_common_option(cli, &cmd_import_declarations, c, optarg)) >= 0)
			return rc;
	if (argc - optind != 1)
		return cli_error(cli, CLI_EXIT_USAGE, "give one folder of declarations");
	if ((rc = list_files(argv[optind], &names, &n, err, sizeof(err))) != 0)
		return cli_error(cli, rc, "%s", err);
	if (n == 0)
		return cli_error(cli, CLI_EXIT_NOT_FOUND, "%s: no declaration (*.json) in it",
				 argv[optind]);
	memset(&t, 0, sizeof(t));
	if (cli->json) {
		root = json_object();
		t.refusals = json_array();
		if (root == NULL || t.refusals == NULL) {
			json_decref(root);
			json_decref(t.refusals);
			rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
			goto done;
		}
	}
	if (cli_store(cli) == NULL) {
		json_decref(root);
		json_decref(t.refusals);
		rc = CLI_EXIT_DATA;
		goto done;
	}
	for (i = 0; i < n; i++)
		if (import_file(cli, argv[optind], names[i], &t) != 0) {
			json_decref(root);
			json_decref(t.refusals);
			rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
			goto done;
		}
	rc = t.refused > 0 ? CLI_EXIT_DATA : CLI_EXIT_OK;
	if (root != NULL) {
		json_object_set_new(root, "files", json_integer(t.files));
		json_object_set_new(root, "platforms_added", json_integer(t.platforms));
		json_object_set_new(root, "documents", json_integer(t.documents));
		json_object_set_new(root, "refused", t.refusals);
		if (cli_json_print(cli, root) != CLI_EXIT_OK)
			rc = CLI_EXIT_DATA;
	} else {
		fprintf(cli->out.fp, "%d files: %d documents tracked, %d new platforms, "
			"%d refused\n", t.files, t.documents, t.platforms, t.refused);
	}
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

const struct cli_command cmd_import_declarations = {
	.name = "import-declarations",
	.args = "DIR",
	.summary = "track the documents of a folder of Open Terms Archive declarations",
	.run = import_run,
};
