// See CEditLine.h. libedit's wide-character API (el_wgets) reads UTF-8 when the C library's
// character type is UTF-8, so opening the editor selects a UTF-8 LC_CTYPE.

#include "CEditLine.h"

#include <fcntl.h>
#include <histedit.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

struct OptEditor {
    EditLine *el;
    HistoryW *history;
    HistEventW event;
    wchar_t *prompt;
    char *history_path;
    opt_complete_fn complete;
    void *context;
    int cancelled;
};

// SIGWINCH: the window was resized. The handler only notes it (nothing else is safe in a
// handler); the next read tells libedit the new size (el_resize), so the line being edited
// wraps at the new width. Plots and printed rows ask the terminal's size themselves.
static volatile sig_atomic_t window_resized = 0;

static void note_resize(int signal) {
    (void)signal;
    window_resized = 1;
}

static wchar_t *prompt_of(EditLine *el) {
    OptEditor *editor = NULL;
    el_wget(el, EL_CLIENTDATA, (void **)&editor);
    return editor && editor->prompt ? editor->prompt : L"";
}

static unsigned char complete_key(EditLine *el, int ch) {
    (void)ch;
    OptEditor *editor = NULL;
    el_wget(el, EL_CLIENTDATA, (void **)&editor);
    if (!editor || !editor->complete) return CC_REFRESH_BEEP;
    const LineInfoW *line = el_wline(el);
    int length = (int)(line->cursor - line->buffer);
    switch (editor->complete(editor->context, line->buffer, length)) {
    case OPT_COMPLETE_REDISPLAY: return CC_REDISPLAY;
    case OPT_COMPLETE_BEEP: return CC_REFRESH_BEEP;
    default: return CC_REFRESH;
    }
}

static unsigned char cancel_key(EditLine *el, int ch) {
    (void)ch;
    OptEditor *editor = NULL;
    el_wget(el, EL_CLIENTDATA, (void **)&editor);
    if (editor) editor->cancelled = 1;
    return CC_NEWLINE;
}

static void select_utf8(void) {
    const char *current = setlocale(LC_CTYPE, "");
    if (current && (strstr(current, "UTF-8") || strstr(current, "utf8") || strstr(current, "UTF8"))) return;
    if (!setlocale(LC_CTYPE, "C.UTF-8")) setlocale(LC_CTYPE, "en_US.UTF-8");
}

OptEditor *opt_editor_open(const char *program, opt_complete_fn complete, void *context) {
    select_utf8();
    OptEditor *editor = calloc(1, sizeof *editor);
    if (!editor) return NULL;
    editor->el = el_init(program, stdin, stdout, stderr);
    if (!editor->el) { free(editor); return NULL; }
    editor->history = history_winit();
    editor->complete = complete;
    editor->context = context;
    history_w(editor->history, &editor->event, H_SETSIZE, 1000);
    history_w(editor->history, &editor->event, H_SETUNIQUE, 1);
    el_wset(editor->el, EL_CLIENTDATA, editor);
    el_wset(editor->el, EL_EDITOR, L"emacs");
    el_wset(editor->el, EL_HIST, history_w, editor->history);
    el_wset(editor->el, EL_PROMPT_ESC, prompt_of, L'\1');
    // Ctrl-C arrives as a key while a line is edited: it cancels the line, as in IPython.
    el_wset(editor->el, EL_SIGNAL, 0);
    el_wset(editor->el, EL_SETTY, L"-d", L"-isig", NULL);
    el_wset(editor->el, EL_ADDFN, L"optrepl-complete", L"Complete a name", complete_key);
    el_wset(editor->el, EL_ADDFN, L"optrepl-cancel", L"Cancel the line", cancel_key);
    el_wset(editor->el, EL_BIND, L"^I", L"optrepl-complete", NULL);
    el_wset(editor->el, EL_BIND, L"^C", L"optrepl-cancel", NULL);
    el_wset(editor->el, EL_BIND, L"^R", L"em-inc-search-prev", NULL);
    el_wset(editor->el, EL_BIND, L"^S", L"em-inc-search-next", NULL);
    // Arrow keys are bound by libedit from the terminal description; these cover terminals
    // whose description lacks them.
    el_wset(editor->el, EL_BIND, L"\033[A", L"ed-prev-history", NULL);
    el_wset(editor->el, EL_BIND, L"\033[B", L"ed-next-history", NULL);
    el_wset(editor->el, EL_BIND, L"\033[C", L"ed-next-char", NULL);
    el_wset(editor->el, EL_BIND, L"\033[D", L"ed-prev-char", NULL);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = note_resize;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGWINCH, &action, NULL);
    return editor;
}

