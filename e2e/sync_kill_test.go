package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/internal/minifluxtest"
	"github.com/brief-reader/brief/store"
)

// pushLog is a proxy in front of Miniflux that records every push
// (PUT /v1/entries) and can hold one push after the server applied it, so
// that the test can kill brief while it waits for the answer.
type pushLog struct {
	mu     sync.Mutex
	pushes []push
	holdAt int           // the push (1-based) to hold; 0: none
	held   chan struct{} // closed when the held push has been applied
	free   chan struct{} // closed by the test to let the held push answer
}

// push is one PUT /v1/entries: which field it set on which entries.
type push struct {
	field string // read | starred
	ids   []int64
}

func (l *pushLog) handler(target *url.URL) http.Handler {
	proxy := httputil.NewSingleHostReverseProxy(target)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut || r.URL.Path != "/v1/entries" {
			proxy.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var p struct {
			IDs     []int64 `json:"entry_ids"`
			Status  *string `json:"status"`
			Starred *bool   `json:"starred"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		field := "starred"
		if p.Status != nil {
			field = "read"
		}
		rec := httptest.NewRecorder()
		proxy.ServeHTTP(rec, r) // the server applies it
		l.mu.Lock()
		l.pushes = append(l.pushes, push{field: field, ids: p.IDs})
		hold := l.holdAt == len(l.pushes)
		if hold {
			l.holdAt = 0 // once
		}
		l.mu.Unlock()
		if hold {
			close(l.held)
			<-l.free // brief is killed meanwhile: this answer never arrives
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// sent returns the pushes so far and forgets them.
func (l *pushLog) take() []push {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.pushes
	l.pushes = nil
	return p
}

// Issue 7, test 3's second half: brief refresh is killed with SIGKILL in the
// middle of pushing queued changes to a real Miniflux, after the server
// applied a batch and before brief heard so. Nothing is lost (every change
// is still in the cache and, unless acknowledged, in the queue), and after a
// restart every change is on the server once: no batch the server
// acknowledged is sent again, only the one cut short is, and every change
// sets a state, so that resend changes nothing.
func TestKillDuringPush(t *testing.T) {
	srv := minifluxtest.Require(t)
	ctx := context.Background()
	const user, feeds, items = "killpush", 2, 300
	if err := srv.NewUser(ctx, user); err != nil {
		t.Fatal(err)
	}
	fs := feedtest.New(t)
	for i := range feeds {
		path := fmt.Sprintf("/kill/%d.xml", i)
		gen := feedtest.Generate(fs.URL(""), i, items)
		for j := range gen {
			gen[j].GUID = fmt.Sprintf("kill-%d-%d", i, j)
			gen[j].Title = fmt.Sprintf("Kill feed %d story %d", i, j)
			gen[j].Published = time.Now().Add(-time.Duration(i*items+j) * time.Minute)
		}
		fs.Set(path, feedtest.RSS(fmt.Sprintf("Kill feed %d", i), fs.URL(""), gen), "")
		if err := srv.Subscribe(ctx, user, minifluxtest.Password(user), fs.URL(path), "News"); err != nil {
			t.Fatal(err)
		}
	}
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	log := &pushLog{}
	proxy := httptest.NewServer(log.handler(target))
	defer proxy.Close()

	e := newEnv(t, fmt.Sprintf(`refresh_on_start = false
timeout = "30s"

[[account]]
name = "home"
kind = "miniflux"
url = %q
username = %q
password_command = "echo %s"
`, proxy.URL, user, minifluxtest.Password(user)))
	if out, errs, code := e.run("refresh", "--config", e.config, "--db", e.db); code != 0 || !strings.Contains(out, fmt.Sprintf("%d new articles", feeds*items)) {
		t.Fatalf("first sync: exit %d, %q, %q", code, out, errs)
	}

	// Mark everything read and star half of it, one article at a time like
	// the reader does: 900 queued changes, in four batches or more.
	st, err := store.Open(ctx, e.db)
	if err != nil {
		t.Fatal(err)
	}
	rows := queryPairs(t, e.db, `SELECT article_id, remote_id FROM remote_entries ORDER BY article_id`)
	if len(rows) != feeds*items {
		t.Fatalf("%d entries in the cache, want %d", len(rows), feeds*items)
	}
	wantStarred := map[int64]bool{}
	for i, r := range rows {
		if err := st.SetRead(ctx, r.article, true); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := st.SetStarred(ctx, r.article, true); err != nil {
				t.Fatal(err)
			}
			wantStarred[r.remote] = true
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	queued := feeds*items + len(wantStarred)
	if n := count(t, e.db, `SELECT count(*) FROM sync_queue`); n != queued {
		t.Fatalf("%d changes queued, want %d", n, queued)
	}

	// Refresh, and kill it while it waits for the answer to its second push.
	log.holdAt, log.held, log.free = 2, make(chan struct{}), make(chan struct{})
	cmd := exec.Command(binary, "refresh", "--config", e.config, "--db", e.db)
	cmd.Env = e.environ()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-log.held:
	case <-time.After(3 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatal("brief never pushed twice")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("brief was not killed: %v", err)
	}
	close(log.free)
	before := log.take()
	if len(before) != 2 {
		t.Fatalf("%d pushes before the kill, want 2", len(before))
	}
	acked := before[0] // the server answered it and brief heard the answer
	ackedSet := map[int64]bool{}
	for _, id := range acked.ids {
		ackedSet[id] = true
	}

	// Nothing lost: the cache still has every change, and the queue every
	// change but those of the acknowledged push.
	if n := count(t, e.db, `SELECT count(*) FROM articles WHERE read = 1`); n != feeds*items {
		t.Errorf("after the kill: %d articles read in the cache, want %d", n, feeds*items)
	}
	if n := count(t, e.db, `SELECT count(*) FROM articles WHERE starred = 1`); n != len(wantStarred) {
		t.Errorf("after the kill: %d articles starred in the cache, want %d", n, len(wantStarred))
	}
	if n := count(t, e.db, `SELECT count(*) FROM sync_queue`); n != queued-len(acked.ids) {
		t.Errorf("after the kill: %d changes queued, want %d (all but the %d acknowledged)", n, queued-len(acked.ids), len(acked.ids))
	}
	// Both pushes reached the server.
	applied := serverCount(t, srv, user, "e.status = 'read'")
	if want := len(before[0].ids) + len(before[1].ids); before[0].field == "read" && before[1].field == "read" && applied != want {
		t.Errorf("after the kill: %d entries read on the server, want %d", applied, want)
	}

	// Restart: the rest goes, the cut push is resent, the acknowledged one is not.
	if out, errs, code := e.run("refresh", "--config", e.config, "--db", e.db); code != 0 || !strings.Contains(out, "1 account") {
		t.Fatalf("refresh after the kill: exit %d, %q, %q", code, out, errs)
	}
	sentAgain := 0
	for _, p := range log.take() {
		for _, id := range p.ids {
			if p.field == acked.field && ackedSet[id] {
				t.Errorf("entry %d: its %s change was acknowledged before the kill and sent again", id, p.field)
			}
			sentAgain++
		}
	}
	if want := queued - len(acked.ids); sentAgain != want {
		t.Errorf("after the restart brief sent %d changes, want %d (the cut push and the rest)", sentAgain, want)
	}
	if n := count(t, e.db, `SELECT count(*) FROM sync_queue`); n != 0 {
		t.Errorf("after the restart: %d changes still queued", n)
	}
	if n := serverCount(t, srv, user, "e.status = 'read'"); n != feeds*items {
		t.Errorf("the server has %d entries read, want %d", n, feeds*items)
	}
	out, err := srv.Query(ctx, `SELECT e.id FROM entries e JOIN users u ON u.id = e.user_id WHERE u.username = '`+user+`' AND e.starred ORDER BY e.id`)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(out)
	if len(got) != len(wantStarred) {
		t.Errorf("the server has %d entries starred, want %d", len(got), len(wantStarred))
	}
	for _, id := range got {
		var n int64
		if _, err := fmt.Sscan(id, &n); err != nil {
			t.Fatalf("entry id %q: %v", id, err)
		}
		if !wantStarred[n] {
			t.Errorf("entry %s is starred on the server, but was not in brief", id)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM articles WHERE read = 1`); n != feeds*items {
		t.Errorf("after the restart: %d articles read in the cache, want %d", n, feeds*items)
	}
}

// serverCount counts user's entries on the server matching cond (on e).
func serverCount(t *testing.T, srv *minifluxtest.Server, user, cond string) int {
	t.Helper()
	out, err := srv.Query(context.Background(), `SELECT count(*) FROM entries e JOIN users u ON u.id = e.user_id WHERE u.username = '`+user+`' AND `+cond)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if _, err := fmt.Sscan(out, &n); err != nil {
		t.Fatalf("count %q: %v", out, err)
	}
	return n
}

type pair struct{ article, remote int64 }

// queryPairs runs a query of two integer columns on the cache at path.
func queryPairs(t *testing.T, path, q string) []pair {
	t.Helper()
	db := openDB(t, path)
	defer db.Close()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.article, &p.remote); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// count runs a count query on the cache at path.
func count(t *testing.T, path, q string) int {
	t.Helper()
	db := openDB(t, path)
	defer db.Close()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}
