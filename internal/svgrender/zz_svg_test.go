package svgrender

import (
	"context"
	"os"
	"runtime/pprof"
	"testing"
	"time"

	"modernc.org/quickjs"
)

func TestZZSVG(t *testing.T) {
	e, err := newEngine(context.Background(), time.Now().Add(time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := os.ReadFile("../../vegalite/testdata/gallery/" + os.Getenv("ZZSPEC") + ".vl.json")
	e.vm.SetEvalTimeout(time.Hour)
	if _, err := e.vm.Eval(`globalThis.__spec = `+string(spec)+`; globalThis.__v = null; globalThis.__n = 0;
	(async () => { const c = vegaLite.compile(__spec); const v = new vega.View(vega.parse(c.spec), {renderer: 'none'}); await v.runAsync(); __v = v; })();`, 0); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		e.vm.ExecutePendingJobs()
		e.runTimer.Call(quickjs.UndefinedValue)
	}
	f, _ := os.Create("/tmp/svgonly.prof")
	pprof.StartCPUProfile(f)
	start := time.Now()
	e.vm.Eval(`(async () => { for (let i = 0; i < 40; i++) { await __v.toSVG(); __n++; } })();`, 0)
	for i := 0; i < 100000; i++ {
		e.vm.ExecutePendingJobs()
		v, _ := e.vm.Eval("__n", 0)
		if v == 40 {
			break
		}
		e.runTimer.Call(quickjs.UndefinedValue)
	}
	pprof.StopCPUProfile()
	t.Logf("40 toSVG in %v", time.Since(start))
}
