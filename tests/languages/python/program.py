"""A Python program of pulumi_codearts, run through the real Pulumi CLI by the Automation API.

    python program.py <preview|up|refresh|destroy> <work dir> <CLI root> [lookups]

The work dir holds Pulumi.yaml (its plugins.providers path finds the plugin: this SDK's
ProjectSettings cannot write that section) and the stack's config; PULUMI_HOME, the backend and the
passphrase come from the environment. The program is inline: no Python language host is built.
Prints one JSON object: what the Automation API answered, and one entry a resource from its events.
With `lookups`, the program is `lookups` (project codearts-python-lookups), which only looks things up.
"""

import json
import sys

import pulumi
import pulumi_codearts as codearts
from pulumi.automation import CommandError, LocalWorkspaceOptions, PulumiCommand, create_or_select_stack


def program():
    config = pulumi.Config()
    team_name = config.get("teamName") or "Platform"
    project_id = config.require("projectId")
    # A second account by an explicit provider; the default provider is configured by codearts:* stack config.
    second = codearts.Provider(
        "second",
        region="cn-north-4",
        access_key=config.require("secondAccessKey"),
        secret_key=config.require_secret("secondSecretKey"),
        domain_id=config.require("secondDomainId"),
        project_id=config.require("secondIamProjectId"),
        endpoints={"*": config.require("emulatorUrl")},
    )
    team = codearts.PipelineGroup("team", project_id=project_id, name=team_name)
    codearts.PipelineGroup("deploy", project_id=project_id, name=f"deploy-{team_name}", parent_id=team.id)
    pass_rate = codearts.Rule(
        "passRate",
        name="test pass rate",
        type=codearts.RuleType.GATE,
        layout_content=config.get("layout") or "gate-v1",
        content=[
            codearts.RuleContentArgs(
                group_name="g",
                properties=[codearts.RuleContentPropertyArgs(key="k", name="n", type="judge", operator=">=", value_type="float", value="0.8")],
            )
        ],
    )
    gate = codearts.RuleSet("gate", name="release gate", rules=[codearts.RuleSetRuleArgs(id=pass_rate.id)])
    codearts.Script(
        "deployScript",
        name="python_deploy",
        description="deploys the release",
        type=codearts.ScriptType.SHELL,
        content='./deploy.sh "$token"',
        risk_level=codearts.ScriptRiskLevel.LOW,
        version="1",
        params=[codearts.ScriptParamArgs(name="token", value=config.require_secret("deployToken"), sensitive=True)],
    )
    codearts.TestPlan("regression", project_id=project_id, name="regression", end_date="2026-12-31", service_id_list=[1])
    codearts.PipelineGroup(
        "elsewhere",
        project_id=config.require("secondProjectId"),
        name=team_name,
        opts=pulumi.ResourceOptions(provider=second),
    )
    pulumi.export("teamId", team.id)
    pulumi.export("gateId", gate.id)


def lookups():
    """The generated look-up functions, each an invoke of the plugin: a group and a plan made outside the program."""
    config = pulumi.Config()
    project_id = config.require("projectId")
    team = codearts.get_pipeline_group(project_id=project_id, name=config.require("teamName"))
    plan = codearts.get_test_plan(project_id=project_id, name=config.require("planName"))
    requirements = codearts.get_test_plan_requirements(project_id=project_id, plan_id=plan.id).requirements
    history = codearts.get_test_plan_history(project_id=project_id, plan_id=plan.id).history
    pulumi.export("teamId", team.id)
    pulumi.export("teamPath", team.path_id)
    pulumi.export("planId", plan.id)
    pulumi.export("requirementParents", {r.workitem_id: r.parent_issue or "" for r in requirements})
    pulumi.export("historyTimes", [h.operate_time for h in history])


PROGRAMS = {"resources": ("codearts-python", program), "lookups": ("codearts-python-lookups", lookups)}


def main(operation, work_dir, cli_root, which="resources"):
    project_name, inline = PROGRAMS[which]
    stack = create_or_select_stack(
        stack_name="dev",
        project_name=project_name,
        program=inline,
        opts=LocalWorkspaceOptions(work_dir=work_dir, pulumi_command=PulumiCommand(root=cli_root)),
    )
    steps = {}

    def on_event(event):
        # A step's plan (pre-event), then what the engine decided (outputs event: a refresh's "update" or "same").
        for kind, e in (("planned", event.resource_pre_event), ("done", event.res_outputs_event)):
            if e and e.metadata.type != "pulumi:pulumi:Stack":
                m = e.metadata
                step = steps.setdefault(m.urn, {"name": m.urn.split("::")[-1], "type": m.type})
                step[kind] = {"op": m.op.value, "diffs": sorted(m.diffs or []), "detailedDiff": sorted(m.detailed_diff or {})}

    try:
        if operation == "preview":
            r = stack.preview(diff=True, on_event=on_event)
            changes = r.change_summary
        else:
            # show_secrets=False: by default the Automation API reads the summary with --show-secrets, config secrets in clear.
            if operation == "up":
                r = stack.up(diff=True, on_event=on_event, show_secrets=False)
            elif operation == "refresh":
                r = stack.refresh(on_event=on_event, show_secrets=False)
            else:
                r = stack.destroy(on_event=on_event, show_secrets=False)
            changes = r.summary.resource_changes
        result = {"ok": True, "changes": dict(changes or {}), "stdout": r.stdout, "stderr": r.stderr}
        if operation == "up":
            result["result"] = r.summary.result
            result["outputs"] = {k: "[secret]" if v.secret else v.value for k, v in r.outputs.items()}
    except CommandError as e:
        result = {"ok": False, "error": str(e)}
    print(json.dumps({**result, "operation": operation, "steps": list(steps.values())}))


if __name__ == "__main__":
    main(*sys.argv[1:5])
