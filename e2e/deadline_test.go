package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

// Issue 12: 20 normal feeds and one hostile feed in one `brief refresh`: the
// normal articles arrive, the hostile feed is reported, and the refresh ends
// (within the request timeout and the processing deadline; asserted
// generously, as the machine is shared).
func TestRefreshWithAHostileFeed(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	srv := feedtest.New(t)
	var urls []string
	for f := 0; f < 20; f++ {
		p := fmt.Sprintf("/n/%d.xml", f)
		srv.Set(p, feedtest.RSS(fmt.Sprintf("Normal %d", f), srv.URL(""), feedtest.Generate(srv.URL(""), f, 10)), "")
		urls = append(urls, srv.URL(p))
	}
	srv.Set("/hostile.xml", feedtest.HostileCapFeed(srv.URL(""), "brackets"), "")
	urls = append(urls, srv.URL("/hostile.xml"))
	e := newEnv(t, dotfile(urls...))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "refresh", "--config", e.config, "--db", e.db)
	cmd.Env = e.environ()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	t.Logf("brief refresh took %s", time.Since(start).Round(time.Millisecond))
	if ctx.Err() != nil {
		t.Fatalf("brief refresh did not end within 5 minutes; stderr:\n%s", errb.String())
	}
	if err != nil {
		t.Fatalf("brief refresh: %v; stderr:\n%s", err, errb.String())
	}
	if want := "21 feeds, 207 new articles, 0 failed"; !strings.Contains(out.String(), want) {
		t.Errorf("stdout %q lacks %q", out.String(), want)
	}
	if !strings.Contains(errb.String(), "/hostile.xml") || !strings.Contains(errb.String(), "article cut at 512 KiB") {
		t.Errorf("stderr does not report the hostile feed's cut articles:\n%s", errb.String())
	}

	st, err := store.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.Articles(context.Background(), store.Filter{}, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 207 {
		t.Errorf("%d articles stored, want 207", len(rows))
	}
}

// Issue 12: SIGTERM and SIGINT stop `brief refresh` whatever it is doing
// (here: a server that never answers and a feed whose articles take a long
// time to process), with the interrupted status, and what was committed
// stays. The time is logged; the assertion is generous.
func TestSignalStopsRefresh(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			srv := feedtest.New(t)
			srv.Set("/ok.xml", feedtest.RSS("OK", srv.URL(""), feedtest.Generate(srv.URL(""), 1, 5)), "")
			srv.Handle("/hang.xml", feedtest.Hang())
			srv.Set("/hostile.xml", feedtest.HostileCapFeed(srv.URL(""), "paragraphs"), "")
			e := newEnv(t, "refresh_on_start = false\ntimeout = \"120s\"\n"+
				fmt.Sprintf("[[feed]]\nurl = %q\n[[feed]]\nurl = %q\n[[feed]]\nurl = %q\n", srv.URL("/ok.xml"), srv.URL("/hang.xml"), srv.URL("/hostile.xml")))
			// A first refresh stores the good feed (the hanging one times out
			// only after 120 s, so it is stopped too).
			cmd := exec.Command(binary, "refresh", "--config", e.config, "--db", e.db)
			cmd.Env = e.environ()
			var errb bytes.Buffer
			cmd.Stderr = &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(time.Minute)
			for srv.Stats("/hang.xml").Requests == 0 || srv.Stats("/hostile.xml").Requests == 0 {
				if time.Now().After(deadline) {
					t.Fatal("the feeds were never requested")
				}
				time.Sleep(20 * time.Millisecond)
			}
			time.Sleep(300 * time.Millisecond) // the hostile feed is being processed
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				t.Logf("stopped %s after the signal: %v", time.Since(start).Round(time.Millisecond), err)
				if code := cmd.ProcessState.ExitCode(); code != 130 {
					t.Errorf("exit code %d, want 130; stderr:\n%s", code, errb.String())
				}
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("brief refresh still running 30 s after %s; stderr:\n%s", sig, errb.String())
			}
			integrity(t, e.db)
		})
	}
}
