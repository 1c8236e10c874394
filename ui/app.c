/*
 * app: the browser's loop, layout of the status line, global keys, and the
 * terminal's set-up and restoration.
 *
 * One loop: poll() on the keyboard, a signalfd for SIGINT, SIGTERM and
 * SIGWINCH (so no signal handler and no global flag are needed) and the
 * fetch thread's events when a refresh was asked for; hand
 * each key to the help overlay or the current view, then redraw once if
 * anything changed.
 */

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "store.h"
#include "ui-internal.h"
#include "ui.h"

/* The smallest terminal the browser draws in. */
#define UI_MIN_ROWS 24
#define UI_MIN_COLS 80

static const struct ui_view_ops *const views[UI_VIEW_COUNT] = {
	[UI_VIEW_BROWSE] = &ui_browse_ops,
	[UI_VIEW_SEARCH] = &ui_search_ops,
	[UI_VIEW_COMPARE] = &ui_compare_ops,
	[UI_VIEW_MATRIX] = &ui_matrix_ops,
	[UI_VIEW_HISTORY] = &ui_history_ops,
};

const struct ui_key_help ui_global_help[] = {
	{ "j k ↓ ↑", "move down, up" },
	{ "PgDn Space PgUp", "a page down, up" },
	{ "g G", "first, last" },
	{ "/", "search every provision" },
	{ "c", "compare the selected kind across platforms" },
	{ "m", "matrix: kinds by platforms" },
	{ "r R", "refresh the platform's documents, every platform's (in the background)" },
	{ "Esc", "back" },
	{ "q", "back; quit from the main screen" },
	{ "?", "this help" },
	{ "Ctrl-L", "redraw the screen" },
	{ NULL, NULL }
};

void
ui_message(struct ui *ui, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof(ui->message), fmt, ap);
	va_end(ap);
	ui->message_error = error;
	ui->dirty = 1;
}

void
ui_switch(struct ui *ui, enum ui_view view)
{
	if (ui->view != view) {
		ui->back = ui->view;
		ui->view = view;
	}
	ui->dirty = 1;
}

void
ui_scroll_to(size_t *top, size_t sel, int page)
{
	if (page < 1)
		page = 1;
	if (sel < *top)
		*top = sel;
	else if (sel >= *top + (size_t)page)
		*top = sel - (size_t)page + 1;
}

int
ui_move(size_t *sel, size_t n, int key, int page)
{
	size_t step = page > 1 ? (size_t)page - 1 : 1, old = *sel;

	if (page < 1)
		page = 1;
	switch (key) {
	case 'j':
	case UI_KEY_FN(KEY_DOWN):
		if (*sel + 1 < n)
			(*sel)++;
		break;
	case 'k':
	case UI_KEY_FN(KEY_UP):
		if (*sel > 0)
			(*sel)--;
		break;
	case ' ':
	case UI_KEY_FN(KEY_NPAGE):
		*sel = n == 0 ? 0 : (*sel + step < n ? *sel + step : n - 1);
		break;
	case UI_KEY_FN(KEY_PPAGE):
		*sel = *sel > step ? *sel - step : 0;
		break;
	case 'g':
	case UI_KEY_FN(KEY_HOME):
		*sel = 0;
		break;
	case 'G':
	case UI_KEY_FN(KEY_END):
		*sel = n > 0 ? n - 1 : 0;
		break;
	default:
		return 0;
	}
	return *sel != old ? 1 : 2;
}

/* Read the platforms: the list every view starts from. */
static int
keep_platform(const struct store_platform *p, void *ctx)
{
	struct ui *ui = ctx;
	struct ui_platform *grown, *up;

	grown = realloc(ui->platforms, (ui->nplatforms + 1) * sizeof(*grown));
	if (grown == NULL)
		return 1;
	ui->platforms = grown;
	up = &ui->platforms[ui->nplatforms];
	up->id = p->id;
	up->slug = strdup(p->slug);
	up->name = strdup(p->name);
	up->sector = strdup(p->sector);
	up->provisions = -1;	/* Counted when shown (see ui_count_platform). */
	up->watched = p->watched;
	up->changed = p->unseen_changes;
	ui->nplatforms++;
	return up->slug == NULL || up->name == NULL || up->sector == NULL;
}

static void
free_platforms(struct ui *ui)
{
	size_t i;

	for (i = 0; i < ui->nplatforms; i++) {
		free(ui->platforms[i].slug);
		free(ui->platforms[i].name);
		free(ui->platforms[i].sector);
	}
	free(ui->platforms);
	ui->platforms = NULL;
	ui->nplatforms = 0;
}

