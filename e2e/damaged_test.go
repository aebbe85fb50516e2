package e2e

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// TestDamagedLargeCacheIsNeverWritten: a cache over 8 MiB (checked in the
// background, not before the start) that was cut short or had pages
// overwritten stays byte-identical after "brief refresh" (with new articles
// to write) and after the reader (opening an article marks it read), and the
// message says how to keep read and starred state.
func TestDamagedLargeCacheIsNeverWritten(t *testing.T) {
	srv := feedtest.New(t)
	items := feedtest.Generate(srv.URL(""), 7, 10000)
	for i := range items {
		items[i].Description += "<p>" + strings.Repeat("Filler words that make the cache larger than the check bound. ", 8) + "</p>"
	}
	srv.Set("/big.xml", feedtest.RSS("Big", srv.URL(""), items), "")
	e := newEnv(t, dotfile(srv.URL("/big.xml")))
	if out, errOut, code := e.run("refresh", "--config", e.config, "--db", e.db); code != 0 {
		t.Fatalf("refresh: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	good, err := os.ReadFile(e.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(good) <= 8<<20 {
		t.Fatalf("the cache has %d bytes; the test needs more than 8 MiB", len(good))
	}
	// New articles for the refreshes below to write.
	srv.Set("/big.xml", feedtest.RSS("Big", srv.URL(""), feedtest.Generate(srv.URL(""), 8, 50)), "")

	cases := map[string][]byte{
		"cut short": good[:len(good)-4096],
		"overwritten pages": func() []byte {
			b := bytes.Clone(good)
			mid := len(b) / 2
			copy(b[mid-64<<10:mid+64<<10], bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef, 0x17}, 32<<10))
			return b
		}(),
	}
	for name, damaged := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, dotfile(srv.URL("/big.xml")))
			db := filepath.Join(t.TempDir(), "brief.db")
			if err := os.WriteFile(db, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			want := sha256.Sum256(damaged)
			unchanged := func(after string) {
				t.Helper()
				b, err := os.ReadFile(db)
				if err != nil {
					t.Fatal(err)
				}
				if sha256.Sum256(b) != want {
					t.Errorf("the cache changed after %s", after)
				}
			}
			out, errOut, code := e.run("refresh", "--config", e.config, "--db", db)
			if code == 0 || !strings.Contains(errOut, "the cache is damaged") || !strings.Contains(errOut, ".recover") {
				t.Errorf("refresh: code %d, stdout %q, stderr %q; want a failure that says how to recover", code, out, errOut)
			}
			unchanged("brief refresh")

			s := e.startTmux(100, 30, "--config", e.config, "--db", db)
			deadline := time.Now().Add(30 * time.Second)
			for !s.exited() && !strings.Contains(s.screen(), "Feed 7 article") && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			if s.exited() { // refused at the start (the header): the message is on stderr
				t.Log("refused at the start")
				b, err := os.ReadFile(filepath.Join(e.dir, s.name+".stderr"))
				if err != nil || !strings.Contains(string(b), "the cache is damaged") || !strings.Contains(string(b), ".recover") {
					t.Errorf("brief exited with %q (%v); want the damaged-cache message", b, err)
				}
			} else {
				t.Log("refused at the first write")
				s.keys("Enter") // open an article: it would be marked read
				s.keys("s")     // and starred
				s.waitFor("the write is refused", "store: the cache is damaged")
				s.keys("q")
				s.waitExit("quit")
			}
			unchanged("the reader")
		})
	}
}
