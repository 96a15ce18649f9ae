"""
Runs a Python program Pulumi's program generator wrote (a resource page's example) under Pulumi's mocks: no
engine, no plugin. Each resource registration is recorded (type, logical name, inputs as the SDK sends them)
and answered with its inputs as its state (typed as the schema types the outputs) and, as its id, 32 hex
digits from its name: the form of every id the examples pass on (groups, templates, publishers, rules).
Prints, as JSON, the registrations and the resources the YAML program it was generated from declares (type
and logical name), to compare.

    python mocks.py PROGRAM.py PULUMI.yaml
"""
import hashlib
import json
import os
import runpy
import sys

import pulumi
import yaml
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

registered = []
# A secret input reaches the mocks wrapped (params of a Script): recorded as the value the program wrote.
SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET = "1b47061264138c4ac30d75fd1eb44270"


def plain(v):
    if isinstance(v, list):
        return [plain(e) for e in v]
    if isinstance(v, dict):
        return plain(v["value"]) if v.get(SECRET_SIG) == SECRET else {k: plain(e) for k, e in v.items()}
    return v


with open(os.path.join(os.path.dirname(__file__), "..", "..", "..", "schema.json"), encoding="utf-8") as f:
    RESOURCES = json.load(f)["resources"]


def state(typ, inputs):
    """The inputs as the provider records them: a JSON document given as an object (a definition) is kept as its text."""
    outputs = RESOURCES.get(typ, {}).get("properties", {})
    return {k: json.dumps(v) if isinstance(v, (dict, list)) and outputs.get(k, {}).get("type") == "string" else v for k, v in inputs.items()}


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        registered.append({"type": args.typ, "name": args.name, "inputs": plain(args.inputs)})
        id = hashlib.md5(args.name.encode()).hexdigest()
        # Outputs the service makes from nothing declared: an API test suite's (its id and the cases it generated).
        made = {"testsuiteId": id, "testcaseIds": [id]} if args.typ.endswith(":ApiTestSuite") else {}
        return [id, {**state(args.typ, args.inputs), **made}]

    def call(self, args):
        raise Exception(f"the example calls {args.token}: examples declare resources only")


pulumi.runtime.set_mocks(Mocks(), project="example", stack="dev", preview=False)
# As the language host runs __main__.py, and waiting for every registration as it does.
_sync_await(run_pulumi_func(lambda: runpy.run_path(sys.argv[1], run_name="__main__")))
with open(sys.argv[2], encoding="utf-8") as f:
    resources = yaml.safe_load(f)["resources"]
declared = [{"type": r["type"], "name": r.get("name", key)} for key, r in resources.items()]
json.dump({"registered": registered, "declared": declared}, sys.stdout)
