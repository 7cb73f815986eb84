package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The judge of the sandbox's JSON is heroku-go v5.5.0's schema.json, read from the
// module cache (it is the Platform API's published hyper-schema).
const herokuGoModule = "github.com/heroku/heroku-go/v5"

func herokuSchemaFile(t *testing.T) string {
	t.Helper()
	dir := ""
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", herokuGoModule).Output(); err == nil {
		dir = strings.TrimSpace(string(out))
	}
	if dir == "" {
		out, err := exec.Command("go", "env", "GOMODCACHE").Output()
		if err != nil {
			t.Fatalf("cannot locate the module cache: %v", err)
		}
		dir = filepath.Join(strings.TrimSpace(string(out)), "github.com/heroku/heroku-go/v5@v5.5.0")
	}
	path := filepath.Join(dir, "schema.json")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("heroku-go's schema.json is not in the module cache (%v): run `go mod download %s`", err, herokuGoModule)
	}
	return path
}

// schemaLink is one link of the hyper-schema: a method, a path and the schema of
// what it answers.
type schemaLink struct {
	name   string
	method string
	path   *regexp.Regexp
	ptr    string
}

type herokuSchema struct {
	compiler *jsonschema.Compiler
	links    []schemaLink
	compiled map[string]*jsonschema.Schema
}

const schemaURL = "file:///heroku-go/schema.json"

func loadHerokuSchema(t *testing.T) *herokuSchema {
	t.Helper()
	data, err := os.ReadFile(herokuSchemaFile(t))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// The file declares the interagent hyper-schema meta-schema (and a base id) that
	// cannot be fetched offline; its keywords are draft-04's.
	stripMeta(doc)
	delete(doc.(map[string]any), "id")
	// A domain's hostname is a bare host name, as the schema's own example
	// ("subdomain.example.com") and the CLI's `heroku domains` show; its "format": "uri"
	// contradicts both and would reject every real answer. That one format is dropped.
	defs := doc.(map[string]any)["definitions"].(map[string]any)
	delete(defs["domain"].(map[string]any)["definitions"].(map[string]any)["hostname"].(map[string]any), "format")
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.AssertFormat()
	c.UseRegexpEngine(regexp2Compile) // the schema's patterns use lookahead
	if err := c.AddResource(schemaURL, doc); err != nil {
		t.Fatal(err)
	}
	hs := &herokuSchema{compiler: c, compiled: map[string]*jsonschema.Schema{}}
	hrefParam := regexp.MustCompile(`\{\([^}]*\)\}`)
	for name, def := range doc.(map[string]any)["definitions"].(map[string]any) {
		links, _ := def.(map[string]any)["links"].([]any)
		for i, l := range links {
			link := l.(map[string]any)
			if _, ok := link["targetSchema"]; !ok {
				continue
			}
			var pattern strings.Builder
			for i, part := range hrefParam.Split(link["href"].(string), -1) {
				if i > 0 {
					pattern.WriteString(`[^/]+`)
				}
				pattern.WriteString(regexp.QuoteMeta(part))
			}
			hs.links = append(hs.links, schemaLink{
				name:   fmt.Sprintf("%s %s", name, link["title"]),
				method: link["method"].(string),
				path:   regexp.MustCompile("^" + pattern.String() + "$"),
				ptr:    fmt.Sprintf("%s#/definitions/%s/links/%d/targetSchema", schemaURL, name, i),
			})
		}
	}
	return hs
}

func stripMeta(v any) {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "$schema")
		for _, child := range x {
			stripMeta(child)
		}
	case []any:
		for _, child := range x {
			stripMeta(child)
		}
	}
}

// validate checks body against every link that answers method and path; it
// fails when none does.
func (hs *herokuSchema) validate(t *testing.T, method, path, body string) {
	t.Helper()
	for _, err := range hs.check(method, path, body) {
		t.Errorf("%v\nbody: %.600s", err, body)
	}
}

