/*
 * fuzz-sanitize: the terminal sanitiser on any bytes.  Whatever comes in,
 * what comes out is valid UTF-8 with no escape, no C0 control (but '\n'
 * when kept), no DEL, no C1 control and no bidirectional control; with
 * SANITIZE_ENCODING_ONLY, valid UTF-8 with no NUL.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sanitize.h"

static void
check(const unsigned char *s, size_t n, unsigned flags)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], cp, len;

		if (c == 0)
			abort();
		if (c < 0x80) {
			if (!(flags & SANITIZE_ENCODING_ONLY)
			    && ((c < 0x20 && !(c == '\n' && (flags & SANITIZE_KEEP_NEWLINES)))
				|| c == 0x7f))
				abort();
			i++;
			continue;
		}
		len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
		if (len == 0 || c > 0xf4 || i + len > n)
			abort();
		cp = c & (0xff >> (len + 1));
		for (unsigned k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				abort();
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))
		    || (cp >= 0xd800 && cp <= 0xdfff))
			abort();
		if (!(flags & SANITIZE_ENCODING_ONLY)
		    && ((cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || cp == 0x200e || cp == 0x200f
			|| (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)))
			abort();
		i += len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flags[] = {
		0, SANITIZE_KEEP_NEWLINES, SANITIZE_ENCODING_ONLY
	};
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		size_t n;
		char *out = sanitize_text((const char *)data, size, flags[i], &n);

		if (out == NULL)
			continue;
		if (strlen(out) != n)
			abort();
		check((const unsigned char *)out, n, flags[i]);
		free(out);
	}
	return 0;
}
