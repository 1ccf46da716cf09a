// Command golden-gen writes the golden files of berthctl's formatting tests with the Go code crictl
// itself uses: text/tabwriter (tables), docker/go-units (ages, sizes), go-yaml v2 as vendored by
// sigs.k8s.io/yaml (YAML), encoding/json (status output) and text/template (go-template output).
// generate.sh copies go-units and goyaml.v2 from a cri-tools checkout next to this file and runs it.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"text/template"
	"time"

	units "goldengen/units"
	yaml "goldengen/yaml"
)

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func main() {
	dir := os.Args[1] // src/test/resources/golden
	tables(filepath.Join(dir, "table"))
	sizes(filepath.Join(dir, "units"))
	durations(filepath.Join(dir, "units"))
	yamls(filepath.Join(dir, "yaml"))
	jsons(filepath.Join(dir, "json"))
	templates(filepath.Join(dir, "template"))
}

// tables: every *.tsv (one row per line, cells separated by tabs) printed as crictl's display does.
func tables(dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.tsv"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		must(err)
		var out bytes.Buffer
		w := tabwriter.NewWriter(&out, 20, 1, 3, ' ', 0)
		for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			fmt.Fprintln(w, line)
		}
		must(w.Flush())
		must(os.WriteFile(strings.TrimSuffix(f, ".tsv")+".out", out.Bytes(), 0o644))
	}
}

func sizes(dir string) {
	data, err := os.ReadFile(filepath.Join(dir, "sizes.txt"))
	must(err)
	var out bytes.Buffer
	for _, line := range strings.Fields(string(data)) {
		v, err := strconv.ParseFloat(line, 64)
		must(err)
		fmt.Fprintf(&out, "%s\t%s\t%s\n", line, units.HumanSize(v), units.HumanSizeWithPrecision(v, 3))
	}
	must(os.WriteFile(filepath.Join(dir, "sizes.out"), out.Bytes(), 0o644))
}

func durations(dir string) {
	data, err := os.ReadFile(filepath.Join(dir, "durations.txt"))
	must(err)
	var out bytes.Buffer
	for _, line := range strings.Fields(string(data)) {
		v, err := strconv.ParseInt(line, 10, 64)
		must(err)
		fmt.Fprintf(&out, "%s\t%s\n", line, units.HumanDuration(time.Duration(v)))
	}
	must(os.WriteFile(filepath.Join(dir, "durations.out"), out.Bytes(), 0o644))
}

// yamls: sigs.k8s.io/yaml.JSONToYAML of every *.json.
func yamls(dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		must(err)
		var obj interface{}
		must(yaml.Unmarshal(data, &obj))
		out, err := yaml.Marshal(obj)
		must(err)
		must(os.WriteFile(strings.TrimSuffix(f, ".json")+".yaml", out, 0o644))
	}
}

// jsons: what crictl's outputStatusData prints for a document: decoded into any, then
// json.Marshal and json.Indent.
func jsons(dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, f := range files {
		if strings.HasSuffix(f, ".out.json") {
			continue
		}
		data, err := os.ReadFile(f)
		must(err)
		var obj interface{}
		must(json.Unmarshal(data, &obj))
		compact, err := json.Marshal(obj)
		must(err)
		var out bytes.Buffer
		must(json.Indent(&out, compact, "", "  "))
		out.WriteString("\n")
		must(os.WriteFile(strings.TrimSuffix(f, ".json")+".out.json", out.Bytes(), 0o644))
	}
}

// templates: crictl's tmplExecuteRawJSON over <name>.data.json for each <name>.tmpl; the result,
// or the error text, goes to <name>.out.
func templates(dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.tmpl"))
	sort.Strings(files)
	for _, f := range files {
		base := strings.TrimSuffix(f, ".tmpl")
		tmplStr, err := os.ReadFile(f)
		must(err)
		data, err := os.ReadFile(base + ".data.json")
		must(err)
		out, err := tmplExecuteRawJSON(strings.TrimSuffix(string(tmplStr), "\n"), string(data))
		if err != nil {
			out = "ERROR: " + err.Error()
		}
		must(os.WriteFile(base+".out", []byte(out), 0o644))
	}
}

func builtinTmplFuncs() template.FuncMap {
	return template.FuncMap{
		"json":  jsonBuiltinTmplFunc,
		"title": strings.Title, // crictl uses cases.Title(language.Und, cases.NoLower), equal for ASCII words
		"lower": strings.ToLower,
		"upper": strings.ToUpper,
	}
}

func jsonBuiltinTmplFunc(v interface{}) string {
	o := new(bytes.Buffer)
	enc := json.NewEncoder(o)
	must(enc.Encode(v))
	return o.String()
}

func tmplExecuteRawJSON(tmplStr, rawJSON string) (string, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(rawJSON)))
	dec.UseNumber()
	var raw interface{}
	if err := dec.Decode(&raw); err != nil {
		return "", fmt.Errorf("failed to decode json: %w", err)
	}
	o := new(bytes.Buffer)
	tmpl, err := template.New("tmplExecuteRawJSON").Funcs(builtinTmplFuncs()).Parse(tmplStr)
	if err != nil {
		return "", fmt.Errorf("failed to generate go-template: %w", err)
	}
	tmpl = tmpl.Option("missingkey=error")
	if err := tmpl.Execute(o, raw); err != nil {
		return "", fmt.Errorf("failed to template data: %w", err)
	}
	return o.String(), nil
}
