// v8math.js: Math functions computed bit for bit as V8 (Node.js, Chrome)
// computes them, so that charts rendered here match those rendered there.
//
// QuickJS calls the C library (musl, transpiled to Go) for Math.sin, exp,
// pow and the like. musl's results are as accurate, but differ from V8's in
// the last bit for some 1-15% of arguments (measured), and such a bit can
// move an axis tick or a path coordinate, which changes the SVG text. V8
// computes these with its own port of fdlibm (src/base/ieee754.cc), and
// Math.hypot with a scaled, compensated sum (src/builtins/math.tq).
//
// Translated from V8's src/base/ieee754.cc, which is adapted from fdlibm:
//
//   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//   Developed at SunSoft, a Sun Microsystems, Inc. business.
//   Permission to use, copy, modify, and distribute this software is freely
//   granted, provided that this notice is preserved.
//
//   Copyright 2016 the V8 project authors. All rights reserved. (BSD-3-Clause)
//
// Functions musl already computes as V8 does (atan, atan2, asin, acos,
// expm1, cbrt, sqrt) keep QuickJS's native code. The test
// TestMathMatchesNode compares every function here with Node on many
// arguments.
(function (g) {
  'use strict';

  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  const i32 = new Int32Array(f64.buffer);
  const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const HI = LE ? 1 : 0, LO = LE ? 0 : 1;

  // high returns the high 32 bits of x, signed (GET_HIGH_WORD into int32_t).
  function high(x) { f64[0] = x; return i32[HI]; }
  // low returns the low 32 bits of x, unsigned (GET_LOW_WORD).
  function low(x) { f64[0] = x; return u32[LO]; }
  // words builds a double from its high and low words (INSERT_WORDS).
  function words(h, l) { u32[HI] = h; u32[LO] = l; return f64[0]; }
  function setLow(x, l) { f64[0] = x; u32[LO] = l; return f64[0]; }
  function setHigh(x, h) { f64[0] = x; u32[HI] = h; return f64[0]; }

  const native = {
    sqrt: Math.sqrt, floor: Math.floor, abs: Math.abs,
  };
  const sqrt = native.sqrt, floor = native.floor, fabs = native.abs;

  const two54 = 1.80143985094819840000e+16;
  const twom54 = 5.55111512312578270212e-17;

  // scalbn returns x * 2**n, exactly where the result is representable.
  function scalbn(x, n) {
    let y = x;
    if (n > 1023) {
      y *= 8.98846567431158e307; // 2**1023
      n -= 1023;
      if (n > 1023) {
        y *= 8.98846567431158e307;
        n -= 1023;
        if (n > 1023) n = 1023;
      }
    } else if (n < -1022) {
      // Scale by 2**-1022 * 2**53 in steps that keep y normal, as musl does.
      y *= 2.2250738585072014e-308 * 9007199254740992;
      n += 1022 - 53;
      if (n < -1022) {
        y *= 2.2250738585072014e-308 * 9007199254740992;
        n += 1022 - 53;
        if (n < -1022) n = -1022;
      }
    }
    return y * words((0x3FF + n) << 20, 0);
  }

  // __ieee754_rem_pio2 and __kernel_rem_pio2: argument reduction.
  const two_over_pi = [
    0xA2F983, 0x6E4E44, 0x1529FC, 0x2757D1, 0xF534DD, 0xC0DB62, 0x95993C,
    0x439041, 0xFE5163, 0xABDEBB, 0xC561B7, 0x246E3A, 0x424DD2, 0xE00649,
    0x2EEA09, 0xD1921C, 0xFE1DEB, 0x1CB129, 0xA73EE8, 0x8235F5, 0x2EBB44,
    0x84E99C, 0x7026B4, 0x5F7E41, 0x3991D6, 0x398353, 0x39F49C, 0x845F8B,
    0xBDF928, 0x3B1FF8, 0x97FFDE, 0x05980F, 0xEF2F11, 0x8B5A0A, 0x6D1F6D,
    0x367ECF, 0x27CB09, 0xB74F46, 0x3F669E, 0x5FEA2D, 0x7527BA, 0xC7EBE5,
    0xF17B3D, 0x0739F7, 0x8A5292, 0xEA6BFB, 0x5FB11F, 0x8D5D08, 0x560330,
    0x46FC7B, 0x6BABF0, 0xCFBC20, 0x9AF436, 0x1DA9E3, 0x91615E, 0xE61B08,
    0x659985, 0x5F14A0, 0x68408D, 0xFFD880, 0x4D7327, 0x310606, 0x1556CA,
    0x73A8C9, 0x60E27B, 0xC08C6B,
  ];
  const npio2_hw = [
    0x3FF921FB, 0x400921FB, 0x4012D97C, 0x401921FB, 0x401F6A7A, 0x4022D97C,
    0x4025FDBB, 0x402921FB, 0x402C463A, 0x402F6A7A, 0x4031475C, 0x4032D97C,
    0x40346B9C, 0x4035FDBB, 0x40378FDB, 0x403921FB, 0x403AB41B, 0x403C463A,
    0x403DD85A, 0x403F6A7A, 0x40407E4C, 0x4041475C, 0x4042106C, 0x4042D97C,
    0x4043A28C, 0x40446B9C, 0x404534AC, 0x4045FDBB, 0x4046C6CB, 0x40478FDB,
    0x404858EB, 0x404921FB,
  ];
  const PIo2 = [
    1.57079625129699707031e+00, 7.54978941586159635335e-08,
    5.39030252995776476554e-15, 3.28200341580791294123e-22,
    1.27065575308067607349e-29, 1.22933308981111328932e-36,
    2.73370053816464559624e-44, 2.16741683877804819444e-51,
  ];
  const init_jk = [2, 3, 4, 6];
  const two24 = 1.67772160000000000000e+07, twon24 = 5.96046447753906250000e-08;

  function kernel_rem_pio2(x, y, e0, nx, prec, ipio2) {
    const iq = new Int32Array(20);
    const f = new Float64Array(20), fq = new Float64Array(20), q = new Float64Array(20);
    let jz, jx, jv, jp, jk, carry, n, i, j, k, m, q0, ih, z, fw;

    jk = init_jk[prec];
    jp = jk;
    jx = nx - 1;
    jv = ((e0 - 3) / 24) | 0;
    if (jv < 0) jv = 0;
    q0 = e0 - 24 * (jv + 1);

    j = jv - jx;
    m = jx + jk;
    for (i = 0; i <= m; i++, j++) f[i] = j < 0 ? 0 : ipio2[j];

    for (i = 0; i <= jk; i++) {
      for (j = 0, fw = 0.0; j <= jx; j++) fw += x[j] * f[jx + i - j];
      q[i] = fw;
    }

    jz = jk;
    for (;;) { // recompute:
      for (i = 0, j = jz, z = q[jz]; j > 0; i++, j--) {
        fw = (twon24 * z) | 0;
        iq[i] = (z - two24 * fw) | 0;
        z = q[j - 1] + fw;
      }

      z = scalbn(z, q0);
      z -= 8.0 * floor(z * 0.125);
      n = z | 0;
      z -= n;
      ih = 0;
      if (q0 > 0) {
        i = iq[jz - 1] >> (24 - q0);
        n += i;
        iq[jz - 1] -= i << (24 - q0);
        ih = iq[jz - 1] >> (23 - q0);
      } else if (q0 === 0) {
        ih = iq[jz - 1] >> 23;
      } else if (z >= 0.5) {
        ih = 2;
      }

      if (ih > 0) {
        n += 1;
        carry = 0;
        for (i = 0; i < jz; i++) {
          j = iq[i];
          if (carry === 0) {
            if (j !== 0) {
              carry = 1;
              iq[i] = 0x1000000 - j;
            }
          } else {
            iq[i] = 0xFFFFFF - j;
          }
        }
        if (q0 > 0) {
          switch (q0) {
            case 1: iq[jz - 1] &= 0x7FFFFF; break;
            case 2: iq[jz - 1] &= 0x3FFFFF; break;
          }
        }
        if (ih === 2) {
          z = 1.0 - z;
          if (carry !== 0) z -= scalbn(1.0, q0);
        }
      }

      if (z === 0) {
        j = 0;
        for (i = jz - 1; i >= jk; i--) j |= iq[i];
        if (j === 0) {
          for (k = 1; jk >= k && iq[jk - k] === 0; k++) { /* k = no. of terms needed */ }
          for (i = jz + 1; i <= jz + k; i++) {
            f[jx + i] = ipio2[jv + i];
            for (j = 0, fw = 0.0; j <= jx; j++) fw += x[j] * f[jx + i - j];
            q[i] = fw;
          }
          jz += k;
          continue; // goto recompute
        }
      }
      break;
    }

    if (z === 0.0) {
      jz -= 1;
      q0 -= 24;
      while (iq[jz] === 0) {
        jz--;
        q0 -= 24;
      }
    } else {
      z = scalbn(z, -q0);
      if (z >= two24) {
        fw = (twon24 * z) | 0;
        iq[jz] = (z - two24 * fw) | 0;
        jz += 1;
        q0 += 24;
        iq[jz] = fw;
      } else {
        iq[jz] = z | 0;
      }
    }

    fw = scalbn(1.0, q0);
    for (i = jz; i >= 0; i--) {
      q[i] = fw * iq[i];
      fw *= twon24;
    }

    for (i = jz; i >= 0; i--) {
      for (fw = 0.0, k = 0; k <= jp && k <= jz - i; k++) fw += PIo2[k] * q[i + k];
      fq[jz - i] = fw;
    }

    switch (prec) {
      case 0:
        fw = 0.0;
        for (i = jz; i >= 0; i--) fw += fq[i];
        y[0] = ih === 0 ? fw : -fw;
        break;
      case 1:
      case 2:
        fw = 0.0;
        for (i = jz; i >= 0; i--) fw += fq[i];
        y[0] = ih === 0 ? fw : -fw;
        fw = fq[0] - fw;
        for (i = 1; i <= jz; i++) fw += fq[i];
        y[1] = ih === 0 ? fw : -fw;
        break;
      default:
        throw new Error('kernel_rem_pio2: prec 3 is not used');
    }
    return n & 7;
  }

  const invpio2 = 6.36619772367581382433e-01,
    pio2_1 = 1.57079632673412561417e+00, pio2_1t = 6.07710050650619224932e-11,
    pio2_2 = 6.07710050630396597660e-11, pio2_2t = 2.02226624879595063154e-21,
    pio2_3 = 2.02226624871116645580e-21, pio2_3t = 8.47842766036889956997e-32;

  const remY = new Float64Array(2);
  const remTx = new Float64Array(3);

  // rem_pio2 reduces x to remY[0]+remY[1] in [-pi/4, pi/4] and returns n.
  function rem_pio2(x, y) {
    let z = 0, w, t, r, fn, e0, i, j, nx, n;
    const hx = high(x);
    const ix = hx & 0x7FFFFFFF;
    if (ix <= 0x3FE921FB) {
      y[0] = x;
      y[1] = 0;
      return 0;
    }
    if (ix < 0x4002D97C) {
      if (hx > 0) {
        z = x - pio2_1;
        if (ix !== 0x3FF921FB) {
          y[0] = z - pio2_1t;
          y[1] = (z - y[0]) - pio2_1t;
        } else {
          z -= pio2_2;
          y[0] = z - pio2_2t;
          y[1] = (z - y[0]) - pio2_2t;
        }
        return 1;
      } else {
        z = x + pio2_1;
        if (ix !== 0x3FF921FB) {
          y[0] = z + pio2_1t;
          y[1] = (z - y[0]) + pio2_1t;
        } else {
          z += pio2_2;
          y[0] = z + pio2_2t;
          y[1] = (z - y[0]) + pio2_2t;
        }
        return -1;
      }
    }
    if (ix <= 0x413921FB) {
      t = fabs(x);
      n = (t * invpio2 + 0.5) | 0;
      fn = n;
      r = t - fn * pio2_1;
      w = fn * pio2_1t;
      if (n < 32 && ix !== npio2_hw[n - 1]) {
        y[0] = r - w;
      } else {
        j = ix >> 20;
        y[0] = r - w;
        i = j - ((high(y[0]) >> 20) & 0x7FF);
        if (i > 16) {
          t = r;
          w = fn * pio2_2;
          r = t - w;
          w = fn * pio2_2t - ((t - r) - w);
          y[0] = r - w;
          i = j - ((high(y[0]) >> 20) & 0x7FF);
          if (i > 49) {
            t = r;
            w = fn * pio2_3;
            r = t - w;
            w = fn * pio2_3t - ((t - r) - w);
            y[0] = r - w;
          }
        }
      }
      y[1] = (r - y[0]) - w;
      if (hx < 0) {
        y[0] = -y[0];
        y[1] = -y[1];
        return -n;
      }
      return n;
    }
    if (ix >= 0x7FF00000) {
      y[0] = y[1] = x - x;
      return 0;
    }
    z = setLow(0, low(x));
    e0 = (ix >> 20) - 1046;
    z = setHigh(z, ix - (e0 << 20));
    for (i = 0; i < 2; i++) {
      remTx[i] = z | 0;
      z = (z - remTx[i]) * two24;
    }
    remTx[2] = z;
    nx = 3;
    while (remTx[nx - 1] === 0) nx--;
    n = kernel_rem_pio2(remTx, y, e0, nx, 2, two_over_pi);
    if (hx < 0) {
      y[0] = -y[0];
      y[1] = -y[1];
      return -n;
    }
    return n;
  }

  const C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
    C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07,
    C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;

  function kernel_cos(x, y) {
    let a, iz, z, r, qx;
    const ix = high(x) & 0x7FFFFFFF;
    if (ix < 0x3E400000) {
      if ((x | 0) === 0) return 1.0;
    }
    z = x * x;
    r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
    if (ix < 0x3FD33333) {
      return 1.0 - (0.5 * z - (z * r - x * y));
    }
    if (ix > 0x3FE90000) {
      qx = 0.28125;
    } else {
      qx = words(ix - 0x00200000, 0);
    }
    iz = 0.5 * z - qx;
    a = 1.0 - qx;
    return a - (iz - (z * r - x * y));
  }

  const S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
    S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
    S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;

  function kernel_sin(x, y, iy) {
    const ix = high(x) & 0x7FFFFFFF;
    if (ix < 0x3E400000) {
      if ((x | 0) === 0) return x;
    }
    const z = x * x;
    const v = z * x;
    const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
    if (iy === 0) return x + v * (S1 + z * r);
    return x - ((z * (0.5 * y - v * r) - y) - v * S1);
  }

  const T = [
    3.33333333333334091986e-01, 1.33333333333201242699e-01,
    5.39682539762260521377e-02, 2.18694882948595424599e-02,
    8.86323982359930005737e-03, 3.59207910759131235356e-03,
    1.45620945432529025516e-03, 5.88041240820264096874e-04,
    2.46463134818469906812e-04, 7.81794442939557092300e-05,
    7.14072491382608190305e-05, -1.85586374855275456654e-05,
    2.59073051863633712884e-05,
  ];
  const pio4 = 7.85398163397448278999e-01, pio4lo = 3.06161699786838301793e-17;

  function kernel_tan(x, y, iy) {
    let z, r, v, w, s, a, t;
    const hx = high(x);
    const ix = hx & 0x7FFFFFFF;
    if (ix < 0x3E300000) {
      if ((x | 0) === 0) {
        if (((ix | low(x)) | (iy + 1)) === 0) {
          return 1.0 / fabs(x);
        } else if (iy === 1) {
          return x;
        } else {
          z = w = x + y;
          z = setLow(z, 0);
          v = y - (z - x);
          t = a = -1.0 / w;
          t = setLow(t, 0);
          s = 1.0 + t * z;
          return t + a * (s + t * v);
        }
      }
    }
    if (ix >= 0x3FE59428) {
      if (hx < 0) {
        x = -x;
        y = -y;
      }
      z = pio4 - x;
      w = pio4lo - y;
      x = z + w;
      y = 0.0;
    }
    z = x * x;
    w = z * z;
    r = T[1] + w * (T[3] + w * (T[5] + w * (T[7] + w * (T[9] + w * T[11]))));
    v = z * (T[2] + w * (T[4] + w * (T[6] + w * (T[8] + w * (T[10] + w * T[12])))));
    s = z * x;
    r = y + z * (s * (r + v) + y);
    r += T[0] * s;
    w = x + r;
    if (ix >= 0x3FE59428) {
      v = iy;
      return (1 - ((hx >> 30) & 2)) * (v - 2.0 * (x - (w * w / (w + v) - r)));
    }
    if (iy === 1) return w;
    z = w;
    z = setLow(z, 0);
    v = r - (z - x);
    t = a = -1.0 / w;
    t = setLow(t, 0);
    s = 1.0 + t * z;
    return t + a * (s + t * v);
  }

  function sin(x) {
    x = +x;
    const ix = high(x) & 0x7FFFFFFF;
    if (ix <= 0x3FE921FB) return kernel_sin(x, 0.0, 0);
    if (ix >= 0x7FF00000) return x - x;
    const n = rem_pio2(x, remY);
    switch (n & 3) {
      case 0: return kernel_sin(remY[0], remY[1], 1);
      case 1: return kernel_cos(remY[0], remY[1]);
      case 2: return -kernel_sin(remY[0], remY[1], 1);
      default: return -kernel_cos(remY[0], remY[1]);
    }
  }

  function cos(x) {
    x = +x;
    const ix = high(x) & 0x7FFFFFFF;
    if (ix <= 0x3FE921FB) return kernel_cos(x, 0.0);
    if (ix >= 0x7FF00000) return x - x;
    const n = rem_pio2(x, remY);
    switch (n & 3) {
      case 0: return kernel_cos(remY[0], remY[1]);
      case 1: return -kernel_sin(remY[0], remY[1], 1);
      case 2: return -kernel_cos(remY[0], remY[1]);
      default: return kernel_sin(remY[0], remY[1], 1);
    }
  }

  function tan(x) {
    x = +x;
    const ix = high(x) & 0x7FFFFFFF;
    if (ix <= 0x3FE921FB) return kernel_tan(x, 0.0, 1);
    if (ix >= 0x7FF00000) return x - x;
    const n = rem_pio2(x, remY);
    return kernel_tan(remY[0], remY[1], 1 - ((n & 1) << 1));
  }

  const halF = [0.5, -0.5],
    o_threshold = 7.09782712893383973096e+02, u_threshold = -7.45133219101941108420e+02,
    ln2HI = [6.93147180369123816490e-01, -6.93147180369123816490e-01],
    ln2LO = [1.90821492927058770002e-10, -1.90821492927058770002e-10],
    invln2 = 1.44269504088896338700e+00,
    P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03,
    P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06,
    P5 = 4.13813679705723846039e-08, E = 2.718281828459045,
    huge = 1.0e+300, twom1000 = 9.33263618503218878990e-302, two1023 = 8.988465674311579539e307;

  function exp(x) {
    x = +x;
    let y, hi = 0.0, lo = 0.0, c, t, twopk, k = 0;
    let hx = high(x) >>> 0;
    const xsb = (hx >>> 31) & 1;
    hx &= 0x7FFFFFFF;

    if (hx >= 0x40862E42) {
      if (hx >= 0x7FF00000) {
        if (((hx & 0xFFFFF) | low(x)) !== 0) return x + x;
        return xsb === 0 ? x : 0.0;
      }
      if (x > o_threshold) return huge * huge;
      if (x < u_threshold) return twom1000 * twom1000;
    }

    if (hx > 0x3FD62E42) {
      if (hx < 0x3FF0A2B2) {
        if (x === 1.0) return E;
        hi = x - ln2HI[xsb];
        lo = ln2LO[xsb];
        k = 1 - xsb - xsb;
      } else {
        k = (invln2 * x + halF[xsb]) | 0;
        t = k;
        hi = x - t * ln2HI[0];
        lo = t * ln2LO[0];
      }
      x = hi - lo;
    } else if (hx < 0x3E300000) {
      if (huge + x > 1.0) return 1.0 + x;
    } else {
      k = 0;
    }

    t = x * x;
    if (k >= -1021) {
      twopk = words(0x3FF00000 + (k << 20), 0);
    } else {
      twopk = words(0x3FF00000 + ((k + 1000) << 20), 0);
    }
    c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    if (k === 0) {
      return 1.0 - ((x * c) / (c - 2.0) - x);
    }
    y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
    if (k >= -1021) {
      if (k === 1024) return y * 2.0 * two1023;
      return y * twopk;
    }
    return y * twopk * twom1000;
  }

  const ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10,
    Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
    Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
    Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
    Lg7 = 1.479819860511658591e-01;

  function log(x) {
    x = +x;
    let hfsq, f, s, z, R, w, t1, t2, dk, k = 0, i, j;
    let hx = high(x);
    const lx = low(x);
    if (hx < 0x00100000) {
      if (((hx & 0x7FFFFFFF) | lx) === 0) return -Infinity;
      if (hx < 0) return NaN;
      k -= 54;
      x *= two54;
      hx = high(x);
    }
    if (hx >= 0x7FF00000) return x + x;
    k += (hx >> 20) - 1023;
    hx &= 0x000FFFFF;
    i = (hx + 0x95F64) & 0x100000;
    x = setHigh(x, hx | (i ^ 0x3FF00000));
    k += i >> 20;
    f = x - 1.0;
    if ((0x000FFFFF & (2 + hx)) < 3) {
      if (f === 0) {
        if (k === 0) return 0;
        dk = k;
        return dk * ln2_hi + dk * ln2_lo;
      }
      R = f * f * (0.5 - 0.33333333333333333 * f);
      if (k === 0) return f - R;
      dk = k;
      return dk * ln2_hi - ((R - dk * ln2_lo) - f);
    }
    s = f / (2.0 + f);
    dk = k;
    z = s * s;
    i = hx - 0x6147A;
    w = z * z;
    j = 0x6B851 - hx;
    t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
    t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
    i |= j;
    R = t2 + t1;
    if (i > 0) {
      hfsq = 0.5 * f * f;
      if (k === 0) return f - (hfsq - s * (hfsq + R));
      return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
    }
    if (k === 0) return f - s * (f - R);
    return dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
  }

  function log1p(x) {
    x = +x;
    let hfsq, f = 0, c = 0, s, z, R, u, k, hu = 0;
    const hx = high(x);
    const ax = hx & 0x7FFFFFFF;

    k = 1;
    if (hx < 0x3FDA827A) {
      if (ax >= 0x3FF00000) {
        if (x === -1.0) return -Infinity;
        return NaN;
      }
      if (ax < 0x3E200000) {
        if (two54 + x > 0 && ax < 0x3C900000) return x;
        return x - x * x * 0.5;
      }
      if (hx > 0 || hx <= (0xBFD2BEC4 | 0)) {
        k = 0;
        f = x;
        hu = 1;
      }
    }
    if (hx >= 0x7FF00000) return x + x;
    if (k !== 0) {
      if (hx < 0x43400000) {
        u = 1.0 + x;
        hu = high(u);
        k = (hu >> 20) - 1023;
        c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
        c /= u;
      } else {
        u = x;
        hu = high(u);
        k = (hu >> 20) - 1023;
        c = 0;
      }
      hu &= 0x000FFFFF;
      if (hu < 0x6A09E) {
        u = setHigh(u, hu | 0x3FF00000);
      } else {
        k += 1;
        u = setHigh(u, hu | 0x3FE00000);
        hu = (0x00100000 - hu) >> 2;
      }
      f = u - 1.0;
    }
    hfsq = 0.5 * f * f;
    if (hu === 0) {
      if (f === 0) {
        if (k === 0) return 0;
        c += k * ln2_lo;
        return k * ln2_hi + c;
      }
      R = hfsq * (1.0 - 0.66666666666666666 * f);
      if (k === 0) return f - R;
      return k * ln2_hi - ((R - (k * ln2_lo + c)) - f);
    }
    s = f / (2.0 + f);
    z = s * s;
    R = z * (Lg1 + z * (Lg2 + z * (Lg3 + z * (Lg4 + z * (Lg5 + z * (Lg6 + z * Lg7))))));
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    return k * ln2_hi - ((hfsq - (s * (hfsq + R) + (k * ln2_lo + c))) - f);
  }

  function k_log1p(f) {
    const s = f / (2.0 + f);
    const z = s * s;
    const w = z * z;
    const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
    const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
    const R = t2 + t1;
    const hfsq = 0.5 * f * f;
    return s * (hfsq + R);
  }

  const ivln2hi = 1.44269504072144627571e+00, ivln2lo = 1.67517131648865118353e-10;

  function log2(x) {
    x = +x;
    let f, hfsq, hi, lo, r, val_hi, val_lo, w, y, i, k = 0;
    let hx = high(x);
    const lx = low(x);
    if (hx < 0x00100000) {
      if (((hx & 0x7FFFFFFF) | lx) === 0) return -Infinity;
      if (hx < 0) return NaN;
      k -= 54;
      x *= two54;
      hx = high(x);
    }
    if (hx >= 0x7FF00000) return x + x;
    if (hx === 0x3FF00000 && lx === 0) return 0.0;
    k += (hx >> 20) - 1023;
    hx &= 0x000FFFFF;
    i = (hx + 0x95F64) & 0x100000;
    x = setHigh(x, hx | (i ^ 0x3FF00000));
    k += i >> 20;
    y = k;
    f = x - 1.0;
    hfsq = 0.5 * f * f;
    r = k_log1p(f);
    hi = f - hfsq;
    hi = setLow(hi, 0);
    lo = (f - hi) - hfsq + r;
    val_hi = hi * ivln2hi;
    val_lo = (lo + hi) * ivln2lo + lo * ivln2hi;
    w = y + val_hi;
    val_lo += (y - w) + val_hi;
    val_hi = w;
    return val_lo + val_hi;
  }

  const ivln10 = 4.34294481903251816668e-01,
    log10_2hi = 3.01029995663611771306e-01, log10_2lo = 3.69423907715893078616e-13;

  function log10(x) {
    x = +x;
    let y, i, k = 0;
    let hx = high(x);
    let lx = low(x);
    if (hx < 0x00100000) {
      if (((hx & 0x7FFFFFFF) | lx) === 0) return -Infinity;
      if (hx < 0) return NaN;
      k -= 54;
      x *= two54;
      hx = high(x);
      lx = low(x);
    }
    if (hx >= 0x7FF00000) return x + x;
    if (hx === 0x3FF00000 && lx === 0) return 0.0;
    k += (hx >> 20) - 1023;
    i = (k & 0x80000000) >>> 31;
    hx = (hx & 0x000FFFFF) | ((0x3FF - i) << 20);
    y = k + i;
    x = words(hx, lx);
    const z = y * log10_2lo + ivln10 * log(x);
    return z + y * log10_2hi;
  }

  // pow is V8's Math.pow and ** (ieee754::legacy::pow, fdlibm's e_pow.c).
  const bp = [1.0, 1.5],
    dp_h = [0.0, 5.84962487220764160156e-01], dp_l = [0.0, 1.35003920212974897128e-08],
    two53 = 9007199254740992.0, tiny = 1.0e-300,
    L1 = 5.99999999999994648725e-01, L2 = 4.28571428578550184252e-01,
    L3 = 3.33333329818377432918e-01, L4 = 2.72728123808534006489e-01,
    L5 = 2.30660745775561754067e-01, L6 = 2.06975017800338417784e-01,
    lg2 = 6.93147180559945286227e-01, lg2_h = 6.93147182464599609375e-01,
    lg2_l = -1.90465429995776804525e-09, ovt = 8.0085662595372944372e-17,
    cp = 9.61796693925975554329e-01, cp_h = 9.61796700954437255859e-01,
    cp_l = -7.02846165095275826516e-09, ivln2 = 1.44269504088896338700e+00,
    ivln2_h = 1.44269502162933349609e+00, ivln2_l = 1.92596299112661746887e-08;

  function pow(x, y) {
    x = +x;
    y = +y;
    let z, ax, z_h, z_l, p_h, p_l, y1, t1, t2, r, s, t, u, v, w;
    let i, j, k, yisint, n;
    const hx = high(x), lx = low(x), hy = high(y), ly = low(y);
    let ix = hx & 0x7fffffff;
    const iy = hy & 0x7fffffff;

    if ((iy | ly) === 0) return 1.0;

    if (ix > 0x7ff00000 || (ix === 0x7ff00000 && lx !== 0) || iy > 0x7ff00000 ||
        (iy === 0x7ff00000 && ly !== 0)) {
      return x + y;
    }

    yisint = 0;
    if (hx < 0) {
      if (iy >= 0x43400000) {
        yisint = 2;
      } else if (iy >= 0x3ff00000) {
        k = (iy >> 20) - 0x3ff;
        if (k > 20) {
          j = ly >>> (52 - k);
          if (((j << (52 - k)) >>> 0) === ly) yisint = 2 - (j & 1);
        } else if (ly === 0) {
          j = iy >> (20 - k);
          if ((j << (20 - k)) === iy) yisint = 2 - (j & 1);
        }
      }
    }

    if (ly === 0) {
      if (iy === 0x7ff00000) {
        if (((ix - 0x3ff00000) | lx) === 0) return y - y;
        if (ix >= 0x3ff00000) return hy >= 0 ? y : 0.0;
        return hy < 0 ? -y : 0.0;
      }
      if (iy === 0x3ff00000) {
        if (hy < 0) return 1.0 / x;
        return x;
      }
      if (hy === 0x40000000) return x * x;
      if (hy === 0x3fe00000) {
        if (hx >= 0) return sqrt(x);
      }
    }

    ax = fabs(x);
    if (lx === 0) {
      if (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000) {
        z = ax;
        if (hy < 0) z = 1.0 / z;
        if (hx < 0) {
          if (((ix - 0x3ff00000) | yisint) === 0) {
            z = NaN;
          } else if (yisint === 1) {
            z = -z;
          }
        }
        return z;
      }
    }

    n = (hx >> 31) + 1;
    if ((n | yisint) === 0) return NaN;

    s = 1.0;
    if ((n | (yisint - 1)) === 0) s = -1.0;

    if (iy > 0x41e00000) {
      if (iy > 0x43f00000) {
        if (ix <= 0x3fefffff) return hy < 0 ? huge * huge : tiny * tiny;
        if (ix >= 0x3ff00000) return hy > 0 ? huge * huge : tiny * tiny;
      }
      if (ix < 0x3fefffff) return hy < 0 ? s * huge * huge : s * tiny * tiny;
      if (ix > 0x3ff00000) return hy > 0 ? s * huge * huge : s * tiny * tiny;
      t = ax - 1.0;
      w = (t * t) * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
      u = ivln2_h * t;
      v = t * ivln2_l - w * ivln2;
      t1 = u + v;
      t1 = setLow(t1, 0);
      t2 = v - (t1 - u);
    } else {
      let ss, s2, s_h, s_l, t_h, t_l;
      n = 0;
      if (ix < 0x00100000) {
        ax *= two53;
        n -= 53;
        ix = high(ax);
      }
      n += (ix >> 20) - 0x3ff;
      j = ix & 0x000fffff;
      ix = j | 0x3ff00000;
      if (j <= 0x3988E) {
        k = 0;
      } else if (j < 0xBB67A) {
        k = 1;
      } else {
        k = 0;
        n += 1;
        ix -= 0x00100000;
      }
      ax = setHigh(ax, ix);

      u = ax - bp[k];
      v = 1.0 / (ax + bp[k]);
      ss = u * v;
      s_h = ss;
      s_h = setLow(s_h, 0);
      t_h = words(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0);
      t_l = ax - (t_h - bp[k]);
      s_l = v * ((u - s_h * t_h) - s_h * t_l);
      s2 = ss * ss;
      r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
      r += s_l * (s_h + ss);
      s2 = s_h * s_h;
      t_h = 3.0 + s2 + r;
      t_h = setLow(t_h, 0);
      t_l = r - ((t_h - 3.0) - s2);
      u = s_h * t_h;
      v = s_l * t_h + t_l * ss;
      p_h = u + v;
      p_h = setLow(p_h, 0);
      p_l = v - (p_h - u);
      z_h = cp_h * p_h;
      z_l = cp_l * p_h + p_l * cp + dp_l[k];
      t = n;
      t1 = ((z_h + z_l) + dp_h[k]) + t;
      t1 = setLow(t1, 0);
      t2 = z_l - (((t1 - t) - dp_h[k]) - z_h);
    }

    y1 = setLow(y, 0);
    p_l = (y - y1) * t1 + y * t2;
    p_h = y1 * t1;
    z = p_l + p_h;
    j = high(z);
    i = low(z) | 0;
    if (j >= 0x40900000) {
      if (((j - 0x40900000) | i) !== 0) return s * huge * huge;
      if (p_l + ovt > z - p_h) return s * huge * huge;
    } else if ((j & 0x7fffffff) >= 0x4090cc00) {
      if (((j - (0xc090cc00 | 0)) | i) !== 0) return s * tiny * tiny;
      if (p_l <= z - p_h) return s * tiny * tiny;
    }

    i = j & 0x7fffffff;
    k = (i >> 20) - 0x3ff;
    n = 0;
    if (i > 0x3fe00000) {
      n = (j + (0x00100000 >> (k + 1))) | 0;
      k = ((n & 0x7fffffff) >> 20) - 0x3ff;
      t = words(n & ~(0x000fffff >> k), 0);
      n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
      if (j < 0) n = -n;
      p_h -= t;
    }
    t = p_l + p_h;
    t = setLow(t, 0);
    u = t * lg2_h;
    v = (p_l - (t - p_h)) * lg2 + t * lg2_l;
    z = u + v;
    w = v - (z - u);
    t = z * z;
    t1 = z - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    r = (z * t1) / ((t1 - 2.0) - (w + z * w));
    z = 1.0 - (r - z);
    j = high(z);
    j = (j + (n << 20)) | 0;
    if ((j >> 20) <= 0) {
      z = scalbn(z, n);
    } else {
      z = setHigh(z, high(z) + (n << 20));
    }
    return s * z;
  }

  // mathPow is Math.pow: ES's NaN for (+-1) ** +-Infinity and 1 ** NaN,
  // fdlibm otherwise.
  function mathPow(x, y) {
    x = +x;
    y = +y;
    if (y !== y) return NaN;
    if ((x === 1 || x === -1) && (y === Infinity || y === -Infinity)) return NaN;
    return pow(x, y);
  }

  // hypot is V8's Math.hypot (src/builtins/math.tq): the largest magnitude
  // scales a compensated (Kahan) sum of squares.
  function hypot() {
    const length = arguments.length;
    if (length === 0) return 0;
    const abs = new Array(length);
    let oneArgIsNaN = false;
    let max = 0;
    for (let i = 0; i < length; i++) {
      const value = +arguments[i];
      if (value !== value) {
        oneArgIsNaN = true;
        abs[i] = 0;
      } else {
        const a = fabs(value);
        abs[i] = a;
        if (a > max) max = a;
      }
    }
    if (max === Infinity) return Infinity;
    if (oneArgIsNaN) return NaN;
    if (max === 0) return 0;
    let sum = 0;
    let compensation = 0;
    for (let i = 0; i < length; i++) {
      const n = abs[i] / max;
      const summand = n * n - compensation;
      const preliminary = sum + summand;
      compensation = (preliminary - sum) - summand;
      sum = preliminary;
    }
    return sqrt(sum) * max;
  }

  const fns = { sin, cos, tan, exp, log, log1p, log2, log10, pow: mathPow, hypot };
  const lengths = { pow: 2, hypot: 2 };
  for (const name of Object.keys(fns)) {
    const fn = fns[name];
    Object.defineProperty(fn, 'name', { value: name });
    Object.defineProperty(fn, 'length', { value: lengths[name] || 1 });
    Object.defineProperty(Math, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
})(globalThis);
