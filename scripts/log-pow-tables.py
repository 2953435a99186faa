#!/usr/bin/env python3
"""Prints the constant tables of native/log_pow_avx512.c (log and pow) (run once; the output is pasted into the C file).

log: x = 2^k * z with z in [0.703125, 1.40625), cut into 16 pieces by bits 48-51 of bits(x) - OFF; piece 9 holds
z = 1 and uses c = 1, so that log x near 1 is computed from r = z - 1 alone. Per piece: invc ~ 1/c (any double:
r = z*invc - 1 is formed exactly as a double-double), log c = -log(invc) split as hi (a multiple of 2^-42, so that
k*LN2_HI + hi is exact for |k| < 2^11) + lo.
exp: 2^(j/8) for j < 8 as hi + lo. Values are computed with 50 significant digits (decimal), then rounded once.
Polynomials: (log1p(r) - r + r^2/2)/r^3 on the pieces' r range and (e^s - 1)/s on |s| <= ln2/16, interpolated at
Chebyshev nodes in exact rational arithmetic (near-minimax), coefficients rounded to doubles; the printed error
is the largest over 2001 points, against the series summed exactly.
"""
from fractions import Fraction
import math
from decimal import Decimal, getcontext
import struct

getcontext().prec = 50
OFF = 0x3FE6800000000000


def dbl(bits):
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def near(d):  # nearest double to a Decimal (Decimal -> str -> float rounds correctly)
    return float(d)


def hexf(v):
    return v.hex()


inv, chi, clo = [], [], []
for i in range(16):
    lo_z, hi_z = dbl(OFF + (i << 48)), dbl(OFF + ((i + 1) << 48))
    invc = 1.0 if i == 9 else near(2 / (Decimal(lo_z) + Decimal(hi_z)))
    logc = -Decimal(invc).ln()
    h = float(round(logc * 2**42)) / 2**42
    inv.append(invc), chi.append(h), clo.append(near(logc - Decimal(h)))

ln2 = Decimal(2).ln()
ln2_hi = float(round(ln2 * 2**42)) / 2**42
e_hi = [near(Decimal(2) ** (Decimal(j) / 8)) for j in range(8)]
e_lo = [near(Decimal(2) ** (Decimal(j) / 8) - Decimal(h)) for j, h in enumerate(e_hi)]
l8 = ln2 / 8


def row(name, vals):
    print(f"static const double {name}[{len(vals)}] = {{{', '.join(hexf(v) for v in vals)}}};")


row("POW_INVC", inv), row("POW_LOGC_HI", chi), row("POW_LOGC_LO", clo)
row("POW_EXP2_HI", e_hi), row("POW_EXP2_LO", e_lo)
print(f"#define POW_LN2_HI {hexf(ln2_hi)}\n#define POW_LN2_LO {hexf(near(ln2 - Decimal(ln2_hi)))}")
print(f"#define POW_INV_LN2_8 {hexf(near(8 / ln2))}")
print(f"#define POW_LN2_8_HI {hexf(near(l8))}\n#define POW_LN2_8_LO {hexf(near(l8 - Decimal(near(l8))))}")


def series_log(r):  # (log1p(r) - r + r^2/2)/r^3
    return sum(Fraction((-1) ** (m + 1), m) * r ** (m - 3) for m in range(3, 40))


def series_exp(s):  # (e^s - 1)/s
    return sum(s ** (m - 1) / math.factorial(m) for m in range(1, 30))


def chebyshev_fit(g, a, b, degree):
    n = degree + 1
    nodes = [(a + b) / 2 + (b - a) / 2 * Fraction(math.cos(math.pi * (2 * i + 1) / (2 * n))) for i in range(n)]
    rows = [[x ** j for j in range(n)] + [g(x)] for x in nodes]
    for c in range(n):  # Gauss-Jordan, exact
        for r in range(n):
            if r != c:
                f = rows[r][c] / rows[c][c]
                rows[r] = [u - f * v for u, v in zip(rows[r], rows[c])]
    coef = [float(rows[i][n] / rows[i][i]) for i in range(n)]
    def p(x):
        acc = Fraction(0)
        for c in reversed(coef):
            acc = acc * x + Fraction(c)
        return acc
    err = max(abs(float(p(x) - g(x))) for x in (a + (b - a) * Fraction(i, 2000) for i in range(2001)))
    return coef, err


for name, g, a, b, degree in [("LOG_P", series_log, Fraction(-0.0295), Fraction(0.0313), 8),
                              ("LOG_P_SHORT", series_log, Fraction(-0.0295), Fraction(0.0313), 7),
                              ("EXP_P", series_exp, Fraction(-0.0436), Fraction(0.0436), 6)]:
    coef, err = chebyshev_fit(g, a, b, degree)
    print(f"// max error 2^{math.log2(err):.1f} on [{float(a)}, {float(b)}]")
    row(name, list(reversed(coef)))  # highest degree first, for Horner
