// prelude.js: the host environment vega and vega-lite expect from a browser or
// Node, for modernc.org/quickjs, plus the render entry points that
// internal/svgrender calls. Evaluated once per VM, before the bundles
// (setup.js, evaluated after them, wires the render functions).
//
// Nothing here touches the network or the file system: there is no fetch, no
// XMLHttpRequest, no require, and the vega loader installed by setup.js
// refuses every load (links and inline data:image/ URLs are not loads).
(function (g) {
  'use strict';

  // Timers on a virtual clock. Nothing waits: the host (Go) runs the earliest
  // due timer whenever the microtask queue is empty and the render is still
  // pending, advancing the clock to its due time. Order matches a real event
  // loop: by due time, then by creation.
  let seq = 0;
  let now = 0;
  const timers = new Map();
  function add(fn, ms, args, repeat) {
    const id = ++seq;
    const delay = Math.max(0, Number(ms) || 0);
    timers.set(id, { id, due: now + delay, order: id, fn, args, repeat: repeat ? Math.max(1, delay) : 0 });
    return id;
  }
  g.setTimeout = function (fn, ms, ...args) { return add(fn, ms, args, false); };
  g.setInterval = function (fn, ms, ...args) { return add(fn, ms, args, true); };
  g.clearTimeout = g.clearInterval = function (id) { timers.delete(id); };
  g.setImmediate = function (fn, ...args) { return add(fn, 0, args, false); };
  g.clearImmediate = g.clearTimeout;
  g.queueMicrotask = function (fn) { Promise.resolve().then(fn); };

  // Math.random is seeded afresh for every render (see reset), so that a
  // spec that samples (bootstrap confidence intervals, the sample transform,
  // random() in expressions) renders the same SVG every time. vega captures
  // Math.random when its bundle loads, so it is replaced here, before. The
  // generator is sfc32.
  let ra = 0, rb = 0, rc = 0, rd = 0;
  function seed() {
    ra = 0x9E3779B9; rb = 0x243F6A88; rc = 0xB7E15162; rd = 1;
    for (let i = 0; i < 12; i++) random();
  }
  function random() {
    ra >>>= 0; rb >>>= 0; rc >>>= 0; rd >>>= 0;
    let t = (ra + rb) | 0;
    ra = rb ^ (rb >>> 9);
    rb = (rc + (rc << 3)) | 0;
    rc = (rc << 21) | (rc >>> 11);
    rd = (rd + 1) | 0;
    t = (t + rd) | 0;
    rc = (rc + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  seed();
  Object.defineProperty(Math, 'random', { value: random, writable: true, configurable: true, enumerable: false });

  // Number.prototype.toLocaleString: QuickJS has no Intl and ignores the
  // locale; V8 formats with ICU. d3-format calls x.toLocaleString("en") for
  // integers of magnitude >= 1e21, where QuickJS would give "1.5e+21" and V8
  // gives "1,500,000,000,000,000,000,000". For the default options of "en"
  // (and no locale), format as ICU does: the shortest round-trip digits,
  // at most 3 fraction digits rounded half away from zero, grouped by 3.
  const nativeToLocaleString = Number.prototype.toLocaleString;
  function enNumber(x) {
    if (x !== x) return 'NaN';
    if (x === Infinity) return '∞';
    if (x === -Infinity) return '-∞';
    const neg = x < 0 || Object.is(x, -0);
    let s = String(Math.abs(x));
    let digits, exp; // value = 0.digits * 10**exp
    const e = s.indexOf('e');
    let mant = e < 0 ? s : s.slice(0, e);
    let pow10 = e < 0 ? 0 : +s.slice(e + 1);
    const dot = mant.indexOf('.');
    if (dot >= 0) {
      pow10 -= mant.length - dot - 1;
      mant = mant.slice(0, dot) + mant.slice(dot + 1);
    }
    // value = mant * 10**pow10; split into integer and fraction digits.
    mant = mant.replace(/^0+/, '') || '0';
    if (pow10 >= 0) {
      digits = mant + '0'.repeat(pow10);
      exp = '';
    } else {
      const k = -pow10;
      const padded = mant.length <= k ? '0'.repeat(k - mant.length + 1) + mant : mant;
      digits = padded.slice(0, padded.length - k);
      exp = padded.slice(padded.length - k);
    }
    let int = digits, frac = exp;
    if (frac.length > 3) {
      const up = frac.charCodeAt(3) >= 53; // '5'
      frac = frac.slice(0, 3);
      if (up) {
        // Add one unit in the last place of int.frac.
        const all = (int + frac).split('');
        let i = all.length - 1;
        while (i >= 0) {
          if (all[i] === '9') { all[i] = '0'; i--; } else { all[i] = String.fromCharCode(all[i].charCodeAt(0) + 1); break; }
        }
        let joined = all.join('');
        if (i < 0) joined = '1' + joined;
        int = joined.slice(0, joined.length - 3);
        frac = joined.slice(joined.length - 3);
      }
    }
    frac = frac.replace(/0+$/, '');
    int = int.replace(/^0+(?=\d)/, '');
    int = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    const out = frac ? int + '.' + frac : int;
    return neg && out !== '0' ? '-' + out : neg ? '-0' : out;
  }
  Object.defineProperty(Number.prototype, 'toLocaleString', {
    value: function toLocaleString(locales, options) {
      const x = typeof this === 'number' ? this : Number.prototype.valueOf.call(this);
      if (options === undefined && (locales === undefined || locales === 'en' || locales === 'en-US')) {
        return enNumber(x);
      }
      return nativeToLocaleString.call(x, locales, options);
    },
    writable: true, configurable: true, enumerable: false,
  });

  // structuredClone for the values vega-lite clones (JSON-like data, possibly
  // with Dates, Maps, Sets, typed arrays and cycles).
  g.structuredClone = function structuredClone(value) {
    const seen = new Map();
    function clone(v) {
      if (v === null || typeof v !== 'object') {
        if (typeof v === 'function' || typeof v === 'symbol') {
          throw new TypeError(`structuredClone: ${typeof v} could not be cloned`);
        }
        return v;
      }
      if (seen.has(v)) return seen.get(v);
      let out;
      if (Array.isArray(v)) {
        out = new Array(v.length);
        seen.set(v, out);
        for (let i = 0; i < v.length; i++) if (i in v) out[i] = clone(v[i]);
        return out;
      }
      if (v instanceof Date) out = new Date(v.getTime());
      else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
      else if (v instanceof Map) {
        out = new Map();
        seen.set(v, out);
        for (const [k, x] of v) out.set(clone(k), clone(x));
        return out;
      } else if (v instanceof Set) {
        out = new Set();
        seen.set(v, out);
        for (const x of v) out.add(clone(x));
        return out;
      } else if (ArrayBuffer.isView(v)) out = v.slice();
      else if (v instanceof ArrayBuffer) out = v.slice(0);
      else if (v instanceof Boolean || v instanceof Number || v instanceof String) out = Object(v.valueOf());
      else if (v instanceof Error) {
        out = new (g[v.name] || Error)(v.message);
      } else {
        out = {};
        seen.set(v, out);
        for (const k of Object.keys(v)) out[k] = clone(v[k]);
        return out;
      }
      seen.set(v, out);
      return out;
    }
    return clone(value);
  };

  // Sink for what the current render logs; replaced for each render.
  let sink = { errors: [], warnings: [] };
  const text = a => (a instanceof Error ? a.message : typeof a === 'string' ? a : (() => {
    try { return JSON.stringify(a); } catch (e) { return String(a); }
  })());
  const join = args => Array.from(args, text).join(' ');
  g.console = {
    log() {}, info() {}, debug() {}, trace() {},
    warn() { sink.warnings.push(join(arguments)); },
    error() { sink.errors.push(join(arguments)); },
  };

  // Memos for vega's expression pipeline (wired in by the patches of
  // vega.min.js in patch.go). A chart's expressions repeat within a render
  // (every axis and legend has its own) and across renders (gonbviz's charts
  // share their structure), and an interpreter pays for each parse and each
  // Function() compile in full, where V8 keeps a compilation cache. Results
  // are the same: the parse of a text is a pure function of it, the code
  // generator a pure function of the tree (vega's visitors only read it), and
  // every call still gets its own copies of the arrays and a new function
  // object. Each memo is dropped when it reaches memoLimit entries; engines
  // are replaced after a number of renders anyway.
  const memoLimit = 4096;
  const parsed = new Map();
  let generated = new WeakMap();
  const factories = new Map();
  function memoParse(parse, expr) {
    let ast = parsed.get(expr);
    if (ast === undefined) {
      ast = parse(expr);
      if (parsed.size >= memoLimit) parsed.clear();
      parsed.set(expr, ast);
    }
    return ast;
  }
  function memoCodegen(codegen, ast) {
    let gen = generated.get(ast);
    if (gen === undefined) {
      gen = codegen(ast);
      generated.set(ast, gen);
    }
    return { code: gen.code, fields: gen.fields.slice(), globals: gen.globals.slice() };
  }
  // memoFunction(params, body) is Function(...params, body): a new function
  // object on every call, compiled once per distinct source.
  function memoFunction(params, body) {
    const key = params.join(',') + '\u0000' + body;
    let make = factories.get(key);
    if (make === undefined) {
      // The same text Function() would compile, wrapped in a factory with no
      // locals of its own, so names resolve to globals as they would.
      make = Function('return function anonymous(' + params.join(',') + '\n) {\n' + body + '\n}');
      if (factories.size >= memoLimit) factories.clear();
      factories.set(key, make);
    }
    return make();
  }

  // innerText and attrText are vega-scenegraph's escaping of SVG text and
  // attribute values (patched into vega.min.js, see patch.go): the same
  // replacements, made only when a value holds a character they replace.
  const innerSpecial = /[&<>]/, attrSpecial = /[&<>"\t\n\r]/;
  function innerText(val) {
    const s = val + '';
    return innerSpecial.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s;
  }
  function attrText(val) {
    const s = val + '';
    return attrSpecial.test(s)
      ? innerText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;')
      : s;
  }

  g.__gonbviz = {
    // runTimer runs the earliest timer and reports whether there was one.
    runTimer() {
      let t;
      for (const x of timers.values()) {
        if (!t || x.due < t.due || (x.due === t.due && x.order < t.order)) t = x;
      }
      if (!t) return false;
      now = Math.max(now, t.due);
      if (t.repeat) {
        t.due = now + t.repeat;
        t.order = ++seq;
      } else {
        timers.delete(t.id);
      }
      try {
        if (typeof t.fn === 'function') t.fn.apply(g, t.args);
      } catch (e) {
        sink.errors.push(`uncaught in timer: ${text(e)}`);
      }
      return true;
    },
    // reset drops the timers and starts a new sink, before each render.
    reset() {
      timers.clear();
      seed();
      sink = { errors: [], warnings: [] };
      return sink;
    },
    text,
    join,
    enNumber,
    memoParse,
    memoCodegen,
    memoFunction,
    innerText,
    attrText,
    clearMemos() {
      parsed.clear();
      factories.clear();
      generated = new WeakMap();
    },
  };
})(globalThis);
