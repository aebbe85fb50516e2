package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/subs")

// runCmd runs a subscriptions command as the CLI does and returns its
// output and exit status.
func runCmd(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runSubs(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

// dotfileCopy copies a testdata dotfile into a temp dir and returns its path.
func dotfileCopy(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "subs", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// golden compares got with testdata/subs/name (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "subs", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readString(t, path)
	if got != want {
		t.Errorf("%s differs (go test -run %s -update to accept):\n--- got\n%s\n--- want\n%s", name, t.Name(), got, want)
	}
}

// newsServer serves a feed at /feed.xml and a page naming it and a comments feed at /.
func newsServer(t *testing.T) *feedtest.Server {
	t.Helper()
	srv := feedtest.New(t)
	base := srv.URL("")
	srv.Set("/feed.xml", feedtest.RSS("Loopback News", base, feedtest.Generate(base, 1, 7)), "")
	srv.Set("/comments.xml", feedtest.RSS("Loopback Comments", base, feedtest.Generate(base, 2, 2)), "")
	srv.Set("/", []byte(`<!DOCTYPE html><html><head>
<link rel="alternate" type="application/rss+xml" title="News" href="/feed.xml">
<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments.xml">
</head><body>home</body></html>`), "text/html")
	return srv
}

// Every comment, blank line and odd spacing of a hand-kept dotfile
// survives import, add and remove; only whole [[feed]] blocks change.
func TestCommentsSurviveImportAddRemove(t *testing.T) {
	srv := newsServer(t)
	path := dotfileCopy(t, "commented.toml")

	out, errs, code := runCmd(t, "", "import", "--config", path, filepath.Join("testdata", "subs", "import.opml"))
	if code != 0 {
		t.Fatalf("import: %d %s", code, errs)
	}
	if !strings.Contains(out, "OPML: added 2 feeds, 1 already there, 0 skipped") {
		t.Errorf("import said %q", out)
	}
	golden(t, "commented.import.golden", readString(t, path))

	out, errs, code = runCmd(t, "", "add", srv.URL("/feed.xml"), "--tag", "local", "--config", path)
	if code != 0 {
		t.Fatalf("add: %d %s", code, errs)
	}
	if !strings.Contains(out, `added "Loopback News"`) || !strings.Contains(out, "7 items") {
		t.Errorf("add said %q", out)
	}
	golden(t, "commented.add.golden", strings.ReplaceAll(readString(t, path), srv.URL(""), "http://loopback.test"))

	out, errs, code = runCmd(t, "", "remove", "bbc world", "--config", path)
	if code != 0 {
		t.Fatalf("remove: %d %s", code, errs)
	}
	if !strings.Contains(out, `removed "BBC World"`) {
		t.Errorf("remove said %q", out)
	}
	golden(t, "commented.remove.golden", strings.ReplaceAll(readString(t, path), srv.URL(""), "http://loopback.test"))

	if _, err := loadConfig(path); err != nil {
		t.Errorf("the edited dotfile does not load: %v", err)
	}
	if bak := readString(t, path+".bak"); !strings.Contains(bak, "BBC World") {
		t.Errorf("config.toml.bak is not the version before the remove:\n%s", bak)
	}
}

// Bad input of every kind: a clear message, exit 1, the dotfile byte-identical, no backup written.
func TestImportBadInputLeavesDotfileAlone(t *testing.T) {
	deep := strings.Repeat(`<outline text="d">`, 1000) + strings.Repeat(`</outline>`, 1000)
	var many strings.Builder
	for i := range 100000 {
		fmt.Fprintf(&many, `<outline xmlUrl="https://a.example/%d"/>`, i)
	}
	cases := map[string]struct{ body, want string }{
		"not OPML":         {`<?xml version="1.0"?><plist/>`, "root element is <plist>"},
		"HTML error page":  {"<html><body><h1>500 Internal Server Error</h1></body></html>", "HTML page, not an OPML file"},
		"truncated XML":    {"<opml><body>\n<outline text=\"a\" xmlUrl=\"https://a.example/\"", "line 2: the OPML file is truncated"},
		"100,000 outlines": {"<opml><body>" + many.String() + "</body></opml>", "more than 20000 outlines"},
		"1,000 levels":     {"<opml><body>" + deep + "</body></opml>", "nested more than 64 deep"},
		"entity expansion": {`<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><opml><body><outline text="&b;" xmlUrl="https://a.example/"/></body></opml>`, "declares XML entities"},
		"javascript: URL":  {"<opml><body>\n<outline text=\"ok\" xmlUrl=\"https://ok.example/\"/>\n<outline text=\"x\" xmlUrl=\"javascript:alert(1)\"/>\n</body></opml>", "line 3: refusing javascript: URL"},
		"file: URL":        {"https://ok.example/\nfile:///etc/passwd\n", "line 2: refusing file: URL"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			path := dotfileCopy(t, "commented.toml")
			before := readString(t, path)
			in := filepath.Join(t.TempDir(), "in")
			if err := os.WriteFile(in, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, errs, code := runCmd(t, "", "import", in, "--config", path)
			if code != 1 || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, errs, c.want)
			}
			if readString(t, path) != before {
				t.Error("the dotfile changed")
			}
			if _, err := os.Stat(path + ".bak"); err == nil {
				t.Error("a backup was written")
			}
		})
	}
}

