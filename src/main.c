/*
 * main: clause's entry point: global options, then one command.
 */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assets.h"
#include "cli.h"
#include "dataset.h"
#include "config.h"
#include "store.h"
#include "ui.h"

static const struct cli_command *const commands[] = {
	&cmd_platforms,
	&cmd_show,
	&cmd_provision,
	&cmd_types,
	&cmd_search,
	&cmd_compare,
	&cmd_regulations,
	&cmd_history,
	&cmd_diff,
	&cmd_report,
	&cmd_watch,
	&cmd_extract,
	&cmd_changes,
	&cmd_add,
	&cmd_import_declarations,
	&cmd_import_ota_versions,
	&cmd_fetch,
	&cmd_classify,
	NULL
};

static void
usage(FILE *fp)
{
	size_t i;
	int width = 0;

	fprintf(fp,
		"usage: clause [--db PATH] [--json] COMMAND [ARGS]\n"
		"\n"
		"Browse the provisions of online platforms' terms of service and privacy\n"
		"policies: what each lets the platform do, the law it engages, and how\n"
		"other platforms handle the same thing.  With no command, on a terminal,\n"
		"opens the browser (? in it lists the keys); otherwise lists the platforms.\n"
		"\n"
		"Commands:\n");
	for (i = 0; commands[i] != NULL; i++)
		if ((int)strlen(commands[i]->name) > width)
			width = (int)strlen(commands[i]->name);
	for (i = 0; commands[i] != NULL; i++)
		fprintf(fp, "  %-*s  %s\n", width, commands[i]->name, commands[i]->summary);
	fprintf(fp,
		"\n"
		"Options (before or after the command):\n"
		"  --db PATH    the database (default $CLAUSE_DB, else\n"
		"               $XDG_DATA_HOME/clause/clause.db or ~/.local/share/clause/clause.db)\n"
		"  --json       print JSON instead of text\n"
		"  --help       this text; 'clause COMMAND --help' for a command's\n"
		"  --version    print the version\n"
		"\n"
		"Exit status: 0 success, 1 nothing found, 2 usage error, 3 network error,\n"
		"4 data or storage error.  Environment: CLAUSE_DB, COLUMNS, NO_COLOR.\n"
		"\n"
		"What clause shows is a reading of what a document states, not legal advice.\n");
}

/* The program's version, and the embedded dataset's version and date. */
static int
print_version(void)
{
	char version[64], date[64], err[256];

	printf("clause %s\n", PACKAGE_VERSION);
	if (dataset_about(assets_table(), version, sizeof(version), date, sizeof(date), err,
			  sizeof(err)) != 0) {
		fprintf(stderr, "clause: embedded %s\n", err);
		return CLI_EXIT_DATA;
	}
	printf("dataset %s (%s)\n", version, date);
	return CLI_EXIT_OK;
}

/* The interactive browser, on the store the options name. */
static int
run_ui(struct cli *cli)
{
	int rc;

	cli->command = NULL;
	if (cli_store(cli) == NULL)
		return CLI_EXIT_DATA;
	rc = ui_run(cli->store, cli->db_path);
	store_close(cli->store);
	free(cli->db_path);
	return rc;
}

static const struct cli_command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; commands[i] != NULL; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "version", no_argument, NULL, 'V' },
		CLI_COMMON_OPTIONS
	};
	static char default_command[] = "platforms";
	char *default_argv[] = { default_command, NULL };
	const struct cli_command *cmd;
	struct cli cli = { 0 };
	int c, rc;

	setlocale(LC_ALL, "");
	output_init(&cli.out, stdout);

	/* Global options stop at the command's name ("+"). */
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case 'V':
			return print_version();
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case 'J':
			cli.json = 1;
			break;
		case 'D':
			cli.db_option = optarg;
			break;
		default:
			usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && !cli.json)
		return run_ui(&cli);
	if (argc == 0) {
		argc = 1;
		argv = default_argv;
	}
	cmd = find_command(argv[0]);
	if (cmd == NULL) {
		return cli_error(&cli, CLI_EXIT_USAGE, "unknown command '%s' (see 'clause --help')",
				 argv[0]);
	}
	cli.command = cmd->name;
	optind = 0;	/* Start getopt afresh on the command's arguments. */
	rc = cmd->run(&cli, argc, argv);
	store_close(cli.store);
	free(cli.db_path);
	if (fflush(stdout) != 0 && rc == CLI_EXIT_OK)
		rc = cli_error(&cli, CLI_EXIT_DATA, "cannot write output");
	return rc;
}
