package cli

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// TestOptions are the options of `dynodoc test`.
type TestOptions struct {
	F        *Factory
	Runbook  string
	Scenario string
	Answers  string
}

// NewCmdTest builds `dynodoc test RUNBOOK --scenario NAME|FILE [--answers FILE]`.
func NewCmdTest(f *Factory, runF func(*TestOptions) error) *cobra.Command {
	opts := &TestOptions{F: f}
	cmd := &cobra.Command{
		Use:   "test RUNBOOK --scenario NAME|FILE [--answers FILE]",
		Short: "Test a runbook against a simulated incident: exit 0 when it resolves it",
		Long: `Play a runbook against a sandbox scenario the way train --demo does: every check
and action runs against a simulated Heroku, every gate is approved, and each question is
answered as the scenario's demo answers it (a step it does not list is a no), or as
--answers says. --answers is a YAML file that maps step ids to yes or no; it overrides
the demo's answers, and a step id the runbook lacks is an error.

It prints each step's result, then the scenario's judge: exit 0 when the incident is
resolved, 1 when it is not, 2 for bad input. Put it in CI: a runbook that rots fails
its test.`,
		Example: `  dynodoc test runbooks/triage.md --scenario bad-deploy
  dynodoc test ./our-triage.md --scenario config-drift --answers answers.yaml`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Runbook = args[0]
			if runF != nil {
				return runF(opts)
			}
			return testRun(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Scenario, "scenario", "", "the scenario to play against: a shipped name or a scenario file")
	cmd.Flags().StringVar(&opts.Answers, "answers", "", "a YAML file of step id: yes|no, overriding the scenario's demo answers")
	return cmd
}

func testRun(cmd *cobra.Command, opts *TestOptions) error {
	f := opts.F
	if opts.Scenario == "" {
		return usageError("name the scenario to test against: --scenario NAME|FILE (one of: %s)", scenarioNames())
	}
	sc, err := findScenario(opts.Scenario)
	if err != nil {
		return err
	}
	rb, err := loadRunbook(f, opts.Runbook)
	if err != nil {
		return err
	}
	answers := maps.Clone(sc.Demo)
	if answers == nil {
		answers = map[string]bool{}
	}
	if opts.Answers != "" {
		given, err := readAnswers(opts.Answers, rb)
		if err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
		maps.Copy(answers, given)
	}
	p, err := playScenario(cmd.Context(), f, sc, rb, answers)
	if err != nil {
		return walkExit(p.state, err)
	}
	fmt.Fprintf(f.IO.Out, "test %s against %s\n", textsafe.Visible(rb.Path), sc.Name)
	writeStepResults(f.IO.Out, rb, p.records)
	if !p.resolved {
		fmt.Fprintf(f.IO.Out, "not resolved: %s\n", textsafe.Visible(p.why))
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%s does not resolve %s", rb.Path, sc.Name)}
	}
	fmt.Fprintf(f.IO.Out, "resolved: %s\n", textsafe.Visible(p.why))
	return nil
}

// maxAnswersFile bounds an answers file: a map of step ids, read whole.
const maxAnswersFile = 64 << 10

// readAnswers reads an answers file: a YAML map of step id to yes or no (true, false,
// y and n too). Every id must be a step of rb that asks a question.
func readAnswers(path string, rb *runbook.Runbook) (map[string]bool, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("unable to read the answers: %w", err)
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxAnswersFile+1))
	if err != nil {
		return nil, fmt.Errorf("unable to read the answers: %w", err)
	}
	if len(data) > maxAnswersFile {
		return nil, fmt.Errorf("%s: more than %d bytes: an answers file maps step ids to yes or no", path, maxAnswersFile)
	}
	var raw map[string]string
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: not a map of step id to yes or no: %w", path, err)
	}
	asks := map[string]bool{}
	for _, st := range rb.Steps {
		for _, b := range st.Blocks {
			if b.Kind == runbook.KindAsk {
				asks[st.ID] = true
			}
		}
	}
	out := map[string]bool{}
	for _, id := range slices.Sorted(maps.Keys(raw)) {
		if !asks[id] {
			return nil, fmt.Errorf("%s: %q is not a step of %s that asks a question", path, id, rb.Path)
		}
		switch strings.ToLower(strings.TrimSpace(raw[id])) {
		case "yes", "y", "true":
			out[id] = true
		case "no", "n", "false":
			out[id] = false
		default:
			return nil, fmt.Errorf("%s: %s: %q is not yes or no", path, id, raw[id])
		}
	}
	return out, nil
}

// writeStepResults prints one line per step the walk finished, in order: its status,
// then what its blocks found and the answers given.
func writeStepResults(w io.Writer, rb *runbook.Runbook, records []engine.Record) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	var notes []string
	for _, r := range records {
		switch r.Type {
		case "result":
			what := "block " + fmt.Sprint(r.Block+1)
			if r.Index >= 0 && r.Index < len(rb.Steps) && r.Block >= 0 && r.Block < len(rb.Steps[r.Index].Blocks) {
				if b := rb.Steps[r.Index].Blocks[r.Block]; b.Use() != "" {
					what = b.Use()
				} else if b.Name() != "" {
					what = b.Name()
				}
			}
			if r.Result != nil {
				what += " " + string(r.Result.Outcome)
				if r.Result.Summary != "" {
					what += ": " + r.Result.Summary
				}
			}
			notes = append(notes, what)
		case "answer":
			notes = append(notes, "answered "+r.Text)
		case "refuse":
			notes = append(notes, "gate refused")
		case "step":
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", textsafe.Visible(r.Step), r.Status, textsafe.Visible(strings.Join(notes, "; ")))
			notes = nil
		}
	}
	_ = tw.Flush()
}
