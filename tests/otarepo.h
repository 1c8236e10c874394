/*
 * otarepo: a versions repository made the way Open Terms Archive records
 * history (SERVICE/TERMS TYPE.md, one commit per change, dated), for tests
 * that import one.
 */
#ifndef CLAUSE_OTAREPO_H
#define CLAUSE_OTAREPO_H

/* A bare repository at path whose service's "Terms of Service.md" changes
 * in each of commits commits, a day apart from 2020-09-13.  Aborts the
 * test run when libgit2 fails. */
void otarepo_make(const char *path, const char *service, int commits);

#endif
