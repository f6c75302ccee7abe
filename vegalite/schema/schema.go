// Package schema embeds the Vega-Lite JSON schema used by package vegalite
// to validate specifications without network access.
//
// The file is the unmodified build/vega-lite-schema.json of the npm package
// vega-lite (see Version), compressed with gzip -9. See README.md for its
// provenance, licence and how to refresh it.
package schema

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
)

// Version is the Vega-Lite release the embedded schema comes from.
const Version = "5.23.0"

// URL is the canonical address of the embedded schema, as used in the
// "$schema" property of Vega-Lite specifications. It is only used as an
// identifier: nothing is ever downloaded from it.
const URL = "https://vega.github.io/schema/vega-lite/v5.23.0.json"

// Gzipped is the gzip-compressed Vega-Lite JSON schema (draft-07).
//
//go:embed vega-lite-v5.23.0.schema.json.gz
var Gzipped []byte

// JSON returns the decompressed schema text.
func JSON() ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(Gzipped))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}
