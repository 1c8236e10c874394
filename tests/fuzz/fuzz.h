/*
 * fuzz: what every libFuzzer target defines.  Each target checks the
 * invariants of what it calls and abort()s when one fails, so that the
 * fuzzer reports it as a crash.
 */
#ifndef CLAUSE_FUZZ_H
#define CLAUSE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
