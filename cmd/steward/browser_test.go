package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// findChromium returns the browser the browser tests drive, or "" when this
// machine has none. CI installs Debian's chromium (see .ci/run).
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// needChromium skips the test where no browser is installed, except in CI,
// where a missing browser is a failure.
func needChromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	p := findChromium()
	if p == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but no chromium found: .ci/run must install it (apt-get install -y chromium)")
		}
		t.Skip("no chromium on this machine: install it (apt-get install -y chromium) to run the browser tests")
	}
	return p
}

// artifactDir is where browser tests keep screenshots for people to look at.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("STEWARD_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browser starts headless Chromium the way this machine allows: no sandbox
// (root), no GPU, and no background networking (the network is closed).
func browser(t *testing.T, chromium string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("allow-file-access-from-files", false),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// pageReport is what a browser saw while loading one page.
type pageReport struct {
	mu         sync.Mutex
	requests   []string
	errors     []string
	consoleErr []string
}

func (p *pageReport) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, e.Request.URL)
	case *runtime.EventExceptionThrown:
		p.errors = append(p.errors, (&chromedp.ExceptionError{ExceptionDetails: e.ExceptionDetails}).Error())
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			p.consoleErr = append(p.consoleErr, string(e.Type)+": "+strings.Join(parts, " "))
		}
	}
}

// TestBrowserReport builds the bundled sample and opens every page in
// headless Chromium: no script errors, no console errors, no request that
// leaves the report folder, every chart drawn. Screenshots are kept in
// testdata/artifacts (or $STEWARD_ARTIFACTS).
func TestBrowserReport(t *testing.T) {
	chromium := needChromium(t)
	out := filepath.Join(t.TempDir(), "report")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"steward", "build", "--quiet", "--out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("build exit %d: %s", code, stderr.String())
	}
	pages, err := filepath.Glob(filepath.Join(out, "*.html"))
	if err != nil || len(pages) < 7 {
		t.Fatalf("want at least 7 pages, got %v (%v)", pages, err)
	}
	sort.Strings(pages)
	ctx := browser(t, chromium)
	art := artifactDir(t)
	for _, p := range pages {
		name := strings.TrimSuffix(filepath.Base(p), ".html")
		t.Run(name, func(t *testing.T) {
			checkPage(t, ctx, out, p, filepath.Join(art, "report-"+name+".png"))
		})
	}
}

// TestBrowserCompare opens a comparison page: no script errors and no request
// outside its folder (the page has no charts drawn by script).
func TestBrowserCompare(t *testing.T) {
	chromium := needChromium(t)
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"steward", "sample", "--format", "npsp-report", "--donors", "400", "--out", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("sample exit %d: %s", code, stderr.String())
	}
	out := filepath.Join(dir, "comparison")
	args := []string{"steward", "compare", "--cutover", "2024-07-01", "--out", out, filepath.Join(dir, "npsp-opportunities.csv")}
	if code := Main(args, &stdout, &stderr); code != 0 {
		t.Fatalf("compare exit %d: %s", code, stderr.String())
	}
	ctx := browser(t, chromium)
	checkPage(t, ctx, out, filepath.Join(out, "index.html"), filepath.Join(artifactDir(t), "compare-index.png"))
}

// checkPage loads one page and checks what it did.
func checkPage(t *testing.T, ctx context.Context, root, page, shot string) {
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	rep := &pageReport{}
	if err := chromedp.Listen(tab, rep.listen); err != nil {
		t.Fatal(err)
	}
	url := "file://" + page
	if err := chromedp.Do(tab,
		chromedp.Navigate(url),
		chromedp.WaitReady("body"),
		chromedp.Sleep(300*time.Millisecond), // let charts finish drawing
	); err != nil {
		t.Fatalf("load %s: %v", url, err)
	}
	// Every chart container holds a drawn ECharts instance with data.
	res, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`(() => {
		const out = [];
		for (const el of document.querySelectorAll('.chart')) {
			const inst = window.echarts && echarts.getInstanceByDom(el);
			if (!inst) { out.push(el.id + ': not drawn'); continue; }
			const o = inst.getOption();
			if (!o.series || o.series.length === 0) out.push(el.id + ': no series');
			if (!el.querySelector('canvas, svg')) out.push(el.id + ': no canvas');
		}
		return out;
	})()`))
	if err != nil {
		t.Fatalf("inspect charts: %v", err)
	}
	for _, r := range res {
		t.Errorf("chart %s", r)
	}
	charts, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll('.chart').length`))
	if err != nil {
		t.Fatal(err)
	}
	buf, err := chromedp.Run(tab, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(strings.TrimSuffix(shot, ".png")+".jpg", buf, 0o644); err != nil {
		t.Fatal(err)
	}
	rep.mu.Lock()
	defer rep.mu.Unlock()
	for _, e := range rep.errors {
		t.Errorf("page error: %s", e)
	}
	for _, e := range rep.consoleErr {
		t.Errorf("console %s", e)
	}
	prefix := "file://" + root + "/"
	for _, u := range rep.requests {
		if !strings.HasPrefix(u, prefix) && !strings.HasPrefix(u, "data:") {
			t.Errorf("request leaves the report folder: %s", u)
		}
	}
	t.Logf("%s: %d charts, %d requests", filepath.Base(page), charts, len(rep.requests))
}
