/*
 * sanitize.c: the one terminal sanitiser.
 *
 * The input is decoded as UTF-8 one code point at a time (invalid bytes
 * become U+FFFD) and fed through a small state machine modelled on the
 * DEC/ECMA-48 parser that terminals use (vt100.net's "DEC ANSI parser"),
 * reduced to the states that decide how much of the input a sequence
 * swallows. Whatever the state machine decides, the output can never hold
 * ESC, a C1 control or any C0 control but '\n': a mistake in it could only
 * hide or show too much text, never let a sequence through.
 *
 * The work is done in two passes over the input, the first only counting,
 * so that the result is allocated once and at its exact size.
 */

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

#define CP_REPLACEMENT	0xFFFD	/* U+FFFD REPLACEMENT CHARACTER */

/*
 * Where the parser is: in text, or inside some kind of sequence.
 */
enum seq_state {
	SEQ_GROUND,	/* ordinary text: shown */
	SEQ_ESC,	/* just after ESC */
	SEQ_ESC_INTER,	/* ESC and intermediates (0x20-0x2F), before the final byte */
	SEQ_CSI,	/* ESC '[' or U+009B: parameters and intermediates up to 0x40-0x7E */
	SEQ_OSC,	/* ESC ']' or U+009D: up to BEL or ST */
	SEQ_STRING,	/* DCS, SOS, PM, APC: up to ST */
};

/*
 * Decode one code point from the len (>= 1) bytes at s into *cp. Returns
 * the number of bytes used, at least 1. On invalid UTF-8 *cp is U+FFFD and
 * the bytes used are the maximal subpart: the longest prefix of a
 * well-formed sequence (Unicode table 3-7), or one byte if s[0] cannot
 * start one. Overlongs, surrogates and code points above U+10FFFF fail at
 * their second byte because table 3-7 narrows its allowed range.
 */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;	/* allowed range of the next byte */
	size_t need, i;
	uint32_t v;

	assert(len >= 1);
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;	/* else overlong */
		else if (c == 0xED)
			hi = 0x9F;	/* else a surrogate */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;	/* else overlong */
		else if (c == 0xF4)
			hi = 0x8F;	/* else above U+10FFFF */
	} else {
		*cp = CP_REPLACEMENT;	/* continuation byte, C0, C1, F5-FF */
		return 1;
	}

	for (i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*cp = CP_REPLACEMENT;
			return i;
		}
		v = (v << 6) | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

/*
 * Append the UTF-8 encoding of cp (a valid scalar value) at out + pos,
 * unless out is NULL (the counting pass). Returns the new position.
 */
static size_t
utf8_put(char *out, size_t pos, uint32_t cp)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (unsigned char) cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char) (0xC0 | (cp >> 6));
		b[1] = (unsigned char) (0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char) (0xE0 | (cp >> 12));
		b[1] = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
		b[2] = (unsigned char) (0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (unsigned char) (0xF0 | (cp >> 18));
		b[1] = (unsigned char) (0x80 | ((cp >> 12) & 0x3F));
		b[2] = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
		b[3] = (unsigned char) (0x80 | (cp & 0x3F));
		n = 4;
	}
	if (out)
		memcpy(out + pos, b, n);
	return pos + n;
}

/*
 * Returns non-zero if cp is a bidirectional formatting control: these can
 * make a terminal show text in an order other than the one it is stored
 * in ("Trojan Source", CVE-2021-42574).
 */
