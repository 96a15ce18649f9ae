#!/usr/bin/env node
/**
 * Writes schema.json: the Pulumi package schema of the resource-provider plugin (pulumi-resource-codearts),
 * which its GetSchema answers and from which Pulumi's code generators make SDKs in other languages.
 *
 * One source: every resource and its inputs come from the kinds in provider/kinds.ts at run time (each
 * zod schema through zod's own `z.toJSONSchema`: types, required, enums, defaults; `replaceOn` →
 * replaceOnChanges; `secrets` → secret), the output properties' types and every description from the
 * TypeScript types (scripts/generate-sdk-types.js `describeKinds`: the JSDoc of the schemas, the
 * `<Kind>Outputs` interfaces and the SDK's classes), the provider's configuration from provider/config.ts.
 * Nothing here names a kind or a property.
 *
 * Why a plain .js file that loads the TypeScript sources itself (each file transpiled on require, as
 * tsconfig's isolatedModules allows): like gen:types it must run with node alone, before any build.
 *
 *   npm run gen:schema            rewrite schema.json
 *   require(...).generate()       the text it would write (tests/pluginSchema.test.ts compares it)
 */
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const ROOT = path.resolve(__dirname, "..");
const TARGET = path.join(ROOT, "schema.json");

/** Lets node require the provider's TypeScript (jest has its own transform). */
function loadTypeScript() {
  if (process.env.JEST_WORKER_ID !== undefined || require.extensions[".ts"]) return;
  require.extensions[".ts"] = (module, filename) => {
    const out = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    module._compile(out.outputText, filename);
  };
}

const ANY = { $ref: "pulumi.json#/Any" };
/**
 * What Pulumi's code generators need per language (scripts/generate-sdks.js writes sdk/<language> from
 * this schema). The Go module has no public home yet, so its path has no host: a program adds a `replace`
 * to its checkout (README). Python installs with pip from sdk/python (pyproject.toml) and needs the `pulumi`
 * package from PyPI. respectSchemaVersion: the SDKs ask the engine for this package's version of the plugin.
 */
const LANGUAGE = {
  go: { importBasePath: "pulumi-codearts/sdk/go/codearts", respectSchemaVersion: true },
  python: { packageName: "pulumi_codearts", requires: { pulumi: ">=3.142.0,<4.0.0" }, pyproject: { enabled: true }, respectSchemaVersion: true },
  // Generated, not compiled here (no .NET or JDK on the project's machines). Namespaces of this package's
  // own, not Pulumi's `Pulumi.*` / `com.pulumi.*`, which would claim to be Pulumi's packages.
  csharp: { rootNamespace: "PulumiCodeArts", respectSchemaVersion: true },
  java: { basePackage: "pulumicodearts" },
};
const pascal = (s) => s.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep, c) => c.toUpperCase());
/** The name of one element of a list property: sources → Source, properties → Property. */
const singular = (s) => (/ies$/.test(s) ? s.slice(0, -3) + "y" : /(ch|sh|x|z|ss)es$/.test(s) ? s.slice(0, -2) : /[^s]s$/.test(s) ? s.slice(0, -1) : s);

/** An enum value's name in the SDKs: its words in PascalCase (`DING_TALK` → DingTalk, `/v2/vpceps` → V2Vpceps). */
function enumName(value) {
  const words = String(value)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return words.map((w) => (w === w.toUpperCase() ? w[0] + w.slice(1).toLowerCase() : w[0].toUpperCase() + w.slice(1))).join("");
}

