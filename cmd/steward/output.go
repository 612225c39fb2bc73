package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"steward/site"
)

// markerName is the file that says a folder is a Steward report, so a later
// build may replace it. Steward never replaces a folder without it.
const markerName = ".steward-report"

const markerText = "This folder was written by Steward (steward build or steward compare) and is replaced by the next one written here.\n"

// writeReport writes files into a new folder beside out and swaps it in, so a
// failed build leaves the previous report exactly as it was.
func writeReport(out string, files []site.File) error {
	if out == "" {
		return usagef("--out is empty")
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return usagef("--out %s: %v", out, err)
	}
	if err := refuseOut(abs, out); err != nil {
		return err
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("--out %s: %v", out, pathErr(err))
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".steward-new-")
	if err != nil {
		return fmt.Errorf("--out %s: cannot write beside it: %v", out, pathErr(err))
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("--out %s: %v", out, pathErr(err))
	}
	for _, f := range files {
		name := filepath.FromSlash(f.Name)
		if !filepath.IsLocal(name) {
			return fmt.Errorf("internal error: report file %q is outside the report folder", f.Name)
		}
		p := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("--out %s: %v", out, pathErr(err))
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return fmt.Errorf("--out %s: %v", out, pathErr(err))
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, markerName), []byte(markerText), 0o644); err != nil {
		return fmt.Errorf("--out %s: %v", out, pathErr(err))
	}
	old := ""
	if _, err := os.Lstat(abs); err == nil {
		old = tmp + ".old"
		if err := os.Rename(abs, old); err != nil {
			return fmt.Errorf("--out %s: cannot replace the previous report: %v", out, pathErr(err))
		}
	}
	if err := os.Rename(tmp, abs); err != nil {
		if old != "" {
			os.Rename(old, abs) // put the previous report back
		}
		return fmt.Errorf("--out %s: %v", out, pathErr(err))
	}
	ok = true
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// refuseOut refuses output folders Steward must never replace: the root, the
// home folder, the working folder or its parents, and any existing folder
// that is not empty and was not made by Steward.
func refuseOut(abs, given string) error {
	if home, err := os.UserHomeDir(); err == nil && sameDir(abs, home) {
		return usagef("--out %s is your home folder; choose a new folder such as ./report", given)
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(abs, wd); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
			return usagef("--out %s holds the current folder; choose a new folder such as ./report", given)
		}
	}
	if filepath.Dir(abs) == abs {
		return usagef("--out %s is the root folder; choose a new folder such as ./report", given)
	}
	st, err := os.Lstat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("--out %s: %v", given, pathErr(err))
	}
	if !st.IsDir() {
		return usagef("--out %s is a file, not a folder", given)
	}
	if _, err := os.Stat(filepath.Join(abs, markerName)); err == nil {
		return nil
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return fmt.Errorf("--out %s: %v", given, pathErr(err))
	}
	if len(entries) > 0 {
		return usagef("--out %s is a folder Steward did not make (no %s in it); it is left alone: choose a new or empty folder", given, markerName)
	}
	return nil
}

func sameDir(a, b string) bool {
	ra, err1 := filepath.EvalSymlinks(a)
	rb, err2 := filepath.EvalSymlinks(b)
	if err1 != nil || err2 != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return ra == rb
}

// pathErr drops the path from a *fs.PathError: messages name --out already.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
