/*
 * refresh: the browser's background fetches.
 *
 * r refreshes the selected platform's documents and R every platform's.
 * The fetch thread (src/fetch.c) does the work on its own connection; the
 * loop polls its event socket beside the keyboard, so the browser never
 * waits on the network.  When a document changes, its platform is marked
 * and every view that shows it reads the store again.
 */

#include <stdio.h>
#include <string.h>

#include "classify.h"
#include "fetch.h"
#include "store.h"
#include "ui-internal.h"

struct queue_walk {
	struct ui *ui;
	int queued;
	int failed;
};

static int
queue_document(const struct store_fetch_target *t, void *ctx)
{
	struct queue_walk *w = ctx;

	if (fetcher_add(w->ui->refresh.fetcher, t->document_id) != 0) {
		w->failed = 1;
		return 1;
	}
	w->queued++;
	return 0;
}

void
ui_refresh_start(struct ui *ui, int all)
{
	struct ui_refresh *r = &ui->refresh;
	struct queue_walk w = { ui, 0, 0 };
	int64_t platform = 0;
	int rc;

	if (!all) {
		if (ui->nplatforms == 0) {
			ui_message(ui, 1, "no platform to refresh");
			return;
		}
		platform = ui->platforms[ui->platform].id;
	}
	if (r->fetcher == NULL) {
		struct fetch_options o;
		char err[256];

		fetch_options_default(&o);
		o.db_path = ui->db_path;
		r->fetcher = fetcher_start(&o, err, sizeof(err));
		if (r->fetcher == NULL) {
			ui_message(ui, 1, "cannot refresh: %s", err);
			return;
		}
	}
	if (r->done >= r->queued) {
		/* Idle: count this round from zero. */
		r->queued = r->done = r->changed = r->failed = 0;
		r->last_error[0] = '\0';
	}
	rc = store_each_fetch_target(ui->st, platform, 0, 0, queue_document, &w);
	r->queued += w.queued;
	if (rc < 0 || w.failed) {
		ui_message(ui, 1, "cannot queue the documents: %s",
			   w.failed ? "out of memory" : store_errmsg(ui->st));
		return;
	}
	if (w.queued == 0)
		ui_message(ui, 1, "%s no document to fetch", all ? "there is" : "this platform has");
	else
		ui_message(ui, 0, "refreshing %d document%s in the background", w.queued,
			   w.queued == 1 ? "" : "s");
}

int
ui_refresh_fd(const struct ui *ui)
{
	return ui->refresh.fetcher != NULL ? fetcher_fd(ui->refresh.fetcher) : -1;
}

static int
find_platform(const struct store_fetch_target *t, void *ctx)
{
	*(int64_t *)ctx = t->platform_id;
	return 0;
}

/* A document of the platform changed: find the provisions of its new text
 * (a few milliseconds: the browser stays responsive), mark it, and make
 * every view that may show it read the store again. */
static void
document_changed(struct ui *ui, int64_t document)
{
	struct ui_refresh *r = &ui->refresh;
	int64_t platform = 0;
	char err[256];
	size_t i;

	if (r->classifier == NULL)
		r->classifier = classifier_open(err, sizeof(err));
	if (r->classifier == NULL
	    || classify_document(ui->st, r->classifier, document, err, sizeof(err)) != 0)
		ui_message(ui, 1, "cannot find the provisions of the new version: %s", err);

	if (store_each_fetch_target(ui->st, 0, 0, document, find_platform, &platform) != STORE_OK)
		return;
	for (i = 0; i < ui->nplatforms; i++)
		if (ui->platforms[i].id == platform) {
			ui->platforms[i].changed = 1;
			ui->platforms[i].provisions = -1;
		}
	if (ui->browse.rows_for == platform)
		ui->browse.rows_for = 0;
	ui->browse.detail_for = 0;
	ui->compare.stale = 1;
	ui_matrix_free(ui);
	store_count_provisions(ui->st, &ui->provisions_total);
	if (ui->history.document == document && ui->view == UI_VIEW_HISTORY)
		ui_message(ui, 0, "this document changed: H shows its history again");
}

void
ui_refresh_events(struct ui *ui)
{
	struct ui_refresh *r = &ui->refresh;
	struct fetch_event ev;
	int rc;

	if (r->fetcher == NULL)
		return;
	while ((rc = fetcher_read_event(r->fetcher, &ev)) == 1) {
		r->done++;
		if (ev.outcome == FETCH_FAILED) {
			r->failed++;
			snprintf(r->last_error, sizeof(r->last_error), "%s", ev.error);
		} else if (ev.outcome == FETCH_NEW || ev.outcome == FETCH_CHANGED) {
			r->changed++;
			document_changed(ui, ev.document_id);
		}
		ui->dirty = 1;
	}
	if (rc < 0) {
		ui_message(ui, 1, "the fetch thread stopped");
		ui_refresh_stop(ui);
		return;
	}
	if (r->queued > 0 && r->done >= r->queued) {
		if (r->failed > 0)
			ui_message(ui, 1, "refreshed %d documents: %d changed, %d failed (last: %s)",
				   r->done, r->changed, r->failed, r->last_error);
		else
			ui_message(ui, 0, "refreshed %d documents: %d changed", r->done, r->changed);
		r->queued = r->done = 0;
	}
}

void
ui_refresh_status(const struct ui *ui, char *buf, size_t size)
{
	const struct ui_refresh *r = &ui->refresh;

	buf[0] = '\0';
	if (r->fetcher == NULL || r->done >= r->queued)
		return;
	if (r->failed > 0)
		snprintf(buf, size, "fetching %d/%d · %d failed", r->done, r->queued, r->failed);
	else
		snprintf(buf, size, "fetching %d/%d", r->done, r->queued);
}

void
ui_refresh_stop(struct ui *ui)
{
	fetcher_stop(ui->refresh.fetcher);
	ui->refresh.fetcher = NULL;
	classifier_close(ui->refresh.classifier);
	ui->refresh.classifier = NULL;
}