function generateSchema() {
  loadTypeScript();
  const { z } = require("zod");
  const { KINDS } = require("../provider/kinds");
  const config = require("../provider/config");
  const { PACKAGE, tokenOf } = require("../provider/plugin/tokens");
  const { describeKinds } = require("./generate-sdk-types.js");
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  // Descriptions name configuration keys as the plugin's users set them (codearts:domainId).
  const text = (doc) => config.inNamespace(doc ?? "", PACKAGE).trim();

  const types = {};
  const described = new Map(describeKinds().map((d) => [d.name, d]));

  /** The docs of a declared input's nested properties, by path (`variables[].value`). */
  function docsOf(props, prefix = "", out = new Map()) {
    for (const p of props) {
      const at = `${prefix}${prefix ? "." : ""}${p.name}`;
      if (p.doc) out.set(at, p.doc);
      let t = p.type;
      let where = at;
      while (t && typeof t === "object" && t.array) {
        t = t.array;
        where += "[]";
      }
      if (t && typeof t === "object" && t.object) docsOf(t.object, where, out);
    }
    return out;
  }

  /** A JSON Schema (zod's, io "input") as a Pulumi type spec; objects and enums become named types. */
  function typeOf(json, name, docs, at) {
    if (json.anyOf) {
      const branches = json.anyOf.filter((b) => b.type !== "null");
      return branches.length === 1 ? typeOf({ ...json, ...branches[0], anyOf: undefined }, name, docs, at) : { ...ANY };
    }
    if (json.enum) {
      const token = tokenOf(name);
      if (types[token]) throw new Error(`schema: two types named ${token}`);
      types[token] = {
        type: typeof json.enum[0] === "number" ? "number" : "string",
        ...(docs.get(at) ? { description: text(docs.get(at)) } : {}),
        enum: json.enum.map((value) => ({ name: enumName(value), value })),
      };
      return { $ref: `#/types/${token}` };
    }
    if (json.const !== undefined) return { type: typeof json.const === "number" ? "number" : typeof json.const === "boolean" ? "boolean" : "string" };
    switch (json.type) {
      case "string":
      case "boolean":
      case "integer":
      case "number":
        return { type: json.type };
      case "array":
        return { type: "array", items: typeOf(json.items ?? {}, singular(name), docs, `${at}[]`) };
      case "object": {
        if (json.properties && Object.keys(json.properties).length > 0) {
          const token = tokenOf(name);
          if (types[token]) throw new Error(`schema: two types named ${token}`);
          types[token] = { type: "object", ...(docs.get(at) ? { description: text(docs.get(at)) } : {}) };
          types[token] = { ...types[token], ...objectSpec(json, name, docs, at) };
          return { $ref: `#/types/${token}` };
        }
        const values = json.additionalProperties;
        return {
          type: "object",
          additionalProperties: values && typeof values === "object" && Object.keys(values).length > 0 ? typeOf(values, `${name}Value`, docs, `${at}{}`) : { ...ANY },
        };
      }
      default:
        return { ...ANY };
    }
  }

  /** The properties and required list of an object schema; names of nested types start with `name`. */
  function objectSpec(json, name, docs, at, extra = () => ({})) {
    const properties = {};
    for (const [key, prop] of Object.entries(json.properties ?? {})) {
      const where = at ? `${at}.${key}` : key;
      // A property named after its owner (pluginCompositionType of Plugin) does not repeat the name.
      const nested = key.toLowerCase().startsWith(name.toLowerCase()) ? pascal(key) : name + pascal(key);
      const spec = typeOf(prop, nested, docs, where);
      properties[key] = {
        ...spec,
        ...(docs.get(where) || prop.description ? { description: text(docs.get(where) || prop.description) } : {}),
        ...(prop.default !== undefined && typeof prop.default !== "object" ? { default: prop.default } : {}),
        ...extra(key),
      };
    }
    const required = (json.required ?? []).filter((k) => json.properties[k].default === undefined);
    return { properties, ...(required.length ? { required } : {}) };
  }

  /** A type described from TypeScript (an output property) as a Pulumi type spec. */
  function outputType(t) {
    if (t === "string" || t === "boolean" || t === "number") return { type: t };
    if (t === "any") return { ...ANY };
    if (t.array) return { type: "array", items: outputType(t.array) };
    if (t.map) return { type: "object", additionalProperties: outputType(t.map) };
    // Nested objects of the outputs stay maps: their TypeScript types are not named, and an output type
    // must match the state exactly (Go's SDK refuses a value of another type).
    return { type: "object", additionalProperties: { ...ANY } };
  }

  const resources = {};
  for (const [name, kind] of Object.entries(KINDS)) {
    const d = described.get(name);
    if (!d) throw new Error(`schema: no types described for ${name}`);
    const json = z.toJSONSchema(kind.schema, { io: "input", unrepresentable: "any" });
    const docs = docsOf(d.declared);
    const secrets = new Set(kind.secrets ?? []);
    const replaceOn = new Set(kind.replaceOn);
    const inputs = objectSpec(json, name, docs, "", (key) => ({
      ...(replaceOn.has(key) ? { replaceOnChanges: true } : {}),
      ...(secrets.has(key) ? { secret: true } : {}),
    }));
    const properties = {};
    for (const o of d.outputs) {
      const doc = o.doc || docs.get(o.name);
      properties[o.name] = { ...outputType(o.type), ...(doc ? { description: text(doc) } : {}), ...(secrets.has(o.name) ? { secret: true } : {}) };
    }
    const required = d.outputs.filter((o) => !o.optional).map((o) => o.name);
    // The id forms a read by id takes, as the SDK's `get` documents them ("`id` is `<projectId>/<groupId>`.").
    const idForms = d.sdk.get.includes("`id` is") ? d.sdk.get.slice(d.sdk.get.indexOf("`id` is")) : "";
    const importDoc = kind.noImport
      ? `${name} cannot be imported: ${kind.noImport}.`
      : `An existing object is taken under management with \`pulumi import ${tokenOf(name)} <name> <id>\`${idForms ? `, where ${idForms}` : "."}`;
    resources[tokenOf(name)] = {
      description: text(`${d.sdk.description}\n\n## Import\n\n${importDoc}`),
      properties,
      ...(required.length ? { required } : {}),
      inputProperties: inputs.properties,
      ...(inputs.required ? { requiredInputs: inputs.required } : {}),
    };
  }

  // The look-ups (provider/lookups): arguments from their zod schemas; outputs the kind's resource's, plus
  // the id its resource records, or the look-up's own outputs schema.
  const { LOOKUPS } = require("../provider/lookups");
  const functions = {};
  for (const [name, lookup] of Object.entries(LOOKUPS)) {
    const typeName = pascal(name);
    const inputs = objectSpec(z.toJSONSchema(lookup.args, { io: "input", unrepresentable: "any" }), typeName, new Map(), "");
    let outputs;
    if (lookup.returns.kind) {
      const resource = resources[tokenOf(lookup.returns.kind)];
      const unseen = new Set(lookup.returns.unseen ?? []);
      const properties = Object.fromEntries(Object.entries(resource.properties).filter(([k]) => !unseen.has(k)));
      properties.id = { type: "string", description: `The ${lookup.returns.kind}'s id, as its resource records it.` };
      outputs = { properties, required: ["id", ...(resource.required ?? []).filter((k) => !unseen.has(k))] };
    } else {
      outputs = objectSpec(z.toJSONSchema(lookup.returns.outputs, { io: "output", unrepresentable: "any" }), typeName, new Map(), "");
      outputs.required = Object.keys(outputs.properties);
    }
    functions[tokenOf(name)] = { description: text(lookup.description), inputs, outputs };
  }

  const configVariables = {};
  for (const key of config.CONFIG_KEYS) {
    const { doc, type } = config.CONFIG_DOCS[key];
    const env = config.envFallbacks(key);
    configVariables[key] = {
      ...(type === "map" ? { type: "object", additionalProperties: { type: "string" } } : { type }),
      description: `${doc} Falls back to the environment: ${env.map((e) => `\`${e}\``).join(", ")}.`,
      // The SDKs read a default from the environment only into text and numbers (Go's cannot make a map of
      // HW_ENDPOINTS' JSON); the plugin itself falls back to every variable, the map's too.
      ...(env.length && type !== "map" ? { defaultInfo: { environment: [...env] } } : {}),
      ...(config.SECRET_KEYS.includes(key) ? { secret: true } : {}),
    };
  }

  return {
    name: PACKAGE,
    displayName: "Huawei Cloud CodeArts",
    version: pkg.version,
    description: "Huawei Cloud CodeArts Pipeline, CloudTest and COC configuration as code: the resource kinds of pulumi-codearts, served by its resource-provider plugin.",
    keywords: ["pulumi", "huaweicloud", "codearts", "category/cloud", "kind/native"],
    license: pkg.license,
    meta: { moduleFormat: "(.*)" },
    config: { variables: configVariables },
    provider: {
      description: `The provider's configuration: stack config in the \`${PACKAGE}:\` namespace (the default provider) or a provider resource's inputs, each key falling back to the environment.`,
      inputProperties: configVariables,
    },
    types: Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b))),
    resources,
    functions,
    language: LANGUAGE,
  };
}

/** The text of schema.json. */
function generate() {
  return JSON.stringify(generateSchema(), null, 2) + "\n";
}

if (require.main === module) {
  fs.writeFileSync(TARGET, generate());
  console.log(`wrote ${path.relative(ROOT, TARGET)}`);
}

module.exports = { generate, generateSchema, TARGET };
