"""
Reads a Python program Pulumi's program generator wrote for the package (`codegen definitions ... python`)
without running it (running needs the `pulumi` package, which this check does without): compiles it
(py_compile), then checks every name it takes from pulumi_codearts against the SDK in sdk/python, read as
source: each resource class, its keyword arguments, each enum member, and the keys of each nested dict
against the TypedDict its argument is annotated with. Prints, as JSON, each resource the program declares
(variable, kind, logical name, inputs as plain values, protect) and the problems found.

    python3 pythonProgram.py PROGRAM.py SDK_PACKAGE_DIR
"""
import ast
import json
import os
import py_compile
import re
import sys

problems = []


def parse(path):
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read(), path)


def read_sdk(pkg_dir):
    """The names the package exports (each module's __all__, star-imported by __init__) and its classes."""
    exported = set()
    classes = {}
    for node in parse(os.path.join(pkg_dir, "__init__.py")).body:
        if not (isinstance(node, ast.ImportFrom) and node.level == 1 and any(a.name == "*" for a in node.names)):
            continue
        module = parse(os.path.join(pkg_dir, node.module + ".py"))
        for item in module.body:
            if isinstance(item, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in item.targets):
                exported.update(ast.literal_eval(item.value))
        # TypedDicts sit inside `if not MYPY:` blocks: every class, wherever it is.
        for item in ast.walk(module):
            if isinstance(item, ast.ClassDef):
                classes.setdefault(item.name, item)
    return exported, classes


def resource_params(cls):
    """A resource class's keyword arguments and their annotations: its __init__ overload that takes opts and inputs."""
    best = {}
    for item in cls.body:
        if isinstance(item, ast.FunctionDef) and item.name == "__init__":
            args = item.args.args + item.args.kwonlyargs
            names = [a.arg for a in args]
            if "opts" in names and "args" not in names:
                best = {a.arg: ast.unparse(a.annotation) if a.annotation else "" for a in args if a.arg not in ("__self__", "self", "resource_name", "opts", "__props__")}
    return best


def fields(cls):
    """A TypedDict's or args class's fields and their annotations."""
    out = {}
    for item in cls.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            out[item.target.id] = ast.unparse(item.annotation)
        if isinstance(item, ast.FunctionDef) and item.name == "__init__":
            for a in item.args.args + item.args.kwonlyargs:
                if a.arg not in ("__self__", "self"):
                    out[a.arg] = ast.unparse(a.annotation) if a.annotation else ""
    return out


def main(program, pkg_dir):
    py_compile.compile(program, doraise=True)
    exported, classes = read_sdk(pkg_dir)
    tree = parse(program)
    alias = None
    for node in tree.body:
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "pulumi_codearts":
                    alias = a.asname or a.name
    if alias is None:
        problems.append("the program does not import pulumi_codearts")

    def is_sdk(node):
        return isinstance(node, ast.Name) and node.id == alias

    def typed_dict(annotation):
        found = set(re.findall(r"\b(\w+ArgsDict)\b", annotation or ""))
        return classes.get(found.pop()) if len(found) == 1 else None

    def value(node, annotation, where):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            return -node.operand.value
        if isinstance(node, ast.List):
            element = re.sub(r"^.*?Sequence\[", "", annotation or "")
            return [value(e, element, f"{where}[{i}]") for i, e in enumerate(node.elts)]
        if isinstance(node, ast.Dict):
            td = typed_dict(annotation)
            known = fields(td) if td else None
            out = {}
            for k, v in zip(node.keys, node.values):
                key = k.value if isinstance(k, ast.Constant) else None
                if not isinstance(key, str):
                    problems.append(f"{where}: a key that is not a string")
                    continue
                if known is not None and key not in known:
                    problems.append(f"{where}: {td.name} has no key {key!r}")
                out[key] = value(v, known.get(key) if known else None, f"{where}.{key}")
            return out
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("pulumi.Output.secret", "pulumi.secret"):
            return value(node.args[0], annotation, where)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and is_sdk(node.func.value):
            name = node.func.attr
            if name not in exported or name not in classes:
                problems.append(f"{where}: pulumi_codearts has no {name}")
                return None
            known = fields(classes[name])
            out = {}
            for kw in node.keywords:
                if kw.arg not in known:
                    problems.append(f"{where}: {name} takes no {kw.arg!r}")
                out[kw.arg] = value(kw.value, known.get(kw.arg), f"{where}.{kw.arg}")
            return out
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and is_sdk(node.value.value):
            enum, member = node.value.attr, node.attr
            cls = classes.get(enum)
            if enum not in exported or cls is None:
                problems.append(f"{where}: pulumi_codearts has no {enum}")
                return None
            for item in cls.body:
                if isinstance(item, ast.Assign) and any(isinstance(t, ast.Name) and t.id == member for t in item.targets):
                    return ast.literal_eval(item.value)
            problems.append(f"{where}: {enum} has no member {member}")
            return None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return {"$ref": [node.value.id, node.attr]}
        if isinstance(node, ast.Name):  # a program's local value (a YAML program's `variables:`)
            return {"$ref": [node.id]}
        problems.append(f"{where}: cannot read {ast.unparse(node)}")
        return None

    resources = []
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        call = node.value
        if not (isinstance(call.func, ast.Attribute) and is_sdk(call.func.value)):
            continue
        kind = call.func.attr
        variable = node.targets[0].id if isinstance(node.targets[0], ast.Name) else None
        if kind not in exported or kind not in classes:
            problems.append(f"{variable}: pulumi_codearts has no {kind}")
            continue
        params = resource_params(classes[kind])
        inputs, protect = {}, None
        for kw in call.keywords:
            if kw.arg == "opts":
                if not (isinstance(kw.value, ast.Call) and ast.unparse(kw.value.func) == "pulumi.ResourceOptions"):
                    problems.append(f"{variable}: opts is not a pulumi.ResourceOptions(...)")
                    continue
                for o in kw.value.keywords:
                    if o.arg == "protect":
                        protect = ast.literal_eval(o.value)
                continue
            if kw.arg not in params:
                problems.append(f"{variable}: {kind} takes no {kw.arg!r}")
            inputs[kw.arg] = value(kw.value, params.get(kw.arg), f"{variable}.{kw.arg}")
        name = call.args[0].value if call.args and isinstance(call.args[0], ast.Constant) else None
        resources.append({"variable": variable, "kind": kind, "name": name, "inputs": inputs, "protect": protect})
    json.dump({"resources": resources, "problems": problems}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
