// Command codearts-go is a Go program of pulumi-codearts, run through the real Pulumi CLI by the Go
// Automation API (github.com/pulumi/pulumi/sdk/v3/go/auto) as an inline program: there is no Go
// language host to run a file program (pulumi-language-go is not served by the module proxy), and an
// inline program needs none, since the program runs in this process and the CLI calls back into it.
//
// Usage: codearts-go -work-dir DIR -pulumi-root ROOT -plugin-dir DIR -backend URL [-stack NAME] [-program lookups] OPERATION
// where OPERATION is `config` (sets the stack's config from a JSON object on stdin, each value a
// string or {"secret": string}), `preview`, `up`, `refresh` or `destroy`. It prints one JSON object
// (see result) on stdout and exits 1 when the operation failed. tests/engine/languages.go.test.ts runs it;
// with -program lookups (project codearts-go-lookups), tests/engine/languages.lookups.test.ts: one
// binary for both, since a Go build is slow.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"pulumi-codearts/sdk/go/codearts"
)

// programs by -program: the project name (its config namespace) and the inline program.
var programs = map[string]struct {
	project string
	run     pulumi.RunFunc
}{
	"resources": {"codearts-go", program},
	"lookups":   {"codearts-go-lookups", lookups},
}

// program declares the package's kinds: the default provider is configured by stack config in the
// codearts: namespace (the engine hands it to the plugin), a second account by an explicit provider.
func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	projectID := cfg.Require("projectId")
	teamName := cfg.Get("teamName")
	if teamName == "" {
		teamName = "Platform"
	}
	layout := cfg.Get("layout")
	if layout == "" {
		layout = "gate-v1"
	}

	second, err := codearts.NewProvider(ctx, "second", &codearts.ProviderArgs{
		Region:    pulumi.String(cfg.Require("secondRegion")),
		AccessKey: pulumi.String(cfg.Require("secondAccessKey")),
		SecretKey: cfg.RequireSecret("secondSecretKey"),
		DomainId:  pulumi.String(cfg.Require("secondDomainId")),
		ProjectId: pulumi.String(cfg.Require("secondIamProjectId")),
		Endpoints: pulumi.StringMap{"*": pulumi.String(cfg.Require("emulatorUrl"))},
	})
	if err != nil {
		return err
	}

	team, err := codearts.NewPipelineGroup(ctx, "team", &codearts.PipelineGroupArgs{
		ProjectId: pulumi.String(projectID),
		Name:      pulumi.String(teamName),
	})
	if err != nil {
		return err
	}
	passRate, err := codearts.NewRule(ctx, "passRate", &codearts.RuleArgs{
		Name:          pulumi.String("test pass rate"),
		Type:          codearts.RuleTypeGate,
		LayoutContent: pulumi.String(layout),
		Content: codearts.RuleContentArray{codearts.RuleContentArgs{
			GroupName: pulumi.String("g"),
			Properties: codearts.RuleContentPropertyArray{codearts.RuleContentPropertyArgs{
				Key:       pulumi.String("k"),
				Name:      pulumi.String("n"),
				Type:      pulumi.String("judge"),
				Operator:  pulumi.String(">="),
				ValueType: pulumi.String("float"),
				Value:     pulumi.String("0.8"),
			}},
		}},
	})
	if err != nil {
		return err
	}
	gate, err := codearts.NewRuleSet(ctx, "gate", &codearts.RuleSetArgs{
		Name:  pulumi.String("release gate"),
		Rules: codearts.RuleSetRuleArray{codearts.RuleSetRuleArgs{Id: passRate.ID().ToStringOutput()}},
	})
	if err != nil {
		return err
	}
	if _, err := codearts.NewPipelineGroup(ctx, "deploy", &codearts.PipelineGroupArgs{
		ProjectId: pulumi.String(projectID),
		Name:      pulumi.String("deploy-" + teamName),
		ParentId:  team.ID().ToStringPtrOutput(),
	}); err != nil {
		return err
	}
	deployScript, err := codearts.NewScript(ctx, "deployScript", &codearts.ScriptArgs{
		Name:        pulumi.String("go_deploy"),
		Description: pulumi.String("deploys the release"),
		Type:        codearts.ScriptTypeShell,
		Content:     pulumi.String(`./deploy.sh "$token"`),
		RiskLevel:   codearts.ScriptRiskLevelLow,
		Version:     pulumi.String("1"),
		// A secret config value: the SDK also marks the whole params list secret (schema: secret).
		Params: codearts.ScriptParamArray{codearts.ScriptParamArgs{
			Name:      pulumi.String("token"),
			Value:     cfg.RequireSecret("deployToken"),
			Sensitive: pulumi.Bool(true),
		}},
	})
	if err != nil {
		return err
	}
	if _, err := codearts.NewTestPlan(ctx, "regression", &codearts.TestPlanArgs{
		ProjectId:     pulumi.String(projectID),
		Name:          pulumi.String("regression"),
		EndDate:       pulumi.String("2026-12-31"),
		ServiceIdList: pulumi.IntArray{pulumi.Int(1)},
	}); err != nil {
		return err
	}
	if _, err := codearts.NewPipelineGroup(ctx, "elsewhere", &codearts.PipelineGroupArgs{
		ProjectId: pulumi.String(cfg.Require("secondProjectId")),
		Name:      pulumi.String(teamName),
	}, pulumi.Provider(second)); err != nil {
		return err
	}

	ctx.Export("teamId", team.ID())
	ctx.Export("gateId", gate.ID())
	ctx.Export("scriptParams", deployScript.Params)
	return nil
}