static int
keep_count(const struct store_platform *p, void *ctx)
{
	*(int *)ctx = p->provisions;
	return 0;
}

void
ui_count_platform(struct ui *ui, size_t i)
{
	if (i < ui->nplatforms && ui->platforms[i].provisions < 0
	    && store_get_platform(ui->st, ui->platforms[i].id, keep_count,
				  &ui->platforms[i].provisions) != STORE_OK)
		ui->platforms[i].provisions = 0;
}

void
ui_open_provision(struct ui *ui, int64_t id)
{
	if (ui_browse_select(ui, id)) {
		ui->view = UI_VIEW_BROWSE;
		ui->back = UI_VIEW_BROWSE;
		ui->dirty = 1;
	} else {
		ui_message(ui, 1, "provision #%lld is not in the database any more", (long long)id);
	}
}

static void
draw_status(struct ui *ui)
{
	char left[512], busy[64];
	int pathw = (int)strlen(ui->db_path), leftw;

	ui_refresh_status(ui, busy, sizeof(busy));
	if (ui->message[0] != '\0')
		snprintf(left, sizeof(left), " %s%s%s", ui->message, busy[0] != '\0' ? " · " : "",
			 busy);
	else
		snprintf(left, sizeof(left), " %s · %zu platforms · %d provisions%s%s · ? help",
			 views[ui->view]->name, ui->nplatforms, ui->provisions_total,
			 busy[0] != '\0' ? " · " : "", busy);
	if (pathw > ui->cols / 3)
		pathw = ui->cols / 3;
	leftw = ui->cols - pathw - 1;
	ui_put(ui, ui->rows - 1, 0, leftw, ui->message_error ? UI_ERROR : UI_STATUS, left, 1);
	if (ui->message_error)
		/* An error stands out even without colour. */
		mvchgat(ui->rows - 1, 0, leftw, A_REVERSE | A_BOLD, 0, NULL);
	ui_put(ui, ui->rows - 1, leftw, pathw + 1, UI_STATUS, ui->db_path, 1);
}

static void
draw(struct ui *ui)
{
	erase();
	if (ui->too_small) {
		char msg[128];

		snprintf(msg, sizeof(msg), "clause needs %dx%d at least; this is %dx%d",
			 UI_MIN_COLS, UI_MIN_ROWS, ui->cols, ui->rows);
		ui_put(ui, 0, 0, ui->cols, UI_ERROR, msg, 0);
	} else {
		if (views[ui->view]->prepare != NULL)
			views[ui->view]->prepare(ui);
		views[ui->view]->draw(ui);
		draw_status(ui);
		if (ui->help)
			ui_help_draw(ui, views[ui->view]->help);
	}
	refresh();
	ui->dirty = 0;
}

/* Take the terminal's new size.  From SIGWINCH, tell ncurses first (it then
 * queues a KEY_RESIZE, which only needs the new size read: calling
 * resizeterm again for it would queue another, for ever). */
