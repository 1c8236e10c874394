/*
 * cmd-report: clause report PLATFORM [--format markdown|json|csv] — an
 * audit-ready record of what a platform's documents said: every provision
 * with its verbatim quote, the document's URL, the version's date and
 * SHA-256, the reading, the severity and the law engaged (authority,
 * maximum penalty), and each document's timeline of versions.
 *
 * JSON keeps every text as stored; markdown and CSV, made to be read or
 * opened elsewhere, have their control characters and escape sequences
 * removed first.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assets.h"
#include "cli.h"
#include "config.h"
#include "dataset.h"
#include "sanitize.h"
#include "store.h"

enum report_format {
	REPORT_MARKDOWN,
	REPORT_JSON,
	REPORT_CSV
};

struct report {
	struct cli *cli;
	enum report_format format;
	FILE *fp;
	json_t *list;		/* JSON: the array being filled. */
	json_t *item;		/* JSON: the provision being filled. */
	int64_t platform_id;
	int count;
	char regs[2048];	/* CSV: the regulations of the provision. */
};

/* Write s with control characters and escape sequences removed, newlines
 * kept. */
static void
put_clean(FILE *fp, const char *s)
{
	size_t len;
	char *clean;

	if (s == NULL)
		return;
	clean = sanitize_text(s, strlen(s), SANITIZE_KEEP_NEWLINES, &len);
	if (clean != NULL)
		fwrite(clean, 1, len, fp);
	free(clean);
}

/* A CSV field: quoted, quotes doubled (RFC 4180), text cleaned. */
static void
put_csv(FILE *fp, const char *s, int last)
{
	size_t len, i;
	char *clean = sanitize_text(s != NULL ? s : "", s != NULL ? strlen(s) : 0,
				    SANITIZE_KEEP_NEWLINES, &len);

	putc('"', fp);
	for (i = 0; clean != NULL && i < len; i++) {
		if (clean[i] == '"')
			putc('"', fp);
		putc(clean[i], fp);
	}
	putc('"', fp);
	fputs(last ? "\r\n" : ",", fp);
	free(clean);
}

/* A markdown block quote: "> " before every line. */
static void
put_quote(FILE *fp, const char *s)
{
	size_t len, i;
	char *clean = sanitize_text(s, strlen(s), SANITIZE_KEEP_NEWLINES, &len);

	fputs("> ", fp);
	for (i = 0; clean != NULL && i < len; i++) {
		putc(clean[i], fp);
		if (clean[i] == '\n')
			fputs("> ", fp);
	}
	fputs("\n\n", fp);
	free(clean);
}

static int
report_version(const struct store_version *v, void *ctx)
{
	struct report *r = ctx;

	if (r->format == REPORT_JSON)
		return cli_json_append(r->list, json_pack("{s:I, s:s, s:s, s:s, s:I}", "id",
							  (json_int_t)v->id, "date", v->retrieved_at,
							  "source", v->source, "sha256", v->sha256,
							  "size", (json_int_t)v->size));
	fprintf(r->fp, "| %.10s | %s | `%s` | %zu |\n", v->retrieved_at, v->source, v->sha256,
		v->size);
	return 0;
}

static int
report_provision_change(const struct store_provision_change *pc, void *ctx)
{
	struct report *r = ctx;
	char words[1024];

	if (cli_change_words(pc, words, sizeof(words)) != 0)
		return CLI_WALK_NOMEM;
	if (r->format == REPORT_JSON)
		return cli_json_append(json_object_get(r->item, "provisions"),
				       json_pack("{s:I, s:s?, s:s?, s:s, s:s, s:s?, s:s?}",
						 "id", (json_int_t)pc->provision_id,
						 "kind", pc->kind, "kind_name", pc->kind_name,
						 "what", pc->what, "words", words,
						 "before", pc->before, "after", pc->after));
	fputs("  - ", r->fp);
	put_clean(r->fp, pc->kind_name);
	fputs(": ", r->fp);
	put_clean(r->fp, words);
	putc('\n', r->fp);
	return 0;
}

/* One entry of a document's change timeline: when, whose change (the
 * platform's, or a re-extraction by whoever recorded it), what it did to
 * the text and to each provision. */
