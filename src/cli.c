/*
 * cli: options, errors, the store and JSON output that every command uses.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "classify.h"
#include "cli.h"
#include "dataset.h"
#include "paths.h"
#include "sanitize.h"
#include "store.h"
#include "textdiff.h"

void
cli_usage(const struct cli_command *cmd, FILE *fp)
{
	fprintf(fp, "usage: clause %s%s%s [--json] [--db PATH]\n  %s\n", cmd->name,
		cmd->args[0] != '\0' ? " " : "", cmd->args, cmd->summary);
}

int
cli_error(struct cli *cli, int code, const char *fmt, ...)
{
	char msg[1024], *clean;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	clean = sanitize_text(msg, strlen(msg), 0, NULL);
	fprintf(stderr, "clause: %s%s%s\n", cli->command != NULL ? cli->command : "",
		cli->command != NULL ? ": " : "", clean != NULL ? clean : msg);
	free(clean);
	return code;
}

int
cli_common_option(struct cli *cli, const struct cli_command *cmd, int c, const char *arg)
{
	switch (c) {
	case 'J':
		cli->json = 1;
		return -1;
	case 'D':
		cli->db_option = arg;
		return -1;
	case 'h':
		cli_usage(cmd, stdout);
		return CLI_EXIT_OK;
	default:
		/* getopt has said what was wrong. */
		cli_usage(cmd, stderr);
		return CLI_EXIT_USAGE;
	}
}

long
cli_positive(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0)
		return -1;
	return v;
}

/* Load the embedded dataset when the database lacks it or has an older
 * one.  Parsing is skipped when the dataset is already there. */
static int
cli_load_dataset(struct cli *cli, struct store *st)
{
	char err[512];
	struct dataset *ds;
	int rc;

	if (store_dataset_is_current(st, assets_digest()))
		return 0;
	ds = dataset_parse(assets_table(), err, sizeof(err));
	if (ds == NULL)
		return cli_error(cli, -1, "embedded %s", err);
	rc = store_load_dataset(st, ds, assets_digest());
	dataset_free(ds);
	if (rc != STORE_OK)
		return cli_error(cli, -1, "cannot load the embedded dataset: %s", store_errmsg(st));
	return 0;
}

/* Find the provisions of the documents whose newest version the rules have
 * not read yet: every document after a new dataset or new rules, one added
 * or fetched by a clause that did not classify it.  One query when there
 * is nothing to do.  What it cannot do now (another clause holds the
 * database too long) the next start does: a warning, not a failure of the
 * command the user asked for. */
static int
cli_classify(struct cli *cli, struct store *st)
{
	char err[512];

	if (classify_all_documents(st, err, sizeof(err)) != 0)
		fprintf(stderr, "clause: %s: warning: provisions not found automatically yet: %s\n",
			cli->command, err);
	return 0;
}

struct store *
cli_store(struct cli *cli)
{
	char err[512];
	char *path;

	if (cli->store != NULL)
		return cli->store;
	path = paths_database(cli->db_option, err, sizeof(err));
	if (path == NULL) {
		cli_error(cli, 0, "%s", err);
		return NULL;
	}
	cli->store = store_open(path, err, sizeof(err));
	cli->db_path = path;
	if (cli->store == NULL) {
		cli_error(cli, 0, "%s", err);
		return NULL;
	}
	if (cli_load_dataset(cli, cli->store) != 0 || cli_classify(cli, cli->store) != 0) {
		store_close(cli->store);
		cli->store = NULL;
	}
	return cli->store;
}

struct platform_found {
	int64_t id;
	char *slug;
};

static int
keep_platform(const struct store_platform *p, void *ctx)
{
	struct platform_found *found = ctx;

	found->id = p->id;
	found->slug = strdup(p->slug);
	return 0;
}

int
cli_platform(struct cli *cli, const char *text, int64_t *id, char **slug)
{
	struct platform_found found = { 0, NULL };
	struct store *st = cli_store(cli);
	int rc;

	if (st == NULL)
		return CLI_EXIT_DATA;
	rc = store_find_platform(st, text, keep_platform, &found);
	if (rc == STORE_NOT_FOUND || rc == STORE_AMBIGUOUS)
		return cli_error(cli, CLI_EXIT_USAGE, "%s (see 'clause platforms')",
				 store_errmsg(st));
	if (rc != STORE_OK)
		return cli_error(cli, CLI_EXIT_DATA, "%s", store_errmsg(st));
	if (found.slug == NULL)
		return cli_error(cli, CLI_EXIT_DATA, "out of memory");
	*id = found.id;
	if (slug != NULL)
		*slug = found.slug;
	else
		free(found.slug);
	return CLI_EXIT_OK;
}

static int
ignore_type(const struct store_type *t, void *ctx)
{
	(void)t;
	(void)ctx;
	return 0;
}

int
cli_kind(struct cli *cli, const char *slug)
{
	struct store *st = cli_store(cli);
	int rc;

	if (st == NULL)
		return CLI_EXIT_DATA;
	rc = store_find_type(st, slug, ignore_type, NULL);
	if (rc == STORE_NOT_FOUND)
		return cli_error(cli, CLI_EXIT_USAGE, "no kind '%s' (see 'clause types')", slug);
	if (rc != STORE_OK)
		return cli_error(cli, CLI_EXIT_DATA, "%s", store_errmsg(st));
	return CLI_EXIT_OK;
}

json_t *
cli_json_string(const char *s)
{
	json_t *v;
	char *clean;

	if (s == NULL)
		return json_null();
	v = json_string(s);
	if (v != NULL)
		return v;
	/* Not valid UTF-8: keep the text, with the bad bytes replaced. */
	clean = sanitize_text(s, strlen(s), SANITIZE_ENCODING_ONLY, NULL);
	v = clean != NULL ? json_string(clean) : NULL;
	free(clean);
	return v != NULL ? v : json_null();
}

