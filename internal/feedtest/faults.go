package feedtest

import (
	"compress/gzip"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Handlers for fault cases, to install with Server.Handle.

// Status answers code with the given header pairs (name, value, name, value …)
// and a short text body.
func Status(code int, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(http.StatusText(code) + "\n"))
	}
}

// Redirect answers 302 Found to location (absolute, or a path on the same server).
func Redirect(location string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, location, http.StatusFound)
	}
}

// Hang never answers: it holds the request until the client goes away.
func Hang() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}
}

// Drip answers 200 at once and then sends body one byte every interval (a
// server that is alive but hopelessly slow), until done or the client goes away.
func Drip(body []byte, contentType string, every time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		flush(w)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for i := range body {
			if _, err := w.Write(body[i : i+1]); err != nil {
				return
			}
			flush(w)
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
			}
		}
	}
}

// GzipBomb answers 200 with a gzip-encoded body that decompresses to size zero
// bytes; it is compressed on the fly, so it costs the server only what the
// client reads (about 1/1000 of size on the wire).
func GzipBomb(size int64, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(http.StatusOK)
		zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
		if err != nil {
			return
		}
		zeros := make([]byte, 64<<10)
		for written := int64(0); written < size; written += int64(len(zeros)) {
			if _, err := zw.Write(zeros[:min(int64(len(zeros)), size-written)]); err != nil {
				return // the client gave up: stop compressing
			}
		}
		_ = zw.Close()
	}
}

func flush(w http.ResponseWriter) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

// ClosedAddr returns a loopback host:port where nothing listens (connection
// refused).
func ClosedAddr(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("feedtest: listen: %v", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		tb.Fatalf("feedtest: close: %v", err)
	}
	return addr
}

// SilentAddr returns a loopback host:port that accepts TCP connections and
// never sends a byte (a server that never answers, below HTTP). It is closed
// when the test ends.
func SilentAddr(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("feedtest: listen: %v", err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	tb.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return l.Addr().String()
}

// Gauge counts the requests a handler is serving at the same time, and the
// most it ever served at once.
type Gauge struct {
	mu       sync.Mutex
	cur, max int
}

// Wrap returns h counted by g.
func (g *Gauge) Wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.cur++
		g.max = max(g.max, g.cur)
		g.mu.Unlock()
		defer func() {
			g.mu.Lock()
			g.cur--
			g.mu.Unlock()
		}()
		h(w, r)
	}
}

// Max returns the most requests served at once so far.
func (g *Gauge) Max() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.max
}
