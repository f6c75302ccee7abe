// vlcheck.mjs — cross-check harness for gonbviz tests and benchmarks.
//
// Compiles Vega-Lite specs with the REAL vega-lite (pinned in package.json)
// and renders them headlessly with the REAL vega, collecting every warning
// and error instead of printing it. Never used at run time by gonbviz; the Go
// side lives in internal/testing/nodecheck.
//
// Input (stdin):  {"specs": {"name": <vega-lite spec>, ...}, "svg": true|false,
//                  "compiler": "jupyterlab"}  (optional: compile with the vega-lite that
//                  JupyterLab's own renderer bundles, pinned as vega-lite-jupyterlab)
//   "vegaLoader": true renders with vega's default loader instead of the
//   offline one: Node as a user runs it, for specs that load nothing (links
//   and inline images only); a spec with a URL would be fetched.
// Output (stdout): {"results": {"name": {"ok", "errors", "warnings", "info",
//                   "notes", "svg", "items", "ms": {"compile", "render"}}}}
//   ok       no errors (warnings allowed; the caller decides about those)
//   notes    the one note of a chart whose image URLs were not fetched
//   items    number of scenegraph items drawn by data marks (role "mark",
//            groups and guides such as axes/legends/titles excluded)
//   ms       wall-clock ms; "render" covers vega.parse + View + runAsync,
//            plus toSVG when "svg" is true.
//
// Bench mode: `node vlcheck.mjs --bench N` reads the same input and, per spec,
// runs compile+render once to warm up, then N more times, and prints
//   {"bench": {"name": {"n", "cpuMs", "wallMs", "compileMs", "renderMs",
//                       "errors"}}}
// where cpuMs/wallMs/compileMs/renderMs are per-chart averages (cpuMs is
// process user+system CPU time).
//
// Offline only: data referenced by URL or file name is refused with an error,
// images at URLs are drawn empty; specs must inline their data ("values": rows, or CSV/TSV text
// with a "format", which vega parses in place without the loader).

import * as vlPinned from 'vega-lite';
import * as vlJupyterLab from 'vega-lite-jupyterlab';
import * as vega from 'vega';
import { performance } from 'node:perf_hooks';

// headlessOnly lists warnings that come only from running without a browser: vega
// listens on "window" for the end of a drag (Vega-Lite's default interval-selection
// events), and a headless view has no window. A browser has one, so these are recorded
// under "headless", not as warnings about the spec.
const headlessOnly = [/^Can not resolve event source: window$/];

