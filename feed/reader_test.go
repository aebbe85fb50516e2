package feed

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

func readFixture(t *testing.T, elem ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, elem...)...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExtractPage(t *testing.T) {
	const pageURL = "https://news.example/world/2024/03/05/storm"
	page, err := ExtractPage(readFixture(t, "reader", "article.html"), "text/html; charset=utf-8", pageURL)
	if err != nil {
		t.Fatalf("ExtractPage: %v", err)
	}
	checks := []struct{ what, got, want string }{
		{"URL", page.URL, pageURL},
		{"Title", page.Title, "Storm reaches the coast"},
		{"Author", page.Author, "Jane Reporter"},
		{"SiteName", page.SiteName, "Example News"},
		{"Published", page.Published.Format(time.RFC3339), "2024-03-05T14:30:00Z"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	for _, s := range []string{"The storm reached the coast", "Forecasters expect"} {
		if !strings.Contains(page.Body.Text, s) {
			t.Errorf("Body.Text lacks %q:\n%s", s, page.Body.Text)
		}
	}
	for _, s := range []string{"Unrelated story", "Privacy", "Log in", "tracker"} {
		if strings.Contains(page.Body.Markdown, s) {
			t.Errorf("Body.Markdown holds page clutter %q:\n%s", s, page.Body.Markdown)
		}
	}
	var readAlso *Link
	for i, l := range page.Body.Links {
		if l.ReadAlso {
			readAlso = &page.Body.Links[i]
		}
	}
	if readAlso == nil {
		t.Fatalf("no Read also link in %+v", page.Body.Links)
	}
	if want := "https://news.example/world/2024/03/04/evacuations"; readAlso.URL != want {
		t.Errorf("Read also link URL = %q, want %q (resolved against the page URL)", readAlso.URL, want)
	}
	checkBodySafe(t, page.Body)
}

func TestExtractPageCharsets(t *testing.T) {
	tests := []struct {
		name, file, contentType string
	}{
		{"charset from meta", "article-windows-1251.html", "text/html"},
		{"charset from header", "article-windows-1251-nometa.html", "text/html; charset=windows-1251"},
		{"header and meta agree", "article-windows-1251.html", "text/html; charset=windows-1251"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := ExtractPage(readFixture(t, "reader", tt.file), tt.contentType, "https://ua.example/news/budget")
			if err != nil {
				t.Fatalf("ExtractPage: %v", err)
			}
			if want := "Уряд ухвалив бюджет"; page.Title != want {
				t.Errorf("Title = %q, want %q", page.Title, want)
			}
			if !strings.Contains(page.Body.Text, "Кабінет міністрів у вівторок") {
				t.Errorf("Body.Text is not decoded:\n%s", page.Body.Text)
			}
			found := false
			for _, l := range page.Body.Links {
				if l.ReadAlso && l.URL == "https://ua.example/news/energy" && l.Text == "Ціни на енергію зростуть восени" {
					found = true
				}
			}
			if !found {
				t.Errorf("no Читайте також link in %+v", page.Body.Links)
			}
		})
	}
}

func TestExtractPageNotAnArticle(t *testing.T) {
	tests := []struct {
		name string
		body []byte
	}{
		{"login form", readFixture(t, "reader", "not-article.html")},
		{"empty", nil},
		{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
		{"only a title", []byte("<html><head><title>T</title></head><body></body></html>")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const pageURL = "https://news.example/login"
			_, err := ExtractPage(tt.body, "text/html", pageURL)
			if !errors.Is(err, ErrNoArticle) {
				t.Fatalf("ExtractPage error = %v, want ErrNoArticle", err)
			}
			if want := "feed: no readable article at " + pageURL; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q does not start with %q", err, want)
			}
		})
	}
}

func TestExtractPageBadURL(t *testing.T) {
	_, err := ExtractPage(readFixture(t, "reader", "article.html"), "text/html", "/relative")
	if err == nil || !strings.HasPrefix(err.Error(), "feed: ") {
		t.Errorf("ExtractPage with a relative URL: error %v, want a feed: error", err)
	}
}

func TestExtractPageHostile(t *testing.T) {
	page, err := ExtractPage(readFixture(t, "reader", "hostile.html"), "text/html", "https://evil.example/page")
	if err != nil {
		t.Fatalf("ExtractPage: %v", err)
	}
	for what, s := range map[string]string{"Title": page.Title, "Author": page.Author, "SiteName": page.SiteName} {
		checkTerminalSafe(t, what, s, "")
		if s != CleanText(s) {
			t.Errorf("%s %q is not clean", what, s)
		}
	}
	checkBodySafe(t, page.Body)
	for _, l := range page.Body.Links {
		if strings.HasPrefix(l.URL, "javascript:") {
			t.Errorf("javascript link kept: %+v", l)
		}
	}
}

func TestExtractPageUnknownCharset(t *testing.T) {
	body := readFixture(t, "reader", "article.html")
	page, err := ExtractPage(body, "text/html; charset=x-no-such-charset", "https://news.example/a")
	if err != nil {
		t.Fatalf("ExtractPage with an unknown charset: %v", err)
	}
	if page.Title == "" {
		t.Error("no title")
	}
}

// TestExtractPageFullTitle checks that a title go-readability cut at a
// separator inside the headline (", – NATO") is restored from the page's
// og:title or <h1>, and that a site name it cut off stays off.
func TestExtractPageFullTitle(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	resp, err := http.Get(srv.URL(feedtest.NewsPage))
	if err != nil {
		t.Fatal(err)
	}
	news, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}

	const story = "Russia stages pretext for attack after reports of multiple shelling incidents, – NATO"
	page := func(head, h1 string) []byte {
		return []byte("<!doctype html><html><head><meta charset=\"utf-8\">" + head + "</head><body><article>" + h1 +
			"<p>" + strings.Repeat("The alliance said it had seen reports of shelling along the contact line. ", 8) + "</p>" +
			"<p>" + strings.Repeat("Officials repeated their calls for de-escalation and for talks to continue. ", 8) + "</p>" +
			"</article></body></html>")
	}
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"feedtest NewsPage", news, feedtest.TitlePage},
		{"from h1", page("<title>"+story+"</title>", "<h1>"+story+"</h1>"), story},
		{"from og:title", page(`<title>`+story+`</title><meta name="twitter:card" content="summary">`+
			`<meta property="og:title" content="`+story+`"><meta property="dc:title" content="Russia stages pretext for attack after reports of multiple shelling incidents,">`, ""), story},
		{"site name stays off", page("<title>Parliament passes the 2022 state budget | Fixture News</title>",
			"<h1>Parliament passes the 2022 state budget</h1>"), "Parliament passes the 2022 state budget"},
		{"h1 not cut at a separator", page("<title>Parliament passes the 2022 state budget | Fixture News</title>",
			"<h1>Parliament passes the 2022 state budget in second reading</h1>"), "Parliament passes the 2022 state budget"},
		{"unrelated h1", page("<title>"+story+"</title>", "<h1>Fixture News</h1>"),
			"Russia stages pretext for attack after reports of multiple shelling incidents,"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ExtractPage(tt.body, "text/html; charset=utf-8", "https://news.example/pages/shelling")
			if err != nil {
				t.Fatalf("ExtractPage: %v", err)
			}
			if p.Title != tt.want {
				t.Errorf("Title: got %q, want %q", p.Title, tt.want)
			}
		})
	}
}