func (hs *herokuSchema) check(method, path, body string) []error {
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		return []error{fmt.Errorf("%s %s: body is not JSON: %w", method, path, err)}
	}
	var errs []error
	matched := false
	bare, _, _ := strings.Cut(path, "?") // a query filters the list a link describes
	for _, l := range hs.links {
		if l.method != method || !l.path.MatchString(bare) {
			continue
		}
		matched = true
		sch, ok := hs.compiled[l.ptr]
		if !ok {
			if sch, err = hs.compiler.Compile(l.ptr); err != nil {
				return append(errs, fmt.Errorf("compiling %s: %w", l.ptr, err))
			}
			hs.compiled[l.ptr] = sch
		}
		if err := sch.Validate(inst); err != nil {
			errs = append(errs, fmt.Errorf("%s %s does not match %q: %w", method, path, l.name, err))
		}
	}
	if !matched {
		errs = append(errs, fmt.Errorf("%s %s: no link of schema.json describes this endpoint", method, path))
	}
	return errs
}

// TestHerokuSchemaRejects proves the validation bites: bodies a client could not
// rely on are refused.
func TestHerokuSchemaRejects(t *testing.T) {
	hs := loadHerokuSchema(t)
	tests := []struct{ method, path, body string }{
		{"GET", "/apps/shop-prod/dynos", `[{"name": "web.1", "state": 1}]`},
		{"GET", "/apps/shop-prod/dynos/web.1", `{"created_at": "yesterday"}`},
		{"GET", "/apps/shop-prod/releases/42", `{"status": "broken"}`},
		{"GET", "/apps/shop-prod", `{"id": "not-a-uuid"}`},
		{"DELETE", "/apps/shop-prod/dynos", `{"restarted": true}`},
		{"GET", "/apps/shop-prod/no-such-thing", `{}`},
		{"POST", "/sources", `{"source_blob": {"get_url": 1, "put_url": "https://x"}}`},
	}
	for _, tt := range tests {
		if errs := hs.check(tt.method, tt.path, tt.body); len(errs) == 0 {
			t.Errorf("%s %s accepted %s", tt.method, tt.path, tt.body)
		}
	}
}

type dlclarkRegexp regexp2.Regexp

func (re *dlclarkRegexp) MatchString(s string) bool {
	ok, err := (*regexp2.Regexp)(re).MatchString(s)
	return err == nil && ok
}

func (re *dlclarkRegexp) String() string { return (*regexp2.Regexp)(re).String() }

