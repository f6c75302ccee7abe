// Package jsbundle embeds the minified JavaScript bundles of vega, vega-lite and
// vega-embed (the versions pinned in scripts/node/package.json), so that gonbviz
// can render charts without a network: inlined in HTML output, or run in-process
// by internal/svgrender.
//
// The files are stored gzip-compressed and decompressed once, on first use.
// README.md records their provenance and licences (copied into licenses/);
// scripts/update-jsbundle.sh refreshes them from scripts/node/node_modules.
package jsbundle

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"sync"
)

var (
	//go:embed vega.min.js.gz
	vegaGz []byte
	//go:embed vega-lite.min.js.gz
	vegaLiteGz []byte
	//go:embed vega-embed.min.js.gz
	vegaEmbedGz []byte
)

// bundle is one embedded file, decompressed lazily once.
type bundle struct {
	gz   []byte
	once sync.Once
	text string
}

func (b *bundle) get() string {
	b.once.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(b.gz))
		if err != nil {
			panic("jsbundle: corrupt embedded bundle: " + err.Error()) // the build embedded a bad file
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			panic("jsbundle: corrupt embedded bundle: " + err.Error())
		}
		b.text = string(raw)
	})
	return b.text
}

var (
	vega      = &bundle{gz: vegaGz}
	vegaLite  = &bundle{gz: vegaLiteGz}
	vegaEmbed = &bundle{gz: vegaEmbedGz}
)

// Vega returns vega's minified UMD bundle (npm vega, build/vega.min.js,
// [VegaVersion]). Evaluated as a classic script it defines the global `vega`.
func Vega() string { return vega.get() }

// VegaLite returns vega-lite's minified UMD bundle (npm vega-lite,
// build/vega-lite.min.js, [VegaLiteVersion]). It needs the global `vega` and
// defines the global `vegaLite`.
func VegaLite() string { return vegaLite.get() }

// VegaEmbed returns vega-embed's minified UMD bundle (npm vega-embed,
// build/vega-embed.min.js, [VegaEmbedVersion]). It needs the globals `vega`
// and `vegaLite` and defines the global `vegaEmbed`.
func VegaEmbed() string { return vegaEmbed.get() }
