// prelude.js: the host environment vega and vega-lite expect from a browser or
// Node, for modernc.org/quickjs, plus the render entry points that
// internal/svgrender calls. Evaluated once per VM, before the bundles
// (setup.js, evaluated after them, wires the render functions).
//
// Nothing here touches the network or the file system: there is no fetch, no
// XMLHttpRequest, no require, and the vega loader installed by setup.js
// refuses every load.
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
      sink = { errors: [], warnings: [] };
      return sink;
    },
    text,
    join,
  };
})(globalThis);