// result is what one run prints. Events are the engine's, as the Automation API streams them.
type result struct {
	Operation string                `json:"operation"`
	OK        bool                  `json:"ok"`
	Error     string                `json:"error,omitempty"`
	StdOut    string                `json:"stdout"`
	StdErr    string                `json:"stderr"`
	Changes   map[string]int        `json:"changes,omitempty"`
	Outputs   map[string]output     `json:"outputs,omitempty"`
	Events    []apitype.EngineEvent `json:"events"`
}

// output is a stack output; a secret's value is left out (the Automation API reads outputs with --show-secrets).
type output struct {
	Value  any  `json:"value,omitempty"`
	Secret bool `json:"secret"`
}

func main() {
	workDir := flag.String("work-dir", "", "the workspace directory (Pulumi.yaml and the stack's config file)")
	pulumiRoot := flag.String("pulumi-root", "", "the Pulumi CLI installation (ROOT/bin/pulumi)")
	pluginDir := flag.String("plugin-dir", "", "the directory of the pulumi-resource-codearts plugin")
	backend := flag.String("backend", "", "the backend URL, e.g. file:///path")
	stackName := flag.String("stack", "dev", "the stack")
	which := flag.String("program", "resources", "the program: resources or lookups")
	flag.Parse()
	if _, ok := programs[*which]; !ok || flag.NArg() != 1 || *workDir == "" || *pulumiRoot == "" || *pluginDir == "" || *backend == "" {
		flag.Usage()
		os.Exit(2)
	}
	r := run(context.Background(), *which, flag.Arg(0), *workDir, *pulumiRoot, *pluginDir, *backend, *stackName)
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if !r.OK {
		os.Exit(1)
	}
}

func run(ctx context.Context, which, operation, workDir, pulumiRoot, pluginDir, backend, stackName string) (r result) {
	r = result{Operation: operation, Events: []apitype.EngineEvent{}}
	fail := func(err error) result {
		// The Automation API's errors carry the CLI's stdout and stderr in their message.
		r.OK, r.Error = false, err.Error()
		return r
	}

	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: pulumiRoot})
	if err != nil {
		return fail(err)
	}
	projectName, inline := programs[which].project, programs[which].run
	project := workspace.Project{
		Name:    tokens.PackageName(projectName),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Backend: &workspace.ProjectBackend{URL: backend},
		// Pulumi.yaml's plugins.providers: the engine runs the plugin from this directory instead of looking it up.
		Plugins: &workspace.Plugins{Providers: []workspace.PluginOptions{{Name: "codearts", Path: pluginDir}}},
	}
	stack, err := auto.UpsertStackInlineSource(ctx, stackName, projectName, inline, auto.Pulumi(cmd), auto.Project(project), auto.WorkDir(workDir))
	if err != nil {
		return fail(err)
	}

	// The Automation API closes the channel when the operation ends; collect until then.
	stream := make(chan events.EngineEvent)
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for e := range stream {
			if e.Error == nil {
				r.Events = append(r.Events, e.EngineEvent)
			}
		}
	}()
	started := false
	wait := func() {
		if started {
			<-collected
		}
	}

	switch operation {
	case "config":
		var values map[string]json.RawMessage
		if err := json.NewDecoder(os.Stdin).Decode(&values); err != nil {
			return fail(err)
		}
		m := auto.ConfigMap{}
		for k, raw := range values {
			var plain string
			var secret struct{ Secret string }
			if json.Unmarshal(raw, &plain) == nil {
				m[k] = auto.ConfigValue{Value: plain}
			} else if err := json.Unmarshal(raw, &secret); err == nil {
				m[k] = auto.ConfigValue{Value: secret.Secret, Secret: true}
			} else {
				return fail(fmt.Errorf("config %s: %w", k, err))
			}
		}
		if err := stack.SetAllConfig(ctx, m); err != nil {
			return fail(err)
		}
	case "preview":
		started = true
		res, err := stack.Preview(ctx, optpreview.Diff(), optpreview.EventStreams(stream))
		wait()
		if err != nil {
			return fail(err)
		}
		r.StdOut, r.StdErr = res.StdOut, res.StdErr
		r.Changes = map[string]int{}
		for op, n := range res.ChangeSummary {
			r.Changes[string(op)] = n
		}
	case "up":
		started = true
		res, err := stack.Up(ctx, optup.Diff(), optup.EventStreams(stream))
		wait()
		if err != nil {
			return fail(err)
		}
		r.StdOut, r.StdErr = res.StdOut, res.StdErr
		r.Changes = changes(res.Summary)
		r.Outputs = map[string]output{}
		for k, v := range res.Outputs {
			if v.Secret {
				r.Outputs[k] = output{Secret: true}
			} else {
				r.Outputs[k] = output{Value: v.Value}
			}
		}
	case "refresh":
		started = true
		res, err := stack.Refresh(ctx, optrefresh.EventStreams(stream))
		wait()
		if err != nil {
			return fail(err)
		}
		r.StdOut, r.StdErr, r.Changes = res.StdOut, res.StdErr, changes(res.Summary)
	case "destroy":
		started = true
		res, err := stack.Destroy(ctx, optdestroy.EventStreams(stream))
		wait()
		if err != nil {
			return fail(err)
		}
		r.StdOut, r.StdErr, r.Changes = res.StdOut, res.StdErr, changes(res.Summary)
	default:
		return fail(fmt.Errorf("unknown operation %q (config, preview, up, refresh or destroy)", operation))
	}
	r.OK = true
	return r
}

func changes(s auto.UpdateSummary) map[string]int {
	out := map[string]int{}
	if s.ResourceChanges != nil {
		for op, n := range *s.ResourceChanges {
			out[op] = n
		}
	}
	return out
}
