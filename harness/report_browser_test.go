package harness

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/replsim/replsim/checker"
	"github.com/replsim/replsim/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var screenshot = flag.Bool("screenshot", false, "TestReportInBrowser: write the prefix report's first screen to docs/report.png")

// The laptop screen a report must be readable on.
const screenW, screenH = 1366, 768

// chromiumPath finds Debian's chromium. A test that needs it fails in CI
// (CI set) and skips elsewhere when it is missing.
func chromiumPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("chromium is not installed, and CI requires it (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium)")
	return ""
}

// failingRun finds a run that fails property prop with bug switched on:
// the hinted seed first, then seeds from 1 (so a change to the workload
// generator moves the seed, not the test).
func failingRun(t *testing.T, bug, prop string, hint uint64, ops int) *Result {
	t.Helper()
	// The page opens on the first violation: find a run where it is prop.
	try := func(seed uint64) *Result {
		res := Run(Options{Seed: seed, Ops: ops, Bugs: []string{bug}})
		if len(res.Violations) > 0 && res.Violations[0].Check == prop {
			return res
		}
		return nil
	}
	if res := try(hint); res != nil {
		return res
	}
	for seed := uint64(1); seed <= 300; seed++ {
		if res := try(seed); res != nil {
			return res
		}
	}
	t.Fatalf("no seed up to 300 fails %s with %s", prop, bug)
	return nil
}

// pageProblems collects what the page says went wrong: console errors,
// uncaught exceptions and browser log errors.
type pageProblems struct {
	mu   sync.Mutex
	msgs []string
}

func (p *pageProblems) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, fmt.Sprint(a.Value, a.Description))
			}
			msg = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
		}
	case *runtime.EventExceptionThrown:
		msg = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			msg += " " + ev.ExceptionDetails.Exception.Description
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			msg = "log: " + ev.Entry.Text + " " + ev.Entry.URL
		}
	}
	if msg != "" {
		p.mu.Lock()
		p.msgs = append(p.msgs, msg)
		p.mu.Unlock()
	}
}

func (p *pageProblems) list() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.msgs...)
}

// rect is an element's box in the viewport, as getBoundingClientRect says.
type rect struct {
	Left, Top, Right, Bottom float64
	Found                    bool
}

const rectJS = `(() => { const e = document.querySelector(%q); if (!e) return {Found: false};
  const r = e.getBoundingClientRect(); return {Found: true, Left: r.left, Top: r.top, Right: r.right, Bottom: r.bottom}; })()`

// TestReportInBrowser loads the report of a prefix, a convergence, a
// durability and a WAIT-durability violation in headless chromium at a laptop's screen
// size: the page loads with no console error, the violation box and its
// mark on the chart are both within the first screen, and porcupine's tab
// opens without errors too.
func TestReportInBrowser(t *testing.T) {
	chromium := chromiumPath(t)
	cases := []struct {
		name, bug, prop string
		hint            uint64
		ops             int
	}{
		{"prefix", node.BugNoMultiWrap, checker.PropPrefix, 1, 300},
		{"convergence", node.BugReplicaExpires, checker.PropConvergence, 12, 0},
		{"durability", node.BugAlwaysAcksBeforeFsync, checker.PropDurability, 3, 0},
		{"wait-durability", node.BugWaitCountsLagging, checker.PropWaitDurability, 4, 0},
	}

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(screenW, screenH),
	)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	require.NoError(t, chromedp.Do(browser), "start chromium")

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := failingRun(t, c.bug, c.prop, c.hint, c.ops)
			dir := t.TempDir()
			require.NoError(t, WriteReport(dir, res))
			var problems pageProblems
			tab, cancelTab := chromedp.NewContext(browser, chromedp.WithListener(problems.listen))
			defer cancelTab()
			ctx, cancel := context.WithTimeout(tab, 60*time.Second)
			defer cancel()

			require.NoError(t, chromedp.Do(ctx,
				chromedp.EmulateViewport(screenW, screenH),
				chromedp.Navigate("file://"+filepath.Join(dir, ReportHTML)),
				chromedp.WaitVisible("#violation-mark"),
			))
			for _, sel := range []string{"#violation", "#violation-mark"} {
				r, err := chromedp.Run(ctx, chromedp.Evaluate[rect](fmt.Sprintf(rectJS, sel)))
				require.NoError(t, err)
				require.True(t, r.Found, "%s is on the page", sel)
				assert.True(t, r.Top >= 0 && r.Bottom <= screenH && r.Left >= 0 && r.Right <= screenW,
					"%s must be within the first %dx%d screen, is at %+v", sel, screenW, screenH, r)
			}
			box, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#violation").innerText`))
			require.NoError(t, err)
			assert.Contains(t, box, c.prop)
			lanes, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#chart .lanelabel")).map(e => e.textContent).join(" ")`))
			require.NoError(t, err)
			for _, n := range res.Report.Nodes {
				assert.Contains(t, lanes, n, "a lane per node")
			}
			for _, cl := range res.Report.Clients {
				assert.Contains(t, lanes, cl, "a lane per client, by its name")
			}

			if *screenshot && c.name == "prefix" {
				png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(filepath.Join("..", "docs", "report.png"), png, 0o644))
			}

			// Porcupine's tab: its page loads into a frame on first use.
			_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise(ok => {
				document.querySelector('nav.tabs button[data-tab="lin"]').click();
				const f = document.querySelector("#tab-lin iframe");
				f.addEventListener("load", () => setTimeout(() => ok(true), 300));
			})`, chromedp.EvalAwaitPromise))
			require.NoError(t, err)
			svg, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelector("#tab-lin iframe").contentDocument.querySelectorAll("svg").length`))
			require.NoError(t, err)
			assert.Positive(t, svg, "porcupine drew its history")
			assert.Empty(t, problems.list(), "the page logged errors")
		})
	}
}
