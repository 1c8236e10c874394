/*
 * fetch: keep documents up to date from their real URLs, in a thread of
 * its own.
 *
 * The fetcher runs libcurl's multi interface on a thread with its own
 * database connection.  Documents are queued by id (fetcher_add, from any
 * thread); each page of a document's declaration is fetched within the
 * bounds of struct fetch_options, extracted (extract.h) and recorded
 * (update.h), and one event per document comes back on a socket that the
 * caller polls (fetcher_fd) and reads (fetcher_read_event).  Events are
 * small fixed-size messages: nothing is shared but the queue of ids.
 *
 * Finding provisions in the new texts (classify.h) is the caller's to do,
 * off the network's path: clause fetch does it for all of them at the end,
 * the browser for each document as its event comes.
 */
#ifndef CLAUSE_FETCH_H
#define CLAUSE_FETCH_H

#include <stddef.h>
#include <stdint.h>

struct fetch_options {
	const char *db_path;		/* The database the thread opens. */
	int max_transfers;		/* At once, overall. */
	int max_per_host;		/* At once, on one host. */
	long connect_timeout;		/* Seconds. */
	long timeout;			/* Seconds for one transfer, whole. */
	long low_speed_limit;		/* Bytes per second below which ... */
	long low_speed_time;		/* ... for this many seconds, it fails. */
	int retries;			/* More attempts after a 429, a 5xx or a time-out. */
	long max_retry_after;		/* The longest Retry-After honoured, seconds. */
	long backoff_ms;		/* The first retry's delay; doubled after. */
	size_t max_bytes;		/* Of a body, after decoding. */
	int max_redirects;
};

/* The defaults: 8 transfers, 2 per host, 15 s to connect, 60 s in all,
 * under 100 B/s for 15 s fails, 3 retries from 1 s, Retry-After up to
 * 120 s, 10 MiB, 5 redirects. */
void fetch_options_default(struct fetch_options *o);

enum fetch_outcome {
	FETCH_NEW,		/* The document's first version. */
	FETCH_CHANGED,		/* A new version. */
	FETCH_UNCHANGED,	/* The same text again. */
	FETCH_NOT_MODIFIED,	/* The server said so (304). */
	FETCH_FAILED		/* See the event's error; nothing was stored. */
};

struct fetch_event {
	int64_t document_id;
	enum fetch_outcome outcome;
	int http_status;		/* Of the last answer, 0 when none. */
	int64_t bytes;			/* Received, over the document's pages. */
	int current, changed, removed;	/* Its provisions, after a new version. */
	int64_t change_id;		/* The change recorded, or 0. */
	char error[240];		/* FETCH_FAILED: why, on one line. */
};

struct fetcher;

/* Start the thread.  NULL with a reason in err when it cannot. */
struct fetcher *fetcher_start(const struct fetch_options *o, char *err, size_t errsize);

/* Queue a document; safe from any thread.  0, or -1 when out of memory. */
int fetcher_add(struct fetcher *f, int64_t document_id);

/* The descriptor that becomes readable when events are waiting. */
int fetcher_fd(const struct fetcher *f);

/* Read one event without waiting: 1 when *ev was filled, 0 when none is
 * waiting, -1 when the thread is gone. */
int fetcher_read_event(struct fetcher *f, struct fetch_event *ev);

/* Stop the thread (transfers in flight are abandoned, nothing half-stored)
 * and free everything.  NULL is a harmless no-op. */
void fetcher_stop(struct fetcher *f);

/* The name of an outcome: new, changed, unchanged, not-modified, failed. */
const char *fetch_outcome_name(enum fetch_outcome outcome);

#endif