static int
report_change(const struct store_change *c, void *ctx)
{
	struct report *r = ctx;
	int platform = strcmp(c->cause, "technical") != 0;
	json_t *saved = r->item;
	int rc;

	r->count++;
	if (r->format == REPORT_JSON) {
		r->item = json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:{s:i, s:i, s:i}, s:[]}",
				    "id", (json_int_t)c->id, "detected_at", c->detected_at,
				    "cause", c->cause, "from_version_date", c->from_date,
				    "to_version_date", c->to_date, "sha256", c->to_sha256,
				    "summary", c->summary, "paragraphs", "added", c->added,
				    "removed", c->removed, "changed", c->changed, "provisions");
		if (r->item == NULL || cli_json_append(r->list, r->item) != 0) {
			r->item = saved;
			return CLI_WALK_NOMEM;
		}
	} else {
		fprintf(r->fp, "- %.10s: ", c->to_date != NULL ? c->to_date : c->detected_at);
		if (c->from_date == NULL) {
			fputs("first version recorded", r->fp);
		} else {
			fputs(platform ? "changed by the platform: "
				       : "re-extracted by the archive, not the platform's change: ",
			      r->fp);
			put_clean(r->fp, c->summary);
		}
		fprintf(r->fp, " (SHA-256 `%.12s`)\n", c->to_sha256 != NULL ? c->to_sha256 : "");
	}
	rc = store_each_provision_change(r->cli->store, c->id, 0, report_provision_change, r);
	r->item = saved;
	return rc;
}

static int
report_changes(struct report *r, const struct store_document *d)
{
	struct store_change_filter filter = { 0 };
	json_t *saved = r->list;
	int saved_count = r->count, rc;

	filter.technical = 1;
	filter.document_id = d->id;
	r->count = 0;
	if (r->format == REPORT_MARKDOWN)
		fputs("Changes recorded:\n\n", r->fp);
	rc = store_each_change(r->cli->store, &filter, report_change, r);
	if (rc == STORE_OK && r->format == REPORT_MARKDOWN)
		fputs(r->count == 0 ? "- none recorded by a fetch or an import (the versions above, "
				      "if several, came with clause's dataset).\n\n"
				    : "\n", r->fp);
	r->count = saved_count;
	r->list = saved;
	return rc;
}

static int
report_document(const struct store_document *d, void *ctx)
{
	struct report *r = ctx;
	json_t *saved = r->list, *changes = NULL;
	int rc;

	if (r->format == REPORT_JSON) {
		json_t *obj = json_object(), *versions = json_array();

		changes = json_array();
		if (obj == NULL || versions == NULL || changes == NULL
		    || json_object_set_new(obj, "versions", versions) != 0
		    || json_object_set_new(obj, "changes", changes) != 0) {
			json_decref(obj);
			json_decref(versions);
			json_decref(changes);
			return CLI_WALK_NOMEM;
		}
		json_object_set_new(obj, "kind", cli_json_string(d->kind));
		json_object_set_new(obj, "title", cli_json_string(d->title));
		json_object_set_new(obj, "url", cli_json_string(d->url));
		if (cli_json_append(r->list, obj) != 0)
			return CLI_WALK_NOMEM;
		r->list = versions;
	} else {
		fputs("### ", r->fp);
		put_clean(r->fp, d->title);
		fprintf(r->fp, " (%s)\n\n", d->kind);
		if (d->url != NULL && d->url[0] != '\0') {
			put_clean(r->fp, d->url);
			fputs("\n\n", r->fp);
		}
		fputs("| version of | source | SHA-256 | bytes |\n|---|---|---|---|\n", r->fp);
	}
	rc = store_each_version(r->cli->store, d->id, 0, report_version, r);
	if (r->format == REPORT_MARKDOWN)
		putc('\n', r->fp);
	if (rc == STORE_OK && r->format != REPORT_CSV) {
		r->list = changes;
		rc = report_changes(r, d);
	}
	r->list = saved;
	return rc;
}

