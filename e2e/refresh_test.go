package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

// dotfile lists the given feed URLs.
func dotfile(urls ...string) string {
	var b strings.Builder
	b.WriteString("refresh_on_start = false\nrefresh_interval = \"0\"\ntimeout = \"3s\"\n")
	for _, u := range urls {
		fmt.Fprintf(&b, "\n[[feed]]\nurl = %q\n", u)
	}
	return b.String()
}

func TestRefreshCommand(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	e := newEnv(t, dotfile(srv.URL(feedtest.NewsWorld), srv.URL(feedtest.NewsPolitics), srv.URL("/missing.xml")))

	out, errOut, code := e.run("refresh", "--config", e.config, "--db", e.db)
	if code != 0 {
		t.Fatalf("exit code: got %d, want 0; stderr:\n%s", code, errOut)
	}
	if want := "3 feeds, 5 new articles, 1 failed"; !strings.Contains(out, want) {
		t.Errorf("stdout: got %q, want it to contain %q", out, want)
	}
	if !strings.Contains(errOut, "/missing.xml") || !strings.Contains(errOut, "404") {
		t.Errorf("stderr: got %q, want a line naming /missing.xml and 404", errOut)
	}

	// Unchanged: every request conditional, nothing new.
	before := srv.Total()
	out, _, code = e.run("--db", e.db, "refresh", "--config", e.config)
	if code != 0 || !strings.Contains(out, "3 feeds, 0 new articles, 1 failed") {
		t.Errorf("second refresh: got code %d, stdout %q", code, out)
	}
	after := srv.Total()
	if got := after.NotModified - before.NotModified; got != 2 {
		t.Errorf("second refresh: got %d answers 304, want 2", got)
	}
}

func TestBrokenDotfileAndDatabase(t *testing.T) {
	e := newEnv(t, "concurrency = 4\ntimeout = \"5s\nper_host = 2\n")
	_, errOut, code := e.run("refresh", "--config", e.config, "--db", e.db)
	if code == 0 || !strings.Contains(errOut, e.config+":2:") {
		t.Errorf("broken dotfile: got code %d, stderr %q; want non-zero and the file with line 2", code, errOut)
	}

	e = newEnv(t, dotfile())
	junk := []byte("this is not a database, it is a shopping list\n")
	if err := os.WriteFile(e.db, junk, 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = e.run("refresh", "--config", e.config, "--db", e.db)
	if code == 0 || !strings.Contains(errOut, e.db) {
		t.Errorf("not a database: got code %d, stderr %q; want non-zero and the path named", code, errOut)
	}
	got, err := os.ReadFile(e.db)
	if err != nil || string(got) != string(junk) {
		t.Errorf("the non-database file was changed: %q, %v", got, err)
	}
}

func TestFirstRunWritesStarterDotfile(t *testing.T) {
	e := newEnv(t, "")
	_, errOut, code := e.run("version")
	if code != 0 {
		t.Fatalf("version: exit %d: %s", code, errOut)
	}
	// refresh with no dotfile writes the starter one. Its feeds are usually not
	// reachable from a test: each is reported, and the exit status is 3 (every
	// feed failed) rather than a dotfile or database error; 0 if they were reached.
	out, errOut, code := e.run("refresh", "--db", e.db)
	if code != 0 && code != 3 {
		t.Fatalf("refresh: exit %d, want 0, or 3 when no starter feed is reachable: %s", code, errOut)
	}
	path := e.dir + "/xdg-config/brief/config.toml"
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("starter dotfile not written: %v", err)
	}
	if !strings.Contains(errOut, "wrote a starter config") || !strings.Contains(errOut, path) {
		t.Errorf("stderr: got %q, want it to say where the starter config is", errOut)
	}
	if !strings.Contains(out, "feeds,") {
		t.Errorf("stdout: got %q, want a summary line", out)
	}
}

// integrity opens the database file with plain SQL and runs PRAGMA integrity_check.
func integrity(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	if res != "ok" {
		t.Fatalf("integrity_check: got %q, want ok", res)
	}
}

