package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/textsafe"
)

// CheckOptions are what `dynodoc check` works with.
type CheckOptions struct {
	IO      *IOStreams
	Getenv  func(string) string
	WorkDir string
	Now     func() time.Time
	Ctx     context.Context

	Apps     []string // --app, once or more
	Pipeline string   // every app of this pipeline
	Team     string   // every app of this team
	Staging  string
	Only     []string
	Source   string
	JSON     bool

	// MaxRequests caps the API requests of a many-app check (0: no cap); Reserve is how
	// much of the account's allowance it leaves for others (-1: the default).
	MaxRequests int64
	Reserve     int64

	// HTTPClient, when set, carries the requests (tests); nil means the default.
	HTTPClient *http.Client
}

// NewCmdCheck builds `dynodoc check`. It only parses flags; runF (tests) or checkRun
// does the work.
func NewCmdCheck(f *Factory, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{IO: f.IO, Getenv: f.Getenv, WorkDir: f.WorkDir, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "check [--app APP]... [--pipeline NAME] [--team NAME] [--staging APP] [--only ID,...] [--source DIR] [--json]",
		Short: "Run the built-in diagnosis on an app, all checks at once",
		Long: "Runs the checks a senior engineer runs in the first minutes of a Heroku incident, concurrently, " +
			"and prints each one's verdict, summary and next step.\n\nChecks:\n" + checkList() +
			"\nThe app comes from --app, HEROKU_APP or the git remotes; app.parity runs only with --staging. " +
			"Several --app values, --pipeline or --team check many apps at once and print one table, worst first; " +
			"heroku.status then runs once, and app.parity and app.slugignore (which belong to one app) do not run. " +
			"Every run asks the API for each thing once and says how many requests it used. " +
			"Exits 0 when nothing failed, 1 when a check failed or could not run.",
		Example: "  dynodoc check --app shop-prod --staging shop-staging\n  dynodoc check --app shop-prod --only app.dynos,app.logs --json\n  dynodoc check --pipeline shop\n  dynodoc check --team acme --max-requests 500",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return checkRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVarP(&opts.Apps, "app", "a", nil, "the app to diagnose (default: HEROKU_APP, then the git remotes); repeat it to check several")
	fl.StringVar(&opts.Pipeline, "pipeline", "", "check every app of this pipeline")
	fl.StringVar(&opts.Team, "team", "", "check every app of this team")
	fl.Int64Var(&opts.MaxRequests, "max-requests", 0, "with many apps: spend at most this many API requests (0: no cap)")
	fl.Int64Var(&opts.Reserve, "reserve", -1, fmt.Sprintf("with many apps: slow down before fewer than this many requests of the account's hourly allowance remain (default %d)", defaultReserve))
	fl.StringVar(&opts.Staging, "staging", "", "a staging app to compare with (enables app.parity)")
	fl.StringSliceVar(&opts.Only, "only", nil, "run only these checks (comma-separated ids)")
	fl.StringVar(&opts.Source, "source", "", "the app's local source folder, for app.slugignore and app.build (else $SOURCE_DIR; without one they do not judge it)")
	fl.BoolVar(&opts.JSON, "json", false, "print JSON instead of a table")
	return cmd
}

func checkList() string {
	var b strings.Builder
	for _, c := range checks.All() {
		fmt.Fprintf(&b, "  %-16s %s\n", c.ID, c.Title)
	}
	return b.String()
}

func checkRun(opts *CheckOptions) error {
	ctx := opts.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.fleetMode() {
		if opts.Staging != "" {
			return usageError("--staging compares one app with its staging sibling: use it with a single --app")
		}
		client, err := heroku.New(heroku.Options{Getenv: opts.Getenv, UserAgent: "dynodoc/" + Version, HTTPClient: opts.HTTPClient})
		if err != nil {
			return err
		}
		return checkFleet(ctx, opts, client)
	}
	named := ""
	if len(opts.Apps) == 1 {
		named = opts.Apps[0]
	}
	app, err := heroku.ResolveApp(named, opts.Getenv, opts.WorkDir)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if opts.Staging != "" {
		if err := heroku.ValidateApp(opts.Staging); err != nil {
			return usageError("--staging: %v", err)
		}
	}
	ids, err := selectChecks(opts.Only, opts.Staging != "")
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	client, err := heroku.New(heroku.Options{Getenv: opts.Getenv, UserAgent: "dynodoc/" + Version, HTTPClient: opts.HTTPClient,
		AllowNoToken: true}) // heroku.status reads the public status page; the others say the token is missing
	if err != nil {
		return err
	}
	source := cmp.Or(opts.Source, opts.Getenv("SOURCE_DIR")) // no default: any folder proves nothing
	if source != "" && !filepath.IsAbs(source) && opts.WorkDir != "" {
		source = filepath.Join(opts.WorkDir, source)
	}
	env := checks.Env{Client: client, App: app, Staging: opts.Staging, Source: source, Now: opts.Now}
	start := time.Now()
	// One run asks the API for each thing once, however many checks need it.
	results := checks.RunAll(heroku.WithReadCache(ctx, heroku.NewReadCache()), env, ids)
	elapsed := time.Since(start)

	if opts.JSON {
		err = writeCheckJSON(opts.IO.Out, app, results, client.Budget())
	} else {
		err = writeCheckTable(opts.IO.Out, app, opts.Staging, results, elapsed, client.Budget())
	}
	if err != nil {
		return err
	}
	if bad := countBad(results); bad > 0 {
		return &ExitError{Code: ExitFailed, Err: fmt.Errorf("%d of %d checks failed or could not run", bad, len(results))}
	}
	return nil
}

// selectChecks picks the checks to run: those named by --only (each must exist and
// be able to run), or every check that makes sense with what was given.
func selectChecks(only []string, haveStaging bool) ([]string, error) {
	if len(only) == 0 {
		var ids []string
		for _, c := range checks.All() {
			if c.NeedsStaging && !haveStaging || c.WalkOnly {
				continue
			}
			ids = append(ids, c.ID)
		}
		return ids, nil
	}
	var ids []string
	seen := map[string]bool{}
	for _, id := range only {
		id = strings.TrimSpace(id)
		if id == "" || seen[id] {
			continue
		}
		c, ok := checks.Get(id)
		if !ok {
			return nil, fmt.Errorf("--only: unknown check %q: choose from %s", id, strings.Join(checks.IDs(), ", "))
		}
		if c.WalkOnly {
			return nil, fmt.Errorf("--only: %s drafts from a walk's journal: a runbook's check block runs it", id)
		}
		if c.NeedsStaging && !haveStaging {
			return nil, fmt.Errorf("--only: %s compares with a staging app: add --staging APP", id)
		}
		seen[id] = true
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("--only names no check: choose from %s", strings.Join(checks.IDs(), ", "))
	}
	return ids, nil
}

func countBad(results []checks.Result) int {
	n := 0
	for _, r := range results {
		if r.Status == checks.Fail || r.Status == checks.Error {
			n++
		}
	}
	return n
}

// checkJSON is the stable JSON shape of `dynodoc check --json`.
type checkJSON struct {
	App                string          `json:"app"`
	Checks             []checkJSONItem `json:"checks"`
	Requests           int64           `json:"requests"`             // API requests the run sent
	RateLimitRemaining *int64          `json:"rate_limit_remaining"` // what the API said was left; null when it did not say
}

type checkJSONItem struct {
	ID       string   `json:"id"`
	Status   string   `json:"status"`
	Summary  string   `json:"summary"`
	Findings []string `json:"findings"`
	Next     string   `json:"next"`
}

func writeCheckJSON(w io.Writer, app string, results []checks.Result, b heroku.Budget) error {
	out := checkJSON{App: app, Checks: make([]checkJSONItem, 0, len(results)), Requests: b.Requests, RateLimitRemaining: remainingPtr(b)}
	for _, r := range results {
		out.Checks = append(out.Checks, checkItem(r))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// statusIcon marks a verdict; each is a different shape, so it reads without color.
func statusIcon(s checks.Status) string {
	switch s {
	case checks.Pass:
		return "✓"
	case checks.Warn:
		return "▲"
	case checks.Fail:
		return "✗"
	}
	return "?"
}

// checkItem is a result in the JSON shape.
func checkItem(r checks.Result) checkJSONItem {
	findings := r.Findings
	if findings == nil {
		findings = []string{}
	}
	return checkJSONItem{ID: r.ID, Status: string(r.Status), Summary: r.Summary, Findings: findings, Next: r.Next}
}

func writeCheckTable(w io.Writer, app, staging string, results []checks.Result, elapsed time.Duration, b heroku.Budget) error {
	head := app
	if staging != "" {
		head += " (compared with " + staging + ")"
	}
	fmt.Fprintf(w, "%s: %d checks in %s\n\n", head, len(results), elapsed.Round(10*time.Millisecond))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	counts := map[checks.Status]int{}
	for _, r := range results {
		counts[r.Status]++
		// A summary can quote the API (a release's description, a build's commit
		// message): written out, it cannot drive the terminal.
		fmt.Fprintf(tw, "%s\t%s\t%s\n", statusIcon(r.Status), r.ID, textsafe.Visible(r.Summary))
		if r.Next != "" {
			fmt.Fprintf(tw, "\t\t→ %s\n", textsafe.Visible(r.Next))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d passed, %d warned, %d failed, %d could not run\n%s\n",
		counts[checks.Pass], counts[checks.Warn], counts[checks.Fail], counts[checks.Error], budgetLine(b))
	return err
}
