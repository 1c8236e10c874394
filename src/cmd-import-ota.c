/*
 * cmd-import-ota: clause import-ota-versions PATH — the recorded history of
 * an Open Terms Archive versions repository, as dated versions.
 *
 * The repository's files are SERVICE/TERMS TYPE.md, one commit per
 * recorded change.  The commits are read oldest first with libgit2; each
 * file a commit adds or changes becomes a version of that platform's
 * document, dated by the commit, through update_record (so provisions are
 * relocated and the change recorded).  OTA's "Apply technical or
 * declaration upgrade on ..." commits re-extract the same page under new
 * rules: their changes are recorded as technical, not as the platform's.
 *
 * The whole import is one transaction: a repository that cannot be read
 * to the end (a missing object, a file that is not text) is an error
 * naming the commit and the file, and nothing of it stays.  Importing the
 * same repository again adds nothing.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "classify.h"
#include "cli.h"
#include "declaration.h"
#include "store.h"
#include "update.h"

/* The largest file read, as the fetcher's bound. */
#define MAX_VERSION_BYTES (10 * 1024 * 1024)

struct import {
	struct cli *cli;
	git_repository *repo;
	int versions;		/* New versions. */
	int changes;		/* Of which the platform's changes. */
	int technical;		/* Re-extractions. */
	int unchanged;		/* Files whose text was already kept. */
	int documents_added;
	int platforms_added;
	char err[512];
};

/* "Claude.ai" -> "claude-ai": lower case, runs of anything else one dash. */
static char *
slugify(const char *name)
{
	char *out = malloc(strlen(name) + 1), *o = out;
	int dash = 0;

	if (out == NULL)
		return NULL;
	for (; *name != '\0'; name++) {
		unsigned char c = (unsigned char)*name;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && o != out)
				*o++ = '-';
			*o++ = (char)c;
			dash = 0;
		} else if (c >= 'A' && c <= 'Z') {
			if (dash && o != out)
				*o++ = '-';
			*o++ = (char)(c - 'A' + 'a');
			dash = 0;
		} else {
			dash = 1;
		}
	}
	*o = '\0';
	return out;
}

struct find_doc {
	const char *kind;
	int64_t id;
};

static int
find_kind(const struct store_document *d, void *ctx)
{
	struct find_doc *f = ctx;

	if (strcmp(d->kind, f->kind) == 0)
		f->id = d->id;
	return 0;
}

/* The document for SERVICE/TYPE, made when missing. */
static int
document_for(struct import *im, const char *service, const char *type, int64_t *id)
{
	struct store *st = im->cli->store;
	char *slug = slugify(service), *kind = declaration_kind_for_type(type);
	struct find_doc fd = { kind, 0 };
	int64_t platform_id = 0;
	int rc = -1;

	if (slug == NULL || kind == NULL) {
		snprintf(im->err, sizeof(im->err), "out of memory");
		goto done;
	}
	if (slug[0] == '\0' || kind[0] == '\0') {
		snprintf(im->err, sizeof(im->err), "'%s/%s.md' does not name a service and a "
			 "document", service, type);
		goto done;
	}
	switch (store_platform_by_slug(st, slug, &platform_id)) {
	case STORE_OK:
		break;
	case STORE_NOT_FOUND:
		if (store_put_platform(st, slug, service, "", "", "", &platform_id) != STORE_OK)
			goto store_error;
		im->platforms_added++;
		break;
	default:
		goto store_error;
	}
	if (store_each_document(st, platform_id, find_kind, &fd) != STORE_OK)
		goto store_error;
	if (fd.id == 0) {
		if (store_put_document(st, platform_id, kind, type, "", NULL, &fd.id) != STORE_OK)
			goto store_error;
		im->documents_added++;
	}
	*id = fd.id;
	rc = 0;
	goto done;
store_error:
	snprintf(im->err, sizeof(im->err), "%s", store_errmsg(st));
done:
	free(slug);
	free(kind);
	return rc;
}

