package jsbundle

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

var bundles = []struct {
	name, version, sum string
	text               func() string
}{
	{"vega", VegaVersion, VegaSHA256, Vega},
	{"vega-lite", VegaLiteVersion, VegaLiteSHA256, VegaLite},
	{"vega-embed", VegaEmbedVersion, VegaEmbedSHA256, VegaEmbed},
}

func TestBundles(t *testing.T) {
	for _, b := range bundles {
		t.Run(b.name, func(t *testing.T) {
			s := b.text()
			h := sha256.Sum256([]byte(s))
			if got := hex.EncodeToString(h[:]); got != b.sum {
				t.Errorf("sha256 = %s, want %s (run scripts/update-jsbundle.sh)", got, b.sum)
			}
			// Inlinable in an HTML <script> element.
			if i := strings.Index(strings.ToLower(s), "</script"); i >= 0 {
				t.Errorf("contains %q at offset %d", s[i:i+8], i)
			}
			if b.text() != s {
				t.Error("second call returned a different text")
			}
		})
	}
	if !strings.Contains(VegaLite(), `"`+VegaLiteVersion+`"`) {
		t.Errorf("vega-lite bundle does not name its version %s", VegaLiteVersion)
	}
	if !strings.Contains(Vega(), `"`+VegaVersion+`"`) {
		t.Errorf("vega bundle does not name its version %s", VegaVersion)
	}
	if !strings.Contains(VegaEmbed(), `"`+VegaEmbedVersion+`"`) {
		t.Errorf("vega-embed bundle does not name its version %s", VegaEmbedVersion)
	}
}

// TestREADME checks that README.md records the versions and sums of the embedded files.
func TestREADME(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bundles {
		for _, want := range []string{b.version, b.sum} {
			if !strings.Contains(string(readme), want) {
				t.Errorf("README.md does not mention %s %s", b.name, want)
			}
		}
	}
	for _, f := range []string{"vega", "vega-lite", "vega-embed"} {
		if _, err := os.Stat("licenses/" + f + ".LICENSE"); err != nil {
			t.Error(err)
		}
	}
}

func BenchmarkDecompress(b *testing.B) {
	for b.Loop() {
		for _, x := range []*bundle{{gz: vegaGz}, {gz: vegaLiteGz}, {gz: vegaEmbedGz}} {
			x.get()
		}
	}
}
