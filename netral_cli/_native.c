/* netral's optional compiled helpers, loaded with ctypes by netral_cli/native.py.
 *
 * hatch_build.py compiles this file into netral_cli/_native.so when a wheel is built and a C compiler is
 * there; without one, netral runs the numpy code that gives the same results. Plain C over arrays, no
 * Python API: nothing here depends on the Python version.
 */
#include <stdint.h>

#ifndef NETRAL_SOURCE_SHA256
#define NETRAL_SOURCE_SHA256 "unknown"
#endif

/* The sha256 of the source this library was compiled from (hatch_build.py passes it): netral_cli/native.py uses
 * the library only when it matches the source beside it, never a stale build. */
const char *netral_source_sha256(void) { return NETRAL_SOURCE_SHA256; }

/* A document's row is counted in a dense scratch row, with a bitmap of the columns it touched (and the range of
 * the bitmap's words touched): the bitmap gives the columns in ascending order, with no sort. */
typedef struct {
    int32_t *counts;   /* n_columns, zero between documents */
    uint64_t *seen;    /* (n_columns + 63) / 64, zero between documents */
    int64_t first_block, last_block;
} Row;

static inline void row_add(Row *row, int64_t column, int32_t count)
{
    const int64_t block = column >> 6;
    row->counts[column] += count;
    row->seen[block] |= (uint64_t)1 << (column & 63);
    if (block < row->first_block) row->first_block = block;
    if (block > row->last_block) row->last_block = block;
}

/* Where the documents' rows go: a CSR matrix's indptr, indices and data, filled so far to nnz. */
typedef struct {
    int32_t *indptr, *indices;
    double *data;
    int64_t nnz;
} Output;

/* Ends document d: writes the row's columns and counts, and leaves the scratch row zero. */
static void row_emit(Row *row, Output *out, int64_t d)
{
    for (int64_t block = row->first_block; block <= row->last_block; block++) {
        uint64_t bits = row->seen[block];
        row->seen[block] = 0;
        while (bits) {
            const int32_t column = (int32_t)(block * 64 + __builtin_ctzll(bits));
            bits &= bits - 1;
            out->indices[out->nnz] = column;
            out->data[out->nnz] = (double)row->counts[column];
            row->counts[column] = 0;
            out->nnz++;
        }
    }
    row->first_block = INT64_MAX;
    row->last_block = -1;
    out->indptr[d + 1] = (int32_t)out->nnz;
}

/* Documents x columns counts, summed over the rows of a store, as a CSR matrix with each document's columns in
 * ascending order (the order scikit-learn's own count matrices have).
 *
 * Document d is made of the store rows word_rows[doc_starts[d] .. doc_starts[d + 1] - 1] (a row may come several
 * times); store row r holds the columns columns[ends[r] .. ends[r + 1] - 1] with the counts counts[...].
 * counts_scratch (n_columns int32) and seen_scratch ((n_columns + 63) / 64 uint64) must be zero, and are left
 * zero. out_indptr has n_docs + 1 entries; out_indices and out_data room for every document's distinct columns
 * (at most the sum of its rows' lengths). Returns the number of entries written. */
int64_t netral_sum_rows(int64_t n_docs, const int64_t *doc_starts, const int64_t *word_rows,
                        const int64_t *ends, const int32_t *columns, const int32_t *counts,
                        int32_t *counts_scratch, uint64_t *seen_scratch,
                        int32_t *out_indptr, int32_t *out_indices, double *out_data)
{
    Row row = {counts_scratch, seen_scratch, INT64_MAX, -1};
    Output out = {out_indptr, out_indices, out_data, 0};
    out_indptr[0] = 0;
    for (int64_t d = 0; d < n_docs; d++) {
        for (int64_t w = doc_starts[d]; w < doc_starts[d + 1]; w++) {
            const int64_t word = word_rows[w];
            for (int64_t k = ends[word]; k < ends[word + 1]; k++) row_add(&row, columns[k], counts[k]);
        }
        row_emit(&row, &out, d);
    }
    return out.nnz;
}

/* The known character n-grams of words, counted (GramCodes.counts in chargrams.py, one word at a time).
 *
 * numbers holds the padded words one after another, each character as its number in the vocabulary's alphabet
 * (0: a character no n-gram has); word w is numbers[word_ends[w - 1] .. word_ends[w] - 1] (from 0 for the first).
 * An n-gram of low to high characters is the number its characters spell in base 2**bits, looked up in the open
 * addressing table keys/columns (slot: code * golden >> shift, then linear probing; key 0 is an empty slot).
 * Each word's row gets its known columns in ascending order with their counts. out_indices and out_counts need
 * room for every n-gram of every word. Returns the number of entries written. */
