package runbook

import (
	"fmt"
	"strings"
	"testing"
)

// bigRunbook is a runbook of n steps, each with prose, a command and a check.
func bigRunbook(n int) []byte {
	var b strings.Builder
	b.WriteString("---\ntitle: Big\nsummary: many steps\nparams:\n  APP: { prompt: App, kind: app, env: production, required: true }\n---\n\n# Big\n\nIntro.\n\n")
	for i := range n {
		fmt.Fprintf(&b, "## Step number %d {#s%d}\n\nWhy this step matters, with `code` and a [link](https://devcenter.heroku.com).\n\n", i, i)
		fmt.Fprintf(&b, "```sh { name=ps%d risk=safe timeout=30s }\nheroku ps --app \"$APP\" | grep -c web\n```\n\n", i)
		b.WriteString("```check { use=heroku.status pass=end }\n```\n\n")
	}
	return []byte(b.String())
}

func TestBigRunbook(t *testing.T) {
	rb, err := Parse("big.md", bigRunbook(100))
	if err != nil {
		t.Fatal(err)
	}
	if len(rb.Steps) != 100 || rb.Steps[99].ID != "s99" || len(rb.Steps[99].Blocks) != 2 {
		t.Fatalf("got %d steps, last %+v", len(rb.Steps), rb.Steps[len(rb.Steps)-1])
	}
	// Each step takes 11 lines after the 11 lines of front matter and intro.
	if got := rb.Steps[99].Line; got != 12+99*11 {
		t.Errorf("last step on line %d, want %d", got, 12+99*11)
	}
	if got := rb.Steps[99].Blocks[1].Line; got != 12+99*11+8 {
		t.Errorf("last block on line %d, want %d", got, 12+99*11+8)
	}
	if probs := Lint(rb, testOpts); len(probs) != 0 {
		t.Errorf("Lint = %v", probs)
	}
}

func BenchmarkParse100Steps(b *testing.B) {
	src := bigRunbook(100)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("big.md", src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLint100Steps(b *testing.B) {
	rb, err := Parse("big.md", bigRunbook(100))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Lint(rb, testOpts)
	}
}
