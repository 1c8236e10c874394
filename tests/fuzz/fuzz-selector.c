/*
 * fuzz-selector: CSS selectors into XPath.  A selector is translated or
 * refused with a reason; what is translated is an XPath
 * expression that libxml2 compiles.
 */

#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "fuzz.h"
#include "selector.h"

static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *css = malloc(size + 1), *xpath = NULL, err[256];

	if (css == NULL)
		return 0;
	memcpy(css, data, size);
	css[size] = '\0';
	xmlSetGenericErrorFunc(NULL, quiet);
	err[0] = '\0';
	if (selector_to_xpath(css, &xpath, err, sizeof(err)) == 0) {
		xmlXPathCompExprPtr comp = xmlXPathCompile((const xmlChar *)xpath);

		if (comp == NULL)
			abort();
		xmlXPathFreeCompExpr(comp);
		free(xpath);
	} else if (err[0] == '\0') {
		abort();
	}
	free(css);
	return 0;
}