/* What a commit message says of its changes. */
static const char *
cause_of(const char *message)
{
	if (message != NULL && strncmp(message, "Apply technical or declaration upgrade", 38) == 0)
		return "technical";
	return "platform";
}

/* One file a commit added or changed. */
static int
import_file(struct import *im, git_commit *commit, const git_diff_delta *delta)
{
	const char *path = delta->new_file.path, *slash = strchr(path, '/');
	size_t len = strlen(path);
	char service[256], type[256], at[32], oid[GIT_OID_HEXSZ + 1];
	git_blob *blob = NULL;
	struct update_in in;
	struct update_result r;
	git_time_t when = git_commit_time(commit);
	struct tm tm;
	time_t t = (time_t)when;
	const char *content;
	char *text;
	size_t size;
	int64_t document;

	/* Only SERVICE/TYPE.md: README files and the like are not versions. */
	if (slash == NULL || strchr(slash + 1, '/') != NULL || len < 4
	    || strcmp(path + len - 3, ".md") != 0 || strchr(path, '/') == path)
		return 0;
	git_oid_tostr(oid, sizeof(oid), git_commit_id(commit));
	snprintf(service, sizeof(service), "%.*s", (int)(slash - path), path);
	snprintf(type, sizeof(type), "%.*s", (int)(len - 3 - (size_t)(slash + 1 - path)), slash + 1);
	if (git_blob_lookup(&blob, im->repo, &delta->new_file.id) != 0) {
		snprintf(im->err, sizeof(im->err), "commit %.12s: %s: %s", oid, path,
			 git_error_last() != NULL ? git_error_last()->message : "cannot read");
		return -1;
	}
	size = (size_t)git_blob_rawsize(blob);
	content = git_blob_rawcontent(blob);
	if (size > MAX_VERSION_BYTES || memchr(content, '\0', size) != NULL) {
		snprintf(im->err, sizeof(im->err), "commit %.12s: %s: %s", oid, path,
			 size > MAX_VERSION_BYTES ? "larger than 10 MiB" : "not text (NUL bytes)");
		git_blob_free(blob);
		return -1;
	}
	text = strndup(content, size);
	git_blob_free(blob);
	if (text == NULL) {
		snprintf(im->err, sizeof(im->err), "out of memory");
		return -1;
	}
	if (document_for(im, service, type, &document) != 0) {
		free(text);
		return -1;
	}
	gmtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	memset(&in, 0, sizeof(in));
	in.document_id = document;
	in.text = text;
	in.source = "imported";
	in.at = at;
	in.cause = cause_of(git_commit_message(commit));
	in.in_transaction = 1;
	if (update_record(im->cli->store, &in, &r, im->err, sizeof(im->err)) != 0) {
		free(text);
		return -1;
	}
	free(text);
	if (r.change_id == 0) {
		im->unchanged++;
		return 0;
	}
	im->versions += r.new_version;
	if (strcmp(in.cause, "technical") == 0)
		im->technical++;
	else
		im->changes++;
	return 0;
}

