// gonbviz chart loader. One copy runs per chart of an HTML page. It finds its own chart
// element by id, loads vega, vega-lite and vega-embed once per page (from the compressed
// copy the page carries), reads its spec (compressed too when it is large), then replaces
// the static SVG with the interactive view. If anything
// fails, the static SVG stays and a one-line note says why.
(function () {
  var id = "__ID__";
  var root = document.getElementById(id);
  if (!root || root.getAttribute("data-gonbviz-state")) return;
  root.setAttribute("data-gonbviz-state", "loading");
  var W = window;
  var want = "__VERSIONS__";
  function fail(err) {
    root.setAttribute("data-gonbviz-state", "static");
    var note = root.querySelector(".gonbviz-note");
    if (note) {
      note.textContent = "interactive view unavailable (" + (err && err.message ? err.message : err) + "); showing the static chart";
      note.style.display = "block";
    }
  }
  // gunzip decodes the text of a script holding gzip, base64-encoded.
  function gunzip(text) {
    if (typeof DecompressionStream === "undefined") return Promise.reject(new Error("this browser has no DecompressionStream"));
    var bin = atob(text.trim());
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  }
  function libs() {
    if (W.__gonbvizLibs && W.__gonbvizLibs.versions === want) return W.__gonbvizLibs.ready;
    var src = root.querySelector("script.gonbviz-lib") || document.querySelector("script.gonbviz-lib");
    if (!src) return Promise.reject(new Error("no library copy in this output"));
    var ready = gunzip(src.textContent)
      .then(function (code) {
        // Evaluate as plain globals even where a page has an AMD or CommonJS loader
        // (classic Notebook, some HTML exports): hide define/module/exports from the UMD
        // wrappers. Keep our own references, and put back whatever vega the page had.
        var names = ["vega", "vegaLite", "vegaEmbed"], saved = {}, lib = {};
        names.forEach(function (n) { saved[n] = W[n]; });
        new Function("define", "module", "exports", code).call(W, undefined, undefined, undefined);
        names.forEach(function (n) { lib[n] = W[n]; if (saved[n] !== undefined) W[n] = saved[n]; });
        if (!lib.vegaEmbed || !lib.vega || !lib.vegaLite) throw new Error("the libraries did not load");
        return lib;
      });
    W.__gonbvizLibs = { versions: want, ready: ready };
    ready.catch(function () { W.__gonbvizLibs = undefined; });
    return ready;
  }
  // The spec: JSON text, or gzipped and base64-encoded when it is large.
  function readSpec() {
    var el = root.querySelector("script.gonbviz-spec");
    if (!el) return Promise.reject(new Error("no spec in this output"));
    var text = el.type === "application/gzip;base64" ? gunzip(el.textContent) : Promise.resolve(el.textContent);
    return text.then(function (t) { return JSON.parse(t); });
  }
  Promise.all([readSpec(), libs()])
    .then(function (got) {
      var spec = got[0], lib = got[1];
      var target = root.querySelector(".gonbviz-view");
      return lib.vegaEmbed(target, spec, { renderer: "svg", actions: __ACTIONS__, mode: "vega-lite" }).then(function (result) {
        root.querySelector(".gonbviz-static").style.display = "none";
        target.style.display = "";
        root.setAttribute("data-gonbviz-state", "interactive");
        root.__gonbvizView = result.view;
      });
    })
    .catch(fail);
})();
