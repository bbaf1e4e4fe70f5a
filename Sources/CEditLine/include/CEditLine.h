// A small C face for libedit: its set-up calls are C variadic functions, which Swift cannot
// call, so this shim makes them; everything else (what to complete, prompts, the loop) is Swift.
#ifndef OPTREPL_CEDITLINE_H
#define OPTREPL_CEDITLINE_H

#include <stddef.h>
#include <wchar.h>

typedef struct OptEditor OptEditor;

/// Tab completion: the text before the cursor (wide characters) and its length; returns one
/// of OPT_COMPLETE_* after inserting or deleting text with the functions below.
typedef int (*opt_complete_fn)(void *context, const wchar_t *before_cursor, int length);

enum { OPT_COMPLETE_REFRESH = 0, OPT_COMPLETE_REDISPLAY = 1, OPT_COMPLETE_BEEP = 2 };

/// Opens an editor on stdin/stdout/stderr with UTF-8 input, emacs keys, Ctrl-R incremental
/// search, Ctrl-C as "cancel the line" (not a signal) and Tab calling `complete`.
/// Returns NULL when libedit cannot start (no terminal).
OptEditor *opt_editor_open(const char *program, opt_complete_fn complete, void *context);
void opt_editor_close(OptEditor *editor);
/// The pointer handed back to `complete`.
void opt_editor_set_context(OptEditor *editor, void *context);

/// The prompt (UTF-8); bytes between two '\1' characters print without taking space (colours).
void opt_editor_set_prompt(OptEditor *editor, const char *prompt);

/// Reads one line. Returns its text (with the newline) or NULL at end of input (count 0) or on
/// error; `*cancelled` is set when Ctrl-C ended the line.
const wchar_t *opt_editor_read(OptEditor *editor, int *count, int *cancelled);

/// History: sets the file, loads it (-1 when it exists but cannot be read, 0 otherwise).
int opt_editor_history_load(OptEditor *editor, const char *path);
/// Adds an entry and merges it into the history file, which another REPL may be writing too
/// (-1 when it cannot be read or written).
int opt_editor_history_add(OptEditor *editor, const wchar_t *line);

/// Editing from inside the completion callback.
int opt_editor_insert(OptEditor *editor, const wchar_t *text);
void opt_editor_delete_before(OptEditor *editor, int count);

#endif
