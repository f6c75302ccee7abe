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

  // offlineLoader refuses every load (URLs, files, data URIs, images). Inline
  // data never reaches it, in rows or as CSV text with a "format" (what
  // vegalite.Data.Compact writes): vega parses "values" in place (read()).
  function offlineLoader(sink) {
    const refuse = what => async uri => {
      const msg = `offline: refusing to ${what} ${JSON.stringify(uri)}; gonbviz renders without network or file access, inline the data with "values"`;
      sink.errors.push(msg);
      throw new Error(msg);
    };
    return {
      options: {},
      fileAccess: false,
      sanitize: refuse('load'),
      load: refuse('load'),
      http: refuse('fetch'),
      file: refuse('read file'),
    };
  }

  let state = null;

  // render starts rendering specText (a Vega-Lite spec, JSON text); with
  // noMemo it first empties the expression memos of prelude.js
  // (Options.NoMemo). The host then drains the job queue and timers until
  // poll() returns the outcome.
  host.render = function (specText, noMemo) {
    if (noMemo) host.clearMemos();
    const sink = host.reset();
    const st = { done: false, svg: '', error: '', stage: '', sink };
    state = st;
    let view;
    let stage = 'parse spec JSON';
    (async () => {
      const spec = JSON.parse(specText);
      stage = 'vega-lite compile';
      const compiled = vl.compile(spec, { logger: capture(sink) });
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
      return await view.toSVG();
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
    });
  };

  // takeSVG returns the SVG of the finished render and forgets the render.
  host.takeSVG = function () {
    const svg = state ? state.svg : '';
    state = null;
    host.reset();
    return svg;
  };
})(globalThis);
