/*
 * cmd-add: clause add SLUG --name NAME --kind KIND --url URL [--select CSS]
 * [--remove CSS] — start tracking a document of any platform.  The
 * document gets a declaration in Open Terms Archive's format, so that
 * fetching it works like fetching an imported one.
 */

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "cli.h"
#include "declaration.h"
#include "store.h"

/* Lower-case letters, digits and inner dashes, at most 64. */
static int
valid_slug(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 64 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* An absolute http or https URL with a host. */
static int
valid_url(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int ok;

	if (u == NULL)
		return 0;
	ok = strlen(url) < 2048
	     && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK
	     && curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK
	     && curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK
	     && (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0) && host[0] != '\0';
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

static int
add_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "kind", required_argument, NULL, 'k' },
		{ "url", required_argument, NULL, 'u' },
		{ "title", required_argument, NULL, 't' },
		{ "select", required_argument, NULL, 's' },
		{ "remove", required_argument, NULL, 'r' },
		CLI_COMMON_OPTIONS
	};
	const char *name = NULL, *kind = NULL, *url = NULL, *title = NULL, *slug;
	json_t *decl = json_object(), *select = json_array(), *remove = json_array(), *out;
	struct declaration_document *parsed = NULL;
	int64_t platform_id, document_id;
	char *decl_text = NULL, err[256];
	int c, rc = -1, created, exists;

	if (decl == NULL || select == NULL || remove == NULL) {
		rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
		goto done;
	}
	while (rc < 0 && (c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'k':
			kind = optarg;
			break;
		case 'u':
			url = optarg;
			break;
		case 't':
			title = optarg;
			break;
		case 's':
			json_array_append_new(select, json_string(optarg));
			break;
		case 'r':
			json_array_append_new(remove, json_string(optarg));
			break;
		default:
			rc = cli_common_option(cli, &cmd_add, c, optarg);
			break;
		}
	}
	if (rc >= 0)
		goto done;
	if (argc - optind != 1) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "give one platform slug (clause add SLUG "
			       "--kind KIND --url URL)");
		goto done;
	}
	slug = argv[optind];
	if (!valid_slug(slug)) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "'%s' is not a slug (lower-case letters, "
			       "digits and dashes)", slug);
		goto done;
	}
	if (kind == NULL || url == NULL) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "--kind and --url are required");
		goto done;
	}
	if (!valid_slug(kind)) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "kind '%s' is not a slug (terms, privacy, ...)",
			       kind);
		goto done;
	}
	if (!valid_url(url)) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "'%s' is not an http or https URL", url);
		goto done;
	}
	json_object_set_new(decl, "fetch", json_string(url));
	if (json_array_size(select) == 0)
		json_array_append_new(select, json_string("body"));
	json_object_set(decl, "select", select);
	if (json_array_size(remove) > 0)
		json_object_set(decl, "remove", remove);
	decl_text = json_dumps(decl, JSON_COMPACT);
	if (decl_text == NULL) {
		rc = cli_error(cli, CLI_EXIT_DATA, "out of memory");
		goto done;
	}
	/* The selectors are checked now, not at the first fetch. */
	if (declaration_parse_document(decl_text, strlen(decl_text), "clause add", kind, &parsed,
				       err, sizeof(err)) != 0) {
		rc = cli_error(cli, CLI_EXIT_USAGE, "%s", err);
		goto done;
	}
	if (cli_store(cli) == NULL) {
		rc = CLI_EXIT_DATA;
		goto done;
	}
	exists = store_platform_by_slug(cli->store, slug, &platform_id);
	if (exists != STORE_OK && exists != STORE_NOT_FOUND) {
		rc = cli_error(cli, CLI_EXIT_DATA, "%s", store_errmsg(cli->store));
		goto done;
	}
	if (store_begin(cli->store) != STORE_OK) {
		rc = cli_error(cli, CLI_EXIT_DATA, "%s", store_errmsg(cli->store));
		goto done;
	}
	created = exists == STORE_NOT_FOUND;
	if ((created && store_put_platform(cli->store, slug, name != NULL ? name : slug, "", "", "",
					   &platform_id) != STORE_OK)
	    || store_put_document(cli->store, platform_id, kind, title != NULL ? title : kind, url,
				  decl_text, &document_id) != STORE_OK
	    || store_commit(cli->store) != STORE_OK) {
		rc = cli_error(cli, CLI_EXIT_DATA, "%s", store_errmsg(cli->store));
		store_rollback(cli->store);
		goto done;
	}
	if (cli->json) {
		out = json_pack("{s:s, s:b, s:s, s:s, s:I, s:O}", "platform", slug,
				"new_platform", created, "kind", kind, "url", url,
				"document_id", (json_int_t)document_id, "declaration", decl);
		rc = cli_json_print(cli, out);
		goto done;
	}
	output_text(&cli->out, "tracking ");
	output_text(&cli->out, slug);
	putc(' ', cli->out.fp);
	output_text(&cli->out, kind);
	output_text(&cli->out, " from ");
	output_text(&cli->out, url);
	output_text(&cli->out, "; fetch it with: clause fetch ");
	output_text(&cli->out, slug);
	putc('\n', cli->out.fp);
	rc = CLI_EXIT_OK;
done:
	declaration_document_free(parsed);
	free(decl_text);
	json_decref(decl);
	json_decref(select);
	json_decref(remove);
	return rc;
}

const struct cli_command cmd_add = {
	.name = "add",
	.args = "SLUG --kind KIND --url URL [--name NAME] [--title TITLE] [--select CSS]... "
		"[--remove CSS]...",
	.summary = "start tracking a document of any platform",
	.run = add_run,
};
