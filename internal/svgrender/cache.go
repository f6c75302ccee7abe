// SPDX-License-Identifier: Apache-2.0

package svgrender

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/gonbviz/gonbviz/internal/atomicfile"
)

// The bytecode cache. Compiling the scripts is most of what the first chart of a process
// costs (bench firstchart; docs/measurements/costs.md), and a GoNB cell is a new process. So the bytecode is kept in
// a file of the user's cache directory, named by a key that covers everything it depends
// on: the sources (bundles, patches, prelude and setup), and the exact versions of the
// JavaScript engine's modules (QuickJS bytecode is only valid for the build that wrote
// it). The file ends with a SHA-256 of its content; a file that does not check out is
// ignored and rewritten. The cache is off when the engine's module versions are unknown
// (a build without module information, or a local replacement of the engine).
//
// $GONBVIZ_CACHE_DIR sets the directory (default: gonbviz under os.UserCacheDir); "off"
// turns the cache off.

// cacheEnv names the environment variable that places or turns off the cache.
const cacheEnv = "GONBVIZ_CACHE_DIR"

// cacheMagic starts every cache file (and versions its layout).
const cacheMagic = "gonbviz svgrender bytecode 1\n"

// engineModules are the modules whose exact versions the bytecode depends on.
var engineModules = []string{"modernc.org/quickjs", "modernc.org/libquickjs", "modernc.org/libc"}

// cachePath returns the cache file for srcs, or "" when the cache is off.
func cachePath(srcs []string) string {
	dir := os.Getenv(cacheEnv)
	if dir == "off" {
		return ""
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(base, "gonbviz")
	}
	versions, ok := moduleVersions()
	if !ok {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s%s/%s\n%s\n", cacheMagic, runtime.GOOS, runtime.GOARCH, versions)
	for i, s := range srcs {
		fmt.Fprintf(h, "%s %d\n", scripts[i].name, len(s))
		h.Write([]byte(s))
	}
	return filepath.Join(dir, "svgrender-"+hex.EncodeToString(h.Sum(nil))[:32]+".qjsbc")
}

// moduleVersions lists the versions and checksums of engineModules as linked in, and
// false if any is unknown.
func moduleVersions() (string, bool) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", false
	}
	var b strings.Builder
	for _, path := range engineModules {
		found := false
		for _, d := range info.Deps {
			if d.Path != path {
				continue
			}
			if d.Replace != nil {
				d = d.Replace
			}
			if d.Version == "" || d.Version == "(devel)" || d.Sum == "" {
				return "", false
			}
			fmt.Fprintf(&b, "%s %s %s\n", d.Path, d.Version, d.Sum)
			found = true
		}
		if !found {
			return "", false
		}
	}
	return b.String(), true
}

// loadCache returns the bytecode of n scripts stored at path, or nil if there is none
// that checks out.
func loadCache(path string, n int) [][]byte {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	code, err := decodeCache(data, n)
	if err != nil {
		return nil
	}
	return code
}

// decodeCache parses a cache file: the magic, n length-prefixed pieces of bytecode,
// and the SHA-256 of all that.
func decodeCache(data []byte, n int) ([][]byte, error) {
	if len(data) < len(cacheMagic)+sha256.Size || !bytes.HasPrefix(data, []byte(cacheMagic)) {
		return nil, errors.New("not a cache file")
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if s := sha256.Sum256(body); !bytes.Equal(s[:], sum) {
		return nil, errors.New("checksum mismatch")
	}
	rest := body[len(cacheMagic):]
	code := make([][]byte, 0, n)
	for range n {
		if len(rest) < 8 {
			return nil, errors.New("truncated")
		}
		size := binary.LittleEndian.Uint64(rest)
		rest = rest[8:]
		if uint64(len(rest)) < size {
			return nil, errors.New("truncated")
		}
		code = append(code, rest[:size:size])
		rest = rest[size:]
	}
	if len(rest) != 0 {
		return nil, errors.New("trailing data")
	}
	return code, nil
}

// encodeCache is the inverse of decodeCache.
func encodeCache(code [][]byte) []byte {
	var b bytes.Buffer
	b.WriteString(cacheMagic)
	for _, c := range code {
		b.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(c))))
		b.Write(c)
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes()
}

// cacheKeep is how many cache files (of different keys: versions of gonbviz or of the
// engine) storeCache leaves in the directory.
const cacheKeep = 4

// storeCache writes code to path, and removes all but the cacheKeep most recent cache
// files beside it. Failures are ignored: the cache only saves time.
func storeCache(path string, code [][]byte) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	if err := atomicfile.Write(path, encodeCache(code), false); err != nil {
		return
	}
	files, _ := filepath.Glob(filepath.Join(dir, "svgrender-*.qjsbc"))
	type file struct {
		path string
		mod  int64
	}
	var all []file
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			all = append(all, file{f, fi.ModTime().UnixNano()})
		}
	}
	slices.SortFunc(all, func(a, b file) int { return cmp.Compare(b.mod, a.mod) })
	for _, f := range all[min(len(all), cacheKeep):] {
		if f.path != path {
			_ = os.Remove(f.path)
		}
	}
}
