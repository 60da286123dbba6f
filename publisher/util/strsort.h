/*
 * Sorting by a string key: a province's 120,000 paths, which share long
 * prefixes ("doi-thoai/<slug>/cau-hoi/..."), sorted by qsort(3) and
 * strcmp(3) compare those prefixes again at each of the 2 million
 * comparisons. ck_strsort looks at each byte of a shared prefix about
 * once (a three-way radix quicksort, Bentley and Sedgewick's "multikey
 * quicksort").
 */
#ifndef CK_STRSORT_H
#define CK_STRSORT_H

#include <stddef.h>

/*
 * Sorts the n items of size bytes at base whose first member is a
 * NUL-terminated `const char *`, in strcmp(3) order (bytes unsigned).
 * Items with equal keys end in no set order. An array already sorted is
 * only read. Allocates a key array of 16 bytes per item for the sort.
 */
void ck_strsort(void *base, size_t n, size_t size);

#endif