void opt_editor_close(OptEditor *editor) {
    if (!editor) return;
    el_end(editor->el);
    history_wend(editor->history);
    free(editor->prompt);
    free(editor->history_path);
    free(editor);
}

void opt_editor_set_context(OptEditor *editor, void *context) {
    editor->context = context;
}

void opt_editor_set_prompt(OptEditor *editor, const char *prompt) {
    size_t n = mbstowcs(NULL, prompt, 0);
    if (n == (size_t)-1) return;
    wchar_t *wide = malloc((n + 1) * sizeof(wchar_t));
    if (!wide) return;
    mbstowcs(wide, prompt, n + 1);
    free(editor->prompt);
    editor->prompt = wide;
}

const wchar_t *opt_editor_read(OptEditor *editor, int *count, int *cancelled) {
    editor->cancelled = 0;
    if (window_resized) {
        window_resized = 0;
        el_resize(editor->el);
    }
    const wchar_t *line = el_wgets(editor->el, count);
    *cancelled = editor->cancelled;
    return line;
}

int opt_editor_history_load(OptEditor *editor, const char *path) {
    free(editor->history_path);
    editor->history_path = strdup(path);
    FILE *probe = fopen(path, "r");
    if (!probe) return 0;  // no file yet: nothing to load
    fclose(probe);
    return history_w(editor->history, &editor->event, H_LOAD, path) < 0 ? -1 : 0;
}

// Two REPLs may share one history file: each accepted line is merged into what the file holds
// now (under a lock on PATH.lock), written to a temporary file and renamed into place, so no
// session's lines are lost and a crash never leaves a half-written file. A file that cannot be
// read as history is left as it is.
int opt_editor_history_add(OptEditor *editor, const wchar_t *line) {
    history_w(editor->history, &editor->event, H_ENTER, line);
    const char *path = editor->history_path;
    if (!path) return 0;
    size_t n = strlen(path);
    char *lock = malloc(n + 6), *temporary = malloc(n + 32);
    if (!lock || !temporary) { free(lock); free(temporary); return -1; }
    snprintf(lock, n + 6, "%s.lock", path);
    snprintf(temporary, n + 32, "%s.tmp-%ld", path, (long)getpid());
    int status = -1;
    int lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lockfd >= 0 && flock(lockfd, LOCK_EX) == 0) {
        HistEventW event;
        HistoryW *merged = history_winit();
        history_w(merged, &event, H_SETSIZE, 1000);
        FILE *probe = fopen(path, "r");
        int readable = 1;
        if (probe) {
            fclose(probe);
            readable = history_w(merged, &event, H_LOAD, path) >= 0;
        }
        if (readable) {
            history_w(merged, &event, H_ENTER, line);
            if (history_w(merged, &event, H_SAVE, temporary) >= 0 && rename(temporary, path) == 0) status = 0;
            else unlink(temporary);
        }
        history_wend(merged);
        flock(lockfd, LOCK_UN);
    }
    if (lockfd >= 0) close(lockfd);
    free(lock);
    free(temporary);
    return status;
}

int opt_editor_insert(OptEditor *editor, const wchar_t *text) {
    return el_winsertstr(editor->el, text);
}

void opt_editor_delete_before(OptEditor *editor, int count) {
    el_wdeletestr(editor->el, count);
}
