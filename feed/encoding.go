package feed

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// ErrEncoding is matched (with errors.Is) by the error of a response whose
// Content-Encoding brief cannot undo.
var ErrEncoding = errors.New("feed: unsupported content encoding")

// maxEncodings is the most content codings undone on one response: a longer
// stack is refused rather than unpacked layer after layer.
const maxEncodings = 3

// decodeBody undoes the content codings the Transport left in place: it
// decodes a single "gzip" itself, but not "deflate", nor a stack such as
// "gzip, gzip". Codings are undone in the reverse of the order listed;
// "identity" is skipped. The caller's cap still applies to what the returned
// reader yields, so a compressed bomb stays bounded.
func decodeBody(h http.Header, body io.Reader) (io.Reader, error) {
	var codings []string
	for _, v := range h.Values("Content-Encoding") {
		for _, c := range strings.Split(v, ",") {
			if c = strings.ToLower(strings.TrimSpace(c)); c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	if len(codings) > maxEncodings {
		return nil, netErr(ErrEncoding, nil, "feed: the response is compressed %d times over (Content-Encoding: %s); brief undoes at most %d",
			len(codings), CleanText(strings.Join(codings, ", ")), maxEncodings)
	}
	r := body
	for i := len(codings) - 1; i >= 0; i-- {
		var err error
		switch c := codings[i]; c {
		case "gzip", "x-gzip":
			r, err = gzip.NewReader(r)
		case "deflate":
			r, err = newDeflateReader(r)
		default:
			return nil, netErr(ErrEncoding, nil, "feed: the response is compressed with %q (Content-Encoding), which brief cannot read; it reads gzip and deflate", CleanText(c))
		}
		if err != nil {
			return nil, netErr(ErrEncoding, err, "feed: the response says Content-Encoding %s but is not: %v", codings[i], err)
		}
	}
	return r, nil
}

// newDeflateReader reads "deflate" as the standard says (zlib-wrapped) or,
// as some servers send it, a raw deflate stream.
func newDeflateReader(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err != nil {
		return nil, fmt.Errorf("reading the zlib header: %w", err)
	}
	if (uint16(head[0])<<8|uint16(head[1]))%31 == 0 && head[0]&0x0f == 8 {
		return zlib.NewReader(br)
	}
	return flate.NewReader(br), nil
}
