// SPDX-License-Identifier: Apache-2.0

package charts

import (
	"encoding/hex"
	"fmt"
	"image/color"
)

// Colormap maps one-channel images (and attribution overlays) to colours: see
// ImageGridOptions.
type Colormap int

const (
	// ColormapGray draws low values black and high values white. The default for
	// one-channel images.
	ColormapGray Colormap = iota
	// ColormapViridis is the sequential viridis colormap (dark blue, green, yellow): the
	// default of matplotlib, perceptually uniform, readable in grey and by most colour-blind
	// readers. For values of one sign: intensities, activations, gradient magnitudes.
	ColormapViridis
	// ColormapDiverging is a diverging colormap for signed values such as attributions:
	// blue for negative, white at zero, red for positive (ColorBrewer's RdBu, reversed).
	// Its range is made symmetric about zero, so that zero stays white.
	ColormapDiverging
)

func (c Colormap) String() string {
	switch c {
	case ColormapGray:
		return "gray"
	case ColormapViridis:
		return "viridis"
	case ColormapDiverging:
		return "diverging"
	}
	return fmt.Sprintf("Colormap(%d)", int(c))
}

// lut returns the colormap's 256 colours, from the low end to the high end.
func (c Colormap) lut() *[256]color.RGBA {
	switch c {
	case ColormapViridis:
		return &viridisLUT
	case ColormapDiverging:
		return &divergingLUT
	}
	return &grayLUT
}

// vegaRange is the colormap as a Vega-Lite colour range for the legend: 11 colours sampled
// from the same table, evenly spaced, which Vega interpolates between.
func (c Colormap) vegaRange() []string {
	l := c.lut()
	out := make([]string, 11)
	for i := range out {
		k := l[(255*i+5)/10]
		out[i] = fmt.Sprintf("#%02x%02x%02x", k.R, k.G, k.B)
	}
	return out
}

var (
	grayLUT = func() (l [256]color.RGBA) {
		for i := range l {
			l[i] = color.RGBA{uint8(i), uint8(i), uint8(i), 255}
		}
		return
	}()
	viridisLUT   = lutOf(viridisHex)
	divergingLUT = lutOf(divergingHex)
)

func lutOf(s string) (l [256]color.RGBA) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 3*256 {
		panic("charts: bad colormap table")
	}
	for i := range l {
		l[i] = color.RGBA{b[3*i], b[3*i+1], b[3*i+2], 255}
	}
	return l
}

// viridisHex is viridis sampled at 256 points, as d3-scale-chromatic's interpolateViridis
// (and so Vega's "viridis" scheme) gives it: the colormap of Stéfan van der Walt and
// Nathaniel Smith (CC0), from matplotlib.
const viridisHex = "" +
	"44015444025645045745055946075a46085c460a5d460b5e470d60470e61471063471164471365481467481668481769" +
	"48186a481a6c481b6d481c6e481d6f481f70482071482173482374482475482576482677482878482979472a7a472c7a" +
	"472d7b472e7c472f7d46307e46327e46337f463480453581453781453882443983443a83443b84433d84433e85423f85" +
	"4240864241864142874144874045884046883f47883f48893e49893e4a893e4c8a3d4d8a3d4e8a3c4f8a3c508b3b518b" +
	"3b528b3a538b3a548c39558c39568c38588c38598c375a8c375b8d365c8d365d8d355e8d355f8d34608d34618d33628d" +
	"33638d32648e32658e31668e31678e31688e30698e306a8e2f6b8e2f6c8e2e6d8e2e6e8e2e6f8e2d708e2d718e2c718e" +
	"2c728e2c738e2b748e2b758e2a768e2a778e2a788e29798e297a8e297b8e287c8e287d8e277e8e277f8e27808e26818e" +
	"26828e26828e25838e25848e25858e24868e24878e23888e23898e238a8d228b8d228c8d228d8d218e8d218f8d21908d" +
	"21918c20928c20928c20938c1f948c1f958b1f968b1f978b1f988b1f998a1f9a8a1e9b8a1e9c891e9d891f9e891f9f88" +
	"1fa0881fa1881fa1871fa28720a38620a48621a58521a68522a78522a88423a98324aa8325ab8225ac8226ad8127ad81" +
	"28ae8029af7f2ab07f2cb17e2db27d2eb37c2fb47c31b57b32b67a34b67935b77937b87838b9773aba763bbb753dbc74" +
	"3fbc7340bd7242be7144bf7046c06f48c16e4ac16d4cc26c4ec36b50c46a52c56954c56856c66758c7655ac8645cc863" +
	"5ec96260ca6063cb5f65cb5e67cc5c69cd5b6ccd5a6ece5870cf5773d05675d05477d1537ad1517cd2507fd34e81d34d" +
	"84d44b86d54989d5488bd6468ed64590d74393d74195d84098d83e9bd93c9dd93ba0da39a2da37a5db36a8db34aadc32" +
	"addc30b0dd2fb2dd2db5de2bb8de29bade28bddf26c0df25c2df23c5e021c8e020cae11fcde11dd0e11cd2e21bd5e21a" +
	"d8e219dae319dde318dfe318e2e418e5e419e7e419eae51aece51befe51cf1e51df4e61ef6e620f8e621fbe723fde725"

