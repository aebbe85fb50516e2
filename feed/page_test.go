package feed

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// servePage serves testdata/fetch/file at path.
func servePage(t *testing.T, srv *feedtest.Server, path, file, contentType string) {
	t.Helper()
	if err := srv.SetFile(path, filepath.Join("testdata", "fetch", file), contentType); err != nil {
		t.Fatal(err)
	}
}

func TestFetchPageArticle(t *testing.T) {
	srv := feedtest.New(t)
	servePage(t, srv, "/world/stoltenberg", "article.html", "text/html; charset=utf-8")
	srv.Handle("/s/abc", feedtest.Redirect("/world/stoltenberg"))

	p, err := newTestClient(t, Options{}).FetchPage(context.Background(), srv.URL("/s/abc"))
	if err != nil {
		t.Fatalf("FetchPage: %v", err)
	}
	if got, want := p.URL, srv.URL("/world/stoltenberg"); got != want {
		t.Errorf("URL: got %q, want the final URL %q", got, want)
	}
	if !strings.Contains(p.Title, "Stoltenberg reaffirms Ukraine's right to join NATO") {
		t.Errorf("Title: got %q", p.Title)
	}
	if !strings.Contains(p.Body.Text, "The Bucharest decision stands") {
		t.Errorf("Body.Text: got %q, want the article's text", p.Body.Text)
	}
	if strings.Contains(p.Body.Text, "tracked") || strings.Contains(p.Body.Markdown, "<script") {
		t.Errorf("Body: scripts must not survive: %q", p.Body.Markdown)
	}
	var readAlso []Link
	for _, l := range p.Body.Links {
		if l.ReadAlso {
			readAlso = append(readAlso, l)
		}
	}
	if len(readAlso) != 1 || readAlso[0].URL != srv.URL("/politics/nato-poll") {
		t.Errorf("Read also links: got %+v, want one to %s (absolute, against the final URL)", readAlso, srv.URL("/politics/nato-poll"))
	}
}

func TestFetchPageCharsetFromHeader(t *testing.T) {
	srv := feedtest.New(t)
	servePage(t, srv, "/ua/programa", "article-cp1251.html", "text/html; charset=windows-1251")
	p, err := newTestClient(t, Options{}).FetchPage(context.Background(), srv.URL("/ua/programa"))
	if err != nil {
		t.Fatalf("FetchPage: %v", err)
	}
	if !strings.Contains(p.Title+p.Body.Text, "Уряд затвердив програму відновлення") {
		t.Errorf("got Title %q, want the Cyrillic title decoded from windows-1251", p.Title)
	}
}

func TestFetchPageSendsHeaders(t *testing.T) {
	srv := feedtest.New(t)
	var (
		mu  sync.Mutex
		got http.Header
	)
	srv.Handle("/page", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Header.Clone()
		mu.Unlock()
		http.NotFound(w, r)
	})
	_, err := newTestClient(t, Options{UserAgent: "brief/9"}).FetchPage(context.Background(), srv.URL("/page"))
	if err == nil {
		t.Fatal("got no error for a 404")
	}
	mu.Lock()
	defer mu.Unlock()
	if ua := got.Get("User-Agent"); ua != "brief/9" {
		t.Errorf("User-Agent: got %q, want brief/9", ua)
	}
	if a := got.Get("Accept"); !strings.HasPrefix(a, "text/html") {
		t.Errorf("Accept: got %q, want HTML first", a)
	}
}

func TestFetchPageFailures(t *testing.T) {
	srv := feedtest.New(t)
	servePage(t, srv, "/login", "not-article.html", "text/html; charset=utf-8")
	srv.Handle("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF-1.7\n"))
	})
	srv.Handle("/gone", feedtest.Status(http.StatusGone))
	srv.Handle("/hang", feedtest.Hang())
	srv.Set("/big", []byte("<html><body><p>"+strings.Repeat("word ", 1000)+"</p></body></html>"), "text/html")
	srv.Handle("/bomb", feedtest.GzipBomb(1<<30, "text/html"))
	tests := []struct {
		name, url string
		opts      Options
		wantIs    error
		wantMsg   string // "" : any message with the feed: prefix
	}{
		{"404", srv.URL("/missing"), Options{}, nil, "feed: not found (HTTP 404)"},
		{"410", srv.URL("/gone"), Options{}, nil, "feed: gone (HTTP 410): the feed was removed; delete it from your config"},
		{"not an article", srv.URL("/login"), Options{}, nil, ""},
		{"a PDF", srv.URL("/pdf"), Options{}, ErrNotWebPage, "feed: not a web page (application/pdf): open it in the browser instead"},
		{"javascript", "javascript:alert(document.cookie)", Options{}, ErrUnsafeURL, ""},
		{"file", "file:///etc/passwd", Options{}, ErrUnsafeURL, ""},
		{"newline", "http://example.org/a\nb", Options{}, ErrUnsafeURL, ""},
		{"refused", "http://" + feedtest.ClosedAddr(t) + "/", Options{}, ErrConnRefused, ""},
		{"timeout", srv.URL("/hang"), Options{}, ErrTimeout, "feed: no answer within 300ms"},
		{"over the cap", srv.URL("/big"), Options{MaxBodySize: 1 << 10}, ErrTooLarge, "feed: response larger than 1 KiB"},
		{"gzip bomb", srv.URL("/bomb"), Options{Timeout: 20 * time.Second}, ErrTooLarge, "feed: response larger than 16 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // some cases wait for a timeout
			p, err := newTestClient(t, tt.opts).FetchPage(context.Background(), tt.url)
			if err == nil {
				t.Fatalf("got page %q, want an error", p.Title)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("got %v, want %v", err, tt.wantIs)
			}
			if tt.wantMsg != "" && err.Error() != tt.wantMsg {
				t.Errorf("message: got %q, want %q", err, tt.wantMsg)
			}
			if !strings.HasPrefix(err.Error(), "feed: ") {
				t.Errorf("message: got %q, want the feed: prefix", err)
			}
		})
	}
}

func TestFetchPageNewsFixtures(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	c := newTestClient(t, Options{})
	p, err := c.FetchPage(context.Background(), srv.URL(feedtest.NewsPage))
	if err != nil {
		t.Fatalf("FetchPage(%s): %v", feedtest.NewsPage, err)
	}
	// The whole headline, ", – NATO" included, so that the "Read also"
	// link naming it matches (see TestExtractPageFullTitle).
	if p.Title != feedtest.TitlePage {
		t.Errorf("Title: got %q, want %q", p.Title, feedtest.TitlePage)
	}
	if _, err := c.FetchPage(context.Background(), srv.URL(feedtest.NewsNotArticle)); err == nil {
		t.Errorf("FetchPage(%s): got no error, want one for a page without an article", feedtest.NewsNotArticle)
	}
	var he *HTTPError
	if _, err := c.FetchPage(context.Background(), srv.URL(feedtest.NewsMissing)); !errors.As(err, &he) || he.Status != http.StatusNotFound {
		t.Errorf("FetchPage(%s): got %v, want HTTP 404", feedtest.NewsMissing, err)
	}
}