func TestEditsRefusedOnBrokenOrReadOnlyDotfile(t *testing.T) {
	opml := filepath.Join("testdata", "subs", "import.opml")
	t.Run("broken dotfile", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "config.toml")
		broken := "[[feed]]\nurl = \"https://a.example/\ntitle = \"x\"\n"
		if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"import", opml}, {"remove", "https://a.example/"}} {
			_, errs, code := runCmd(t, "", append(args, "--config", path)...)
			if code != 1 || !strings.Contains(errs, "config.toml:2:") {
				t.Errorf("%v: exit %d, %q; want the line and column of the problem", args, code, errs)
			}
			if readString(t, path) != broken {
				t.Errorf("%v changed a broken dotfile", args)
			}
		}
	})
	t.Run("read-only dotfile", func(t *testing.T) {
		path := dotfileCopy(t, "commented.toml")
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
		_, errs, code := runCmd(t, "", "import", opml, "--config", path)
		if code != 1 || !strings.Contains(errs, "read-only") {
			t.Errorf("exit %d, %q", code, errs)
		}
	})
	t.Run("missing --config", func(t *testing.T) {
		_, errs, code := runCmd(t, "", "import", opml, "--config", filepath.Join(t.TempDir(), "nope.toml"))
		if code != 1 || !strings.Contains(errs, "does not exist") {
			t.Errorf("exit %d, %q", code, errs)
		}
	})
}

func TestImportDryRunAndVerbose(t *testing.T) {
	path := dotfileCopy(t, "commented.toml")
	before := readString(t, path)
	urls := filepath.Join(t.TempDir(), "urls")
	body := "# newsboat\nhttps://hnrss.org/frontpage tech\nhttps://lwn.net/headlines/rss tech \"~LWN\"\n\"query:Unread:unread = \\\"yes\\\"\"\nexec:~/bin/feed.sh\n"
	if err := os.WriteFile(urls, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runCmd(t, "", "import", "--dry-run", "--verbose", urls, "--config", path)
	if code != 0 {
		t.Fatalf("%d %s", code, errs)
	}
	want := []string{
		`line 2: https://hnrss.org/frontpage is already there as feed #3 "Hacker News"`,
		`line 3: would add "LWN" https://lwn.net/headlines/rss [tech]`,
		"line 4: skipped: a newsboat query feed",
		"line 5: skipped: an exec: feed",
		"newsboat urls: would add 1 feed, 1 already there, 2 skipped (dry run: nothing written)",
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got\n%s\nwant %d lines", out, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d: got %q, want %q…", i, lines[i], w)
		}
	}
	if readString(t, path) != before {
		t.Error("--dry-run wrote the dotfile")
	}
}