/* The files one commit added or changed, against its first parent. */
static int
import_commit(struct import *im, const git_oid *id)
{
	git_commit *commit = NULL, *parent = NULL;
	git_tree *tree = NULL, *parent_tree = NULL;
	git_diff *diff = NULL;
	char oid[GIT_OID_HEXSZ + 1];
	size_t i, n;
	int rc = -1;

	git_oid_tostr(oid, sizeof(oid), id);
	if (git_commit_lookup(&commit, im->repo, id) != 0 || git_commit_tree(&tree, commit) != 0
	    || (git_commit_parentcount(commit) > 0
		&& (git_commit_parent(&parent, commit, 0) != 0
		    || git_commit_tree(&parent_tree, parent) != 0))
	    || git_diff_tree_to_tree(&diff, im->repo, parent_tree, tree, NULL) != 0) {
		snprintf(im->err, sizeof(im->err), "commit %.12s: %s", oid,
			 git_error_last() != NULL ? git_error_last()->message : "cannot read");
		goto done;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		const git_diff_delta *delta = git_diff_get_delta(diff, i);

		if (delta->status != GIT_DELTA_ADDED && delta->status != GIT_DELTA_MODIFIED)
			continue;
		if (import_file(im, commit, delta) != 0)
			goto done;
	}
	rc = 0;
done:
	git_diff_free(diff);
	git_tree_free(parent_tree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(commit);
	return rc;
}

/* Every commit from the first to HEAD, in one transaction. */
static int
import_history(struct import *im)
{
	git_revwalk *walk = NULL;
	git_oid id;
	int rc;

	if (git_revwalk_new(&walk, im->repo) != 0 || git_revwalk_push_head(walk) != 0
	    || git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE)
	       != 0) {
		snprintf(im->err, sizeof(im->err), "%s",
			 git_error_last() != NULL ? git_error_last()->message : "cannot walk");
		git_revwalk_free(walk);
		return -1;
	}
	if (store_begin(im->cli->store) != STORE_OK) {
		snprintf(im->err, sizeof(im->err), "%s", store_errmsg(im->cli->store));
		git_revwalk_free(walk);
		return -1;
	}
	while ((rc = git_revwalk_next(&id, walk)) == 0)
		if (import_commit(im, &id) != 0)
			break;
	if (rc != 0 && rc != GIT_ITEROVER)
		snprintf(im->err, sizeof(im->err), "cannot walk the history: %s",
			 git_error_last() != NULL ? git_error_last()->message : "unknown error");
	git_revwalk_free(walk);
	if (rc != GIT_ITEROVER || store_commit(im->cli->store) != STORE_OK) {
		if (rc == GIT_ITEROVER)
			snprintf(im->err, sizeof(im->err), "%s", store_errmsg(im->cli->store));
		store_rollback(im->cli->store);
		return -1;
	}
	return 0;
}

static int
import_ota_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = { CLI_COMMON_OPTIONS };
	struct import im;
	const char *path;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		if ((rc = cli_common_option(cli, &cmd_import_ota_versions, c, optarg)) >= 0)
			return rc;
	if (argc - optind != 1)
		return cli_error(cli, CLI_EXIT_USAGE, "give one versions repository");
	path = argv[optind];
	memset(&im, 0, sizeof(im));
	im.cli = cli;
	git_libgit2_init();
	if (git_repository_open_ext(&im.repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "%s: not a git repository (%s)", path,
			       git_error_last() != NULL ? git_error_last()->message : "?");
		git_libgit2_shutdown();
		return rc;
	}
	if (cli_store(cli) == NULL) {
		rc = CLI_EXIT_DATA;
		goto out;
	}
	if (import_history(&im) != 0) {
		rc = cli_error(cli, CLI_EXIT_DATA, "%s: %s; nothing was imported", path, im.err);
		goto out;
	}
	/* The history is in; what the classifier cannot do now, the next start
	 * does. */
	if (im.versions > 0 && classify_all_documents(cli->store, im.err, sizeof(im.err)) != 0)
		fprintf(stderr, "clause: %s: warning: provisions not found automatically yet: %s\n",
			cli->command, im.err);
	if (cli->json) {
		rc = cli_json_print(cli, json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i}",
						   "repository", path, "versions", im.versions,
						   "changes", im.changes, "technical", im.technical,
						   "unchanged", im.unchanged,
						   "documents_added", im.documents_added,
						   "platforms_added", im.platforms_added));
	} else {
		fprintf(cli->out.fp, "%d new versions: %d changes by the platforms, %d technical "
			"re-extractions; %d already kept; %d new documents, %d new platforms\n",
			im.versions, im.changes, im.technical, im.unchanged, im.documents_added,
			im.platforms_added);
		rc = CLI_EXIT_OK;
	}
out:
	git_repository_free(im.repo);
	git_libgit2_shutdown();
	return rc;
}

const struct cli_command cmd_import_ota_versions = {
	.name = "import-ota-versions",
	.args = "PATH",
	.summary = "import the dated versions of an Open Terms Archive versions repository",
	.run = import_ota_run,
};