static int
report_regulation(const struct store_regulation *g, void *ctx)
{
	struct report *r = ctx;
	size_t used = strlen(r->regs);

	switch (r->format) {
	case REPORT_JSON:
		return cli_json_append(json_object_get(r->item, "regulations"),
				       cli_json_regulation(g));
	case REPORT_CSV:
		snprintf(r->regs + used, sizeof(r->regs) - used, "%s%s %s", used > 0 ? "; " : "",
			 g->framework, g->article);
		return 0;
	case REPORT_MARKDOWN:
		fputs("- **", r->fp);
		put_clean(r->fp, g->framework);
		putc(' ', r->fp);
		put_clean(r->fp, g->article);
		fputs("** — ", r->fp);
		put_clean(r->fp, g->title);
		fputs(". ", r->fp);
		put_clean(r->fp, g->why);
		fputs(" Enforced by ", r->fp);
		put_clean(r->fp, g->authority);
		if (g->max_penalty != NULL && *g->max_penalty != '\0') {
			fputs("; maximum penalty: ", r->fp);
			put_clean(r->fp, g->max_penalty);
		}
		fputs(".\n", r->fp);
		return 0;
	}
	return 0;
}

static void
md_field(FILE *fp, const char *label, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	fprintf(fp, "**%s.** ", label);
	put_clean(fp, text);
	fputs("\n\n", fp);
}

static int
report_provision(const struct store_provision *p, void *ctx)
{
	struct report *r = ctx;
	int rc;

	r->count++;
	r->regs[0] = '\0';
	if (r->format == REPORT_JSON) {
		r->item = cli_json_provision(p);
		if (r->item == NULL
		    || json_object_set_new(r->item, "regulations", json_array()) != 0
		    || cli_json_append(r->list, r->item) != 0)
			return CLI_WALK_NOMEM;
	} else if (r->format == REPORT_MARKDOWN) {
		fprintf(r->fp, "### #%lld ", (long long)p->id);
		put_clean(r->fp, p->headline);
		fprintf(r->fp, "\n\n- Kind: ");
		put_clean(r->fp, p->kind_name);
		fprintf(r->fp, " (`%s`)\n- Severity: %s — ", p->kind, p->severity);
		put_clean(r->fp, p->severity_reason);
		fputs("\n- Source: ", r->fp);
		put_clean(r->fp, p->document_title);
		if (p->url != NULL && p->url[0] != '\0') {
			fputs(", ", r->fp);
			put_clean(r->fp, p->url);
		}
		fprintf(r->fp, ", version of %.10s, SHA-256 `%s` (read since %.10s; %s)\n\n",
			p->version_date != NULL ? p->version_date : "",
			p->version_sha256 != NULL ? p->version_sha256 : "",
			p->first_seen != NULL ? p->first_seen : "", p->status);
		put_quote(r->fp, p->excerpt);
		md_field(r->fp, "What it establishes", p->analysis);
		md_field(r->fp, "Impact", p->impact);
		md_field(r->fp, "What a user can do", p->action);
		fputs("**Law engaged.**\n\n", r->fp);
	}
	rc = store_each_provision_regulation(r->cli->store, p->id, report_regulation, r);
	if (rc != STORE_OK)
		return rc;
	if (r->format == REPORT_MARKDOWN) {
		putc('\n', r->fp);
	} else if (r->format == REPORT_CSV) {
		char id[32];

		snprintf(id, sizeof(id), "%lld", (long long)p->id);
		put_csv(r->fp, id, 0);
		put_csv(r->fp, p->platform_slug, 0);
		put_csv(r->fp, p->document_kind, 0);
		put_csv(r->fp, p->url, 0);
		put_csv(r->fp, p->version_date, 0);
		put_csv(r->fp, p->version_sha256, 0);
		put_csv(r->fp, p->kind, 0);
		put_csv(r->fp, p->severity, 0);
		put_csv(r->fp, p->headline, 0);
		put_csv(r->fp, p->excerpt, 0);
		put_csv(r->fp, p->analysis, 0);
		put_csv(r->fp, p->impact, 0);
		put_csv(r->fp, p->action, 0);
		put_csv(r->fp, r->regs, 1);
	}
	return 0;
}

struct about {
	char name[256];
	char dataset[64];
	char dataset_date[64];
	char generated[32];
};

static int
keep_name(const struct store_platform *p, void *ctx)
{
	snprintf(ctx, 256, "%s", p->name);
	return 0;
}

