// SPDX-License-Identifier: Apache-2.0

//go:build ((linux && (amd64 || arm64)) || (darwin && arm64) || (windows && amd64)) && cgo && !noxla

package backendsel

/*
#cgo linux LDFLAGS: -ldl
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>

// The head of PJRT_Api (pjrt_c_api.h): struct_size, extension_start, then PJRT_Api_Version.
// These fields lead every version of the struct.
typedef struct {
	size_t struct_size;
	void* extension_start;
	int major_version;
	int minor_version;
} gonbviz_pjrt_version;

typedef struct {
	size_t struct_size;
	void* extension_start;
	gonbviz_pjrt_version pjrt_api_version;
} gonbviz_pjrt_api_head;

typedef const gonbviz_pjrt_api_head* (*gonbviz_get_api)(void);

// gonbviz_pjrt_api_version opens the plugin as go-xla will (RTLD_NOW: every symbol resolved
// now, so a damaged or incomplete library fails here rather than mid-computation) and reads
// its PJRT API version. It returns 0, or 1 with *err set (dlerror's text, or a static text).
static int gonbviz_pjrt_api_version(const char* path, int* major, int* minor, const char** err) {
	void* h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		*err = dlerror();
		return 1;
	}
	gonbviz_get_api get = (gonbviz_get_api)dlsym(h, "GetPjrtApi");
	if (get == NULL) {
		*err = "it has no GetPjrtApi symbol: not a PJRT plugin";
		return 1;
	}
	const gonbviz_pjrt_api_head* api = get();
	if (api == NULL) {
		*err = "its GetPjrtApi returned nothing";
		return 1;
	}
	*major = api->pjrt_api_version.major_version;
	*minor = api->pjrt_api_version.minor_version;
	return 0;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/gomlx/compute"
	// Registers the "xla" backend (go-xla's PJRT bindings; cgo, plugins are dlopen'ed at run time).
	"github.com/gomlx/go-xla/compute/xla"
	"github.com/gomlx/go-xla/pjrt"
)

// XLACompiledIn tells whether the XLA backend is part of this binary. It is false when built
// with -tags noxla, with CGO_ENABLED=0 or on a platform go-xla does not support.
const XLACompiledIn = true

// disableAutoInstall makes go-xla never download plugins (as GOMLX_NO_AUTO_INSTALL does).
func disableAutoInstall() { xla.EnableAutoInstall(false) }

// The PJRT C API versions gonbviz runs its graphs with: go-xla v0.4.1 is built against
// v0.104 and checks none itself, so a plugin of another major version would be called through
// a table of another layout. The oldest minor version is the oldest measured to train the demo
// (xla-cpu-pjrt 0.0.1, v0.81); newer minors only append to the table.
const (
	pjrtMajor    = 0
	pjrtMinMinor = 81
)

// preflight loads the plugin and checks its PJRT API version before go-xla does, so that a
// file the loader refuses, or a plugin of an API version go-xla cannot speak, gives a one-line
// error instead of a crash.
func preflight(plugin string) error {
	cpath := C.CString(plugin)
	defer C.free(unsafe.Pointer(cpath))
	var major, minor C.int
	var cerr *C.char
	if C.gonbviz_pjrt_api_version(cpath, &major, &minor, &cerr) != 0 {
		return errors.New("cannot load it: " + C.GoString(cerr))
	}
	if major != pjrtMajor || minor < pjrtMinMinor {
		return fmt.Errorf("its PJRT C API is v%d.%d; gonbviz's go-xla needs v%d.%d or a later v%d minor",
			int(major), int(minor), pjrtMajor, pjrtMinMinor, pjrtMajor)
	}
	return nil
}

// newCPUClient creates an XLA backend on a CPU plugin whose client runs each execution on the
// calling thread (PJRT client option asynchronous=false) instead of handing it to a thread
// pool and waiting: on 2 cores the demo MLP trains about 12% faster that way (bench backends,
// rows xla_cpu and xla_cpu_async), and copies of results to the host cost half as much (bench
// steptime against steptime -async); the large model of the same bench is unchanged.
func newCPUClient(plugin string) (compute.Backend, error) {
	return xla.NewWithOptions(plugin, pjrt.NamedValuesMap{"asynchronous": false})
}
