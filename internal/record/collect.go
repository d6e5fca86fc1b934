package record

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/cgroupfs"
	"github.com/faasprobe/faasprobe/internal/redact"
	"github.com/faasprobe/faasprobe/internal/sources"
	"github.com/faasprobe/faasprobe/internal/sysroot"
	"github.com/faasprobe/faasprobe/sandbox"
)

// Collect records root in memory: exactly the files of internal/sources
// (globs expanded and cgroup files resolved on root itself), the
// environment as the file "env" with credentials redacted, and the note
// (NoteFile). A file root lacks is left out. A source that exists but
// cannot be read (or cannot be a tree path) is left out too, listed in
// Tree.Notes, and its error joined into the returned error; the Tree is
// usable whatever the error. Collect writes nothing.
func Collect(root sysroot.Root, opts ...Option) (Tree, error) {
	c := newConfig(opts)
	r := recorder{root: root, index: map[string]int{}}
	at := c.now().UTC().Truncate(1e9)
	if st, err := os.Stat(root.Path("")); err != nil || !st.IsDir() {
		if err == nil {
			err = errors.New("not a directory")
		}
		return Tree{RecordedAt: at}, fmt.Errorf("record: root %s: %w", root.Path(""), err)
	}

	var cgroupSources []sources.Source
	for _, s := range sources.All() {
		switch s.Kind {
		case sources.File:
			r.file(s.Path)
		case sources.Head:
			r.head(s.Path, s.HeadBytes)
		case sources.Marker:
			if root.Exists(s.Path) {
				r.add(File{Path: s.Path, Data: []byte{}})
			}
		case sources.Dir:
			if root.IsDir(s.Path) {
				r.add(File{Path: s.Path, Dir: true})
			}
		case sources.Glob:
			for _, p := range r.expand(s.Path) {
				r.file(p)
			}
		case sources.Cgroup:
			cgroupSources = append(cgroupSources, s)
		case sources.Env, sources.LiveOnly:
			// The environment is recorded below; live-only sources cannot be.
		}
	}
	r.cgroups(cgroupSources)

	env, err := c.environment(root)
	if err != nil {
		r.fail("env", err)
	}
	envFile, redacted, dropped := r.envFile(env)
	r.add(File{Path: "env", Data: envFile})

	h, _ := hostinfo.Detect(hostOptions(root, env)...) // its problems are the readers' business
	r.identity(root, env, h)
	r.dropImpliedDirs()
	files := len(r.files)
	source := "live machine"
	if isTree(root) {
		source = "recorded tree " + path.Base(strings.ReplaceAll(root.Dir, `\`, "/"))
	}
	r.add(File{Path: NoteFile, Data: note(noteInput{
		at: at, version: c.version, source: source, host: h,
		files: files, redacted: redacted, dropped: dropped, notes: r.notes,
	})})
	slices.SortFunc(r.files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	t := Tree{Files: r.files, RecordedAt: at, Redacted: redacted, Dropped: dropped, Notes: r.notes}
	if err := t.check(); err != nil { // a bug if it happens: every path was validated
		return t, err
	}
	return t, errors.Join(r.errs...)
}

// recorder accumulates the tree.
type recorder struct {
	root  sysroot.Root
	files []File
	index map[string]int // path → position in files
	notes []string
	errs  []error
}

// add keeps f unless its path is invalid (noted) or already recorded.
func (r *recorder) add(f File) {
	if err := ValidPath(f.Path); err != nil {
		r.notes = append(r.notes, fmt.Sprintf("skipped: %v", err))
		return
	}
	if _, ok := r.index[f.Path]; ok {
		return
	}
	r.index[f.Path] = len(r.files)
	r.files = append(r.files, f)
}

// fail notes a source that exists but could not be read.
func (r *recorder) fail(p string, err error) {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	r.notes = append(r.notes, fmt.Sprintf("%s: %v", p, err))
	r.errs = append(r.errs, fmt.Errorf("record: %s: %w", p, err))
}

func (r *recorder) file(p string) {
	if _, ok := r.index[p]; ok {
		return
	}
	b, err := r.root.ReadFile(p)
	switch {
	case err == nil:
		r.add(File{Path: p, Data: b})
	case !sysroot.IsAbsent(err):
		r.fail(p, err)
	}
}

func (r *recorder) head(p string, n int) {
	b, err := r.root.ReadHead(p, n)
	switch {
	case err == nil:
		r.add(File{Path: p, Data: b})
	case !sysroot.IsAbsent(err):
		r.fail(p, err)
	}
}

// expand lists the existing paths matching pattern, whose "*" segments
// are matched against directory listings of the root.
func (r *recorder) expand(pattern string) []string {
	paths := []string{""}
	for seg := range strings.SplitSeq(pattern, "/") {
		var next []string
		for _, p := range paths {
			if !strings.ContainsAny(seg, "*?[") {
				next = append(next, path.Join(p, seg))
				continue
			}
			names, err := r.root.ReadDir(p)
			if err != nil {
				if !sysroot.IsAbsent(err) && !errors.Is(err, fs.ErrInvalid) && !isNotDir(err) {
					r.fail(p, err)
				}
				continue
			}
			for _, n := range names {
				if ok, _ := path.Match(seg, n); ok {
					next = append(next, path.Join(p, n))
				}
			}
		}
		paths = next
	}
	return paths
}

// isNotDir reports a ReadDir of something that is not a directory (a
// plain file planted where a directory is expected): nothing to expand.
func isNotDir(err error) bool { return errors.Is(err, syscall.ENOTDIR) }

// cgroups records the limit files sandbox reads, found the way sandbox
// finds them and by the same code (internal/cgroupfs): our cgroup per
// controller from proc/self/cgroup, mapped through the cgroup mounts of
// proc/self/mountinfo, then every directory from our cgroup up to the mount
// point. Malformed lines are skipped here (sandbox reports them when it
// reads the tree back; the recorder only copies): the good lines resolve
// exactly as they do in sandbox.
func (r *recorder) cgroups(srcs []sources.Source) {
	cg, ok1 := r.data("proc/self/cgroup")
	mi, ok2 := r.data("proc/self/mountinfo")
	if !ok1 || !ok2 {
		return
	}
	lines, _ := cgroupfs.ParseCgroup(cg)     // the error only quotes skipped lines
	mounts, _ := cgroupfs.ParseMountInfo(mi) // likewise
	var ctrls []string
	for _, s := range srcs {
		if !slices.Contains(ctrls, s.Controller) {
			ctrls = append(ctrls, s.Controller)
		}
	}
	for _, ctrl := range ctrls {
		d, ok := cgroupfs.Resolve(lines, mounts, ctrl)
		if !ok {
			continue
		}
		for _, dir := range d.Levels() {
			for _, s := range srcs {
				if s.Controller == ctrl && s.CgroupV1 == d.V1 {
					r.file(strings.TrimPrefix(dir+"/"+s.Path, "/"))
				}
			}
		}
	}
}

func (r *recorder) data(p string) ([]byte, bool) {
	i, ok := r.index[p]
	if !ok {
		return nil, false
	}
	return r.files[i].Data, true
}

// dropImpliedDirs removes directory entries that have something below them.
func (r *recorder) dropImpliedDirs() {
	parents := map[string]bool{}
	for _, f := range r.files {
		for d := path.Dir(f.Path); d != "." && !parents[d]; d = path.Dir(d) {
			parents[d] = true
		}
	}
	r.files = slices.DeleteFunc(r.files, func(f File) bool { return f.Dir && parents[f.Path] })
	clear(r.index)
	for i, f := range r.files {
		r.index[f.Path] = i
	}
}

// environment returns the variables to record, KEY=VALUE.
func (c config) environment(root sysroot.Root) ([]string, error) {
	switch {
	case c.hasEnviron:
		return c.environ, nil
	case root.Recorded || root.Dir != "" && root.Dir != "/":
		b, err := root.ReadFile("env")
		if err != nil {
			if sysroot.IsAbsent(err) {
				return nil, nil
			}
			return nil, err
		}
		m, err := sysroot.ParseEnv(b) // bad lines are dropped, and said so
		out := make([]string, 0, len(m))
		for k, v := range m {
			out = append(out, k+"="+v)
		}
		return out, err
	}
	return os.Environ(), nil
}

// envFile renders the environment from an allow-list: only the variables
// a reader consults (sources.EnvNames), sorted, one KEY=VALUE per line,
// values through redact.Env. Every other variable is dropped, name and
// value, and only counted. An allowed variable a line cannot hold is left
// out and noted by name.
func (r *recorder) envFile(env []string) (data []byte, redacted []string, dropped int) {
	allowed := sources.EnvNames()
	vars := map[string]string{}
	others := map[string]bool{}
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			others[kv] = true
			continue
		}
		if _, ok := slices.BinarySearch(allowed, k); !ok {
			others[k] = true
			continue
		}
		if _, dup := vars[k]; !dup { // the first one wins, as in Go's os.Getenv
			vars[k] = v
		}
	}
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		v, red := redact.Env(k, vars[k])
		if why := unwritable(k, v); why != "" {
			r.notes = append(r.notes, fmt.Sprintf("env: variable %q left out: %s", k, why))
			continue
		}
		if red {
			redacted = append(redacted, k)
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(v)
		b.WriteByte('\n')
	}
	return []byte(b.String()), redacted, len(others)
}

// unwritable says why KEY=VALUE cannot be one line of an env file that
// sysroot.ParseEnv reads back unchanged, or "".
func unwritable(k, v string) string {
	switch {
	case k == "":
		return "empty name"
	case strings.HasPrefix(k, "#"):
		return "the name starts with '#' (a comment line)"
	case strings.ContainsAny(k, " \t\r\n\x00="):
		return "the name holds white space, NUL or '='"
	case strings.ContainsAny(v, "\n\x00"):
		return "the value holds a line break or NUL"
	case strings.HasSuffix(v, "\r"):
		return "the value ends with a carriage return"
	}
	return ""
}

// identity reduces etc/passwd and etc/group to what sandbox reads from
// them: the name of the recorded process's uid and gid. Each becomes the one
// entry "name:x:uid:gid:::" (passwd) or "name:x:gid:" (group), found by
// sandbox's own reader; every other entry, any password or hash, the full
// name (GECOS), home, shell and group members are dropped, and counted in
// the note. A file with no entry for the id is recorded empty.
func (r *recorder) identity(root sysroot.Root, env []string, h hostinfo.Host) {
	opts := []sandbox.Option{sandbox.WithHost(h), sandbox.WithEnv(envLookup(env))}
	if isTree(root) {
		opts = append(opts, sandbox.WithRoot(root.Dir))
	}
	sb, _ := sandbox.Detect(opts...) // its problems are the readers' business
	passwd, group := "", ""
	if sb.User != "" {
		passwd = fmt.Sprintf("%s:x:%d:%d:::\n", sb.User, sb.UID, sb.GID)
	}
	if sb.Group != "" {
		group = fmt.Sprintf("%s:x:%d:\n", sb.Group, sb.GID)
	}
	for _, db := range []struct{ path, entry string }{{"etc/passwd", passwd}, {"etc/group", group}} {
		i, ok := r.index[db.path]
		if !ok {
			continue
		}
		lines := 0
		for l := range bytes.Lines(r.files[i].Data) {
			if len(bytes.TrimSpace(l)) > 0 {
				lines++
			}
		}
		kept := 0
		if db.entry != "" {
			kept = 1
		}
		r.files[i].Data = []byte(db.entry)
		r.notes = append(r.notes, fmt.Sprintf("%s: %d of %d entries kept (the recorded process's own, its other fields blanked)", db.path, kept, lines))
	}
}

// isTree reports whether root is a recorded tree rather than the live machine.
func isTree(root sysroot.Root) bool {
	return root.Recorded || root.Dir != "" && root.Dir != "/"
}

// envLookup looks up the recorded process's environment; the first of
// duplicate names wins.
func envLookup(env []string) func(string) (string, bool) {
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			if _, dup := vars[k]; !dup {
				vars[k] = v
			}
		}
	}
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

// hostOptions reads the platform with the same root and environment.
func hostOptions(root sysroot.Root, env []string) []hostinfo.Option {
	var opts []hostinfo.Option
	if isTree(root) {
		opts = append(opts, hostinfo.WithRoot(root.Dir))
	}
	return append(opts, hostinfo.WithEnv(envLookup(env)))
}
