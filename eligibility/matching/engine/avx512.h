/* avx512.h - the AVX512-VNNI path of e5_fast.c (included by it; not a public header):
 * the int8 x int4 matmul, the activation quantizer and attention.
 *
 * Matmul: same arithmetic as the shipped int8 x int4 kernel (Q8_0 activations against Q4_0
 * weights, per-block scales, the -8 nibble offset), laid out for vpdpbusd:
 *
 *   - At load every weight matrix is repacked once into groups of 16 output rows. Inside
 *     a group, for each Q4 block (32 inputs), 4 x 64 bytes hold the nibbles "transposed":
 *     byte 4r+i of chunk c is the weight (row r, input 8c+i) in its low nibble and
 *     (row r, input 8c+4+i) in its high nibble. One AND / one shift+AND turn a chunk into
 *     two registers of 16 rows x 4 unsigned weights (0..15), vpdpbusd's unsigned operand;
 *     the block's 16 fp16 scales become one fp32 vector.
 *   - The kernel then takes 4 activation bytes of one token, broadcast (signed operand),
 *     and one vpdpbusd adds 64 products into 16 rows' int32 sums: 8 instructions per
 *     block and token, starting from -8 * sum(activations) so that the integer result is
 *     exactly <w - 8, a>. One convert and one FMA with (weight scale x activation scale)
 *     per block and token, for 16 rows at once.
 *   - Up to 8 tokens share each unpacked weight block (the unpack is paid once per 8
 *     tokens), and a group's weights (3 or 12 KB) stay in L1 across token tiles.
 *
 * The per-block products are exact integers, as in the shipped kernel; only the order of
 * the fp32 additions over blocks differs (a few ulp). */
#ifndef E5F_AVX512_H
#define E5F_AVX512_H

#define RP_ROWS 16 /* output rows per group: one 512-bit register of int32 / fp32 */
#define RP_TOK 8   /* tokens per weight load */
#define RP_BLOCK_BYTES 256 /* 16 rows x 32 nibbles */

typedef struct {
    uint8_t *q;  /* [nout/16][nb][4][64] nibbles, 64-byte aligned */
    float *d;    /* [nout/16][nb][16] weight scales */
    int nout, nin;
} rp_mat;

/* Repack a Q4_0 matrix [nout, nin] (plain C: runs once at load). */
static void rp_pack(const block_q4_0 *W, int nout, int nin, rp_mat *P, uint8_t *q, float *d) {
    int nb = nin / QK;
    P->q = q; P->d = d; P->nout = nout; P->nin = nin;
    for (int g = 0; g < nout / RP_ROWS; g++)
        for (int b = 0; b < nb; b++) {
            uint8_t *blk = q + ((size_t)g * nb + b) * RP_BLOCK_BYTES;
            float *ds = d + ((size_t)g * nb + b) * RP_ROWS;
            memset(blk, 0, RP_BLOCK_BYTES);
            for (int r = 0; r < RP_ROWS; r++) {
                const block_q4_0 *w = W + (size_t)(g * RP_ROWS + r) * nb + b;
                ds[r] = fp16_to_fp32(w->d);
                for (int j = 0; j < QK; j++) {
                    int v = j < 16 ? (w->qs[j] & 0x0F) : (w->qs[j - 16] >> 4);
                    int kg = j / 4, i = j % 4; /* 4-input group 0..7 */
                    blk[(kg / 2) * 64 + r * 4 + i] |= (uint8_t)(v << (4 * (kg % 2)));
                }
            }
        }
}

#define VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vnni")))

/* 4 activation bytes broadcast to every lane (a load-broadcast, no ALU op) */
VNNI_TARGET __attribute__((always_inline)) static inline __m512i bcast4(const int8_t *p) {
    int32_t v;
    memcpy(&v, p, sizeof v);
    return _mm512_set1_epi32(v);
}

/* Y[t, g*16 .. g*16+15] for nt (1..8) tokens starting at aq/ad/as; nt is a constant at
 * every call site, so the token loops unroll and the accumulators stay in registers. */
