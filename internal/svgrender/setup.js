// setup.js: the render entry points, evaluated after prelude.js and the vega
// and vega-lite bundles. It does what scripts/node/vlcheck.mjs does for one
// spec (the cross-check harness the output is compared with): vl.compile,
// vega.parse, a headless View (renderer 'none') with an offline loader,
// runAsync, toSVG.
(function (g) {
  'use strict';
  const vega = g.vega, vl = g.vegaLite, host = g.__gonbviz;

  // headlessOnly lists warnings that come only from running without a
  // browser: vega listens on "window" for the end of a drag (Vega-Lite's
  // default interval-selection events), and a headless view has no window.
  // They say nothing about the spec and are dropped (vlcheck.mjs sets them
  // apart the same way).
  const headlessOnly = [/^Can not resolve event source: window$/];

  // capture returns a vega logger that records warnings and errors in sink.
  function capture(sink) {
    return vega.logger(vega.Warn, undefined, (_method, label, args) => {
      const msg = host.join(args);
      if (label === 'ERROR') sink.errors.push(msg);
      else if (label === 'WARN' && !headlessOnly.some(re => re.test(msg))) sink.warnings.push(msg);
    });
  }

  // offlineLoader loads nothing: URLs, files and data URIs given as data are
  // refused with an error. Inline data never reaches it, in rows or as CSV
  // text with a "format" (what vegalite.Data.Compact writes): vega parses
  // "values" in place (read()).
  //
  // Links and images are not loads of data: vega's renderers ask the
  // loader's sanitize for an href (context "href") and for an image's URL
  // (context "image"). A link is passed to vega's own sanitize, as Node's
  // default loader does, and so is an image inlined as a data:image/ URL
  // (neither reads anything; without a canvas the SVG keeps the URL as it
  // is). Any other image URL would be a fetch: it is refused without an
  // error, so vega draws the image empty (an <image> with no href, of the
  // mark's size), and sink.remoteImages keeps its URL for the one note of the
  // chart (see remoteImagesNote).
  const inlineImage = /^data:image\//i;
  function offlineLoader(sink) {
    const links = vega.loader();
    const refuse = what => async uri => {
      const msg = `offline: refusing to ${what} ${JSON.stringify(uri)}; gonbviz renders without network or file access, inline the data with "values"`;
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

  // remoteImagesNote is the one note of a chart whose images were not
  // fetched ('' if none), however many marks or items asked for them.
  function remoteImagesNote(urls) {
    if (!urls.size) return '';
    const what = urls.size === 1 ? 'an image URL' : `${urls.size} image URLs`;
    let first = urls.values().next().value;
    if (first.length > 80) first = first.slice(0, 77) + '...';
    return `offline: ${what} not fetched (${JSON.stringify(first)}${urls.size > 1 ? ', ...' : ''}): ` +
      'gonbviz renders without network or file access, so those images are drawn empty; ' +
      'inline them as data:image/png;base64 URLs to draw them';
  }

  // sceneKeys are the item properties sceneOf keeps: geometry, in the
  // coordinates of the item's group, and how opaque the item is.
  const sceneKeys = ['x', 'y', 'width', 'height', 'x2', 'y2', 'opacity', 'fillOpacity'];

  // textOf returns a text item's text as drawn before truncation (lines
  // joined with "\n"), and whether its limit truncates it: vega cuts a text
  // wider than its limit and ends it with an ellipsis, so the width with the
  // limit differs from the width without it.
  function textOf(it) {
    const lines = Array.isArray(it.text) ? it.text : [it.text];
    const text = lines.map(l => l == null ? '' : String(l)).join('\n');
    let truncated = false;
    if (+it.limit > 0) {
      const free = Object.assign({}, it, { limit: 0 });
      truncated = lines.some(l => l != null && String(l).trim() !== '' &&
        vega.textMetrics.width(it, l) !== vega.textMetrics.width(free, l));
    }
    return { text, truncated };
  }

  // sceneOf returns the drawn scenegraph of view as plain values (the
  // Options.Scenegraph format, documented on Result.Scenegraph): every mark
  // with its items' geometry, the fields of data items' datums that are
  // numbers, strings or booleans, and the view's continuous scales.
  function sceneOf(view) {
    const mark = m => {
      const out = { marktype: m.marktype, role: m.role, items: [] };
      if (m.name) out.name = m.name;
      if (m.clip) out.clip = true;
      for (const it of m.items || []) {
        const o = {};
        for (const k of sceneKeys) {
          if (typeof it[k] === 'number' && isFinite(it[k])) o[k] = it[k];
        }
        if (it.ariaRoleDescription && !out.description) out.description = it.ariaRoleDescription;
        const b = it.bounds;
        if (b && isFinite(b.x1) && isFinite(b.x2) && b.x2 >= b.x1) {
          o.bounds = { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 };
        }
        if (m.marktype === 'text') {
          const t = textOf(it);
          o.text = t.text;
          if (+it.limit > 0) o.limit = +it.limit;
          if (t.truncated) o.truncated = true;
        }
        if (m.marktype === 'group' && it.clip) o.clip = true;
        if (m.marktype === 'group') {
          o.items = (it.items || []).map(mark);
        } else if (m.role === 'mark' && it.datum && typeof it.datum === 'object') {
          const d = {};
          for (const [k, v] of Object.entries(it.datum)) {
            if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && isFinite(v))) d[k] = v;
          }
          o.datum = d;
        }
        out.items.push(o);
      }
      return out;
    };
    const scales = {};
    const all = view._runtime && view._runtime.scales || {};
    for (const name of Object.keys(all)) {
      const s = all[name] && all[name].value;
      if (!s || typeof s.domain !== 'function' || typeof s.range !== 'function') continue;
      const o = { type: s.type, domain: s.domain(), range: s.range() };
      if (['linear', 'pow', 'sqrt', 'symlog'].includes(s.type)) {
        o.zero = s(0);
        o.one = s(1);
      } else if (s.type === 'log') {
        o.one = s(1);
      }
      scales[name] = o;
    }
    // The SVG's viewport in the root group's coordinates, as vega's headless
    // renderers size and offset it: what lies outside is not shown.
    const pad = view.padding(), origin = view._origin || [0, 0];
    const ox = pad.left + origin[0], oy = pad.top + origin[1];
    const viewport = {
      x1: -ox, y1: -oy,
      x2: Math.max(0, view._viewWidth + pad.left + pad.right) - ox,
      y2: Math.max(0, view._viewHeight + pad.top + pad.bottom) - oy,
    };
    return { scales, viewport, root: mark(view.scenegraph().root) };
  }

  let state = null;

  // render starts rendering specText (a Vega-Lite spec, JSON text); with
  // noMemo it first empties the expression memos of prelude.js
  // (Options.NoMemo), with scene it also keeps the scenegraph (see sceneOf).
  // The host then drains the job queue and timers until poll() returns the
  // outcome.
  host.render = function (specText, noMemo, scene) {
    if (noMemo) host.clearMemos();
    const sink = host.reset();
    sink.remoteImages = new Set();
    const st = { done: false, svg: '', scene: '', error: '', stage: '', sink, compileWarnings: 0 };
    state = st;
    let view;
    let stage = 'parse spec JSON';
    (async () => {
      const spec = JSON.parse(specText);
      stage = 'vega-lite compile';
      const compiled = vl.compile(spec, { logger: capture(sink) });
      st.compileWarnings = sink.warnings.length;
      stage = 'vega parse';
      const runtime = vega.parse(compiled.spec);
      view = new vega.View(runtime, {
        renderer: 'none',
        logger: capture(sink),
        loader: offlineLoader(sink),
      });
      view.logLevel(vega.Warn);
      stage = 'vega run';
      await view.runAsync();
      stage = 'vega toSVG';
      // Clip-path and gradient ids count up across the renders of an engine: numbered from
      // the start in each SVG, a static SVG depends on its spec alone, not on what the
      // engine drew before.
      vega.resetSVGDefIds();
      const svg = await view.toSVG();
      if (scene) {
        stage = 'vega scenegraph';
        st.scene = JSON.stringify(sceneOf(view));
      }
      return svg;
    })().then(svg => {
      st.svg = svg;
    }, err => {
      st.stage = stage;
      st.error = err && err.message ? String(err.message) : String(err);
    }).finally(() => {
      try {
        if (view) view.finalize();
      } catch (e) { /* finalize failures do not change the outcome */ }
      st.done = true;
    });
  };

  // poll returns null while the render is pending, else its outcome as JSON
  // (without the SVG, see takeSVG).
  host.poll = function () {
    if (!state || !state.done) return null;
    return JSON.stringify({
      error: state.error,
      stage: state.stage,
      errors: state.sink.errors,
      warnings: state.sink.warnings,
      compileWarnings: state.compileWarnings,
      notes: [remoteImagesNote(state.sink.remoteImages)].filter(n => n),
    });
  };

  // takeScene returns the scenegraph JSON of the finished render ('' unless
  // it was asked for); call it before takeSVG.
  host.takeScene = function () {
    return state ? state.scene : '';
  };

  // takeSVG returns the SVG of the finished render and forgets the render.
  host.takeSVG = function () {
    const svg = state ? state.svg : '';
    state = null;
    host.reset();
    return svg;
  };
})(globalThis);
