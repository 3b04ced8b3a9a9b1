// expr-eval evaluates expr-language expressions with github.com/expr-lang/expr, the way Argo CD's notifications
// controller does (expr.Compile without an environment, then expr.Run over `app` and the `time`/`strings` helpers),
// and prints each result in a canonical text form so Flotilla's evaluator can be compared with it.
//
// Input (stdin): {"now": RFC3339, "cases": [{"expr": "...", "env": {...}}]}. Output (stdout): a JSON array of strings.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr"
)

type exprCase struct {
	Expr string         `json:"expr"`
	Env  map[string]any `json:"env"`
}

type input struct {
	Now   string     `json:"now"`
	Cases []exprCase `json:"cases"`
}

func timeHelpers(now time.Time) map[string]any {
	return map[string]any{
		"Parse": func(timestamp string) time.Time {
			res, err := time.Parse(time.RFC3339, timestamp)
			if err != nil {
				panic(err)
			}
			return res
		},
		"Now":         func() time.Time { return now },
		"Nanosecond":  time.Nanosecond,
		"Microsecond": time.Microsecond,
		"Millisecond": time.Millisecond,
		"Second":      time.Second,
		"Minute":      time.Minute,
		"Hour":        time.Hour,
		"RFC3339":     time.RFC3339,
		"RFC3339Nano": time.RFC3339Nano,
	}
}

func stringHelpers() map[string]any {
	return map[string]any{"ReplaceAll": func(s, old, new string) string { return strings.ReplaceAll(s, old, new) }}
}

func canon(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case bool:
		return strconv.FormatBool(x)
	case int:
		return "int(" + strconv.Itoa(x) + ")"
	case int64:
		return "int(" + strconv.FormatInt(x, 10) + ")"
	case float64:
		return "float(" + strconv.FormatFloat(x, 'f', -1, 64) + ")"
	case string:
		b, _ := json.Marshal(x)
		return string(b)
	case time.Time:
		return "time(" + strconv.FormatInt(x.UnixNano(), 10) + ")"
	case time.Duration:
		return "duration(" + strconv.FormatInt(int64(x), 10) + ")"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = canon(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			b, _ := json.Marshal(k)
			parts[i] = string(b) + ":" + canon(x[k])
		}
		return "{" + strings.Join(parts, ",") + "}"
	default:
		// Typed slices ([]string from split, []int from a range) print like []any.
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice {
			parts := make([]string, rv.Len())
			for i := range parts {
				parts[i] = canon(rv.Index(i).Interface())
			}
			return "[" + strings.Join(parts, ",") + "]"
		}
		return fmt.Sprintf("other(%T)", v)
	}
}

func run(c exprCase, now time.Time) (out string) {
	prog, err := expr.Compile(c.Expr)
	if err != nil {
		return "error(compile)"
	}
	env := map[string]any{}
	for k, v := range c.Env {
		env[k] = v
	}
	env["time"] = timeHelpers(now)
	env["strings"] = stringHelpers()
	defer func() {
		if r := recover(); r != nil {
			out = "error(run)"
		}
	}()
	val, err := expr.Run(prog, env)
	if err != nil {
		return "error(run)"
	}
	return canon(val)
}

func main() {
	var in input
	dec := json.NewDecoder(os.Stdin)
	if err := dec.Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "expr-eval: bad input:", err)
		os.Exit(2)
	}
	now, err := time.Parse(time.RFC3339, in.Now)
	if err != nil {
		fmt.Fprintln(os.Stderr, "expr-eval: bad now:", err)
		os.Exit(2)
	}
	out := make([]string, len(in.Cases))
	for i, c := range in.Cases {
		out[i] = run(c, now)
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		os.Exit(1)
	}
}
