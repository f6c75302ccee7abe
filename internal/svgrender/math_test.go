package svgrender

import (
	"encoding/json"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/gonbviz/gonbviz/internal/testing/nodecheck"
	"modernc.org/quickjs"
)

// TestMathMatchesNode checks that Math functions (v8math.js over QuickJS)
// and Number.prototype.toLocaleString (prelude.js) give, bit for bit, what
// Node gives, on the arguments of testdata/mathcheck.js.
func TestMathMatchesNode(t *testing.T) {
	nodecheck.Require(t)
	src, err := os.ReadFile("testdata/mathcheck.js")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("node", "-e", "process.stdout.write("+string(src)+")").Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var want map[string]string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}

	vm, err := quickjs.NewVM()
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Close()
	for _, s := range []string{v8mathJS, preludeJS} {
		if _, err := vm.Eval(s, quickjs.EvalGlobal); err != nil {
			t.Fatal(err)
		}
	}
	v, err := vm.Eval(string(src), quickjs.EvalGlobal)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(v.(string)), &got); err != nil {
		t.Fatal(err)
	}

	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		w, g := strings.Split(want[name], ","), strings.Split(got[name], ",")
		if len(w) != len(g) {
			t.Errorf("%s: %d results, node %d", name, len(g), len(w))
			continue
		}
		bad, first := 0, ""
		for i := range w {
			if w[i] != g[i] {
				if bad == 0 {
					first = g[i] + " vs node " + w[i]
				}
				bad++
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d of %d differ from node, first #%s", name, bad, len(w), first)
		}
	}
}