// divergingHex is d3-scale-chromatic's interpolateRdBu (Vega's "redblue" scheme) sampled at
// 256 points from its blue end to its red end: ColorBrewer's RdBu by Cynthia Brewer
// (Apache-2.0), reversed.
const divergingHex = "" +
	"05306106326407346708366a09386d0a3b700c3d730d3f750e41780f437b10457e114781124983134b86154d89164f8b" +
	"17528e1854901956931a58951b5a981d5c9a1e5e9c1f609e2062a02164a22365a42467a62569a8266baa286dab296fad" +
	"2a71ae2c73b02d75b12e76b23078b4317ab5337cb6347eb73680b93781ba3983bb3b85bc3d87bd3e89be408bbf428cc0" +
	"448ec14690c24892c34b94c44d96c54f98c65199c7549bc8569dc9599fca5ba1cb5ea3cc61a5cd64a7ce66a8cf69aad0" +
	"6cacd16faed271b0d374b2d477b3d57ab5d67db7d780b9d783bbd885bcd988beda8bc0db8ec1dc91c3dd93c4de96c6df" +
	"99c7e09cc9e09ecae1a1cce2a3cde3a6cfe3a9d0e4abd1e5aed3e6b0d4e6b2d5e7b5d7e8b7d8e8bad9e9bcdaeabedbea" +
	"c0dcebc2ddecc5dfecc7e0edc9e1edcbe2eecde3eecfe4efd1e5efd3e6f0d4e6f0d6e7f0d8e8f1dae9f1dbeaf1ddeaf2" +
	"dfebf2e0ecf2e2ecf2e3edf2e5edf2e6eef2e7eef2e9eff2eaeff2ebeff1eceff1edf0f1eef0f0eff0f0f0f0eff1efee" +
	"f2efedf3efedf4efecf4eeebf5eee9f6ede8f6ede7f7ece6f7ebe4f8eae3f8eae1f9e9e0f9e8def9e7dcfae6dafae5d8" +
	"fae3d7fae2d5fae1d3fae0d1fadecffbddccfbdbcafbdac8fbd8c6fbd7c4fad5c1fad3bffad2bcfad0bafaceb8faccb5" +
	"facab3f9c9b0f9c7aef9c5abf8c3a9f8c1a6f8bfa4f7bda1f7ba9ff6b89cf6b69af5b497f5b295f4af92f4ad90f3ab8d" +
	"f2a88bf2a688f1a486f0a183ef9f81ee9c7fee9a7ced977aec9578eb9276ea9073e98d71e88b6fe7886de6856be58369" +
	"e48067e27d65e17b63e07861df755fde735ddd705bdb6d59da6b57d96855d86554d66252d55f50d45d4ed25a4dd1574b" +
	"d0544ace5248cd4f46cc4c45ca4943c94742c74441c6413fc43f3ec33c3dc13a3bbf373abe3539bc3238ba3036b82e35" +
	"b72b34b52933b32732b12531af2330ad212faa1f2ea81d2da61c2da41a2ca1182b9f172a9c15299a1429971228941127" +
	"9210278f0f268c0d268a0c25870b24840a248109237e08237b07227906227605217304217003206d02206a011f67001f"
