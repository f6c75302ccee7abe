// mathcheck.js: evaluates Math functions on many arguments and returns the
// results as one JSON object {name: "hex,hex,..."} (NaN as "nan"), for
// TestMathMatchesNode to compare QuickJS + v8math.js with Node. The
// arguments come from a fixed pseudo-random sequence, so both engines see
// the same ones.
(function () {
  const buf = new DataView(new ArrayBuffer(8));
  const hex = v => { if (v !== v) return 'nan'; buf.setFloat64(0, v); return buf.getUint32(0).toString(16) + ':' + buf.getUint32(4).toString(16); };
  const fromBits = (h, l) => { buf.setUint32(0, h >>> 0); buf.setUint32(4, l >>> 0); return buf.getFloat64(0); };
  let s1 = 0x12345678, s2 = 0x9abcdef0;
  const u32 = () => { // xorshift64 in two 32-bit halves (no Math.random, no **)
    let x1 = s1, x2 = s2;
    x1 ^= (x1 << 13) | (x2 >>> 19); x2 ^= x2 << 13;
    x2 ^= (x2 >>> 7) | (x1 << 25); x1 ^= x1 >>> 7;
    x1 ^= (x1 << 17) | (x2 >>> 15); x2 ^= x2 << 17;
    s1 = x1 | 0; s2 = x2 | 0;
    return (s1 ^ s2) >>> 0;
  };
  const unit = () => u32() / 4294967296;
  const N = 20000;
  const special = [0, -0, 1, -1, 0.5, -0.5, 2, 10, 100, 1e-5, 1e-300, 5e-324, 1.7976931348623157e308,
    Infinity, -Infinity, NaN, Math.PI, Math.PI / 2, Math.PI / 4, 3 * Math.PI / 4, Math.E, Math.LN2, 1e21, 1e22, 823549.6, 823550.1, 1e10, -1e10];
  // Arguments: special values, small magnitudes, and doubles with random bits
  // in the exponent range [-30, 30] and over all finite doubles.
  const xs = special.slice();
  for (let i = 0; i < N; i++) {
    switch (i % 6) {
      case 0: xs.push((unit() - 0.5) * 20); break;
      case 1: xs.push(unit() * 1000); break;
      case 2: xs.push(unit()); break;
      case 3: xs.push(fromBits(0x3C100000 + ((u32() % 0x07E00000) | 0), u32())); break; // |x| in ~[2^-62, 2^64)
      case 4: xs.push(fromBits(u32() % 0x7FF00000, u32()) * (u32() & 1 ? 1 : -1)); break;
      default: xs.push(i / 64 - 150); break;
    }
  }
  const out = {};
  for (const f of ['sin', 'cos', 'tan', 'exp', 'log', 'log1p', 'log2', 'log10', 'atan', 'asin', 'acos', 'expm1', 'cbrt', 'sqrt']) {
    out[f] = xs.map(x => hex(Math[f](x))).join(',');
  }
  const pairs = [];
  for (const a of special) for (const b of special) pairs.push([a, b]);
  for (let i = 0; i < N; i++) {
    switch (i % 8) {
      case 0: pairs.push([unit() * 100, (unit() - 0.5) * 10]); break;
      case 1: pairs.push([10, (u32() % 61) - 30]); break;
      case 2: pairs.push([2, (u32() % 2100) - 1075]); break;
      case 3: pairs.push([unit() * 1e6, (u32() % 7) - 3]); break;
      case 4: pairs.push([-unit() * 50, (u32() % 21) - 10]); break;
      case 5: pairs.push([unit() * 10, 1 / 3]); break;
      case 6: pairs.push([fromBits(u32() % 0x7FF00000, u32()), (unit() - 0.5) * 4]); break;
      default: pairs.push([1 + (unit() - 0.5) * 1e-6, (unit() - 0.5) * 1e10]); break;
    }
  }
  out.pow = pairs.map(([a, b]) => hex(Math.pow(a, b))).join(',');
  out.atan2 = pairs.map(([a, b]) => hex(Math.atan2(a, b))).join(',');
  out.hypot = pairs.map(([a, b]) => hex(Math.hypot(a, b))).join(',');
  out.hypot3 = pairs.map(([a, b], i) => hex(Math.hypot(a, b, i % 3 ? unit() * 10 : -1))).join(',');
  const ints = [0, -0, 1, -1, 12, 999, 1000, 1234567, 1.5e21, -1.5e21, 1e21, 123456789012345678901234, 2 ** 70, -(2 ** 80), 1.23456789e25, 1e300, Infinity, -Infinity, NaN, 0.5, 1.0005, 2.0004999, 12345.6789, -0.00049, 0.0005, 999.9996, 1e-7, 123.456];
  out.toLocaleString = ints.map(x => x.toLocaleString('en') + '|' + x.toLocaleString()).join(',');
  return JSON.stringify(out);
})()