VNNI_TARGET __attribute__((always_inline)) static inline void
vnni_tile(const uint8_t *RESTRICT wq, const float *RESTRICT ws, const float *RESTRICT bias,
          const int8_t *RESTRICT aq, const float *RESTRICT ad, const int32_t *RESTRICT as,
          float *RESTRICT Y, const int nt, int nout, int nin, int nb) {
    __m512 acc[RP_TOK];
#pragma GCC unroll 8
    for (int t = 0; t < nt; t++) acc[t] = _mm512_setzero_ps();
    const __m512i m4 = _mm512_set1_epi8(0x0F);
    for (int b = 0; b < nb; b++) {
        const __m512i *c = (const __m512i *)(wq + (size_t)b * RP_BLOCK_BYTES);
        __m512i c0 = _mm512_load_si512(c), c1 = _mm512_load_si512(c + 1);
        __m512i c2 = _mm512_load_si512(c + 2), c3 = _mm512_load_si512(c + 3);
        __m512i w0 = _mm512_and_si512(c0, m4), w1 = _mm512_and_si512(_mm512_srli_epi16(c0, 4), m4);
        __m512i w2 = _mm512_and_si512(c1, m4), w3 = _mm512_and_si512(_mm512_srli_epi16(c1, 4), m4);
        __m512i w4 = _mm512_and_si512(c2, m4), w5 = _mm512_and_si512(_mm512_srli_epi16(c2, 4), m4);
        __m512i w6 = _mm512_and_si512(c3, m4), w7 = _mm512_and_si512(_mm512_srli_epi16(c3, 4), m4);
        __m512 wsv = _mm512_loadu_ps(ws + (size_t)b * RP_ROWS);
#pragma GCC unroll 8
        for (int t = 0; t < nt; t++) {
            const int8_t *a = aq + (size_t)t * nin + (size_t)b * QK;
            size_t k = (size_t)t * nb + b;
            /* as[] holds -8 * sum(a) (quantize_acts_avx512): the integer result is exact
             * <w - 8, a>; the tokens of a tile are independent chains */
            __m512i s0 = _mm512_set1_epi32(as[k]);
            s0 = _mm512_dpbusd_epi32(s0, w0, bcast4(a));
            s0 = _mm512_dpbusd_epi32(s0, w1, bcast4(a + 4));
            s0 = _mm512_dpbusd_epi32(s0, w2, bcast4(a + 8));
            s0 = _mm512_dpbusd_epi32(s0, w3, bcast4(a + 12));
            s0 = _mm512_dpbusd_epi32(s0, w4, bcast4(a + 16));
            s0 = _mm512_dpbusd_epi32(s0, w5, bcast4(a + 20));
            s0 = _mm512_dpbusd_epi32(s0, w6, bcast4(a + 24));
            s0 = _mm512_dpbusd_epi32(s0, w7, bcast4(a + 28));
            __m512 scale = _mm512_mul_ps(wsv, _mm512_set1_ps(ad[k]));
            acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s0), scale, acc[t]);
        }
    }
    __m512 bv = bias ? _mm512_loadu_ps(bias) : _mm512_setzero_ps();
#pragma GCC unroll 8
    for (int t = 0; t < nt; t++) _mm512_storeu_ps(Y + (size_t)t * nout, _mm512_add_ps(acc[t], bv));
}

/* Y[L, nout] = X * W^T + bias with W repacked (rp_pack) and X quantized (quantize_acts). */
VNNI_TARGET static void matmul_vnni(const rp_mat *P, const float *bias, const int8_t *aq,
                                    const float *ad, const int32_t *as, float *Y, int L) {
    int nout = P->nout, nin = P->nin, nb = nin / QK;
    /* tiles as even as possible (18 tokens -> 6+6+6, not 8+8+2) */
    int ntile = (L + RP_TOK - 1) / RP_TOK;
    for (int g = 0; g < nout / RP_ROWS; g++) {
        const uint8_t *wq = P->q + (size_t)g * nb * RP_BLOCK_BYTES;
        const float *ws = P->d + (size_t)g * nb * RP_ROWS;
        const float *bg = bias ? bias + (size_t)g * RP_ROWS : NULL;
        float *Yg = Y + (size_t)g * RP_ROWS;
        for (int i = 0, t0 = 0; i < ntile; i++) {
            int nt = (L - t0) / (ntile - i); /* 1..8 */
            const int8_t *a = aq + (size_t)t0 * nin;
            const float *d = ad + (size_t)t0 * nb;
            const int32_t *s = as + (size_t)t0 * nb;
            float *y = Yg + (size_t)t0 * nout;
            switch (nt) {
#define TILE(N) case N: vnni_tile(wq, ws, bg, a, d, s, y, N, nout, nin, nb); break;
                TILE(1) TILE(2) TILE(3) TILE(4) TILE(5) TILE(6) TILE(7) TILE(8)
#undef TILE
            }
            t0 += nt;
        }
    }
}

/* quantize_acts for AVX-512: the same int8 values and scales as the scalar loop (round to
 * nearest even, saturate), 32 inputs per block in two registers; s gets -8 * the block's
 * sum, as matmul_vnni wants it (matmul_q4q8 wants the plain sum from quantize_acts). */
