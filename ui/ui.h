/*
 * ui: the interactive, full-screen browser (ncurses).
 */
#ifndef CLAUSE_UI_H
#define CLAUSE_UI_H

struct store;

/* Run the browser on st, whose file is db_path (shown on the status line),
 * until the user quits or SIGINT/SIGTERM arrives; the terminal is left as
 * it was found.  Returns an exit code (0, or 4 on a fatal error, whose
 * message is printed after the terminal is restored). */
int ui_run(struct store *st, const char *db_path);

#endif
