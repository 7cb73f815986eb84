package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	hk "github.com/heroku/heroku-go/v5"
	"github.com/spf13/cobra"

	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
	"github.com/dynodoc/dynodoc/internal/sandbox"
)

// SandboxRecordOptions are what `dynodoc sandbox record` works with.
type SandboxRecordOptions struct {
	F       *Factory
	Ctx     context.Context
	App     string
	Staging string
}

// recordReleases is how many recent releases a recording keeps.
const recordReleases = 10

// recordedChecks are the checks a recording runs on the production app for its
// expect: what they found is what the copy shows.
var recordedChecks = []string{"app.dynos", "app.releases", "app.logs", "app.maintenance"}

// NewCmdSandboxRecord builds `dynodoc sandbox record`.
func NewCmdSandboxRecord(f *Factory, runF func(*SandboxRecordOptions) error) *cobra.Command {
	opts := &SandboxRecordOptions{F: f}
	cmd := &cobra.Command{
		Use:   "record --app APP [--staging APP] > FILE.yaml",
		Short: "Write a scenario file that copies a real app's shape, with no secret in it",
		Long: "Reads an app through the Platform API (read-only: formation, recent releases, add-ons, buildpacks, " +
			"stack, region, pipeline, config var names, dynos and the last 200 log lines) and writes a scenario " +
			"file that `dynodoc train FILE` and `dynodoc sandbox serve --scenario FILE` play, so a team rehearses " +
			"on a copy of its own app.\n\nNothing secret is written: every config value is replaced by \"" +
			sandbox.Withheld + "\", any text that carries part of one is withheld too, and of the logs only their " +
			"shape is kept (status codes, error codes, times, the first segment of paths). See docs/SCENARIOS.md.",
		Example: "  dynodoc sandbox record --app shop-prod --staging shop-staging > shop.yaml\n  dynodoc train shop.yaml",
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return sandboxRecordRun(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.App, "app", "a", "", "the production app to record")
	cmd.Flags().StringVar(&opts.Staging, "staging", "", "its staging sibling (default: a stand-in copied from the app)")
	return cmd
}

func sandboxRecordRun(opts *SandboxRecordOptions) error {
	f := opts.F
	if opts.App == "" {
		return usageError("name the app to record: dynodoc sandbox record --app APP")
	}
	for _, a := range []string{opts.App, opts.Staging} {
		if err := heroku.ValidateApp(a); a != "" && err != nil {
			return usageError("%v", err)
		}
	}
	if opts.Staging == opts.App {
		return usageError("--staging names the app itself")
	}
	ctx := opts.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	client, err := heroku.New(heroku.Options{Getenv: f.Getenv, UserAgent: "dynodoc/" + Version})
	if err != nil {
		return err
	}
	ctx = heroku.WithReadCache(ctx, heroku.NewReadCache())
	rec := &sandbox.Recording{At: f.Now()}
	warn := func(format string, a ...any) { fmt.Fprintf(f.IO.ErrOut, format, a...) }
	var names []string // "APP's NAME" of each of rec.Secrets
	if err := recordApp(ctx, client, opts.App, &rec.Production, rec, &names, warn); err != nil {
		return err
	}
	if opts.Staging != "" {
		if err := recordApp(ctx, client, opts.Staging, &rec.Staging, rec, &names, warn); err != nil {
			return err
		}
	} else if sibling := stagingSibling(ctx, client, opts.App); sibling != "" {
		warn("dynodoc: no --staging: the copy has a stand-in staging app; %s is %s's staging app in its pipeline (--staging %s records it)\n", sibling, opts.App, sibling)
	}
	rec.Expect = map[string]string{}
	for _, res := range checks.RunAll(ctx, checks.Env{Client: client, App: opts.App, Now: f.Now}, recordedChecks) {
		if res.Status == checks.Pass || res.Status == checks.Warn || res.Status == checks.Fail {
			rec.Expect[res.ID] = string(res.Status)
		}
	}
	out, err := rec.Scenario()
	if err != nil {
		return err
	}
	for _, i := range rec.Exposed(out) {
		warn("dynodoc: note: the value of %s is also part of the recording's own facts (an app's name, a stage, a region): check that it is no secret\n", names[i])
	}
	_, err = f.IO.Out.Write(out)
	return err
}

// recordApp reads one app's shape. Config values go to secrets only, for the
// recording to withhold.
func recordApp(ctx context.Context, c *heroku.Client, name string, a *sandbox.RecordedApp, rec *sandbox.Recording, names *[]string, warn func(string, ...any)) error {
	fail := func(what string, err error) error {
		return fmt.Errorf("unable to read the %s of %s: %w", what, name, heroku.Explain(err))
	}
	info, err := c.Service.AppInfo(ctx, name)
	if err != nil {
		return fail("app", err)
	}
	a.Name, a.Region, a.Stack, a.BuildStack, a.Maintenance = info.Name, info.Region.Name, info.Stack.Name, info.BuildStack.Name, info.Maintenance
	formation, err := c.Service.FormationList(ctx, name, nil)
	if err != nil {
		return fail("formation", err)
	}
	for _, p := range formation {
		a.Formation = append(a.Formation, sandbox.RecordedProcess{Type: p.Type, Size: p.Size, Command: p.Command, Quantity: p.Quantity})
	}
	releases, err := c.Service.ReleaseList(ctx, name, &hk.ListRange{Field: "version", Descending: true, Max: recordReleases})
	if err != nil {
		return fail("releases", err)
	}
	for _, r := range releases {
		rr := sandbox.RecordedRelease{Version: r.Version, Description: r.Description, By: r.User.Email, Status: r.Status, CreatedAt: r.CreatedAt}
		if r.Slug != nil {
			rr.SlugID = r.Slug.ID
		}
		a.Releases = append(a.Releases, rr)
	}
	addons, err := c.Service.AddOnListByApp(ctx, name, nil)
	if err != nil {
		return fail("add-ons", err)
	}
	for _, ad := range addons {
		a.Addons = append(a.Addons, sandbox.RecordedAddon{Service: ad.AddonService.Name, Plan: strings.TrimPrefix(ad.Plan.Name, ad.AddonService.Name+":"), Name: ad.Name, ConfigVars: ad.ConfigVars})
	}
	features, err := c.Service.AppFeatureList(ctx, name, nil)
	if err != nil {
		return fail("features", err)
	}
	for _, ft := range features {
		if ft.Enabled {
			a.Features = append(a.Features, ft.Name)
		}
	}
	bps, err := c.Service.BuildpackInstallationList(ctx, name, nil)
	if err != nil {
		return fail("buildpacks", err)
	}
	for _, bp := range bps {
		a.Buildpacks = append(a.Buildpacks, bp.Buildpack.Name)
	}
	switch coupling, err := c.Service.PipelineCouplingInfoByApp(ctx, name); {
	case err == nil:
		a.Stage = coupling.Stage
		p, err := c.Service.PipelineInfo(ctx, coupling.Pipeline.ID)
		if err != nil {
			return fail("pipeline", err)
		}
		a.Pipeline = p.Name
	case !heroku.IsNotFound(err):
		return fail("pipeline coupling", err)
	}
	config, err := c.Service.ConfigVarInfoForApp(ctx, name)
	if err != nil {
		return fail("config var names", err)
	}
	for k, v := range config {
		a.ConfigNames = append(a.ConfigNames, k)
		if v != nil {
			rec.Secrets, *names = append(rec.Secrets, *v), append(*names, name+"'s "+k)
		}
	}
	slices.Sort(a.ConfigNames)
	dynos, err := c.Service.DynoList(ctx, name, nil)
	if err != nil {
		return fail("dynos", err)
	}
	for _, d := range dynos {
		if d.State == "crashed" && !slices.Contains(a.Crashed, d.Type) {
			a.Crashed = append(a.Crashed, d.Type)
		}
	}
	// Logs are the one part an app may not give (a log session can be refused): the
	// copy then has plain traffic and no events, and says so.
	logs, err := c.RecentLogs(ctx, name, heroku.LogOptions{Lines: 200})
	if err != nil {
		warn("dynodoc: recording %s without its log shapes: %v\n", name, err)
		return nil
	}
	a.LogLines = logs.Lines
	return nil
}

// stagingSibling is the staging app of app's pipeline, "" if there is none or the
// API does not say: a hint, so every failure is quiet.
func stagingSibling(ctx context.Context, c *heroku.Client, app string) string {
	coupling, err := c.Service.PipelineCouplingInfoByApp(ctx, app)
	if err != nil {
		return ""
	}
	couplings, err := c.Service.PipelineCouplingListByPipeline(ctx, coupling.Pipeline.ID, nil)
	if err != nil {
		return ""
	}
	for _, cp := range couplings {
		if cp.Stage == "staging" && cp.App.ID != "" {
			if info, err := c.Service.AppInfo(ctx, cp.App.ID); err == nil && info.Name != app {
				return info.Name
			}
		}
	}
	return ""
}