// TestKillDuringRefresh kills "brief refresh" with SIGKILL at random moments,
// many times in a row: every reopen passes integrity_check and no committed
// read or starred state is lost.
func TestKillDuringRefresh(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	ctx := context.Background()
	srv := feedtest.New(t)
	var urls []string
	const feeds = 40
	for f := 0; f < feeds; f++ {
		p := fmt.Sprintf("/k/%d.xml", f)
		srv.Set(p, feedtest.RSS(fmt.Sprintf("K%d", f), srv.URL(""), feedtest.Generate(srv.URL(""), f, 50)), "")
		urls = append(urls, srv.URL(p))
	}
	e := newEnv(t, dotfile(urls...))
	if _, errOut, code := e.run("refresh", "--config", e.config, "--db", e.db); code != 0 {
		t.Fatalf("first refresh: %s", errOut)
	}

	read := map[int64]bool{}
	starred := map[int64]bool{}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 15; round++ {
		// Commit some user state, as the reader would.
		st, err := store.Open(ctx, e.db)
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		rows, err := st.Articles(ctx, store.Filter{}, rng.IntN(1500), 5)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if i%2 == 0 {
				if err := st.SetRead(ctx, r.ID, true); err != nil {
					t.Fatal(err)
				}
				read[r.ID] = true
			} else {
				if err := st.SetStarred(ctx, r.ID, true); err != nil {
					t.Fatal(err)
				}
				starred[r.ID] = true
			}
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}

		// Change every feed so the refresh has real writing to do.
		for f := 0; f < feeds; f++ {
			items := feedtest.Generate(srv.URL(""), f, 50)
			for i := range items {
				items[i].Description += fmt.Sprintf("<p>round %d</p>", round)
			}
			srv.Set(fmt.Sprintf("/k/%d.xml", f), feedtest.RSS(fmt.Sprintf("K%d", f), srv.URL(""), items), "")
		}
		cmd := exec.Command(binary, "refresh", "--config", e.config, "--db", e.db)
		cmd.Env = e.environ()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait() // killed, or finished first: either is fine

		integrity(t, e.db)
		st, err = store.Open(ctx, e.db)
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		for id := range read {
			a, err := st.Article(ctx, id)
			if err != nil || !a.Read {
				t.Errorf("round %d: article %d: read state lost (read=%v, err=%v)", round, id, a.Read, err)
			}
		}
		for id := range starred {
			a, err := st.Article(ctx, id)
			if err != nil || !a.Starred {
				t.Errorf("round %d: article %d: starred state lost (starred=%v, err=%v)", round, id, a.Starred, err)
			}
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTwoProcesses runs two "brief refresh" at once on one database while a
// third process marks articles read: all succeed and no write is lost.
func TestTwoProcesses(t *testing.T) {
	ctx := context.Background()
	srv := feedtest.New(t)
	var urls []string
	for f := 0; f < 30; f++ {
		p := fmt.Sprintf("/t/%d.xml", f)
		srv.Set(p, feedtest.RSS(fmt.Sprintf("T%d", f), srv.URL(""), feedtest.Generate(srv.URL(""), f, 40)), "")
		urls = append(urls, srv.URL(p))
	}
	e := newEnv(t, dotfile(urls...))
	if _, errOut, code := e.run("refresh", "--config", e.config, "--db", e.db); code != 0 {
		t.Fatalf("first refresh: %s", errOut)
	}
	for f := 0; f < 30; f++ {
		items := feedtest.Generate(srv.URL(""), f, 40)
		items[0].Title += " (updated)"
		srv.Set(fmt.Sprintf("/t/%d.xml", f), feedtest.RSS(fmt.Sprintf("T%d", f), srv.URL(""), items), "")
	}

	st, err := store.Open(ctx, e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Articles(ctx, store.Filter{}, 0, 200)
	if err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make(chan string, 3)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(binary, "refresh", "--config", e.config, "--db", e.db)
			cmd.Env = e.environ()
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Sprintf("refresh: %v: %s", err, out)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, r := range rows {
			if err := st.SetRead(ctx, r.ID, true); err != nil {
				errs <- fmt.Sprintf("SetRead: %v", err)
				return
			}
		}
	}()
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	for _, r := range rows {
		a, err := st.Article(ctx, r.ID)
		if err != nil || !a.Read {
			t.Errorf("article %d: read state lost (read=%v, err=%v)", r.ID, a.Read, err)
		}
	}
	integrity(t, e.db)
}