static int
is_bidi_control(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	    (cp >= 0x202A && cp <= 0x202E) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * The state a C1 control (U+0080..U+009F) leads to from ordinary text:
 * the 8-bit forms of CSI, OSC and the string introducers start the same
 * sequences as ESC '[', ESC ']' and ESC 'P' 'X' '^' '_'. Every other C1
 * control, ST included, is a lone control and is dropped.
 */
static enum seq_state
c1_state(uint32_t cp)
{
	switch (cp) {
	case 0x9B:
		return SEQ_CSI;
	case 0x9D:
		return SEQ_OSC;
	case 0x90:	/* DCS */
	case 0x98:	/* SOS */
	case 0x9E:	/* PM */
	case 0x9F:	/* APC */
		return SEQ_STRING;
	default:
		return SEQ_GROUND;
	}
}

/*
 * The state the byte after ESC leads to, or SEQ_GROUND with *done set to
 * 1 when cp ends a two-byte escape (ESC c, ESC 7, ESC \ ...), or with
 * *done 0 when cp cannot follow ESC: the ESC is then dropped alone and cp
 * is read again as text.
 */
static enum seq_state
esc_state(uint32_t cp, int *done)
{
	*done = 0;
	switch (cp) {
	case '[':
		return SEQ_CSI;
	case ']':
		return SEQ_OSC;
	case 'P':	/* DCS */
	case 'X':	/* SOS */
	case '^':	/* PM */
	case '_':	/* APC */
		return SEQ_STRING;
	}
	if (cp >= 0x20 && cp <= 0x2F)
		return SEQ_ESC_INTER;
	if (cp >= 0x30 && cp <= 0x7E)
		*done = 1;
	return SEQ_GROUND;
}

/*
 * Run the sanitiser over in (len bytes), writing to out unless out is NULL.
 * Returns the number of bytes of output (without a NUL), which the caller
 * guarantees fits in out. Both passes of sanitize_text() run this same
 * code so that they cannot disagree.
 */
static size_t
sanitize_run(const unsigned char *in, size_t len, unsigned flags, char *out)
{
	enum seq_state state = SEQ_GROUND;
	size_t i = 0, pos = 0, n;
	uint32_t cp;
	int done;

	while (i < len) {
		n = utf8_decode(in + i, len - i, &cp);
		if (flags & SANITIZE_ENCODING_ONLY) {
			/* Only the encoding is mended: every character but NUL stays. */
			i += n;
			if (cp != 0)
				pos = utf8_put(out, pos, cp);
			continue;
		}

		switch (state) {
		case SEQ_GROUND:
			break;

		case SEQ_ESC:
			state = esc_state(cp, &done);
			if (state != SEQ_GROUND || done) {
				i += n;
				continue;
			}
			break;	/* lone ESC dropped: cp is text */

		case SEQ_ESC_INTER:
			if (cp >= 0x20 && cp <= 0x2F) {
				i += n;
				continue;
			}
			state = SEQ_GROUND;
			if (cp >= 0x30 && cp <= 0x7E) {
				i += n;	/* the final byte */
				continue;
			}
			break;	/* broken sequence: cp is text */

		case SEQ_CSI:
			/*
			 * Parameters and intermediates (0x20-0x3F) up to a
			 * final byte. Anything else breaks the sequence and is
			 * read again as text; a terminal would act on a C0
			 * control here and carry on, but what is left of the
			 * sequence is harmless printable ASCII either way.
			 */
			if (cp >= 0x20 && cp <= 0x3F) {
				i += n;
				continue;
			}
			state = SEQ_GROUND;
			if (cp >= 0x40 && cp <= 0x7E) {
				i += n;
				continue;
			}
			break;

		case SEQ_OSC:
		case SEQ_STRING:
			/*
			 * Swallow everything up to the terminator. ESC ends the
			 * string whatever follows it, as in xterm, and starts a
			 * new escape: ST (ESC '\\') is then an ordinary
			 * two-byte escape. CAN and SUB cancel the string.
			 */
			if (cp == 0x1B)
				state = SEQ_ESC;
			else if (cp == 0x9C || cp == 0x18 || cp == 0x1A)
				state = SEQ_GROUND;
			else if (cp == 0x07 && state == SEQ_OSC)
				state = SEQ_GROUND;
			i += n;
			continue;
		}

		/* Ordinary text. */
		i += n;
		if (cp == 0x1B) {
			state = SEQ_ESC;
		} else if (cp >= 0x80 && cp <= 0x9F) {
			state = c1_state(cp);
		} else if (cp == '\n') {
			if (out)
				out[pos] = (flags & SANITIZE_KEEP_NEWLINES) ? '\n' : ' ';
			pos++;
		} else if (cp == '\t') {
			if (out)
				out[pos] = ' ';
			pos++;
		} else if (cp < 0x20 || cp == 0x7F || is_bidi_control(cp)) {
			/* dropped: NUL, '\r', BEL, other C0, DEL, bidi */
		} else {
			pos = utf8_put(out, pos, cp);
		}
	}
	return pos;
}

char *
sanitize_text(const char *in, size_t len, unsigned flags, size_t *out_len)
{
	const unsigned char *u = (const unsigned char *) in;
	size_t n;
	char *out;

	/* No byte of input gives more than three of output (U+FFFD). */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;

	n = sanitize_run(u, len, flags, NULL);
	out = malloc(n + 1);
	if (!out)
		return NULL;
	sanitize_run(u, len, flags, out);
	out[n] = '\0';
	if (out_len)
		*out_len = n;
	return out;
}

char *
sanitize_cstr(const char *s, unsigned flags)
{
	return sanitize_text(s, strlen(s), flags, NULL);
}
