// SPDX-License-Identifier: Apache-2.0

package svgrender

import (
	"fmt"
	"strings"
)

// vegaPatch replaces one exact piece of vega.min.js (vega 5.33.1, pinned and
// checksummed by internal/jsbundle) with a call into the memos of prelude.js.
type vegaPatch struct {
	what     string
	old, new string
}

// vegaPatches route vega's expression parser, code generator and the Function()
// compile of generated code through memoParse, memoCodegen and memoFunction (an
// interpreter has no compilation cache of its own), and the escaping of SVG text
// and attributes through innerText and attrText (seven regular-expression
// replacements per attribute, costly in QuickJS, skipped when one test finds
// nothing to escape). The output does not change: the tests compare SVGs with
// Node's.
var vegaPatches = []vegaPatch{
	{
		what: "expression parse (vega-functions parser)",
		old:  `try{r=xT(t=xt(t)?t:Ct(t)+"")}catch(e){s("Expression parse error: "+t)}`,
		new:  `try{r=__gonbviz.memoParse(xT,t=xt(t)?t:Ct(t)+"")}catch(e){s("Expression parse error: "+t)}`,
	},
	{
		what: "expression code generation (vega-functions parser)",
		old:  `const i=TB(r);return i.globals.forEach(`,
		new:  `const i=__gonbviz.memoCodegen(TB,r);return i.globals.forEach(`,
	},
	{
		what: "Function() of generated code (vega-runtime expression)",
		old:  `n.endsWith(";")||(n="return("+n+");");const r=Function(...e.concat(n));`,
		new:  `n.endsWith(";")||(n="return("+n+");");const r=__gonbviz.memoFunction(e,n);`,
	},
	{
		what: "text escaping (vega-scenegraph innerText)",
		old:  `const n_=t=>(t+"").replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;");`,
		new:  `const n_=__gonbviz.innerText;`,
	},
	{
		what: "attribute escaping (vega-scenegraph attrText)",
		old:  `${r=n,n_(r).replace(/"/g,"&quot;").replace(/\t/g,"&#x9;").replace(/\n/g,"&#xA;").replace(/\r/g,"&#xD;")}`,
		new:  `${__gonbviz.attrText(n)}`,
	},
}

// patchVega applies vegaPatches to src, each exactly once, or fails naming the
// one that does not match (a different vega build).
func patchVega(src string) (string, error) {
	for _, p := range vegaPatches {
		if n := strings.Count(src, p.old); n != 1 {
			return "", fmt.Errorf("patching vega.min.js: %s: the expected code occurs %d times, want 1 (was the bundle updated? update vegaPatches)", p.what, n)
		}
		src = strings.Replace(src, p.old, p.new, 1)
	}
	return src, nil
}
