package runbook

import "strings"

// loops warns about steps that, once entered, no answer and no result leads out of:
// every yes=, no=, pass=, fail= and every step's way on lead back among them, so the
// walk can only leave them by skipping. A walk fed from a pipe would ask forever.
func (l *linter) loops() {
	n := len(l.rb.Steps)
	if n == 0 {
		return
	}
	end := n // the node for the runbook's end
	succ := make([][]int, n)
	for i, s := range l.rb.Steps {
		succ[i] = l.successors(i, s, end)
	}
	// Which steps can reach the end: a walk back from it over reversed edges.
	pred := make([][]int, n+1)
	for i, ss := range succ {
		for _, j := range ss {
			pred[j] = append(pred[j], i)
		}
	}
	exits := make([]bool, n+1)
	exits[end] = true
	stack := []int{end}
	for len(stack) > 0 {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, i := range pred[j] {
			if !exits[i] {
				exits[i] = true
				stack = append(stack, i)
			}
		}
	}
	// Report the trapped steps the walk can reach from its first step, once.
	seen := make([]bool, n+1)
	seen[0] = true
	stack = []int{0}
	var trapped []string
	first := -1
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if i == end {
			continue
		}
		if !exits[i] {
			trapped = append(trapped, l.rb.Steps[i].ID)
			if first < 0 || l.rb.Steps[i].Line < l.rb.Steps[first].Line {
				first = i
			}
		}
		for _, j := range succ[i] {
			if !seen[j] {
				seen[j] = true
				stack = append(stack, j)
			}
		}
	}
	if first >= 0 {
		l.warnf(l.rb.Steps[first].Line, "no answer or result leads out of step(s) %s: their yes=, no=, pass= and fail= lead back among them, so the walk only leaves by skipping; send one of them to a later step or end",
			strings.Join(trapped, ", "))
	}
}

// successors are where the walk can go after step i: every branch target of its
// blocks, and the next step (or the end), unless the step opens with an ask whose yes=
// and no= always decide.
func (l *linter) successors(i int, s Step, end int) []int {
	var out []int
	decided := false
	add := func(target string) {
		switch {
		case target == endTarget:
			out = append(out, end)
		case l.rb.StepIndex(target) >= 0:
			out = append(out, l.rb.StepIndex(target))
		case target != "":
			out = append(out, end) // a bad target is its own error; do not pile on
		}
	}
	before := 0 // runnable blocks before this one: any of them may fail and stop the step
	for _, b := range s.Blocks {
		switch b.Kind {
		case KindAsk:
			add(b.Attrs["yes"])
			add(b.Attrs["no"])
			if b.Attrs["yes"] != "" && b.Attrs["no"] != "" && before == 0 {
				decided = true
			}
		case KindCheck:
			add(b.Attrs["pass"])
			add(b.Attrs["fail"])
		}
		if b.Runnable() {
			before++
		}
	}
	if !decided {
		if i+1 < end {
			out = append(out, i+1)
		} else {
			out = append(out, end)
		}
	}
	return out
}
