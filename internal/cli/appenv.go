package cli

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// defaultStageTimeout bounds the pipeline look-up at the start of a walk (Factory.
// StageTimeout overrides it): the walk must start soon, and a stage that cannot be
// read in time counts as production.
const defaultStageTimeout = 5 * time.Second

// appStages are what the pipeline look-up found: each app's environment, and for an
// app whose stage could not be read, why it is treated as production.
type appStages struct {
	envs  map[string]string
	notes map[string]string
}

// pipelineStages asks Heroku for the pipeline stage of every app the session names, in
// parallel. The stage wins over the runbook's declaration: an app in the production
// stage is production, whatever a param says, and its risky steps get the destructive
// gate. A look-up that fails or times out fails closed: the app is treated as
// production, and the gate says why.
func pipelineStages(ctx context.Context, f *Factory, b *backend, rb *runbook.Runbook, params map[string]string) appStages {
	warn := f.IO.ErrOut
	var apps []string
	declared := map[string]string{}
	for _, p := range rb.Params {
		if v := params[p.Name]; v != "" && p.Kind == "app" {
			apps = append(apps, v)
			declared[v] = p.Env
		}
	}
	apps = append(apps, engine.NamedApps(rb)...) // a runbook without app params: its own
	if len(apps) == 0 {
		return appStages{}
	}
	client, err := b.heroku()
	if err != nil {
		// No credentials: nothing can be looked up, and the Heroku CLI's blocks have
		// none either. The runbook's declarations stand.
		fmt.Fprintf(warn, "dynodoc: %s\ndynodoc: built-in checks and actions cannot run without it; shell blocks still can (dynodoc train needs no account)\n", b.mask(err.Error()))
		return appStages{}
	}
	timeout := f.StageTimeout
	if timeout <= 0 {
		timeout = defaultStageTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = appStages{envs: map[string]string{}, notes: map[string]string{}}
	)
	for _, app := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stage, err := client.AppEnv(ctx, app)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				why := b.mask(err.Error())
				if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
					why = "timeout"
				}
				out.envs[app] = "production"
				out.notes[app] = fmt.Sprintf("could not read %s's pipeline stage (%s): treated as production", app, why)
				fmt.Fprintf(warn, "dynodoc: %s\n", out.notes[app])
			case stage != "":
				out.envs[app] = stage
				if declared[app] != "" && declared[app] != stage {
					fmt.Fprintf(warn, "dynodoc: %s is in the %s stage of its pipeline, though the runbook calls it %s: gates treat it as %s\n", app, stage, declared[app], stage)
				}
			}
		}()
	}
	wg.Wait()
	return out
}