func regexp2Compile(s string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(s, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return (*dlclarkRegexp)(re), nil
}

// TestBodiesMatchHerokuSchema walks every endpoint of every scenario, with the
// plain and the CLI's (.sdk) API version, and validates each JSON answer.
func TestBodiesMatchHerokuSchema(t *testing.T) {
	hs := loadHerokuSchema(t)
	for _, sc := range Scenarios() {
		for _, version := range []string{"3", "3.sdk"} {
			t.Run(sc.Name+"/"+version, func(t *testing.T) {
				f := newFixture(t, sc.Name, FleetApp{Name: "schema-team-app", Team: "acme"})
				walkEndpoints(t, f, version, func(method, path, body string) {
					hs.validate(t, method, path, body)
				})
			})
		}
	}
}

// walkEndpoints calls visit with the answer of every endpoint the sandbox serves,
// reads first and then every state-changing verb, on both apps.
func walkEndpoints(t *testing.T, f *fixture, version string, visit func(method, path, body string)) {
	t.Helper()
	fetch := func(method, path, body string, header ...string) string {
		t.Helper()
		header = append(header, "Accept", "application/vnd.heroku+json; version="+version)
		resp, data := f.do(method, path, body, header...)
		if resp.StatusCode/100 != 2 {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
		}
		return data
	}
	call := func(method, path, body string, header ...string) string {
		t.Helper()
		data := fetch(method, path, body, header...)
		visit(method, path, data)
		return data
	}
	first := func(data, field string) string {
		var items []map[string]any
		if err := json.Unmarshal([]byte(data), &items); err != nil || len(items) == 0 {
			t.Fatalf("want a non-empty list, got %.200s", data)
		}
		return fmt.Sprint(items[0][field])
	}
	call("GET", "/account", "")
	call("GET", "/apps", "")
	call("GET", "/addons", "")
	call("GET", "/addon-attachments", "")
	call("GET", "/dyno-sizes", "")
	call("GET", "/dyno-sizes/Standard-2X", "")
	call("GET", "/teams/acme/apps", "")
	pipes := call("GET", "/pipelines", "")
	call("GET", "/pipelines/"+first(pipes, "name"), "")
	call("GET", "/pipelines/"+first(pipes, "id")+"/pipeline-couplings", "")
	call("GET", "/pipelines?eq[name]="+first(pipes, "name"), "")
	call("GET", "/users/~/apps", "")
	call("GET", "/stacks", "")
	call("GET", "/stacks/heroku-24", "")
	call("GET", "/regions", "")
	call("GET", "/regions/eu", "")
	call("GET", "/account/features", "")
	var prodInfo, stagingInfo struct{ ID string }
	json.Unmarshal([]byte(call("GET", "/apps/"+f.prod(), "")), &prodInfo)
	json.Unmarshal([]byte(call("GET", "/apps/"+f.staging(), "")), &stagingInfo)
	var coupling struct{ Pipeline struct{ ID string } }
	json.Unmarshal([]byte(call("GET", "/apps/"+f.prod()+"/pipeline-couplings", "")), &coupling)
	promo := call("POST", "/pipeline-promotions", fmt.Sprintf(`{"pipeline": {"id": %q}, "source": {"app": {"id": %q}}, "targets": [{"app": {"id": %q}}]}`,
		coupling.Pipeline.ID, stagingInfo.ID, prodInfo.ID))
	var promoInfo struct{ ID string }
	json.Unmarshal([]byte(promo), &promoInfo)
	call("GET", "/pipeline-promotions/"+promoInfo.ID, "")
	call("GET", "/pipeline-promotions/"+promoInfo.ID+"/promotion-targets", "")
	call("POST", "/apps", `{"name": "schema-scratch", "region": "eu", "stack": "heroku-22"}`)
	call("PATCH", "/apps/schema-scratch/config-vars", `{"A": "1"}`)
	call("GET", "/apps/schema-scratch/releases", "")
	call("DELETE", "/apps/schema-scratch", "")
	// A source to build from, uploaded as a client does (the blob URLs answer no JSON).
	var source struct {
		SourceBlob struct {
			GetURL string `json:"get_url"`
			PutURL string `json:"put_url"`
		} `json:"source_blob"`
	}
	json.Unmarshal([]byte(call("POST", "/sources", "")), &source)
	f.upload(source.SourceBlob.PutURL, tarGz(t, treeEntries(t, f.s.SourceFS(), "", nil)...))
	for _, app := range []string{f.prod(), f.staging()} {
		var info struct{ ID string }
		json.Unmarshal([]byte(call("GET", "/apps/"+app, "")), &info)
		call("GET", "/apps/"+info.ID, "")
		p := "/apps/" + app
		call("GET", p+"/dynos", "")
		call("GET", p+"/formation", "")
		call("GET", p+"/formation/worker", "")
		rels := call("GET", p+"/releases", "", "Range", "version ..; max=3, order=desc")
		call("GET", p+"/releases", "")
		call("GET", p+"/releases/"+first(rels, "version"), "")
		call("GET", p+"/releases/"+first(rels, "id"), "")
		call("GET", p+"/releases/"+first(rels, "version")+"/config-vars", "")
		call("GET", p+"/config-vars", "")
		call("GET", p+"/buildpack-installations", "")
		addons := call("GET", p+"/addons", "")
		call("GET", p+"/addons/"+first(addons, "name"), "")
		atts := call("GET", p+"/addon-attachments", "")
		call("POST", "/actions/addon-attachments/resolve", fmt.Sprintf(`{"addon_attachment": %q, "app": %q}`, first(atts, "name"), app))
		// Accept-Inclusion adds the add-on's plan and the config vars, which the schema
		// does not describe: the rest of the answer must still match it.
		included := fetch("GET", p+"/addon-attachments", "", "Accept-Inclusion", "addon:plan,config_vars")
		var withInclusion []map[string]any
		json.Unmarshal([]byte(included), &withInclusion)
		for _, at := range withInclusion {
			ad, _ := at["addon"].(map[string]any)
			if ad["plan"] == nil || ad["config_vars"] == nil || at["config_vars"] == nil {
				t.Errorf("Accept-Inclusion: addon:plan,config_vars did not include them: %.300s", included)
			}
			delete(ad, "plan")
			delete(ad, "config_vars")
			delete(at, "config_vars")
		}
		stripped, _ := json.Marshal(withInclusion)
		visit("GET", p+"/addon-attachments", string(stripped))
		call("GET", "/addons/"+first(addons, "id")+"/addon-attachments", "")
		call("POST", "/actions/addons/resolve", fmt.Sprintf(`{"addon": %q, "app": %q}`, first(addons, "name"), app))
		builds := call("GET", p+"/builds", "", "Range", "created_at ..; order=desc, max=5")
		call("GET", p+"/builds/"+first(builds, "id"), "")
		var rel struct{ Slug struct{ ID string } }
		json.Unmarshal([]byte(call("GET", p+"/releases/"+first(rels, "id"), "")), &rel)
		call("GET", p+"/slugs/"+rel.Slug.ID, "")
		call("GET", p+"/features", "")
		call("GET", p+"/features/preboot", "")
		call("GET", p+"/pipeline-couplings", "")
		call("GET", p+"/collaborators", "")
		call("GET", p+"/domains", "")
		call("GET", p+"/domains/"+first(call("GET", p+"/domains", ""), "hostname"), "")
		call("GET", p+"/log-drains", "")
		call("GET", p+"/webhooks", "")
		call("GET", p+"/sni-endpoints", "")
		call("POST", "/filters/apps", fmt.Sprintf(`{"in": {"id": [%q]}}`, info.ID))
		call("POST", p+"/log-sessions", `{"lines": 10, "source": "heroku", "tail": false}`)
		run := call("POST", p+"/dynos", `{"command": "env", "attach": false, "size": "standard-2x"}`)
		var oneOff struct{ Name string }
		json.Unmarshal([]byte(run), &oneOff)
		call("GET", p+"/dynos/"+oneOff.Name, "")
		call("POST", p+"/dynos", `{"command": "echo hi ; echo \"\uFFFF heroku-command-exit-status: $?\"", "attach": true, "force_no_tty": true}`)

		call("PATCH", p, `{"maintenance": true}`)
		call("PATCH", p, `{"maintenance": false}`)
		call("PATCH", p+"/formation/web", `{"quantity": 1}`)
		call("PATCH", p+"/formation", `{"updates": [{"type": "web", "quantity": 2, "size": "standard-2x"}]}`)
		f.clock.Advance(10e9)
		dynos := call("GET", p+"/dynos", "")
		call("GET", p+"/dynos/"+first(dynos, "name"), "")
		call("DELETE", p+"/dynos/"+first(dynos, "name"), "")
		call("DELETE", p+"/dynos", "")
		call("POST", p+"/dynos/"+first(dynos, "id")+"/actions/stop", "")
		call("PATCH", p+"/config-vars", `{"SANDBOX_PROBE": "1"}`)
		call("PATCH", p+"/config-vars", `{"SANDBOX_PROBE": null}`)
		older := call("GET", p+"/releases", "", "Range", "version ..; max=1, order=desc")
		var prev []struct{ Version int }
		json.Unmarshal([]byte(older), &prev)
		call("POST", p+"/releases", fmt.Sprintf(`{"release": "%d"}`, prev[0].Version-3))
		call("POST", p+"/releases", fmt.Sprintf(`{"slug": %q, "description": "Promote"}`, rel.Slug.ID))
		call("POST", p+"/builds", `{"source_blob": {"url": "https://example.invalid/src.tgz", "version": "v1"}}`)
		call("POST", p+"/builds", fmt.Sprintf(`{"source_blob": {"url": %q, "version": "v2"}}`, source.SourceBlob.GetURL))
	}
}
