/*
 * cmd-watch: clause watch add|rm|list [PLATFORM] — the platforms the user
 * watches for changes (the browser marks them; fetching and the digest of
 * changes work on them).
 */

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"

struct watch_walk {
	struct cli *cli;
	json_t *list;
	int count;
};

static int
show_watched(const struct store_platform *p, void *ctx)
{
	struct watch_walk *w = ctx;
	struct output *o = &w->cli->out;

	w->count++;
	if (w->list != NULL) {
		json_t *obj = json_object();

		if (obj == NULL)
			return CLI_WALK_NOMEM;
		json_object_set_new(obj, "slug", cli_json_string(p->slug));
		json_object_set_new(obj, "name", cli_json_string(p->name));
		json_object_set_new(obj, "documents", json_integer(p->documents));
		json_object_set_new(obj, "provisions", json_integer(p->provisions));
		return cli_json_append(w->list, obj);
	}
	output_fit(o, p->slug, 30, 1);
	putc(' ', o->fp);
	output_text(o, p->name);
	putc('\n', o->fp);
	return 0;
}

static int
watch_list(struct cli *cli)
{
	struct watch_walk w = { .cli = cli };
	json_t *root = NULL;
	int rc;

	if (cli->json && (root = cli_json_list("watched", &w.list)) == NULL)
		return cli_error(cli, CLI_EXIT_DATA, "out of memory");
	rc = store_each_watched(cli->store, show_watched, &w);
	if (rc != STORE_OK) {
		json_decref(root);
		return cli_walk_error(cli, rc);
	}
	if (root != NULL)
		return cli_json_print(cli, root);
	if (w.count == 0)
		fputs("No platform is watched: clause watch add PLATFORM\n", cli->out.fp);
	return CLI_EXIT_OK;
}

static int
watch_run(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = { CLI_COMMON_OPTIONS };
	const char *action;
	char *slug = NULL;
	int64_t id;
	int c, rc, on;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
		if ((rc = cli_common_option(cli, &cmd_watch, c, optarg)) >= 0)
			return rc;
	if (optind >= argc) {
		cli_usage(&cmd_watch, stderr);
		return CLI_EXIT_USAGE;
	}
	action = argv[optind];
	if (strcmp(action, "list") == 0) {
		if (argc - optind != 1)
			return cli_error(cli, CLI_EXIT_USAGE, "list takes no platform");
		return cli_store(cli) != NULL ? watch_list(cli) : CLI_EXIT_DATA;
	}
	if (strcmp(action, "add") != 0 && strcmp(action, "rm") != 0)
		return cli_error(cli, CLI_EXIT_USAGE, "unknown action '%s' (add, rm or list)", action);
	if (argc - optind != 2)
		return cli_error(cli, CLI_EXIT_USAGE, "%s needs one platform", action);
	on = strcmp(action, "add") == 0;
	if ((rc = cli_platform(cli, argv[optind + 1], &id, &slug)) != CLI_EXIT_OK)
		return rc;
	if (store_watch(cli->store, id, on) != STORE_OK) {
		free(slug);
		return cli_error(cli, CLI_EXIT_DATA, "%s", store_errmsg(cli->store));
	}
	if (cli->json) {
		json_t *root = json_pack("{s:s, s:b}", "platform", slug, "watched", on);

		free(slug);
		return cli_json_print(cli, root);
	}
	output_text(&cli->out, on ? "watching " : "no longer watching ");
	output_text(&cli->out, slug);
	putc('\n', cli->out.fp);
	free(slug);
	return CLI_EXIT_OK;
}

const struct cli_command cmd_watch = {
	.name = "watch",
	.args = "add|rm PLATFORM | list",
	.summary = "watch a platform for changes, stop, or list the watched ones",
	.run = watch_run,
};
