// SPDX-License-Identifier: Apache-2.0

package tensorboard

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// TFRecord framing: length (8 bytes), masked CRC of the length (4), data, masked CRC of the
// data (4).
const (
	headerSize  = 12
	footerSize  = 4
	crcMaskDiff = 0xa282ead8
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// maskedCRC is TensorFlow's masked CRC-32C of b: a CRC of data that holds CRCs of its own
// is masked so that it does not look like one.
func maskedCRC(b []byte) uint32 {
	c := crc32.Checksum(b, castagnoli)
	return (c>>15 | c<<17) + crcMaskDiff
}

// appendRecord appends data to dst as one TFRecord.
func appendRecord(dst, data []byte) []byte {
	n := len(dst)
	dst = binary.LittleEndian.AppendUint64(dst, uint64(len(data)))
	dst = binary.LittleEndian.AppendUint32(dst, maskedCRC(dst[n:n+8]))
	dst = append(dst, data...)
	return binary.LittleEndian.AppendUint32(dst, maskedCRC(data))
}

// errTruncated: the file ends inside a record.
var errTruncated = errors.New("truncated record")

// crcError: a record's length or data does not match its CRC.
type crcError struct{ what string }

func (e crcError) Error() string { return "bad CRC of the record's " + e.what }

// recordReader reads the TFRecords of one file.
type recordReader struct {
	r    *bufio.Reader
	size int64 // the file's size when opened: a longer record is cut short
	off  int64 // offset of the next record
	data []byte
	hdr  [headerSize]byte
	foot [footerSize]byte
}

// next returns the next record's data (valid until the next call), io.EOF at a clean end,
// errTruncated when the file ends inside a record, or a crcError. On an error, off is the
// offset of the record that failed.
func (rr *recordReader) next() ([]byte, error) {
	hdr := rr.hdr[:]
	n, err := io.ReadFull(rr.r, hdr)
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		if n > 0 && errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errTruncated
		}
		return nil, err
	}
	if binary.LittleEndian.Uint32(hdr[8:]) != maskedCRC(hdr[:8]) {
		return nil, crcError{"length"}
	}
	length := binary.LittleEndian.Uint64(hdr[:8])
	if rest := rr.size - rr.off - headerSize - footerSize; rest < 0 || length > uint64(rest) {
		return nil, errTruncated
	}
	if uint64(cap(rr.data)) < length {
		rr.data = make([]byte, length)
	}
	data := rr.data[:length]
	if _, err := io.ReadFull(rr.r, data); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
			return nil, errTruncated
		}
		return nil, err
	}
	foot := rr.foot[:]
	if _, err := io.ReadFull(rr.r, foot); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
			return nil, errTruncated
		}
		return nil, err
	}
	if binary.LittleEndian.Uint32(foot) != maskedCRC(data) {
		return nil, crcError{"data"}
	}
	rr.off += headerSize + int64(length) + footerSize
	return data, nil
}

func (e crcError) note(file string, off int64, good int) string {
	return fmt.Sprintf("tensorboard: %s: %s at byte %d; read the %d records before it and went on with the next file", file, e.Error(), off, good)
}
