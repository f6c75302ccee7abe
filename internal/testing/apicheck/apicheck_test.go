// SPDX-License-Identifier: Apache-2.0

package apicheck

import (
	"encoding/json"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/gonbviz/gonbviz"

// listed is what go list says of one package.
type listed struct {
	ImportPath string
	Name       string
	Export     string
	Imports    []string
}

// goList lists the module's packages (with their export data when export is set).
func goList(t *testing.T, export bool) map[string]listed {
	t.Helper()
	args := []string{"list", "-json=ImportPath,Name,Export,Imports"}
	if export {
		args = append(args, "-export")
	}
	cmd := exec.Command("go", append(args, module+"/...")...)
	cmd.Dir = "../../.."
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]listed{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs[p.ImportPath] = p
	}
	return pkgs
}

func isInternal(path string) bool {
	return strings.Contains(path+"/", "/internal/")
}

// public lists the module's importable, non-main packages outside internal/ and examples/.
func public(pkgs map[string]listed) []string {
	var out []string
	for path, p := range pkgs {
		if p.Name != "main" && !isInternal(path) && !strings.HasPrefix(path, module+"/examples/") {
			out = append(out, path)
		}
	}
	sort.Strings(out)
	return out
}

// TestNoInternalTypesInPublicAPI walks every exported name of every public package (function
// and method signatures, exported struct fields, interface methods, aliases) and fails on
// any type from an internal package: a user could not name it.
func TestNoInternalTypesInPublicAPI(t *testing.T) {
	pkgs := goList(t, true)
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		p, ok := pkgs[path]
		if !ok || p.Export == "" {
			// A package outside the module: go list -export of it.
			out, err := exec.Command("go", "list", "-export", "-f", "{{.Export}}", path).Output()
			if err != nil {
				return nil, fmt.Errorf("export data of %s: %v", path, err)
			}
			return os.Open(strings.TrimSpace(string(out)))
		}
		return os.Open(p.Export)
	})
	checked := 0
	for _, path := range public(pkgs) {
		pkg, err := imp.Import(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		scope := pkg.Scope()
		for _, name := range scope.Names() {
			obj := scope.Lookup(name)
			if !obj.Exported() {
				continue
			}
			checked++
			where := pkg.Name() + "." + name
			w := walker{t: t, seen: map[types.Type]bool{}}
			if tn, ok := obj.(*types.TypeName); ok && tn.IsAlias() {
				w.check(where+" (alias)", types.Unalias(tn.Type()), true)
				continue
			}
			w.check(where, obj.Type(), true)
			if named, ok := obj.Type().(*types.Named); ok {
				for m := range named.Methods() {
					if m.Exported() {
						w.check(where+"."+m.Name(), m.Type(), true)
					}
				}
				if _, isPtr := named.Underlying().(*types.Pointer); !isPtr {
					ms := types.NewMethodSet(types.NewPointer(named))
					for sel := range ms.Methods() {
						if sel.Obj().Exported() {
							w.check(where+"."+sel.Obj().Name(), sel.Type(), true)
						}
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d exported names checked; the walk is broken", checked)
	}
}

type walker struct {
	t    *testing.T
	seen map[types.Type]bool
}

// check reports internal types reachable from typ through what a user can see. top is
// set for the declared type itself, whose own (public) name is not a problem.
func (w walker) check(where string, typ types.Type, top bool) {
	if typ == nil || w.seen[typ] {
		return
	}
	w.seen[typ] = true
	switch x := typ.(type) {
	case *types.Alias:
		w.check(where, types.Unalias(x), top)
	case *types.Named:
		if pkg := x.Obj().Pkg(); pkg != nil && isInternal(pkg.Path()) {
			w.t.Errorf("%s uses %s.%s, from an internal package", where, pkg.Path(), x.Obj().Name())
			return
		}
		if x.Obj().Pkg() != nil && !strings.HasPrefix(x.Obj().Pkg().Path(), module) {
			return // another module's type: its own business
		}
		if top {
			w.check(where, x.Underlying(), false)
		}
		for ta := range x.TypeArgs().Types() {
			w.check(where, ta, false)
		}
	case *types.Pointer:
		w.check(where, x.Elem(), false)
	case *types.Slice:
		w.check(where, x.Elem(), false)
	case *types.Array:
		w.check(where, x.Elem(), false)
	case *types.Map:
		w.check(where, x.Key(), false)
		w.check(where, x.Elem(), false)
	case *types.Chan:
		w.check(where, x.Elem(), false)
	case *types.Signature:
		for v := range x.Params().Variables() {
			w.check(where, v.Type(), false)
		}
		for v := range x.Results().Variables() {
			w.check(where, v.Type(), false)
		}
	case *types.Struct:
		for f := range x.Fields() {
			if f.Exported() {
				w.check(where+"."+f.Name(), f.Type(), false)
			}
		}
	case *types.Interface:
		for m := range x.Methods() {
			if m.Exported() {
				w.check(where+"."+m.Name(), m.Type(), false)
			}
		}
	}
}

// The data flow, first to last: a public package may import only packages of an earlier
// stage or its own. Every public package must be placed here.
var stages = [][]string{
	{"vegalite", "vegalite/schema", "schedule"},
	{"runs", "tensorboard"},
	{"capture", "diagram", "saliency"},
	{"projection"},
	{"demo", "charts"},
	{"render"},
	{"notebookviz"},
}

// TestImportsFollowTheFlow checks, with go list, that no public package imports one of a
// later stage of the flow (charts never imports render or notebookviz, capture never
// imports charts, ...), and that internal packages import no public package of the
// display end (render, notebookviz), except the commands and test harnesses.
func TestImportsFollowTheFlow(t *testing.T) {
	pkgs := goList(t, false)
	stage := map[string]int{}
	for i, names := range stages {
		for _, n := range names {
			stage[module+"/"+n] = i
		}
	}
	for _, path := range public(pkgs) {
		s, ok := stage[path]
		if !ok {
			t.Errorf("%s is in no stage of the flow; place it in stages", path)
			continue
		}
		for _, imp := range pkgs[path].Imports {
			if is, ok := stage[imp]; ok && is > s {
				t.Errorf("%s (stage %d) imports %s (stage %d): against the flow", path, s, imp, is)
			}
		}
	}
	late := []string{module + "/render", module + "/notebookviz"}
	for path, p := range pkgs {
		if !isInternal(path) || p.Name == "main" || strings.Contains(path, "/internal/testing/") || strings.Contains(path, "/internal/cmd/") {
			continue
		}
		for _, imp := range p.Imports {
			if slices.Contains(late, imp) {
				t.Errorf("internal package %s imports %s: mechanism must not depend on the display end", path, imp)
			}
		}
	}
}
