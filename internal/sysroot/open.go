package sysroot

// Open returns the root that a package's WithRoot and WithEnv options name,
// whatever the order they were given in: the tree at dir ("" means the
// live machine) with its own environment, unless lookup is non-nil, which
// then wins. A tree that cannot be used yields a root at dir with an empty
// environment (every read then fails as absent or as the tree's own error)
// and the error saying why; a malformed env file yields its good lines and
// the error naming the bad ones.
func Open(dir string, lookup func(key string) (string, bool)) (Root, error) {
	r, err := Live(), error(nil)
	if dir != "" {
		r, err = Recorded(dir)
		if r.Dir == "" {
			r = FromEnv(dir, nil)
		}
	}
	if lookup != nil {
		r.LookupEnv, r.EnvSource = lookup, "given environment"
	}
	return r, err
}
