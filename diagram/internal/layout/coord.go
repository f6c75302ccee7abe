package layout

import "math"

const coordIterations = 8

// sep is the minimum distance between the centres of a (left) and b (right),
// neighbours in one layer.
func (st *state) sep(a, b int) float64 {
	na, nb := &st.nodes[a], &st.nodes[b]
	s := (na.w + nb.w) / 2
	switch {
	case na.dummy && nb.dummy:
		s += st.opts.NodeSep / 3
	case na.dummy || nb.dummy:
		s += st.opts.NodeSep / 2
	default:
		s += st.opts.NodeSep
	}
	s += loopWidth * float64(na.selfLoops)
	c := st.gdepth(st.lca(na.grp, nb.grp))
	s += groupPad * float64(st.gdepth(na.grp)+st.gdepth(nb.grp)-2*c)
	return s
}

func (st *state) linkWeight(a, b int) float64 {
	da, db := st.nodes[a].dummy, st.nodes[b].dummy
	switch {
	case da && db:
		return 8
	case da || db:
		return 2
	}
	return 1
}

// assignX places nodes within their layers: alternating sweeps pull each
// node to the weighted mean of its neighbours, and each layer is then solved
// exactly under the separation constraints by isotonic regression.
func (st *state) assignX() {
	var offset, target, weight, xs []float64
	for _, layer := range st.layers {
		x := 0.0
		for i, v := range layer {
			if i > 0 {
				x += st.sep(layer[i-1], v)
			}
			st.nodes[v].x = x
		}
	}
	for it := 0; it < coordIterations; it++ {
		both := it >= coordIterations/2
		place := func(l int, nbs ...[][]int) {
			layer := st.layers[l]
			offset, target, weight = offset[:0], target[:0], weight[:0]
			off := 0.0
			for i, v := range layer {
				if i > 0 {
					off += st.sep(layer[i-1], v)
				}
				sw, swx := 0.0, 0.0
				for _, nb := range nbs {
					for _, w := range nb[v] {
						lw := st.linkWeight(v, w)
						sw += lw
						swx += lw * st.nodes[w].x
					}
				}
				if sw == 0 {
					sw, swx = 1e-3, 1e-3*st.nodes[v].x
				}
				offset = append(offset, off)
				target = append(target, swx/sw-off)
				weight = append(weight, sw)
			}
			xs = isotonic(target, weight, xs)
			for i, v := range layer {
				st.nodes[v].x = xs[i] + offset[i]
			}
		}
		if it%2 == 0 {
			for l := 1; l < st.nLayers; l++ {
				if both && l+1 < st.nLayers {
					place(l, st.up, st.down)
				} else {
					place(l, st.up)
				}
			}
		} else {
			for l := st.nLayers - 2; l >= 0; l-- {
				if both && l > 0 {
					place(l, st.up, st.down)
				} else {
					place(l, st.down)
				}
			}
		}
	}
	// Vertical positions. Groups that end at a layer (or start at the next)
	// get room for their box padding (and label) on top of RankSep.
	first, last := st.groupLayers()
	st.roomBelow = make([]float64, st.nLayers) // boxes closing under a layer
	st.roomAbove = make([]float64, st.nLayers) // boxes opening over a layer
	for _, n := range st.nodes {
		if n.dummy {
			continue
		}
		b, a := 0.0, 0.0
		for g := n.grp; g >= 0; g = st.groups[g].parent {
			if last[g] == n.layer {
				b += groupPad
			}
			if first[g] == n.layer {
				a += st.padTop(g)
			}
		}
		st.roomBelow[n.layer] = max(st.roomBelow[n.layer], b)
		st.roomAbove[n.layer] = max(st.roomAbove[n.layer], a)
	}
	y := 0.0
	for l, layer := range st.layers {
		if l > 0 {
			y += st.roomBelow[l-1] + st.roomAbove[l]
		}
		hmax := 0.0
		for _, v := range layer {
			hmax = math.Max(hmax, st.nodes[v].h)
		}
		for _, v := range layer {
			st.nodes[v].y = y + hmax/2
		}
		y += hmax + st.opts.RankSep
	}
}

// isotonic solves min sum w_i (y_i - t_i)^2 subject to y_0 <= y_1 <= ... with
// the pool-adjacent-violators algorithm, in linear time.
func isotonic(t, w []float64, out []float64) []float64 {
	type block struct {
		w, wt float64
		n     int
	}
	blocks := make([]block, 0, len(t))
	for i := range t {
		blocks = append(blocks, block{w[i], w[i] * t[i], 1})
		for len(blocks) >= 2 {
			a, b := blocks[len(blocks)-2], blocks[len(blocks)-1]
			if a.wt/a.w < b.wt/b.w {
				break
			}
			blocks = blocks[:len(blocks)-2]
			blocks = append(blocks, block{a.w + b.w, a.wt + b.wt, a.n + b.n})
		}
	}
	out = out[:0]
	for _, b := range blocks {
		m := b.wt / b.w
		for k := 0; k < b.n; k++ {
			out = append(out, m)
		}
	}
	return out
}