int
cli_json_print(struct cli *cli, json_t *value)
{
	size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
	int rc;

	if (value == NULL)
		return cli_error(cli, CLI_EXIT_DATA, "out of memory");
	if (cli->out.tty)
		flags |= JSON_ENSURE_ASCII;
	rc = json_dumpf(value, cli->out.fp, flags);
	json_decref(value);
	if (rc != 0 || fputc('\n', cli->out.fp) == EOF)
		return cli_error(cli, CLI_EXIT_DATA, "cannot write output");
	return CLI_EXIT_OK;
}

json_t *
cli_json_provision(const struct store_provision *p)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "key", cli_json_string(p->key));
	json_object_set_new(o, "platform", cli_json_string(p->platform_slug));
	json_object_set_new(o, "platform_name", cli_json_string(p->platform_name));
	json_object_set_new(o, "document", cli_json_string(p->document_kind));
	json_object_set_new(o, "document_title", cli_json_string(p->document_title));
	json_object_set_new(o, "url", cli_json_string(p->url));
	json_object_set_new(o, "kind", cli_json_string(p->kind));
	json_object_set_new(o, "kind_name", cli_json_string(p->kind_name));
	json_object_set_new(o, "excerpt", cli_json_string(p->excerpt));
	json_object_set_new(o, "headline", cli_json_string(p->headline));
	json_object_set_new(o, "analysis", cli_json_string(p->analysis));
	json_object_set_new(o, "impact", cli_json_string(p->impact));
	json_object_set_new(o, "action", cli_json_string(p->action));
	json_object_set_new(o, "severity", cli_json_string(p->severity));
	json_object_set_new(o, "severity_reason", cli_json_string(p->severity_reason));
	json_object_set_new(o, "status", cli_json_string(p->status));
	json_object_set_new(o, "origin", cli_json_string(p->origin));
	json_object_set_new(o, "version_date", cli_json_string(p->version_date));
	json_object_set_new(o, "version_sha256", cli_json_string(p->version_sha256));
	json_object_set_new(o, "first_seen", cli_json_string(p->first_seen));
	return o;
}

int
cli_json_append(json_t *array, json_t *value)
{
	if (value == NULL || json_array_append_new(array, value) != 0)
		return CLI_WALK_NOMEM;
	return 0;
}

int
cli_walk_error(struct cli *cli, int rc)
{
	if (rc == CLI_WALK_NOMEM)
		return cli_error(cli, CLI_EXIT_DATA, "out of memory");
	return cli_error(cli, CLI_EXIT_DATA, "%s", store_errmsg(cli->store));
}

void
cli_date(const char *timestamp, char out[11])
{
	snprintf(out, 11, "%.10s", timestamp != NULL ? timestamp : "");
}

json_t *
cli_json_document(const struct store_document *d)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "id", json_integer(d->id));
	json_object_set_new(o, "kind", cli_json_string(d->kind));
	json_object_set_new(o, "title", cli_json_string(d->title));
	json_object_set_new(o, "url", cli_json_string(d->url));
	json_object_set_new(o, "versions", json_integer(d->versions));
	json_object_set_new(o, "latest", cli_json_string(d->latest));
	json_object_set_new(o, "provisions", json_integer(d->provisions));
	return o;
}

json_t *
cli_json_regulation(const struct store_regulation *r)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "slug", cli_json_string(r->slug));
	json_object_set_new(o, "framework", cli_json_string(r->framework));
	json_object_set_new(o, "article", cli_json_string(r->article));
	json_object_set_new(o, "title", cli_json_string(r->title));
	json_object_set_new(o, "jurisdiction", cli_json_string(r->jurisdiction));
	json_object_set_new(o, "authority", cli_json_string(r->authority));
	json_object_set_new(o, "max_penalty", cli_json_string(r->max_penalty));
	json_object_set_new(o, "url", cli_json_string(r->url));
	if (r->why != NULL)
		json_object_set_new(o, "why", cli_json_string(r->why));
	if (r->via != NULL)
		json_object_set_new(o, "via", cli_json_string(r->via));
	return o;
}

json_t *
cli_json_list(const char *key, json_t **list)
{
	json_t *root = json_object();

	*list = json_array();
	if (root == NULL || *list == NULL || json_object_set_new(root, key, *list) != 0) {
		json_decref(root);
		*list = NULL;
		return NULL;
	}
	return root;
}

int
cli_is_severity(const char *s)
{
	static const char *const severities[] = { "high", "medium", "low", "favourable", NULL };
	size_t i;

	for (i = 0; severities[i] != NULL; i++)
		if (strcmp(s, severities[i]) == 0)
			return 1;
	return 0;
}

int
cli_change_words(const struct store_provision_change *pc, char *buf, size_t size)
{
	const char *headline = pc->headline != NULL ? pc->headline : "";

	buf[0] = '\0';
	if (strcmp(pc->what, "changed") == 0 && pc->before != NULL && pc->after != NULL)
		return textdiff_passage_summary(pc->before, pc->after, buf, size) != 0
		       ? CLI_WALK_NOMEM : 0;
	if (strcmp(pc->what, "appeared") == 0)
		snprintf(buf, size, "a new provision \u2014 %s", headline);
	else if (strcmp(pc->what, "removed") == 0)
		snprintf(buf, size, "no longer in the document \u2014 it said: %s", headline);
	else
		snprintf(buf, size, "unchanged");
	return 0;
}
