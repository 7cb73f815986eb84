package runbook

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.md")
	runme, _ := filepath.Glob("testdata/runme/*.md")
	files = append(files, runme...)
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		"", "---", "---\n---\n", "---\ntitle: [\n---\n", "# T\n## A {#a}\n```ask { yes=end }\nQ?\n```\n",
		"Title\n---\n\nA\n---\n", "## {#}\n## x {#y} ##\n", "> ```sh\n> echo\n",
		"- ```sh { risk=risky }\n  rm -r x\n  ```\n", "\ufeff---\r\nparams:\r\n  A: *x\r\n---\r\n",
		"## S\n```sh\necho $(\n```\n", "## S\n~~~~check {\"use\":\"x\",\"pass\":1}\n~~~~\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		nlines := bytes.Count(src, []byte("\n")) + 1
		rb, err := Parse("f.md", src)
		if err != nil {
			var p *Problem
			if !errors.As(err, &p) || p.Line < 1 || p.Line > nlines+1 || !strings.HasPrefix(p.String(), "f.md:") {
				t.Fatalf("Parse error %T %v is not a *Problem at a line of the file", err, err)
			}
			return
		}
		if len(rb.Digest) != 64 || !bytes.Equal(rb.Source, src) {
			t.Fatalf("Digest %q or Source not set", rb.Digest)
		}
		prev := 0
		for i, s := range rb.Steps {
			if s.Line <= prev || s.Line > nlines {
				t.Fatalf("step %d line %d after line %d (file has %d lines)", i, s.Line, prev, nlines)
			}
			next := nlines + 1
			if i+1 < len(rb.Steps) {
				next = rb.Steps[i+1].Line
			}
			blockPrev := s.Line - 1 // an introduction step starts at its first block
			for _, b := range s.Blocks {
				if b.Line <= blockPrev || b.Line >= next || b.Attrs == nil {
					t.Fatalf("step %q (lines %d-%d): block %+v out of place", s.ID, s.Line, next, b)
				}
				blockPrev = b.Line
			}
			prev = s.Line
		}
		for _, p := range Lint(rb, testOpts) {
			if p.Line < 0 || p.Line > nlines+1 || p.Message == "" {
				t.Fatalf("problem out of the file: %s", p)
			}
		}
	})
}

func FuzzParseAttrs(f *testing.F) {
	for _, s := range []string{
		"", "{}", "{ name=restart risk=risky timeout=2m }", `{ confirm="a \"b\" \\" cwd='c d' }`,
		`{"name":"restart","interactive":true,"n":2,"o":{"a":[1]}}`, "{ app=${APP} }", "{ a= }", "{ =}", `{"a":"b"}x}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		attrs, err := ParseAttrs(s)
		if attrs == nil {
			t.Fatal("nil map")
		}
		if err != nil {
			return
		}
		// What parses can be written back in the key=value form and reads the same.
		again, err := ParseAttrs(formatAttrs(attrs))
		if err != nil || !reflect.DeepEqual(again, attrs) {
			t.Fatalf("round trip of %q: %q gives %v, %v; want %v", s, formatAttrs(attrs), again, err, attrs)
		}
	})
}

// formatAttrs writes attributes in the key="value" form.
func formatAttrs(attrs map[string]string) string {
	var b strings.Builder
	b.WriteString("{")
	for _, k := range sortedKeys(attrs) {
		v := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(attrs[k])
		b.WriteString(" " + k + `="` + v + `"`)
	}
	b.WriteString(" }")
	return b.String()
}
