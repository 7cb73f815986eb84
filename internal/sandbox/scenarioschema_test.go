package sandbox

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// scenarioSchema compiles docs/scenario.schema.json, the published schema of
// scenario files.
func scenarioSchema(t *testing.T) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	data, err := os.ReadFile("../../docs/scenario.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("scenario.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("scenario.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch, doc.(map[string]any)
}

// yamlAsJSON is a YAML document as the JSON value the schema judges.
func yamlAsJSON(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestShippedScenariosMatchTheSchema(t *testing.T) {
	sch, _ := scenarioSchema(t)
	names, err := fs.Glob(scenarioFiles, "scenarios/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, name := range names {
		data, _ := scenarioFiles.ReadFile(name)
		if err := sch.Validate(yamlAsJSON(t, data)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	rec := &Recording{At: time.Now(), Production: RecordedApp{Name: "acme-web",
		Formation: []RecordedProcess{{Type: "web", Size: "Basic", Command: "npm start", Quantity: 1}}}}
	data, err := rec.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(yamlAsJSON(t, data)); err != nil {
		t.Errorf("a recording: %v", err)
	}
	// The schema refuses what the reader refuses: an unknown field, a bad span.
	base, _ := scenarioFiles.ReadFile("scenarios/bad-deploy.yaml")
	for _, bad := range []string{
		strings.Replace(string(base), "runbook: triage", "runbook: triage\nrunbok: x", 1),
		strings.Replace(string(base), "age: 12m", "age: soon", 1),
		strings.Replace(string(base), "action: releases.rollback", "action: pray", 1),
	} {
		if err := sch.Validate(yamlAsJSON(t, []byte(bad))); err == nil {
			t.Errorf("the schema took a scenario the reader refuses")
		}
	}
}

// TestSchemaCoversEveryField compares the schema's properties with the reader's
// fields, type by type, so neither can grow a field the other lacks.
func TestSchemaCoversEveryField(t *testing.T) {
	_, doc := scenarioSchema(t)
	defs := doc["$defs"].(map[string]any)
	var walk func(path string, typ reflect.Type, node map[string]any)
	resolve := func(node map[string]any) map[string]any {
		if ref, ok := node["$ref"].(string); ok {
			return defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
		}
		return node
	}
	walk = func(path string, typ reflect.Type, node map[string]any) {
		node = resolve(node)
		for typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		switch typ.Kind() {
		case reflect.Slice:
			if items, ok := node["items"].(map[string]any); ok {
				walk(path+"[]", typ.Elem(), items)
			}
			return
		case reflect.Map:
			if add, ok := node["additionalProperties"].(map[string]any); ok {
				walk(path+"{}", typ.Elem(), add)
			}
			return
		case reflect.Struct:
		default:
			return
		}
		if typ == reflect.TypeOf(span(0)) {
			return
		}
		props, _ := node["properties"].(map[string]any)
		var fields []string
		for i := range typ.NumField() {
			f := typ.Field(i)
			tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if !f.IsExported() || tag == "" || tag == "-" {
				continue
			}
			fields = append(fields, tag)
			p, ok := props[tag].(map[string]any)
			if !ok {
				t.Errorf("%s.%s is read but not in the schema", path, tag)
				continue
			}
			walk(path+"."+tag, f.Type, p)
		}
		var inSchema []string
		for k := range props {
			inSchema = append(inSchema, k)
		}
		sort.Strings(inSchema)
		for _, k := range inSchema {
			if !slices.Contains(fields, k) {
				t.Errorf("%s.%s is in the schema but not read", path, k)
			}
		}
	}
	walk("scenario", reflect.TypeOf(scenarioSpec{}), doc)
}

// TestScenariosDocExample reads the example in docs/SCENARIOS.md the way a team's
// file is read, and through the schema.
func TestScenariosDocExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/SCENARIOS.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "## An example\n\n```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```\n")
	if !ok || !ok2 {
		t.Fatal("docs/SCENARIOS.md has no example")
	}
	sch, _ := scenarioSchema(t)
	if err := sch.Validate(yamlAsJSON(t, []byte(example))); err != nil {
		t.Errorf("the example does not match the schema: %v", err)
	}
	dir := t.TempDir()
	writeFile(t, dir+"/src/shop/Procfile", "web: gunicorn app:app\n")
	file := writeFile(t, dir+"/our-outage.yaml", example)
	sc, err := ReadScenarioFile(file)
	if err != nil {
		t.Fatalf("the example does not read: %v", err)
	}
	if sc.Name != "our-outage" || sc.Fix.Action != "releases.rollback" || sc.StagingApp != "shop-staging" {
		t.Errorf("the example read as %+v", sc)
	}
}
