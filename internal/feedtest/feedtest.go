// Package feedtest is a fixture feed server for tests and benchmarks: it serves
// feeds (generated or read from testdata) over loopback with ETag and
// Last-Modified validators, answers conditional requests with 304, counts the
// requests it gets, and lets a test install any handler for fault cases.
package feedtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// Stats counts what one path was asked.
type Stats struct {
	Requests    int // every request
	Conditional int // requests that carried If-None-Match or If-Modified-Since
	NotModified int // requests answered with 304
}

type doc struct {
	body        []byte
	contentType string
	etag        string
	modified    time.Time
}

// Server is a loopback HTTP server of fixture feeds.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	docs     map[string]*doc
	handlers map[string]http.HandlerFunc
	stats    map[string]*Stats
}

// New starts a Server that is closed when the test ends.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := Start()
	tb.Cleanup(s.Close)
	return s
}

// Start starts a Server outside a test (for the end-to-end harness and
// benchmark scripts); the caller closes it.
func Start() *Server {
	s := &Server{
		docs:     map[string]*doc{},
		handlers: map[string]http.HandlerFunc{},
		stats:    map[string]*Stats{},
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL returns the absolute URL of path on this server.
func (s *Server) URL(path string) string {
	if path == "" {
		return s.Server.URL
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return s.Server.URL + path
}

// Set serves body at path with the given content type (default application/rss+xml).
// Setting the same bytes again keeps the validators; new bytes get new ones.
func (s *Server) Set(path string, body []byte, contentType string) {
	if contentType == "" {
		contentType = "application/rss+xml; charset=utf-8"
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.docs[path]; ok && d.etag == etag {
		return
	}
	s.docs[path] = &doc{body: body, contentType: contentType, etag: etag, modified: time.Now().UTC().Truncate(time.Second)}
}

// SetFile serves the contents of file at path.
func (s *Server) SetFile(path, file, contentType string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("feedtest: %w", err)
	}
	s.Set(path, b, contentType)
	return nil
}

// Handle installs h for path, replacing any document there (for fault cases).
func (s *Server) Handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[path] = h
}

// Stats returns the counts for path.
func (s *Server) Stats(path string) Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stats[path]; ok {
		return *st
	}
	return Stats{}
}

// Total returns the counts summed over every path.
func (s *Server) Total() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	var t Stats
	for _, st := range s.stats {
		t.Requests += st.Requests
		t.Conditional += st.Conditional
		t.NotModified += st.NotModified
	}
	return t
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	s.mu.Lock()
	st := s.stats[path]
	if st == nil {
		st = &Stats{}
		s.stats[path] = st
	}
	st.Requests++
	inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
	if inm != "" || ims != "" {
		st.Conditional++
	}
	h := s.handlers[path]
	d := s.docs[path]
	s.mu.Unlock()

	if h != nil {
		h(w, r)
		return
	}
	if d == nil {
		http.NotFound(w, r)
		return
	}
	notModified := false
	if inm != "" {
		notModified = inm == d.etag
	} else if ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !d.modified.After(t) {
			notModified = true
		}
	}
	w.Header().Set("ETag", d.etag)
	w.Header().Set("Last-Modified", d.modified.Format(http.TimeFormat))
	if notModified {
		s.mu.Lock()
		st.NotModified++
		s.mu.Unlock()
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", d.contentType)
	_, _ = w.Write(d.body)
}

// Item is one item of a generated RSS feed.
type Item struct {
	GUID        string
	Title       string
	Link        string
	Description string // HTML
	Content     string // HTML of content:encoded ("": none)
	Author      string
	Published   time.Time // zero: no pubDate
}

// RSS renders an RSS 2.0 document.
func RSS(title, link string, items []Item) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>`)
	fmt.Fprintf(&b, "<title>%s</title><link>%s</link><description>%s</description>\n",
		html.EscapeString(title), html.EscapeString(link), html.EscapeString(title))
	for _, it := range items {
		b.WriteString("<item>")
		if it.GUID != "" {
			fmt.Fprintf(&b, `<guid isPermaLink="false">%s</guid>`, html.EscapeString(it.GUID))
		}
		fmt.Fprintf(&b, "<title>%s</title>", html.EscapeString(it.Title))
		if it.Link != "" {
			fmt.Fprintf(&b, "<link>%s</link>", html.EscapeString(it.Link))
		}
		if it.Author != "" {
			fmt.Fprintf(&b, "<author>%s</author>", html.EscapeString(it.Author))
		}
		if !it.Published.IsZero() {
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>", it.Published.UTC().Format(time.RFC1123Z))
		}
		fmt.Fprintf(&b, "<description>%s</description>", html.EscapeString(it.Description))
		if it.Content != "" {
			fmt.Fprintf(&b, "<content:encoded>%s</content:encoded>", html.EscapeString(it.Content))
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

// Generate returns n items for feed number f, with links on host base
// (e.g. the server's URL), newest first, dated from a fixed epoch so runs repeat.
func Generate(base string, f, n int) []Item {
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	items := make([]Item, n)
	for i := range items {
		items[i] = Item{
			GUID:        fmt.Sprintf("feed%d-item%d", f, i),
			Title:       fmt.Sprintf("Feed %d article %d", f, i),
			Link:        fmt.Sprintf("%s/articles/%d/%d", base, f, i),
			Description: fmt.Sprintf("<p>Article %d of feed %d. <a href=\"%s/articles/%d/%d\">A link</a> and some <b>bold</b> text.</p>", i, f, base, f, (i+1)%n),
			Published:   epoch.Add(time.Duration(f*n+(n-i)) * time.Minute),
		}
	}
	return items
}
