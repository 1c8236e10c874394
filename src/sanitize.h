/*
 * sanitize.h: make hostile text safe to show on a terminal.
 *
 * Every string clause draws or prints comes from a fetched or imported
 * document. It passes through sanitize_text() first: the result holds no
 * control character other than '\n' (when asked for), no escape sequence,
 * no C1 control, no bidirectional control and no invalid UTF-8.
 */

#ifndef CLAUSE_SANITIZE_H
#define CLAUSE_SANITIZE_H

#include <stddef.h>

/*
 * Flags for sanitize_text() and sanitize_cstr().
 */
#define SANITIZE_KEEP_NEWLINES	(1 << 0)	/* keep '\n' (else a newline becomes a space) */
#define SANITIZE_ENCODING_ONLY	(1 << 1)	/* only replace invalid UTF-8 and drop NUL:
						 * for text that is stored or emitted as
						 * JSON, never for a terminal */

/*
 * Sanitise the len bytes at in (which may hold NUL bytes: they are
 * dropped) for display on a UTF-8 terminal:
 *
 *  - C0 controls and DEL are removed, except that '\t' becomes one space,
 *    '\n' is kept with SANITIZE_KEEP_NEWLINES and otherwise becomes one
 *    space, and '\r' is removed (so CRLF becomes LF).
 *  - Escape sequences are removed whole: CSI up to its final byte; OSC up
 *    to BEL or ST; DCS, SOS, PM and APC up to ST; any other ESC with its
 *    intermediates and final byte. A string sequence with no terminator
 *    removes everything to the end of the input.
 *  - C1 controls (U+0080..U+009F, as UTF-8) are removed; U+009B, U+009D,
 *    U+0090, U+0098, U+009E and U+009F start the same sequences as their
 *    ESC forms, and U+009C ends them as ST does.
 *  - Bidirectional controls (U+061C, U+200E, U+200F, U+202A..U+202E,
 *    U+2066..U+2069) are removed.
 *  - Invalid UTF-8 becomes U+FFFD, one for each maximal subpart (Unicode
 *    chapter 3, "U+FFFD Substitution of Maximal Subparts", the WHATWG
 *    decoder's rule): a stray continuation byte or a byte that can never
 *    start a sequence (C0, C1, F5..FF) gives one U+FFFD each; a valid start
 *    followed by too few continuation bytes gives one U+FFFD for the lot.
 *    So overlongs ("\xc0\xaf"), surrogates ("\xed\xa0\x80") and code points
 *    above U+10FFFF ("\xf4\x90\x80\x80") give one U+FFFD per byte.
 *  - Everything else passes unchanged, byte for byte: private-use
 *    characters (clause's highlight markers U+E000 and U+E001), wide
 *    characters, emoji, combining marks.
 *
 * Returns a newly malloc'd NUL-terminated string that the caller frees,
 * and stores its length (without the NUL) in *out_len unless out_len is
 * NULL. Returns NULL only when memory cannot be allocated (or when len is
 * so large that the result size would overflow a size_t).
 */
char *sanitize_text(const char *in, size_t len, unsigned flags, size_t *out_len);

/*
 * sanitize_text() on the NUL-terminated string s. Returns a newly malloc'd
 * string that the caller frees, or NULL when memory cannot be allocated.
 */
char *sanitize_cstr(const char *s, unsigned flags);

#endif /* CLAUSE_SANITIZE_H */
