package store

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"sync"
)

// Bodies are stored compressed: Markdown is about 2.3 KB an article and
// deflates to 40% of that, which is most of what a cache weighs. A stored
// body is a format byte and the payload: bodyRaw for short bodies (not worth
// compressing), bodyDeflate for the others. (compress/flate from the
// standard library: fast enough at BestSpeed, and no new dependency.)
const (
	bodyRaw     byte = 0
	bodyDeflate byte = 1
	minDeflate       = 256 // bodies shorter than this are stored raw
)

var flaters = sync.Pool{New: func() any {
	w, err := flate.NewWriter(io.Discard, flate.BestSpeed)
	if err != nil { // only for a bad level
		panic(err)
	}
	return w
}}

// packBody encodes a Markdown body for the bodies table.
func packBody(markdown string) ([]byte, error) {
	if len(markdown) < minDeflate {
		return append([]byte{bodyRaw}, markdown...), nil
	}
	var b bytes.Buffer
	b.Grow(len(markdown)/2 + 16)
	b.WriteByte(bodyDeflate)
	w := flaters.Get().(*flate.Writer)
	defer flaters.Put(w)
	w.Reset(&b)
	if _, err := io.WriteString(w, markdown); err != nil {
		return nil, fmt.Errorf("body: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("body: %w", err)
	}
	return b.Bytes(), nil
}

// unpackBody decodes a stored body.
func unpackBody(b []byte) (string, error) {
	if len(b) == 0 {
		return "", nil
	}
	switch b[0] {
	case bodyRaw:
		return string(b[1:]), nil
	case bodyDeflate:
		r := flate.NewReader(bytes.NewReader(b[1:]))
		out, err := io.ReadAll(r)
		if err != nil {
			return "", fmt.Errorf("body: %w", err)
		}
		if err := r.Close(); err != nil {
			return "", fmt.Errorf("body: %w", err)
		}
		return string(out), nil
	}
	return "", fmt.Errorf("body: unknown format %d", b[0])
}
