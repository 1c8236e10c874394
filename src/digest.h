/*
 * digest: SHA-256 of a text, as the version table records it.
 */
#ifndef CLAUSE_DIGEST_H
#define CLAUSE_DIGEST_H

#include <stddef.h>

/* Length of a hex SHA-256 digest, without its NUL. */
#define DIGEST_HEX_LEN 64

/* Write the lower-case hex SHA-256 of data (len bytes) and a NUL to hex.
 * Returns 0, or -1 if the digest could not be computed. */
int digest_sha256_hex(const void *data, size_t len, char hex[DIGEST_HEX_LEN + 1]);

#endif
