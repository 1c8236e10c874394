/*
 * fuzz-extract: HTML extraction with selectors on any page.  The input's
 * first line picks the rules (a CSS selector list, or none); the rest is
 * the page.  Extraction gives text or a reason, never a crash,
 * and its text is normalised: valid UTF-8, no NUL, no control but '\n'.
 */

#include <stdlib.h>
#include <string.h>

#include "declaration.h"
#include "extract.h"
#include "fuzz.h"

static const char *const rules[] = {
	"{\"fetch\": \"https://example.com/\"}",
	"{\"fetch\": \"https://example.com/\", \"select\": [\"main\", \".terms\"], "
	"\"remove\": [\"nav\", \"#cookie-banner\", \"[aria-hidden=true]\"]}",
	"{\"fetch\": \"https://example.com/\", \"select\": [{\"startBefore\": \"h1\", "
	"\"endBefore\": \"footer\"}]}",
	"{\"fetch\": \"https://example.com/\", \"select\": [\"article > div p\", \"table\"]}",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct declaration_document *doc = NULL;
	struct extract_input in;
	const char *rule;
	char *text = NULL, err[512];
	size_t i;

	if (size < 1)
		return 0;
	rule = rules[data[0] % (sizeof(rules) / sizeof(rules[0]))];
	if (declaration_parse_document(rule, strlen(rule), "fuzz", "Terms of Service", &doc, err,
				       sizeof(err)) != 0)
		abort();
	memset(&in, 0, sizeof(in));
	in.data = (const char *)data + 1;
	in.len = size - 1;
	in.content_type = "text/html; charset=utf-8";
	in.url = "https://example.com/";
	err[0] = '\0';
	if (extract_document(doc, &in, &text, err, sizeof(err)) == 0) {
		for (i = 0; text[i] != '\0'; i++)
			if ((unsigned char)text[i] < 0x20 && text[i] != '\n')
				abort();
		free(text);
	} else if (err[0] == '\0') {
		abort();
	}
	declaration_document_free(doc);
	return 0;
}
