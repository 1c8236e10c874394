/*
 * cli: what the commands of clause share.
 *
 * One file per command (cmd-*.c), each filling in a struct cli_command.
 * main.c picks the command; the command parses its own options, which
 * always include --json, --db PATH and --help, opens the store through
 * cli_store() and writes through cli->out.
 */
#ifndef CLAUSE_CLI_H
#define CLAUSE_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <jansson.h>

#include "output.h"

struct store;

/* Exit codes, as DESIGN.md sets them. */
enum cli_exit {
	CLI_EXIT_OK = 0,		/* Success. */
	CLI_EXIT_NOT_FOUND = 1,		/* Nothing found. */
	CLI_EXIT_USAGE = 2,		/* Bad arguments or query. */
	CLI_EXIT_NETWORK = 3,		/* Network or remote error. */
	CLI_EXIT_DATA = 4		/* Data or storage error. */
};

struct cli {
	const char *command;		/* Name of the running command. */
	const char *db_option;		/* --db, or NULL. */
	int json;			/* --json. */
	struct output out;		/* Standard output. */
	struct store *store;		/* Opened by cli_store(). */
	char *db_path;			/* Its path, set by cli_store(); owned. */
};

struct cli_command {
	const char *name;
	const char *args;		/* "QUERY [--platform P] ...". */
	const char *summary;		/* One line for --help. */
	int (*run)(struct cli *cli, int argc, char **argv);
};

/* The long options every command takes; end a command's table with these. */
#define CLI_COMMON_OPTIONS \
	{ "json", no_argument, NULL, 'J' }, \
	{ "db", required_argument, NULL, 'D' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ NULL, 0, NULL, 0 }

/* Handle an option of CLI_COMMON_OPTIONS or an unknown one: returns -1 when
 * c was handled and parsing goes on, or the exit code to return now (--help
 * prints the command's usage and gives 0; an unknown option, 2). */
int cli_common_option(struct cli *cli, const struct cli_command *cmd, int c, const char *arg);

/* Print "usage: clause NAME ARGS" and the summary to fp. */
void cli_usage(const struct cli_command *cmd, FILE *fp);

/* Print "clause: COMMAND: message" to stderr, sanitised; returns code. */
int cli_error(struct cli *cli, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The store, opened on first use with the embedded dataset loaded or
 * brought up to date.  NULL after printing an error. */
struct store *cli_store(struct cli *cli);

/* Resolve a platform argument to its id and slug (slug may be NULL).
 * Returns CLI_EXIT_OK or prints why not and returns the exit code. */
int cli_platform(struct cli *cli, const char *text, int64_t *id, char **slug);

/* Check a kind slug exists; prints why not and returns the exit code. */
int cli_kind(struct cli *cli, const char *slug);

/* Print a JSON value to standard output, then free it.  On a terminal
 * non-ASCII is escaped, so that no raw control or bidirectional character
 * can reach it.  Returns the exit code. */
int cli_json_print(struct cli *cli, json_t *value);

/* A JSON string of s (a JSON null for NULL); text that is not valid UTF-8
 * is stored with the bad bytes replaced. */
json_t *cli_json_string(const char *s);

struct store_provision;

/* A provision as a JSON object, every field of struct store_provision. */
json_t *cli_json_provision(const struct store_provision *p);

struct store_document;
struct store_regulation;

/* A document, a regulation (with why and via when the walk sets them). */
json_t *cli_json_document(const struct store_document *d);
json_t *cli_json_regulation(const struct store_regulation *r);

/* A new object holding one new array under key; *list receives the array
 * (borrowed).  NULL when out of memory. */
json_t *cli_json_list(const char *key, json_t **list);

/* What a store walk's callback returns when it ran out of memory: positive,
 * so that it cannot be mistaken for a store_status. */
#define CLI_WALK_NOMEM 1

/* Report a failed walk (a store_status or CLI_WALK_NOMEM); returns the
 * exit code, CLI_EXIT_DATA. */
int cli_walk_error(struct cli *cli, int rc);

/* Append value to array, taking it; CLI_WALK_NOMEM (value freed) when it
 * cannot. */
int cli_json_append(json_t *array, json_t *value);

/* The date part (YYYY-MM-DD) of a stored timestamp, "" for NULL. */
void cli_date(const char *timestamp, char out[11]);

/* Whether s names a severity: high, medium, low or favourable. */
int cli_is_severity(const char *s);

/* What happened to a provision in a change, in words a reader takes in at
 * a glance: "\u201c30 days\u201d became \u201c5 years\u201d", "a new provision \u2014
 * HEADLINE", "no longer in the document \u2014 it said: HEADLINE".  Returns
 * CLI_WALK_NOMEM when out of memory, else 0. */
struct store_provision_change;
int cli_change_words(const struct store_provision_change *pc, char *buf, size_t size);

/* Parse a positive integer option; returns -1 when not one. */
long cli_positive(const char *s);

/* The commands. */
extern const struct cli_command cmd_platforms;
extern const struct cli_command cmd_show;
extern const struct cli_command cmd_provision;
extern const struct cli_command cmd_types;
extern const struct cli_command cmd_search;
extern const struct cli_command cmd_compare;
extern const struct cli_command cmd_regulations;
extern const struct cli_command cmd_watch;
extern const struct cli_command cmd_history;
extern const struct cli_command cmd_diff;
extern const struct cli_command cmd_report;
extern const struct cli_command cmd_extract;
extern const struct cli_command cmd_changes;
extern const struct cli_command cmd_add;
extern const struct cli_command cmd_import_declarations;
extern const struct cli_command cmd_import_ota_versions;
extern const struct cli_command cmd_fetch;
extern const struct cli_command cmd_classify;

#endif
