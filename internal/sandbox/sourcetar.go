package sandbox

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"testing/fstest" // MapFS: an in-memory fs.FS with directories synthesized; no test code
)

// Limits on what one uploaded source may unpack to, so that a tarball cannot exhaust
// the sandbox's memory (a gzip bomb) or its patience.
const (
	maxSourceEntries  = 20000
	maxSourceUnpacked = 200 << 20
)

// unpackSource reads a gzipped tarball into an in-memory tree, as the build service
// unpacks a source blob. Entry names are cleaned ("./app.py" is "app.py"); an
// absolute name or one with a ".." element is refused, never resolved. Only
// directories and regular files are kept: symbolic and hard links, devices and
// FIFOs are left out, so nothing can point outside the tree. When every entry sits
// in one top-level directory (a GitHub archive, `tar czf src.tgz app/`), that
// directory is the root, as on Heroku.
func unpackSource(data []byte) (fs.FS, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, errors.New("it is not gzipped (send a .tar.gz)")
	}
	tr := tar.NewReader(zr)
	tree := fstest.MapFS{}
	var total int64
	for entries := 0; ; entries++ {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("it is not a readable tar archive after %d entries (%v)", entries, err)
		}
		if entries >= maxSourceEntries {
			return nil, fmt.Errorf("it has more than %d entries", maxSourceEntries)
		}
		name, err := entryName(h.Name)
		if err != nil {
			return nil, err
		}
		if name == "." {
			continue
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if f, ok := tree[name]; ok && !f.Mode.IsDir() {
				return nil, fmt.Errorf("%q is both a file and a directory", name)
			}
			tree[name] = &fstest.MapFile{Mode: fs.ModeDir | fs.FileMode(h.Mode).Perm() | 0o700, ModTime: h.ModTime}
		case tar.TypeReg:
			if f, ok := tree[name]; ok && f.Mode.IsDir() {
				return nil, fmt.Errorf("%q is both a directory and a file", name)
			}
			if h.Size < 0 || total+h.Size > maxSourceUnpacked {
				return nil, fmt.Errorf("it unpacks to more than %d MB", maxSourceUnpacked>>20)
			}
			body, err := io.ReadAll(tr)
			if err != nil {
				return nil, fmt.Errorf("%q is cut short (%v)", name, err)
			}
			total += int64(len(body))
			tree[name] = &fstest.MapFile{Data: body, Mode: fs.FileMode(h.Mode).Perm() | 0o400, ModTime: h.ModTime}
		default:
			// Links, devices and FIFOs are not part of a slug; never followed.
		}
	}
	if err := checkParents(tree); err != nil {
		return nil, err
	}
	return stripTopDir(tree), nil
}

// entryName cleans a tar entry's name into an fs.FS path, or refuses it.
func entryName(raw string) (string, error) {
	switch {
	case strings.HasPrefix(raw, "/"):
		return "", fmt.Errorf("entry %q has an absolute path", raw)
	case strings.ContainsAny(raw, "\\\x00"):
		return "", fmt.Errorf("entry %q has a backslash or a NUL in its name", raw)
	}
	var parts []string
	for _, p := range strings.Split(raw, "/") {
		switch p {
		case "", ".":
			continue
		case "..":
			return "", fmt.Errorf("entry %q climbs out of the source (..)", raw)
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ".", nil
	}
	name := strings.Join(parts, "/")
	if !fs.ValidPath(name) {
		return "", fmt.Errorf("entry %q is not a valid path", raw)
	}
	return name, nil
}

// checkParents refuses a tree where a file is also the parent of another entry.
func checkParents(tree fstest.MapFS) error {
	for name := range tree {
		for dir := parentDir(name); dir != "."; dir = parentDir(dir) {
			if f, ok := tree[dir]; ok && !f.Mode.IsDir() {
				return fmt.Errorf("%q is a file, yet %q is inside it", dir, name)
			}
		}
	}
	return nil
}

func parentDir(name string) string {
	i := strings.LastIndex(name, "/")
	if i < 0 {
		return "."
	}
	return name[:i]
}

// stripTopDir makes the only top-level directory the root, when there is one and
// nothing else sits beside it.
func stripTopDir(tree fstest.MapFS) fstest.MapFS {
	top := ""
	nested := false
	for name := range tree {
		first, _, deeper := strings.Cut(name, "/")
		switch {
		case top == "":
			top = first
		case first != top:
			return tree
		}
		nested = nested || deeper
	}
	if f, ok := tree[top]; !nested || ok && !f.Mode.IsDir() {
		return tree
	}
	out := make(fstest.MapFS, len(tree))
	for name, f := range tree {
		if rest, ok := strings.CutPrefix(name, top+"/"); ok {
			out[rest] = f
		}
	}
	return out
}