func TestAdd(t *testing.T) {
	srv := newsServer(t)
	t.Run("a page with two feeds asks which", func(t *testing.T) {
		path := dotfileCopy(t, "commented.toml")
		out, errs, code := runCmd(t, "7\n2\n", "add", srv.URL("/"), "--config", path)
		if code != 0 {
			t.Fatalf("%d %s", code, errs)
		}
		for _, w := range []string{"1. News  " + srv.URL("/feed.xml"), "2. Comments  " + srv.URL("/comments.xml"), `"7" is not a number from 1 to 2`, `added "Loopback Comments"`, "2 items"} {
			if !strings.Contains(out, w) {
				t.Errorf("output lacks %q:\n%s", w, out)
			}
		}
		if !strings.Contains(readString(t, path), srv.URL("/comments.xml")) {
			t.Error("not added")
		}
	})
	t.Run("--first takes the first, --title and --tag are written", func(t *testing.T) {
		path := dotfileCopy(t, "commented.toml")
		_, errs, code := runCmd(t, "", "add", "--first", srv.URL("/"), "--title", "Mine", "--tag", "a", "--tag", "b c", "--config", path)
		if code != 0 {
			t.Fatalf("%d %s", code, errs)
		}
		want := fmt.Sprintf("[[feed]]\nurl = %q\ntitle = \"Mine\"\ntags = [\"a\", \"b c\"]\n", srv.URL("/feed.xml"))
		if got := readString(t, path); !strings.Contains(got, want) {
			t.Errorf("dotfile lacks\n%s\ngot\n%s", want, got)
		}
	})
	t.Run("no answer, cancel", func(t *testing.T) {
		path := dotfileCopy(t, "commented.toml")
		before := readString(t, path)
		for stdin, want := range map[string]string{"": "pass --first", "q\n": "cancelled"} {
			_, errs, code := runCmd(t, stdin, "add", srv.URL("/"), "--config", path)
			if code != 1 || !strings.Contains(errs, want) {
				t.Errorf("stdin %q: exit %d %q", stdin, code, errs)
			}
		}
		if readString(t, path) != before {
			t.Error("dotfile changed")
		}
	})
	t.Run("a duplicate is refused naming the entry", func(t *testing.T) {
		path := dotfileCopy(t, "commented.toml")
		before := readString(t, path)
		_, errs, code := runCmd(t, "", "add", "http://www.hnrss.org/frontpage/", "--config", path)
		if code != 1 || !strings.Contains(errs, `already subscribed: "Hacker News" (https://hnrss.org/frontpage)`) {
			t.Errorf("exit %d %q", code, errs)
		}
		if readString(t, path) != before {
			t.Error("dotfile changed")
		}
	})
	t.Run("an unreachable or broken feed is not added", func(t *testing.T) {
		path := dotfileCopy(t, "commented.toml")
		before := readString(t, path)
		srv.Set("/broken.xml", []byte("<rss><channel><title>x</title><item><title>"), "")
		for _, u := range []string{srv.URL("/missing.xml"), "javascript:alert(1)", srv.URL("/nothing/here.html")} {
			_, errs, code := runCmd(t, "", "add", u, "--config", path)
			if code != 1 || !strings.Contains(errs, "brief: add: ") {
				t.Errorf("%s: exit %d %q", u, code, errs)
			}
		}
		if readString(t, path) != before {
			t.Error("dotfile changed")
		}
	})
	t.Run("first use writes a dotfile without the sample feeds", func(t *testing.T) {
		t.Setenv("XDG_CONFIG_HOME", t.TempDir())
		out, errs, code := runCmd(t, "", "add", srv.URL("/feed.xml"))
		if code != 0 || !strings.Contains(out, "wrote a new dotfile") {
			t.Fatalf("%d %s %s", code, out, errs)
		}
		cfg, err := loadConfig(filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "brief", "config.toml"))
		if err != nil || len(cfg.Feeds) != 1 {
			t.Errorf("got %+v, %v; want just the added feed", cfg.Feeds, err)
		}
	})
}

