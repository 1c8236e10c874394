/*
 * paths: where clause keeps its files, and finds its helper programs.
 */
#ifndef CLAUSE_PATHS_H
#define CLAUSE_PATHS_H

#include <stddef.h>

/* The database path: explicit if not NULL (--db), else $CLAUSE_DB, else
 * $XDG_DATA_HOME/clause/clause.db, else ~/.local/share/clause/clause.db.
 * Creates the missing parent folders (mode 0700) of a default path.
 * Returns a malloc'd path, or NULL with a one-line reason in err. */
char *paths_database(const char *explicit_path, char *err, size_t errsize);

/* The path of helper program name (clause-pdftext): in $CLAUSE_LIBEXECDIR
 * when that is set, else beside the running clause when it is there (a
 * build tree), else in the folder it was installed to (PKGLIBEXECDIR).
 * Returns a malloc'd path, or NULL with a one-line reason in err. */
char *paths_helper(const char *name, char *err, size_t errsize);

#endif
