package feed

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
)

// compress applies each coding in order ("gzip", "deflate", "raw-deflate").
func compress(t *testing.T, body []byte, codings ...string) []byte {
	t.Helper()
	for _, c := range codings {
		var buf bytes.Buffer
		var w io.WriteCloser
		switch c {
		case "gzip":
			w = gzip.NewWriter(&buf)
		case "deflate":
			w = zlib.NewWriter(&buf)
		case "raw-deflate":
			fw, err := flate.NewWriter(&buf, flate.DefaultCompression)
			if err != nil {
				t.Fatal(err)
			}
			w = fw
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		body = buf.Bytes()
	}
	return body
}

// Issue 12 item 8: deflate and stacked codings were "not a feed".
func TestFetchContentEncodings(t *testing.T) {
	srv := feedtest.New(t)
	body := feedtest.RSS("Packed", srv.URL(""), feedtest.Generate(srv.URL(""), 1, 3))
	cases := []struct {
		name, header string
		data         []byte
		wantErr      string // "" for the feed
	}{
		{"deflate", "deflate", compress(t, body, "deflate"), ""},
		{"raw deflate", "deflate", compress(t, body, "raw-deflate"), ""},
		{"gzip, gzip", "gzip, gzip", compress(t, body, "gzip", "gzip"), ""},
		{"deflate, gzip", "deflate, gzip", compress(t, body, "deflate", "gzip"), ""},
		{"identity", "identity", body, ""},
		{"brotli", "br", []byte("\x1b\x00"), `compressed with "br"`},
		{"four layers", "gzip, gzip, gzip, gzip", compress(t, body, "gzip", "gzip", "gzip", "gzip"), "compressed 4 times over"},
		{"lying gzip", "gzip, gzip", body, "says Content-Encoding gzip but is not"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := "/" + strings.ReplaceAll(c.name, " ", "-")
			srv.Handle(path, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/rss+xml")
				w.Header().Set("Content-Encoding", c.header)
				_, _ = w.Write(c.data)
			})
			res := newTestClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL(path)})
			if c.wantErr == "" {
				if res.Err != nil || res.Feed == nil || len(res.Feed.Items) != 3 {
					t.Fatalf("got Err=%v, want 3 items", res.Err)
				}
				return
			}
			if res.Err == nil || !strings.Contains(res.Err.Error(), c.wantErr) {
				t.Fatalf("got Err=%v, want %q", res.Err, c.wantErr)
			}
			if !errors.Is(res.Err, ErrEncoding) {
				t.Errorf("%v does not match ErrEncoding", res.Err)
			}
		})
	}
}

// A deflate bomb is bounded by the body cap like the gzip one.
func TestFetchDeflateBombIsCapped(t *testing.T) {
	srv := feedtest.New(t)
	bomb := compress(t, bytes.Repeat([]byte{' '}, 64<<20), "deflate", "gzip")
	srv.Handle("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "deflate, gzip")
		_, _ = w.Write(bomb)
	})
	res := newTestClient(t, Options{MaxBodySize: 1 << 20}).Fetch(context.Background(), Request{URL: srv.URL("/bomb")})
	if !errors.Is(res.Err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", res.Err)
	}
}
