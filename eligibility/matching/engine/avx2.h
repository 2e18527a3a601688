/* avx2.h - the AVX2 path of e5_fast.c for CPUs without AVX512-VNNI (included by it after
 * avx512.h, whose rp_pack layout it reads; not a public header).
 *
 * The weights are the same repacked 16-row nibble groups; a 256-bit register takes half a
 * group (8 rows x 4 inputs). vpmaddubsw (unsigned weight x signed activation, adjacent
 * pairs added) gives 16-bit sums that cannot saturate here: a lane adds 2 products of
 * |w| <= 15 and |a| <= 128 (3 840), and the 8 four-input groups of a block added in 16
 * bits stay within 30 720. One vpmaddwd then widens the block to int32 per row, the -8
 * nibble offset is added as -8 * sum(a), and one FMA per block and token applies the two
 * scales: the integer part is exact, as in e5.c's kernel. */
#ifndef E5F_AVX2_H
#define E5F_AVX2_H

#define RP2_TOK 4 /* tokens per weight load: 16 ymm registers hold 8 weights + 4 sums */
#define AVX2_TARGET __attribute__((target("avx2,fma")))

AVX2_TARGET __attribute__((always_inline)) static inline __m256i bcast4_256(const int8_t *p) {
    int32_t v;
    memcpy(&v, p, sizeof v);
    return _mm256_set1_epi32(v);
}

/* Y[t, 0..7] of one half (rows 8*half ..) of a group, for nt (1..4) tokens. as[] holds the
 * plain block sums (quantize_acts). */
AVX2_TARGET __attribute__((always_inline)) static inline void
avx2_tile(const uint8_t *RESTRICT wq, const float *RESTRICT ws, const float *RESTRICT bias,
          const int8_t *RESTRICT aq, const float *RESTRICT ad, const int32_t *RESTRICT as,
          float *RESTRICT Y, const int nt, int nout, int nin, int nb, int half) {
    __m256 acc[RP2_TOK];
#pragma GCC unroll 4
    for (int t = 0; t < nt; t++) acc[t] = _mm256_setzero_ps();
    const __m256i m4 = _mm256_set1_epi8(0x0F), ones = _mm256_set1_epi16(1);
    for (int b = 0; b < nb; b++) {
        const uint8_t *blk = wq + (size_t)b * RP_BLOCK_BYTES + 32 * half;
        __m256i c0 = _mm256_load_si256((const __m256i *)blk);
        __m256i c1 = _mm256_load_si256((const __m256i *)(blk + 64));
        __m256i c2 = _mm256_load_si256((const __m256i *)(blk + 128));
        __m256i c3 = _mm256_load_si256((const __m256i *)(blk + 192));
        __m256i w0 = _mm256_and_si256(c0, m4), w1 = _mm256_and_si256(_mm256_srli_epi16(c0, 4), m4);
        __m256i w2 = _mm256_and_si256(c1, m4), w3 = _mm256_and_si256(_mm256_srli_epi16(c1, 4), m4);
        __m256i w4 = _mm256_and_si256(c2, m4), w5 = _mm256_and_si256(_mm256_srli_epi16(c2, 4), m4);
        __m256i w6 = _mm256_and_si256(c3, m4), w7 = _mm256_and_si256(_mm256_srli_epi16(c3, 4), m4);
        __m256 wsv = _mm256_loadu_ps(ws + (size_t)b * RP_ROWS + 8 * half);
#pragma GCC unroll 4
        for (int t = 0; t < nt; t++) {
            const int8_t *a = aq + (size_t)t * nin + (size_t)b * QK;
            size_t k = (size_t)t * nb + b;
            __m256i p = _mm256_maddubs_epi16(w0, bcast4_256(a));
            p = _mm256_add_epi16(p, _mm256_maddubs_epi16(w1, bcast4_256(a + 4)));
            p = _mm256_add_epi16(p, _mm256_maddubs_epi16(w2, bcast4_256(a + 8)));
            p = _mm256_add_epi16(p, _mm256_maddubs_epi16(w3, bcast4_256(a + 12)));
            p = _mm256_add_epi16(p, _mm256_maddubs_epi16(w4, bcast4_256(a + 16)));
            p = _mm256_add_epi16(p, _mm256_maddubs_epi16(w5, bcast4_256(a + 20)));
            p = _mm256_add_epi16(p, _mm256_maddubs_epi16(w6, bcast4_256(a + 24)));
            p = _mm256_add_epi16(p, _mm256_maddubs_epi16(w7, bcast4_256(a + 28)));
            __m256i s = _mm256_add_epi32(_mm256_madd_epi16(p, ones), _mm256_set1_epi32(-8 * as[k]));
            __m256 scale = _mm256_mul_ps(wsv, _mm256_set1_ps(ad[k]));
            acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), scale, acc[t]);
        }
    }
    __m256 bv = bias ? _mm256_loadu_ps(bias + 8 * half) : _mm256_setzero_ps();
#pragma GCC unroll 4
    for (int t = 0; t < nt; t++)
        _mm256_storeu_ps(Y + (size_t)t * nout + 8 * half, _mm256_add_ps(acc[t], bv));
}

/* Y[L, nout] = X * W^T + bias with W repacked (rp_pack) and X quantized (quantize_acts). */
AVX2_TARGET static void matmul_avx2(const rp_mat *P, const float *bias, const int8_t *aq,
                                    const float *ad, const int32_t *as, float *Y, int L) {
    int nout = P->nout, nin = P->nin, nb = nin / QK;
    int ntile = (L + RP2_TOK - 1) / RP2_TOK;
    for (int g = 0; g < nout / RP_ROWS; g++) {
        const uint8_t *wq = P->q + (size_t)g * nb * RP_BLOCK_BYTES;
        const float *ws = P->d + (size_t)g * nb * RP_ROWS;
        const float *bg = bias ? bias + (size_t)g * RP_ROWS : NULL;
        float *Yg = Y + (size_t)g * RP_ROWS;
        for (int half = 0; half < 2; half++)
            for (int i = 0, t0 = 0; i < ntile; i++) {
                int nt = (L - t0) / (ntile - i); /* 1..4, as even as possible */
                const int8_t *a = aq + (size_t)t0 * nin;
                const float *d = ad + (size_t)t0 * nb;
                const int32_t *s = as + (size_t)t0 * nb;
                float *y = Yg + (size_t)t0 * nout;
                switch (nt) {
#define TILE(N) case N: avx2_tile(wq, ws, bg, a, d, s, y, N, nout, nin, nb, half); break;
                    TILE(1) TILE(2) TILE(3) TILE(4)
#undef TILE
                }
                t0 += nt;
            }
    }
}

#endif /* E5F_AVX2_H */
