// SPDX-License-Identifier: Apache-2.0

package backendsel

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"runtime"
)

// elfMachines are the ELF machines of the architectures go-xla loads plugins on.
var elfMachines = map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}

// elfProblem says why the file at path cannot be a PJRT plugin for this process, from its ELF
// header alone: not ELF, not a shared library, built for another architecture, or cut short
// (its program or section headers, or a loaded segment, lie past the end of the file). It
// returns "" when nothing is wrong that the header shows; a damaged inside is left to dlopen.
func elfProblem(path string) string {
	if runtime.GOOS != "linux" {
		return "" // .dylib/.dll: left to the loader
	}
	fh, err := os.Open(path)
	if err != nil {
		return "cannot read: " + oneLine(err.Error())
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return "cannot read: " + oneLine(err.Error())
	}
	size := uint64(fi.Size())
	var ident [elf.EI_NIDENT]byte
	if _, err := io.ReadFull(fh, ident[:]); err != nil || string(ident[:4]) != elf.ELFMAG {
		return "not an ELF shared library"
	}
	if elf.Class(ident[elf.EI_CLASS]) != elf.ELFCLASS64 || elf.Data(ident[elf.EI_DATA]) != elf.ELFDATA2LSB {
		return fmt.Sprintf("a %s %s ELF file; this is a 64-bit little-endian %s process",
			elf.Class(ident[elf.EI_CLASS]), elf.Data(ident[elf.EI_DATA]), runtime.GOARCH)
	}
	var h elf.Header64
	if err := readAt(fh, 0, &h); err != nil {
		return fmt.Sprintf("truncated: %d bytes, shorter than an ELF header", size)
	}
	if want, ok := elfMachines[runtime.GOARCH]; ok && elf.Machine(h.Machine) != want {
		return fmt.Sprintf("built for %s, this is %s (%s): a plugin for another architecture",
			machineName(elf.Machine(h.Machine)), runtime.GOARCH, machineName(want))
	}
	if elf.Type(h.Type) != elf.ET_DYN {
		return fmt.Sprintf("not a shared library (ELF type %s)", elf.Type(h.Type))
	}
	if end := h.Shoff + uint64(h.Shnum)*uint64(h.Shentsize); h.Shoff > 0 && end > size {
		return fmt.Sprintf("truncated: its section headers end at byte %d, the file has %d", end, size)
	}
	if end := h.Phoff + uint64(h.Phnum)*uint64(h.Phentsize); end > size {
		return fmt.Sprintf("truncated: its program headers end at byte %d, the file has %d", end, size)
	}
	for i := range uint64(h.Phnum) {
		var p elf.Prog64
		if err := readAt(fh, int64(h.Phoff+i*uint64(h.Phentsize)), &p); err != nil {
			return "cannot read its program headers: " + oneLine(err.Error())
		}
		if elf.ProgType(p.Type) == elf.PT_LOAD && p.Off+p.Filesz > size {
			return fmt.Sprintf("truncated: a loaded segment ends at byte %d, the file has %d", p.Off+p.Filesz, size)
		}
	}
	return ""
}

// readAt decodes the little-endian struct v from the file at offset off.
func readAt(r io.ReaderAt, off int64, v any) error {
	return binary.Read(io.NewSectionReader(r, off, int64(binary.Size(v))), binary.LittleEndian, v)
}

func machineName(m elf.Machine) string {
	switch m {
	case elf.EM_X86_64:
		return "x86-64"
	case elf.EM_AARCH64:
		return "aarch64"
	}
	return m.String()
}