static int
report_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		CLI_COMMON_OPTIONS
	};
	struct report r = { .cli = cli, .format = REPORT_MARKDOWN, .fp = cli->out.fp };
	struct store_provision_filter filter = { 0 };
	struct about about = { "", "", "", "" };
	char *slug = NULL, err[256];
	json_t *root = NULL;
	time_t now = time(NULL);
	int c, rc;

	while ((c = getopt_long(argc, argv, "hf:", options, NULL)) != -1) {
		if (c != 'f') {
			if ((rc = cli_common_option(cli, &cmd_report, c, optarg)) >= 0)
				return rc;
			continue;
		}
		if (strcmp(optarg, "markdown") == 0)
			r.format = REPORT_MARKDOWN;
		else if (strcmp(optarg, "json") == 0)
			r.format = REPORT_JSON;
		else if (strcmp(optarg, "csv") == 0)
			r.format = REPORT_CSV;
		else
			return cli_error(cli, CLI_EXIT_USAGE,
					 "no format '%s' (markdown, json or csv)", optarg);
	}
	if (cli->json)
		r.format = REPORT_JSON;
	if (argc - optind != 1) {
		cli_usage(&cmd_report, stderr);
		return CLI_EXIT_USAGE;
	}
	if ((rc = cli_platform(cli, argv[optind], &r.platform_id, &slug)) != CLI_EXIT_OK)
		return rc;
	store_get_platform(cli->store, r.platform_id, keep_name, about.name);
	if (dataset_about(assets_table(), about.dataset, sizeof(about.dataset), about.dataset_date,
			  sizeof(about.dataset_date), err, sizeof(err)) != 0)
		snprintf(about.dataset, sizeof(about.dataset), "unknown");
	strftime(about.generated, sizeof(about.generated), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	filter.platform_id = r.platform_id;

	switch (r.format) {
	case REPORT_JSON:
		root = json_pack("{s:s, s:s, s:s, s:s, s:s}", "platform", slug, "name", about.name,
				 "generated_at", about.generated, "clause_version", PACKAGE_VERSION,
				 "dataset_version", about.dataset);
		if (root == NULL || (r.list = json_array()) == NULL
		    || json_object_set_new(root, "documents", r.list) != 0) {
			rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
			goto out;
		}
		rc = store_each_document(cli->store, r.platform_id, report_document, &r);
		if (rc == STORE_OK && ((r.list = json_array()) == NULL
				       || json_object_set_new(root, "provisions", r.list) != 0))
			rc = CLI_WALK_NOMEM;
		if (rc == STORE_OK)
			rc = store_each_provision(cli->store, &filter, report_provision, &r);
		break;
	case REPORT_CSV:
		fputs("id,platform,document,url,version_date,version_sha256,kind,severity,"
		      "headline,excerpt,analysis,impact,action,regulations\r\n", r.fp);
		rc = store_each_provision(cli->store, &filter, report_provision, &r);
		break;
	case REPORT_MARKDOWN:
		fputs("# ", r.fp);
		put_clean(r.fp, about.name);
		fprintf(r.fp, " (`%s`): what its documents say\n\n"
			"Report made %s by clause %s with dataset %s. Each quote is verbatim from the "
			"version named, identified by its SHA-256. A reading of what the documents "
			"state, not legal advice.\n\n## Documents and their versions\n\n",
			slug, about.generated, PACKAGE_VERSION, about.dataset);
		rc = store_each_document(cli->store, r.platform_id, report_document, &r);
		if (rc == STORE_OK) {
			fputs("## Provisions\n\n", r.fp);
			rc = store_each_provision(cli->store, &filter, report_provision, &r);
		}
		break;
	}
	if (rc != STORE_OK) {
		rc = cli_walk_error(cli, rc);
		goto out;
	}
	if (root != NULL) {
		rc = cli_json_print(cli, root);
		root = NULL;
	} else {
		rc = CLI_EXIT_OK;
	}
out:
	json_decref(root);
	free(slug);
	return rc;
}

const struct cli_command cmd_report = {
	.name = "report",
	.args = "PLATFORM [--format markdown|json|csv]",
	.summary = "an audit-ready record of a platform's provisions, quotes, versions and changes",
	.run = report_run,
};