VNNI_TARGET static void quantize_acts_avx512(const float *RESTRICT X, int L, int nin,
                                             int8_t *RESTRICT q, float *RESTRICT d,
                                             int32_t *RESTRICT s) {
    int nb = nin / QK;
    for (int t = 0; t < L; t++)
        for (int b = 0; b < nb; b++) {
            const float *x = X + (size_t)t * nin + (size_t)b * QK;
            __m512 x0 = _mm512_loadu_ps(x), x1 = _mm512_loadu_ps(x + 16);
            float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(x0), _mm512_abs_ps(x1)));
            float dd = amax / 127.f, id = dd > 0.f ? 1.f / dd : 0.f;
            __m512 iv = _mm512_set1_ps(id);
            __m512i v0 = _mm512_cvtps_epi32(_mm512_mul_ps(x0, iv));
            __m512i v1 = _mm512_cvtps_epi32(_mm512_mul_ps(x1, iv));
            const __m512i lo = _mm512_set1_epi32(-128), hi = _mm512_set1_epi32(127);
            v0 = _mm512_min_epi32(_mm512_max_epi32(v0, lo), hi);
            v1 = _mm512_min_epi32(_mm512_max_epi32(v1, lo), hi);
            int8_t *qq = q + ((size_t)t * nb + b) * QK;
            _mm_storeu_si128((__m128i *)qq, _mm512_cvtepi32_epi8(v0));
            _mm_storeu_si128((__m128i *)(qq + 16), _mm512_cvtepi32_epi8(v1));
            d[(size_t)t * nb + b] = dd;
            /* -8 * sum: the nibble offset, as the start of the VNNI kernel's sums */
            s[(size_t)t * nb + b] = -8 * _mm512_reduce_add_epi32(_mm512_add_epi32(v0, v1));
        }
}

/* Scaled dot-product attention of every token over its own segment, as forward_batch's
 * loop computes it, for head sizes that are a multiple of 16 (checked at load). Per
 * segment and head, K is transposed once (kt: hd x n, n rounded up to 16, zero padded),
 * so that 16 scores take hd broadcast FMAs instead of 16 horizontal sums; the softmax loop
 * is left to the compiler (vector expf); context rows are hd/16 FMAs per key. */
VNNI_TARGET static void attention_avx512(const float *RESTRICT q, const float *RESTRICT k,
                                         const float *RESTRICT v, float *RESTRICT ctx,
                                         const int *sstart, const int *send, int T, int H,
                                         int NH, int hd, float scale, float *RESTRICT kt,
                                         float *RESTRICT prob) {
    for (int t0 = 0; t0 < T; t0 = send[t0]) {
        int s0 = sstart[t0], s1 = send[t0], n = s1 - s0, n16 = (n + 15) / 16 * 16;
        for (int h = 0; h < NH; h++) {
            for (int e = 0; e < hd; e++) {
                float *row = kt + (size_t)e * n16;
                for (int j = 0; j < n; j++) row[j] = k[(size_t)(s0 + j) * H + h * hd + e];
                for (int j = n; j < n16; j++) row[j] = 0.f;
            }
            for (int t = s0; t < s1; t++) {
                const float *qh = q + (size_t)t * H + h * hd;
                for (int j0 = 0; j0 < n16; j0 += 16) {
                    /* four partial sums: a chain of hd FMAs would wait on FMA latency */
                    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
                    const float *kj = kt + j0;
                    for (int e = 0; e < hd; e += 4) {
                        a0 = _mm512_fmadd_ps(_mm512_set1_ps(qh[e]), _mm512_loadu_ps(kj + (size_t)e * n16), a0);
                        a1 = _mm512_fmadd_ps(_mm512_set1_ps(qh[e + 1]), _mm512_loadu_ps(kj + (size_t)(e + 1) * n16), a1);
                        a2 = _mm512_fmadd_ps(_mm512_set1_ps(qh[e + 2]), _mm512_loadu_ps(kj + (size_t)(e + 2) * n16), a2);
                        a3 = _mm512_fmadd_ps(_mm512_set1_ps(qh[e + 3]), _mm512_loadu_ps(kj + (size_t)(e + 3) * n16), a3);
                    }
                    __m512 acc = _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3));
                    _mm512_storeu_ps(prob + j0, _mm512_mul_ps(acc, _mm512_set1_ps(scale)));
                }
                float mx = -1e30f;
                for (int j = 0; j < n; j++) mx = prob[j] > mx ? prob[j] : mx;
                float sum = 0.f;
                for (int j = 0; j < n; j++) { prob[j] = expf(prob[j] - mx); sum += prob[j]; }
                float inv = 1.f / sum;
                float *ch = ctx + (size_t)t * H + h * hd;
                for (int e0 = 0; e0 < hd; e0 += 16) {
                    const float *vh = v + (size_t)s0 * H + h * hd + e0;
                    __m512 c0 = _mm512_setzero_ps(), c1 = c0;  /* two chains, as above */
                    int j = 0;
                    for (; j + 1 < n; j += 2) {
                        c0 = _mm512_fmadd_ps(_mm512_set1_ps(prob[j] * inv), _mm512_loadu_ps(vh + (size_t)j * H), c0);
                        c1 = _mm512_fmadd_ps(_mm512_set1_ps(prob[j + 1] * inv), _mm512_loadu_ps(vh + (size_t)(j + 1) * H), c1);
                    }
                    if (j < n) c0 = _mm512_fmadd_ps(_mm512_set1_ps(prob[j] * inv), _mm512_loadu_ps(vh + (size_t)j * H), c0);
                    _mm512_storeu_ps(ch + e0, _mm512_add_ps(c0, c1));
                }
            }
        }
    }
}

#endif /* E5F_AVX512_H */
