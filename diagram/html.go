// SPDX-License-Identifier: Apache-2.0

package diagram

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"strings"
)

// views prepares the main view and, breadth first within the MaxViewBoxes and
// MaxHTMLBoxes budgets, the view each box opens.
func (d *Diagram) views() []*view {
	main := d.mainView()
	all := []*view{main}
	budget := MaxHTMLBoxes - len(main.units)
	opened := map[string]string{} // scope path or cluster key -> view id
	for qi := 0; qi < len(all); qi++ {
		v := all[qi]
		for _, u := range v.units {
			if !u.drillable || (u.scope == nil && len(u.ops) < 2) {
				continue
			}
			key := ""
			var f focus
			if u.scope != nil {
				key = "s:" + u.scope.path
				f = focus{scope: u.scope, name: scopeLabel(u.scope.path)}
			} else {
				key = fmt.Sprintf("c:%d", u.ops[0])
				f = focus{ops: u.ops, name: u.name + " in " + scopeLabel(d.ops[u.ops[0]].scope)}
			}
			if id, ok := opened[key]; ok {
				if id != "" {
					u.view = id
				}
				continue
			}
			opened[key] = ""
			size := 0
			if u.scope != nil {
				size = u.scope.nOps
			} else {
				size = len(u.ops)
			}
			if size > MaxViewBoxes || size+8 > budget {
				continue
			}
			id := fmt.Sprintf("v%d", len(all))
			nv := d.drillView(f, id)
			if len(nv.units) > MaxViewBoxes || len(nv.units) > budget {
				continue
			}
			// A view identical in content to its parent box (e.g. one op) is not worth a click.
			if len(nv.units) <= 1 {
				continue
			}
			nv.parent = v.id
			budget -= len(nv.units)
			opened[key] = id
			u.view = id
			all = append(all, nv)
		}
	}
	return all
}

type htmlView struct {
	Title  string `json:"title"`
	Parent string `json:"parent"`
	SVG    string `json:"svg"` // base64 of the UTF-8 SVG
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "gonbviz-dg-" + hex.EncodeToString(b[:])
}

// HTML returns a self-contained HTML fragment: the static SVG as an image (what readers
// without JavaScript, and sanitising viewers, see), and, where scripts run, the interactive
// diagram: click a box to open it (a breadcrumb leads back), hover a box for its dtype,
// shape, parameters and ops. No network, no external files.
func (d *Diagram) HTML() (out string, err error) {
	defer catch(&err)
	return d.html(newID())
}

func (d *Diagram) html(id string) (string, error) {
	vs := d.views()
	static, err := d.render(vs[0], false)
	if err != nil {
		return "", err
	}
	data := map[string]htmlView{}
	for _, v := range vs {
		svg, err := d.render(v, true)
		if err != nil {
			return "", err
		}
		data[v.id] = htmlView{Title: v.title, Parent: v.parent, SVG: base64.StdEncoding.EncodeToString(svg)}
	}
	// encoding/json escapes <, >, & and U+2028/9: the JSON is safe inside <script> (and
	// the SVGs are base64, a third larger rather than the double that escaping costs).
	js, err := json.Marshal(map[string]any{"views": data})
	if err != nil {
		return "", err
	}
	t, tr := d.Params()
	alt := fmt.Sprintf("Network diagram of %s: %d ops, %d params (%d trainable)", d.title(), d.countOps(), t, tr)
	var b strings.Builder
	fmt.Fprintf(&b, `<div id="%s" class="gonbviz-diagram" role="figure" aria-label="%s">`, id, html.EscapeString(alt))
	fmt.Fprintf(&b, `<div class="gonbviz-static"><img alt="%s" style="max-width:100%%" src="data:image/svg+xml;base64,%s"></div>`,
		html.EscapeString(alt), base64.StdEncoding.EncodeToString(static))
	b.WriteString(`<div class="gonbviz-dg" style="display:none;font:12px system-ui,sans-serif;color:#202124">` +
		`<div class="gonbviz-dg-bar" style="margin:2px 0 4px 0"></div>` +
		`<div class="gonbviz-dg-view" style="overflow:auto;max-height:85vh;border:1px solid #dadce0;border-radius:4px"></div>` +
		`<div class="gonbviz-dg-info" style="white-space:pre-wrap;color:#3c4043;min-height:3em;margin-top:4px;font:11px monospace">hover a box for details; click a box marked + to open it</div></div>`)
	b.WriteString(`<script type="application/json" class="gonbviz-dg-data">`)
	b.Write(js)
	b.WriteString(`</script><script>`)
	b.WriteString(strings.ReplaceAll(diagramJS, "__ID__", id))
	b.WriteString(`</script></div>`)
	return b.String(), nil
}

const diagramJS = `(function(){
var root=document.getElementById("__ID__");
if(!root||root.getAttribute("data-ready"))return;
root.setAttribute("data-ready","1");
var data=JSON.parse(root.querySelector("script.gonbviz-dg-data").textContent);
function svgOf(v){var b=atob(v.svg),u=new Uint8Array(b.length);for(var i=0;i<b.length;i++)u[i]=b.charCodeAt(i);return new TextDecoder().decode(u);}
var box=root.querySelector(".gonbviz-dg"),pane=box.querySelector(".gonbviz-dg-view"),bar=box.querySelector(".gonbviz-dg-bar"),info=box.querySelector(".gonbviz-dg-info");
function show(id){
 var v=data.views[id];if(!v)return;
 pane.innerHTML=svgOf(v);
 var chain=[];for(var c=id;c;c=data.views[c].parent)chain.unshift(c);
 bar.textContent="";
 chain.forEach(function(c,i){
  if(i)bar.appendChild(document.createTextNode(" \u203a "));
  var last=i==chain.length-1,a=document.createElement(last?"b":"a");
  a.textContent=data.views[c].title;
  if(!last){a.href="#";a.addEventListener("click",function(e){e.preventDefault();show(c);});}
  bar.appendChild(a);
 });
 root.setAttribute("data-view",id);
}
pane.addEventListener("click",function(e){var g=e.target.closest&&e.target.closest("[data-view]");if(g)show(g.getAttribute("data-view"));});
pane.addEventListener("mouseover",function(e){var g=e.target.closest&&e.target.closest("[data-info]");if(g)info.textContent=g.getAttribute("data-info");});
root.querySelector(".gonbviz-static").style.display="none";
box.style.display="";
show("v0");
})();`

// Page returns a complete, self-contained HTML page: the interactive diagram and the
// summary table.
func (d *Diagram) Page() (out []byte, err error) {
	defer catch(&err)
	frag, err := d.html(newID())
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title><meta name=\"generator\" content=\"gonbviz\"></head>\n", html.EscapeString(d.title()))
	b.WriteString(`<body style="font-family:system-ui,sans-serif;margin:1.5em">` + "\n")
	b.WriteString(frag)
	b.WriteString("\n<h2 style=\"font-size:1.1em\">Summary</h2>\n")
	b.WriteString(d.SummaryHTML())
	b.WriteString("\n</body></html>\n")
	return []byte(b.String()), nil
}
