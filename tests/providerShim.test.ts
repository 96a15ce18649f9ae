import { serializeProvider } from "./harness";

// `__provider` is stored in every resource's state, and refresh/delete run the stored copy. It must
// stay tiny, capture nothing but constants, load the provider by the package's public name, and be
// the same text in every version of this package (any change shows up as a diff for every user).
describe("the __provider shim", () => {
  test("captures only the kind and the protocol number, and holds no secret", async () => {
    const sp = await serializeProvider("PipelineGroup");
    console.log(`__provider size for PipelineGroup: ${sp.bytes} bytes`);
    expect(sp.containsSecrets).toBe(false);
    expect(sp.bytes).toBeLessThan(3000);
    const captures = [...sp.text.matchAll(/with\(\{ (.*?) \}\)/g)].map((m) => m[1]);
    for (const c of captures) {
      const names = c.split(/, (?=\w+: )/).map((kv) => kv.split(":")[0]);
      expect(names.every((n) => ["protocol", "kind", "provider", "this", "arguments"].includes(n))).toBe(true);
    }
    // Loaded by the public package name only: no deep or absolute paths (they break under an exports map).
    const requires = [...sp.text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(["pulumi-codearts/provider"]));
  });

  test("differs between kinds only by the kind name", async () => {
    const a = await serializeProvider("PipelineGroup");
    const b = await serializeProvider("SomeOtherKind");
    expect(b.text.split('"SomeOtherKind"').join('"PipelineGroup"')).toBe(a.text);
  });

  test("is exactly the text of version 0.1.0, so upgrading the package never changes state", async () => {
    // If this fails, the shim changed: every existing resource would show a diff on `__provider`.
    // Change it only together with a protocol bump and a migration note.
    const sp = await serializeProvider("PipelineGroup");
    expect(sp.text).toBe(SHIM_0_1_0);
  });
});

const SHIM_0_1_0 = `exports.handler = __f0;

var __provider = {configure: __f1, check: __f2, diff: __f3, create: __f4, read: __f5, update: __f6, delete: __f7};

function __f1(__0) {
  return (function() {
    with({ this: undefined, arguments: undefined }) {

return (req) => require("pulumi-codearts/provider").configure(req);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f2(__0, __1) {
  return (function() {
    with({ protocol: 1, kind: "PipelineGroup", this: undefined, arguments: undefined }) {

return (olds, news) => require("pulumi-codearts/provider").dispatch(protocol, kind, "check", olds, news);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f3(__0, __1, __2) {
  return (function() {
    with({ protocol: 1, kind: "PipelineGroup", this: undefined, arguments: undefined }) {

return (id, olds, news) => require("pulumi-codearts/provider").dispatch(protocol, kind, "diff", id, olds, news);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f4(__0) {
  return (function() {
    with({ protocol: 1, kind: "PipelineGroup", this: undefined, arguments: undefined }) {

return (inputs) => require("pulumi-codearts/provider").dispatch(protocol, kind, "create", inputs);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f5(__0, __1) {
  return (function() {
    with({ protocol: 1, kind: "PipelineGroup", this: undefined, arguments: undefined }) {

return (id, props) => require("pulumi-codearts/provider").dispatch(protocol, kind, "read", id, props);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f6(__0, __1, __2) {
  return (function() {
    with({ protocol: 1, kind: "PipelineGroup", this: undefined, arguments: undefined }) {

return (id, olds, news) => require("pulumi-codearts/provider").dispatch(protocol, kind, "update", id, olds, news);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f7(__0, __1) {
  return (function() {
    with({ protocol: 1, kind: "PipelineGroup", this: undefined, arguments: undefined }) {

return (id, props) => require("pulumi-codearts/provider").dispatch(protocol, kind, "delete", id, props);

    }
  }).apply(undefined, undefined).apply(this, arguments);
}

function __f0() {
  return (function() {
    with({ provider: __provider, this: undefined, arguments: undefined }) {

return () => provider;

    }
  }).apply(undefined, undefined).apply(this, arguments);
}
`;
