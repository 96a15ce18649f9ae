package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"pulumi-codearts/sdk/go/codearts"
)

// lookups is the program `-program lookups` runs: the generated look-up functions, each an invoke of the
// plugin, finding what exists (a group and a plan made outside the program) and declaring nothing.
// tests/engine/languages.lookups.test.ts compares what it exports with what the emulator holds.
func lookups(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	projectID := cfg.Require("projectId")
	// A kind's look-up: Pulumi's generator names it Lookup… (a resource PipelineGroup has Get…).
	team, err := codearts.LookupPipelineGroup(ctx, &codearts.LookupPipelineGroupArgs{ProjectId: projectID, Name: pulumi.StringRef(cfg.Require("teamName"))})
	if err != nil {
		return err
	}
	plan, err := codearts.LookupTestPlan(ctx, &codearts.LookupTestPlanArgs{ProjectId: projectID, Name: pulumi.StringRef(cfg.Require("planName"))})
	if err != nil {
		return err
	}
	reqs, err := codearts.GetTestPlanRequirements(ctx, &codearts.GetTestPlanRequirementsArgs{ProjectId: projectID, PlanId: plan.Id})
	if err != nil {
		return err
	}
	history, err := codearts.GetTestPlanHistory(ctx, &codearts.GetTestPlanHistoryArgs{ProjectId: projectID, PlanId: plan.Id})
	if err != nil {
		return err
	}
	parents := pulumi.StringMap{}
	for _, r := range reqs.Requirements {
		parent := ""
		if r.ParentIssue != nil {
			parent = *r.ParentIssue
		}
		parents[*r.WorkitemId] = pulumi.String(parent)
	}
	times := pulumi.StringArray{}
	for _, h := range history.History {
		times = append(times, pulumi.String(*h.OperateTime))
	}
	ctx.Export("teamId", pulumi.String(team.Id))
	ctx.Export("teamPath", pulumi.String(team.PathId))
	ctx.Export("planId", pulumi.String(plan.Id))
	ctx.Export("requirementParents", parents)
	ctx.Export("historyTimes", times)
	return nil
}
