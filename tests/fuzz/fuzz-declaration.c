/*
 * fuzz-declaration: Open Terms Archive declarations, as a whole service
 * and as one document's entry.  Parsed or refused with a reason;
 * what parses has its pages' URLs.
 */

#include <stdlib.h>
#include <string.h>

#include "declaration.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct declaration_service *svc = NULL;
	struct declaration_document *doc = NULL;
	char err[512];
	size_t i, j;

	err[0] = '\0';
	if (declaration_parse_service((const char *)data, size, "fuzz.json", &svc, err,
				      sizeof(err)) == 0) {
		for (i = 0; i < svc->ndocuments; i++)
			for (j = 0; j < svc->documents[i].npages; j++)
				if (svc->documents[i].pages[j].url == NULL)
					abort();
		declaration_service_free(svc);
	} else if (err[0] == '\0') {
		abort();
	}
	if (declaration_parse_document((const char *)data, size, "fuzz.json", "Terms of Service",
				       &doc, err, sizeof(err)) == 0)
		declaration_document_free(doc);
	return 0;
}