// capture returns a vega-compatible logger that records messages in sink.
function capture(sink, level) {
  const fmt = args => Array.from(args, a => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return vega.logger(level, undefined, (_method, label, args) => {
    const msg = fmt(args);
    if (label === 'ERROR') sink.errors.push(msg);
    else if (label === 'WARN' && headlessOnly.some(re => re.test(msg))) (sink.headless ??= []).push(msg);
    else if (label === 'WARN') sink.warnings.push(msg);
    else sink.info.push(msg);
  });
}

// offlineLoader loads nothing: data referenced by URL, file name or data URI is
// refused, recording a clear error in sink: the harness must never touch the
// network or the file system on behalf of a spec. Links and images are what
// the in-process renderer (internal/svgrender/setup.js) does with them: an
// href and an image inlined as a data:image/ URL go through vega's own
// sanitize (as with Node's default loader; nothing is read), any other image
// URL is refused without an error, drawn empty, and named in one note for the
// chart (res.notes).
const inlineImage = /^data:image\//i;
function offlineLoader(sink) {
  const links = vega.loader();
  const refuse = what => async uri => {
    const msg = `offline: refusing to ${what} ${JSON.stringify(uri)}; vlcheck never loads URLs or files, inline the data with "values"`;
    sink.errors.push(msg);
    throw new Error(msg);
  };
  const refuseLoad = refuse('load');
  return {
    options: {},
    fileAccess: false,
    sanitize(uri, options) {
      const context = options && options.context;
      if (context === 'href') return links.sanitize(uri, options);
      if (context === 'image') {
        if (typeof uri === 'string' && inlineImage.test(uri)) return links.sanitize(uri, options);
        sink.remoteImages.add(String(uri));
        return Promise.reject(new Error('offline: image not fetched'));
      }
      return refuseLoad(uri);
    },
    load: refuseLoad,
    http: refuse('fetch'),
    file: refuse('read file'),
  };
}

// remoteImagesNote is the one note of a chart whose images were not fetched,
// word for word internal/svgrender/setup.js's.
function remoteImagesNote(urls) {
  const what = urls.size === 1 ? 'an image URL' : `${urls.size} image URLs`;
  let first = urls.values().next().value;
  if (first.length > 80) first = first.slice(0, 77) + '...';
  return `offline: ${what} not fetched (${JSON.stringify(first)}${urls.size > 1 ? ', ...' : ''}): ` +
    'gonbviz renders without network or file access, so those images are drawn empty; ' +
    'inline them as data:image/png;base64 URLs to draw them';
}

// countItems counts the items of data marks in the scenegraph.
function countItems(node) {
  let n = 0;
  if (node.marktype !== undefined) {
    // A mark: its items are either leaf items or group items with children.
    for (const item of node.items || []) {
      if (node.marktype === 'group') n += countItems(item);
      else if (node.role === 'mark') n++;
    }
  } else {
    // A group item: its children are marks.
    for (const mark of node.items || []) n += countItems(mark);
  }
  return n;
}

// compiler is the vega-lite that compiles the specs: the pinned one, or JupyterLab's.
let compiler = vlPinned;

// checkOne compiles and renders a single spec; it never throws.
async function checkOne(spec, withSVG, vegaLoader) {
  const res = { ok: false, errors: [], warnings: [], info: [], notes: [], svg: '', items: 0, ms: { compile: 0, render: 0 } };
  const remoteImages = new Set();
  let view, stage = 'compile';
  try {
    let t = performance.now();
    const compiled = compiler.compile(spec, { logger: capture(res, vega.Info) });
    res.ms.compile = performance.now() - t;

    stage = 'parse';
    t = performance.now();
    const runtime = vega.parse(compiled.spec);
    view = new vega.View(runtime, {
      renderer: 'none',
      logger: capture(res, vega.Warn),
      loader: vegaLoader ? vega.loader() : offlineLoader({ errors: res.errors, remoteImages }),
    });
    view.logLevel(vega.Warn);
    stage = 'run';
    await view.runAsync();
    stage = 'svg';
    // Clip-path and gradient ids count up across renders; each SVG numbers its own from
    // the start, as the in-process renderer does, so an SVG depends on its spec alone.
    if (withSVG) { vega.resetSVGDefIds(); res.svg = await view.toSVG(); }
    res.ms.render = performance.now() - t;
    res.items = countItems(view.scenegraph().root);
  } catch (err) {
    res.errors.push(`${stage}: ${err && err.message ? err.message : String(err)}`);
  } finally {
    if (view) view.finalize(); // stop timers/listeners so node can exit
  }
  if (remoteImages.size) res.notes.push(remoteImagesNote(remoteImages));
  res.ok = res.errors.length === 0;
  return res;
}

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function bench(specs, withSVG, n) {
  const out = {};
  for (const [name, spec] of Object.entries(specs)) {
    const first = await checkOne(spec, withSVG); // warm-up
    let compile = 0, render = 0;
    const c0 = cpuMs(), w0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await checkOne(spec, withSVG);
      compile += r.ms.compile;
      render += r.ms.render;
    }
    out[name] = {
      n,
      cpuMs: (cpuMs() - c0) / n,
      wallMs: (performance.now() - w0) / n,
      compileMs: compile / n,
      renderMs: render / n,
      errors: first.errors,
    };
  }
  return { bench: out };
}

async function main() {
  const i = process.argv.indexOf('--bench');
  const benchN = i >= 0 ? parseInt(process.argv[i + 1], 10) : 0;
  if (i >= 0 && !(benchN > 0)) throw new Error('--bench needs a positive repeat count');

  const input = await readStdin();
  const specs = input.specs || {};
  const withSVG = !!input.svg;
  if (input.compiler === 'jupyterlab') compiler = vlJupyterLab;
  else if (input.compiler) throw new Error(`unknown compiler ${JSON.stringify(input.compiler)}`);

  let out;
  if (benchN > 0) {
    out = await bench(specs, withSVG, benchN);
  } else {
    const results = {};
    for (const [name, spec] of Object.entries(specs)) results[name] = await checkOne(spec, withSVG, !!input.vegaLoader);
    out = { results };
  }
  // Exit explicitly once stdout is flushed, in case a spec left work queued.
  process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(0));
}

// Stray async failures (e.g. non-blocking dataflow callbacks) must not kill the batch.
process.on('unhandledRejection', err => process.stderr.write(`vlcheck: unhandled rejection: ${err && err.stack || err}\n`));

main().catch(err => {
  process.stderr.write(`vlcheck: ${err && err.stack || err}\n`);
  process.exit(2);
});