int64_t netral_gram_counts(int64_t n_words, const int64_t *word_ends, const uint16_t *numbers,
                           int64_t low, int64_t high, int64_t bits,
                           const uint64_t *keys, const int64_t *columns, int64_t shift, uint64_t golden,
                           int32_t *out_indptr, int32_t *out_indices, int32_t *out_counts)
{
    const uint64_t mask = ((uint64_t)1 << (64 - shift)) - 1;
    int64_t nnz = 0, word_start = 0;
    out_indptr[0] = 0;
    for (int64_t w = 0; w < n_words; w++) {
        const int64_t word_end = word_ends[w], row_start = nnz;
        for (int64_t start = word_start; start < word_end; start++) {
            uint64_t code = 0;
            for (int64_t n = 1; n <= high && start + n <= word_end; n++) {
                const uint64_t number = numbers[start + n - 1];
                if (number == 0) break;  /* no longer n-gram from here is known either */
                code = (code << bits) | number;
                if (n < low) continue;
                uint64_t slot = (code * golden) >> shift;
                while (keys[slot] != 0 && keys[slot] != code) slot = (slot + 1) & mask;
                if (keys[slot] == code) out_indices[nnz++] = (int32_t)columns[slot];
            }
        }
        /* sort the row's columns (a few dozen: insertion sort), then merge repeats into counts */
        for (int64_t i = row_start + 1; i < nnz; i++) {
            const int32_t column = out_indices[i];
            int64_t j = i;
            while (j > row_start && out_indices[j - 1] > column) { out_indices[j] = out_indices[j - 1]; j--; }
            out_indices[j] = column;
        }
        int64_t kept = row_start;
        for (int64_t i = row_start; i < nnz; i++) {
            if (kept > row_start && out_indices[kept - 1] == out_indices[i]) { out_counts[kept - 1]++; continue; }
            out_indices[kept] = out_indices[i];
            out_counts[kept++] = 1;
        }
        nnz = kept;
        out_indptr[w + 1] = (int32_t)nnz;
        word_start = word_end;
    }
    return nnz;
}

/* Documents x columns counts of a word 1-2-gram vocabulary (StemBigrams in classifier.py), as a CSR matrix with
 * each document's columns in ascending order.
 *
 * Document d's tokens are columns[doc_starts[d] .. doc_starts[d + 1] - 1] (-1: a token the vocabulary does not
 * have). Each known token counts in its column; each pair of neighbouring known tokens a, b counts in the column
 * pair_columns[i] where pair_codes[i] == a * n_columns + b (pair_codes ascending), if there is one. The scratch
 * arrays and the room of the outputs are as for netral_sum_rows (room: twice the tokens). */
int64_t netral_pair_counts(int64_t n_docs, const int64_t *doc_starts, const int64_t *tokens, int64_t n_columns,
                           const int64_t *pair_codes, const int64_t *pair_columns, int64_t n_pairs,
                           int32_t *counts_scratch, uint64_t *seen_scratch,
                           int32_t *out_indptr, int32_t *out_indices, double *out_data)
{
    Row row = {counts_scratch, seen_scratch, INT64_MAX, -1};
    Output out = {out_indptr, out_indices, out_data, 0};
    out_indptr[0] = 0;
    for (int64_t d = 0; d < n_docs; d++) {
        const int64_t end = doc_starts[d + 1];
        for (int64_t t = doc_starts[d]; t < end; t++) {
            if (tokens[t] < 0) continue;
            row_add(&row, tokens[t], 1);
            if (t + 1 == end || tokens[t + 1] < 0) continue;
            const int64_t code = tokens[t] * n_columns + tokens[t + 1];
            int64_t low = 0, high = n_pairs;  /* the first pair code >= code */
            while (low < high) {
                const int64_t middle = low + (high - low) / 2;
                if (pair_codes[middle] < code) low = middle + 1; else high = middle;
            }
            if (low < n_pairs && pair_codes[low] == code) row_add(&row, pair_columns[low], 1);
        }
        row_emit(&row, &out, d);
    }
    return out.nnz;
}