static void
resize(struct ui *ui, int from_signal)
{
	struct winsize ws;

	if (from_signal && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0
	    && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	getmaxyx(stdscr, ui->rows, ui->cols);
	ui->too_small = ui->rows < UI_MIN_ROWS || ui->cols < UI_MIN_COLS;
	ui->compare.stale = 1;
	ui->browse.detail_for = 0;	/* Wrap the detail again. */
	ui->dirty = 1;
}

static void
describe_key(int key, char *buf, size_t size)
{
	if (key >= UI_KEY_FN(0)) {
		const char *name = keyname(key - UI_KEY_FN(0));

		snprintf(buf, size, "%s", name != NULL ? name : "?");
	} else if (key < 0x20) {
		snprintf(buf, size, "Ctrl-%c", key + '@');
	} else if (key < 0x7f) {
		snprintf(buf, size, "%c", key);
	} else {
		snprintf(buf, size, "U+%04X", (unsigned)key);
	}
}

static void
handle_key(struct ui *ui, int key)
{
	char name[32];

	ui->message[0] = '\0';
	ui->message_error = 0;
	ui->dirty = 1;
	if (key == UI_KEY_FN(KEY_RESIZE)) {
		resize(ui, 0);
		return;
	}
	if (key == UI_KEY_CTRL('l')) {
		clearok(curscr, TRUE);
		return;
	}
	if (ui->too_small) {
		if (key == 'q')
			ui->quit = 1;
		return;
	}
	if (ui->help) {
		/* Any key closes the help; Esc, q and ? only do that. */
		ui->help = 0;
		if (key == UI_KEY_ESC || key == 'q' || key == '?')
			return;
	}
	if (views[ui->view]->key(ui, key))
		return;
	switch (key) {
	case '?':
		ui->help = 1;
		return;
	case '/':
		ui_search_start(ui);
		return;
	case 'm':
		ui_switch(ui, UI_VIEW_MATRIX);
		return;
	case 'r':
	case 'R':
		ui_refresh_start(ui, key == 'R');
		return;
	case 'c': {
		const char *kind = ui->view == UI_VIEW_BROWSE ? ui_browse_kind(ui) : NULL;

		if (kind == NULL)
			ui_message(ui, 1, "select a provision first: c compares its kind");
		else
			ui_open_compare(ui, kind);
		return;
	}
	case 'q':
	case UI_KEY_ESC:
		if (ui->view == UI_VIEW_BROWSE) {
			if (key == 'q')
				ui->quit = 1;
			else
				ui_message(ui, 0, "this is the main screen: q quits");
		} else {
			/* Back one step; from there, back to the main screen. */
			ui->view = ui->back != ui->view ? ui->back : UI_VIEW_BROWSE;
			ui->back = UI_VIEW_BROWSE;
		}
		return;
	}
	describe_key(key, name, sizeof(name));
	ui_message(ui, 1, "%s does nothing here (? lists the keys)", name);
}

/* Read every key that is waiting. */
static void
read_keys(struct ui *ui)
{
	wint_t ch;
	int rc;

	while (!ui->quit && (rc = get_wch(&ch)) != ERR)
		handle_key(ui, rc == KEY_CODE_YES ? UI_KEY_FN((int)ch) : (int)ch);
}

static void
ui_free(struct ui *ui)
{
	ui_browse_free(ui);
	ui_search_free(ui);
	ui_compare_free(ui);
	ui_matrix_free(ui);
	ui_history_free(ui);
	free_platforms(ui);
}

int
ui_run(struct store *st, const char *db_path)
{
	struct ui ui = { .st = st, .db_path = db_path, .dirty = 1 };
	sigset_t mask, old;
	SCREEN *screen;
	int sfd, rc = 0;

	if (store_each_platform_name(st, keep_platform, &ui) != STORE_OK
	    || store_count_provisions(st, &ui.provisions_total) != STORE_OK) {
		fprintf(stderr, "clause: cannot read the platforms: %s\n", store_errmsg(st));
		ui_free(&ui);
		return 4;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGWINCH);
	if (sigprocmask(SIG_BLOCK, &mask, &old) != 0
	    || (sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		fprintf(stderr, "clause: cannot watch signals: %s\n", strerror(errno));
		ui_free(&ui);
		return 4;
	}
	screen = newterm(NULL, stdout, stdin);
	if (screen == NULL) {
		fprintf(stderr, "clause: cannot start the terminal (TERM=%s)\n",
			getenv("TERM") != NULL ? getenv("TERM") : "");
		close(sfd);
		sigprocmask(SIG_SETMASK, &old, NULL);
		ui_free(&ui);
		return 4;
	}
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	ui_draw_init(&ui);
	getmaxyx(stdscr, ui.rows, ui.cols);
	ui.too_small = ui.rows < UI_MIN_ROWS || ui.cols < UI_MIN_COLS;

	while (!ui.quit) {
		struct pollfd fds[3] = { { STDIN_FILENO, POLLIN, 0 }, { sfd, POLLIN, 0 },
					 { ui_refresh_fd(&ui), POLLIN, 0 } };

		if (ui.dirty)
			draw(&ui);
		if (poll(fds, fds[2].fd >= 0 ? 3 : 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = 4;
			break;
		}
		if (fds[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGWINCH)
					resize(&ui, 1);
				else
					ui.quit = 1;
			}
		}
		if (fds[2].fd >= 0 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR)))
			ui_refresh_events(&ui);
		if (fds[0].revents & (POLLHUP | POLLERR))
			ui.quit = 1;
		else if (fds[0].revents & POLLIN)
			read_keys(&ui);
	}

	ui_refresh_stop(&ui);
	endwin();
	delscreen(screen);
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	ui_free(&ui);
	return rc;
}