func TestRemove(t *testing.T) {
	for _, c := range []struct {
		arg, want string
		code      int
	}{
		{"https://hnrss.org/frontpage", `removed "Hacker News"`, 0},
		{"HTTP://WWW.theguardian.com/world/rss/", `removed "The Guardian: World"`, 0},
		{"  the guardian: world ", `removed "The Guardian: World"`, 0},
		{"nothing like it", `no feed in`, 1},
	} {
		path := dotfileCopy(t, "commented.toml")
		out, errs, code := runCmd(t, "", "remove", c.arg, "--config", path)
		if code != c.code || !strings.Contains(out+errs, c.want) {
			t.Errorf("%q: exit %d, %q %q", c.arg, code, out, errs)
		}
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	two := "[[feed]]\nurl = \"https://a.example/\"\ntitle = \"Same\"\n\n[[feed]]\nurl = \"https://b.example/\"\ntitle = \"same\"\n"
	if err := os.WriteFile(path, []byte(two), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code := runCmd(t, "", "remove", "same", "--config", path)
	if code != 1 || !strings.Contains(errs, "2 feeds are titled") || !strings.Contains(errs, "https://b.example/") {
		t.Errorf("ambiguous title: exit %d %q", code, errs)
	}
}

// tagged300 writes a dotfile of 300 feeds with tags (some several, some none).
func tagged300(t testing.TB) string {
	var b strings.Builder
	b.WriteString("# 300 feeds\nconcurrency = 4\n")
	for i := range 300 {
		fmt.Fprintf(&b, "\n[[feed]]\nurl = \"https://site%d.example/feed?id=%d&x=1\"\n", i, i)
		if i%3 != 0 {
			fmt.Fprintf(&b, "title = \"Site %d — \\\"quoted\\\" & <angled>\"\n", i)
		}
		switch i % 4 {
		case 1:
			fmt.Fprintf(&b, "tags = [\"t%d\"]\n", i%7)
		case 2:
			fmt.Fprintf(&b, "tags = [\"t%d\", \"shared\"]\n", i%5)
		}
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExportImportRoundTrip(t *testing.T) {
	path := tagged300(t)
	before := readString(t, path)
	opml := filepath.Join(t.TempDir(), "feeds.opml")
	out, errs, code := runCmd(t, "", "export", opml, "--config", path)
	if code != 0 || !strings.Contains(out, "exported 300 feeds") {
		t.Fatalf("export: %d %q %q", code, out, errs)
	}
	out, errs, code = runCmd(t, "", "import", opml, "--config", path)
	if code != 0 || !strings.Contains(out, "OPML: added 0 feeds, 300 already there") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	if readString(t, path) != before {
		t.Error("importing the export changed the dotfile")
	}
	// Into an empty dotfile, the export brings back every feed with its title and tags.
	empty := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(empty, []byte(""), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := runCmd(t, "", "import", opml, "--config", empty); code != 0 {
		t.Fatal(errs)
	}
	orig, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := loadConfig(empty)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]FeedConf{}
	for _, f := range orig.Feeds {
		want[f.URL] = f
	}
	if len(got.Feeds) != 300 {
		t.Fatalf("%d feeds back", len(got.Feeds))
	}
	for _, f := range got.Feeds {
		w := want[f.URL]
		// Tags are a set: folders come back in the order the OPML lists them.
		if f.Title != w.Title || !sameSet(f.Tags, w.Tags) {
			t.Errorf("got %+v, want %+v", f, w)
		}
	}
	if _, errs, code := runCmd(t, "", "export", path, "--config", path); code != 1 || !strings.Contains(errs, "is the dotfile") {
		t.Errorf("export over the dotfile: %d %q", code, errs)
	}
}

func TestSubsArgs(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--config", "add", "remove"}, "remove"},
		{[]string{"--db=x", "import", "f"}, "import"},
		{[]string{"--title", "export", "add"}, "add"},
		{[]string{"refresh"}, "refresh"},
	} {
		if got := commandWord(c.args); got != c.want {
			t.Errorf("%v: got %q, want %q", c.args, got, c.want)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"add"}, "add needs a URL"},
		{[]string{"import", "a", "b"}, `unexpected argument "b"`},
		{[]string{"add", "u", "--nope"}, "flag provided but not defined"},
		{[]string{"import", "f", "--all"}, "--all is for export"},
		{[]string{"remove", "u", "--account", "home"}, "--account is for add"},
		{[]string{"add", "u", "--account", "home", "--title", "T"}, "--title and --first do not apply"},
		{[]string{"add", "u", "--account", "home", "--tag", "a", "--tag", "b"}, "one --tag names the category"},
	} {
		if _, err := parseSubsArgs(c.args); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.args, err, c.want)
		}
	}
}

// BenchmarkImport1000 imports a 1,000-feed OPML export (in folders) into a
// dotfile: read, plan, edit, atomic write. No network is involved.
func BenchmarkImport1000(b *testing.B) {
	var o strings.Builder
	o.WriteString(`<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>x</title></head><body>`)
	for f := range 10 {
		fmt.Fprintf(&o, "<outline text=\"folder %d\">\n", f)
		for i := range 100 {
			fmt.Fprintf(&o, "<outline type=\"rss\" text=\"Feed %d-%d\" xmlUrl=\"https://news%d.example/rss/%d.xml\" htmlUrl=\"https://news%d.example/\"/>\n", f, i, f, i, f)
		}
		o.WriteString("</outline>\n")
	}
	o.WriteString("</body></opml>\n")
	dir := b.TempDir()
	opml := filepath.Join(dir, "feeds.opml")
	if err := os.WriteFile(opml, []byte(o.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "config.toml")
	for b.Loop() {
		if err := os.WriteFile(path, []byte(starterConfig), 0o644); err != nil {
			b.Fatal(err)
		}
		var out, errb bytes.Buffer
		if code := runSubs(context.Background(), []string{"import", opml, "--config", path}, nil, &out, &errb); code != 0 {
			b.Fatal(errb.String())
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
