package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/faasprobe/faasprobe/internal/record"
	"github.com/faasprobe/faasprobe/internal/sysroot"
	"github.com/faasprobe/faasprobe/internal/textsafe"
)

// recordUsage is the help of `faasprobe record`.
func recordUsage(w io.Writer) {
	fmt.Fprint(w, `faasprobe record: record this machine as a tree that faasprobe --root reads

Usage:
  faasprobe record [--root SRC] DIR

Writes into DIR (created if missing; refused if not empty) exactly the files
faasprobe reads (proc/..., sys/..., etc/...), the variables faasprobe consults
as DIR/env with credentials replaced by <REDACTED> (every other variable is
dropped), and a note DIR/RECORDED (when, version,
platform detected, caveats). Review DIR/env before sharing it.

Flags:
  --root SRC   re-record the tree at SRC instead of this machine

Exit status: 0 when the tree was written (sources that could not be read are
listed on stderr and in DIR/RECORDED), 2 for bad usage or a DIR that is not
empty, 1 when writing failed.
`)
}

// runRecord is `faasprobe record`: args are what follows the subcommand.
// Its messages can repeat what a tree holds (the name of a file it could
// not read), so they print through textsafe.
func runRecord(args []string, stdout, stderr io.Writer) int {
	stdout, stderr = textsafe.NewWriter(stdout), textsafe.NewWriter(stderr)
	fset := flag.NewFlagSet("faasprobe record", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	src := fset.String("root", "", "re-record the tree at SRC")
	var dirs []string
	for { // flags may come before or after DIR
		if err := fset.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				recordUsage(stdout)
				return 0
			}
			fmt.Fprintf(stderr, "faasprobe record: %v\n", err)
			recordUsage(stderr)
			return 2
		}
		if fset.NArg() == 0 {
			break
		}
		dirs = append(dirs, fset.Arg(0))
		args = fset.Args()[1:]
	}
	if len(dirs) != 1 || dirs[0] == "" {
		fmt.Fprintf(stderr, "faasprobe record: want one DIR, got %d arguments\n", len(dirs))
		recordUsage(stderr)
		return 2
	}
	dir := dirs[0]
	if msg := checkOutDir(dir); msg != "" {
		fmt.Fprintf(stderr, "faasprobe record: %s\n", msg)
		return 2
	}

	root := sysroot.Live()
	if *src != "" {
		r, err := sysroot.Recorded(*src)
		if r.Dir == "" {
			fmt.Fprintf(stderr, "faasprobe record: --root %s: not a readable directory\n", *src)
			return 2
		}
		if err != nil {
			warn(stderr, err) // bad env lines: the good ones are recorded
		}
		root = r
	}

	tree, err := record.Collect(root)
	if err != nil {
		warn(stderr, err)
	}
	if err := tree.WriteDir(dir); err != nil {
		fmt.Fprintf(stderr, "faasprobe record: %v\n", err)
		if errors.Is(err, record.ErrNotEmpty) {
			return 2
		}
		return 1
	}
	files := 0
	for _, f := range tree.Files {
		if !f.Dir {
			files++
		}
	}
	redacted := ""
	if len(tree.Redacted) > 0 {
		redacted = ": " + strings.Join(tree.Redacted, ", ")
	}
	fmt.Fprintf(stdout, "faasprobe record: wrote %d files to %s; redacted %d variables%s; dropped %d variables faasprobe does not consult; %d sources not recorded (see %s)\n",
		files, dir, len(tree.Redacted), redacted, tree.Dropped, len(tree.Notes), record.NoteFile)
	return 0
}

// checkOutDir says why dir cannot take a recording, or "".
func checkOutDir(dir string) string {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ""
	case err != nil:
		return err.Error()
	case !st.IsDir():
		return dir + ": not a directory"
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err.Error()
	}
	if len(ents) > 0 {
		return fmt.Sprintf("%s: %v (%d entries); refusing to overwrite", dir, record.ErrNotEmpty, len(ents))
	}
	return ""
}

// warn prints each line of err as a warning.
func warn(w io.Writer, err error) {
	for line := range strings.SplitSeq(err.Error(), "\n") {
		fmt.Fprintf(w, "faasprobe record: warning: %s\n", line)
	}
}
