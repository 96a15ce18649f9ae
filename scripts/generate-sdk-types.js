#!/usr/bin/env node
/**
 * Writes sdk/kinds.generated.ts: every resource kind's declared inputs (z.input of its zod schema)
 * and output properties (its `<Kind>Outputs`), as plain TypeScript with no import.
 *
 * Why: the SDK's published .d.ts files must not import zod, whose declarations only compile with
 * esModuleInterop (a `pulumi new typescript` project has it off). The schemas in provider/resources
 * stay the single source of truth; this resolves their types with the compiler API and prints them.
 *
 * Why a plain .js file outside sdk/: it needs `typescript` (a devDependency) and must run with node
 * alone, before any build; sdk/ is compiled into the shipped package.
 *
 *   npm run gen:types            rewrite the file
 *   require(...).generate()      the text it would write (tests/sdkTypes.test.ts compares it)
 */
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const ROOT = path.resolve(__dirname, "..");
const TARGET = path.join(ROOT, "sdk", "kinds.generated.ts");
// A file that exists only in memory: it names each kind's types so the checker can resolve them.
const PROBE = path.join(ROOT, "sdk", "__kinds_probe__.ts");
// Members of pulumi.dynamic.Resource an output property must not shadow.
const RESOURCE_MEMBERS = new Set(["id", "urn", "getProvider"]);

function compilerOptions() {
  const file = path.join(ROOT, "tsconfig.json");
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  return ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, file).options;
}

/** Kind names in provider/kinds.ts order (read from the KINDS object literal, so a new kind needs no edit here). */
function kindNames() {
  const file = path.join(ROOT, "provider", "kinds.ts");
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  let names;
  source.forEachChild(function visit(node) {
    if (ts.isVariableDeclaration(node) && node.name.getText(source) === "KINDS") {
      let init = node.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
      names = init.properties.map((p) => p.name.getText(source));
    }
    node.forEachChild(visit);
  });
  if (!names) throw new Error("provider/kinds.ts: no KINDS object literal found");
  return names;
}

function probeText(names) {
  const lines = [
    `import type { z } from "zod";`,
    `import type { KINDS } from "../provider/kinds";`,
    `import type { ResourceKind } from "../provider/dynamic";`,
    `type DeclaredOf<K> = K extends ResourceKind<infer S, any> ? z.input<S> : never;`,
    `type StateOf<K> = K extends ResourceKind<infer S, any> ? z.output<S> : never;`,
    `type OutputsOf<K> = K extends ResourceKind<any, infer O> ? O : never;`,
  ];
  for (const n of names) {
    lines.push(`export type ${n}__Declared = DeclaredOf<(typeof KINDS)["${n}"]>;`);
    lines.push(`export type ${n}__State = StateOf<(typeof KINDS)["${n}"]>;`);
    lines.push(`export type ${n}__Outputs = OutputsOf<(typeof KINDS)["${n}"]>;`);
  }
  return lines.join("\n") + "\n";
}

function createProgram(names) {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const text = probeText(names);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) => (path.resolve(file) === PROBE ? ts.createSourceFile(file, text, language) : getSourceFile(file, language, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => path.resolve(file) === PROBE || fileExists(file);
  return ts.createProgram({ rootNames: [PROBE], options, host });
}

function docOf(symbol, checker) {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  const tags = symbol.getJsDocTags(checker).map((t) => `@${t.name}${t.text ? " " + ts.displayPartsToString(t.text) : ""}`);
  return [text, ...tags].filter(Boolean).join("\n");
}

function docBlock(doc, indent) {
  if (!doc) return "";
  const lines = doc.split("\n");
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? " " + l : ""}`).join("\n")}\n${indent} */\n`;
}

const propertyName = (name) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name));

/** Prints a resolved type as self-contained TypeScript: only primitives, literals, arrays, tuples and object literals. */
function printer(checker, where) {
  const active = new Set(); // object types being printed, to refuse a recursive type instead of looping

  function print(type, indent) {
    const f = type.flags;
    if (f & ts.TypeFlags.Any) return "any";
    if (f & ts.TypeFlags.Unknown) return "unknown";
    if (f & ts.TypeFlags.Never) return "never";
    if (f & ts.TypeFlags.String) return "string";
    if (f & ts.TypeFlags.Number) return "number";
    if (f & ts.TypeFlags.BigInt) return "bigint";
    if (f & ts.TypeFlags.Boolean) return "boolean";
    if (f & ts.TypeFlags.Undefined) return "undefined";
    if (f & ts.TypeFlags.Null) return "null";
    if (f & ts.TypeFlags.Void) return "void";
    if (f & ts.TypeFlags.StringLiteral) return JSON.stringify(type.value);
    if (f & ts.TypeFlags.NumberLiteral) return String(type.value);
    if (f & ts.TypeFlags.BooleanLiteral) return checker.typeToString(type);
    if (f & ts.TypeFlags.Union) return union(type.types, indent);
    if (f & ts.TypeFlags.Intersection) {
      if (type.types.every((t) => t.flags & ts.TypeFlags.Object)) return object(type, indent);
      return type.types.map((t) => wrap(print(t, indent), t)).join(" & ");
    }
    if (f & ts.TypeFlags.Object) {
      if (checker.isArrayType(type)) {
        const [element] = checker.getTypeArguments(type);
        return `${wrap(print(element, indent), element)}[]`;
      }
      if (checker.isTupleType(type))
        return `[${checker
          .getTypeArguments(type)
          .map((t) => print(t, indent))
          .join(", ")}]`;
      if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
        throw new Error(`${where}: cannot print the function type ${checker.typeToString(type)}`);
      }
      return object(type, indent);
    }
    throw new Error(`${where}: cannot print ${checker.typeToString(type)} (type flags ${f})`);
  }

  /** Parenthesises unions and intersections where they sit inside an array or intersection. */
  function wrap(text, type) {
    return type.flags & (ts.TypeFlags.Union | ts.TypeFlags.Intersection) && !(type.flags & ts.TypeFlags.Boolean) ? `(${text})` : text;
  }

  function union(types, indent) {
    const hasTrue = types.some((t) => t.flags & ts.TypeFlags.BooleanLiteral && checker.typeToString(t) === "true");
    const hasFalse = types.some((t) => t.flags & ts.TypeFlags.BooleanLiteral && checker.typeToString(t) === "false");
    const merged = hasTrue && hasFalse;
    const parts = [];
    for (const t of types) {
      if (merged && t.flags & ts.TypeFlags.BooleanLiteral) {
        if (!parts.includes("boolean")) parts.push("boolean");
        continue;
      }
      parts.push(print(t, indent));
    }
    // undefined and null last, as people write them.
    const rank = (p) => (p === "undefined" ? 2 : p === "null" ? 1 : 0);
    return parts.sort((a, b) => rank(a) - rank(b)).join(" | ");
  }

  function object(type, indent) {
    if (active.has(type)) throw new Error(`${where}: recursive type ${checker.typeToString(type)}`);
    active.add(type);
    const inner = indent + "  ";
    const members = [];
    for (const info of checker.getIndexInfosOfType(type)) {
      members.push(`${inner}${info.isReadonly ? "readonly " : ""}[key: ${print(info.keyType, inner)}]: ${print(info.type, inner)};\n`);
    }
    for (const prop of checker.getPropertiesOfType(type)) members.push(property(prop, inner));
    active.delete(type);
    if (members.length === 0) return "{}";
    // A lone index signature reads better as Record.
    if (members.length === 1 && checker.getIndexInfosOfType(type).length === 1) {
      const [info] = checker.getIndexInfosOfType(type);
      if (!info.isReadonly) return `Record<${print(info.keyType, indent)}, ${print(info.type, indent)}>`;
    }
    return `{\n${members.join("")}${indent}}`;
  }

  /** One property line; an optional one is printed `name?: T` (its `| undefined` is implied). */
  function property(prop, indent) {
    const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
    const type = checker.getTypeOfSymbol(prop);
    let text;
    if (optional && type.flags & ts.TypeFlags.Union) {
      const rest = type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
      text = rest.length === 1 ? print(rest[0], indent) : union(rest, indent);
    } else {
      text = print(type, indent);
    }
    const readonly = prop.declarations?.some((d) => ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Readonly) ? "readonly " : "";
    return `${docBlock(docOf(prop, checker), indent)}${indent}${readonly}${propertyName(prop.name)}${optional ? "?" : ""}: ${text};\n`;
  }

  return { print, object, property };
}

function exported(checker, sourceFile, name) {
  const symbol = checker.getExportsOfModule(checker.getSymbolAtLocation(sourceFile)).find((s) => s.name === name);
  if (!symbol) throw new Error(`probe: no ${name}`);
  return checker.getDeclaredTypeOfSymbol(symbol);
}

/** The compiled probe: its checker and source file, every kind's types resolved. */
function analyze() {
  const names = kindNames();
  const program = createProgram(names);
  const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => "\n" }));
  return { names, checker: program.getTypeChecker(), probe: program.getSourceFile(PROBE) };
}

/** A kind's output properties: its outputs, then the declared inputs it carries in state that its outputs type does not list. */
function outputProperties(checker, probe, name) {
  const state = exported(checker, probe, `${name}__State`);
  const outputs = exported(checker, probe, `${name}__Outputs`);
  const props = checker.getPropertiesOfType(outputs);
  const listed = new Set(props.map((p) => p.name));
  const carried = checker.getPropertiesOfType(state).filter((p) => !listed.has(p.name));
  return [...props, ...carried];
}

/** The text of sdk/kinds.generated.ts. */
function generate() {
  const { names, checker, probe } = analyze();

  let out =
    "// Generated by `npm run gen:types` (scripts/generate-sdk-types.js) from each kind's zod schema and\n" +
    "// <Kind>Outputs in provider/resources/: do not edit. Plain types with no import, so the SDK's .d.ts\n" +
    "// files compile in any project (zod's own declarations need esModuleInterop).\n";
  for (const name of names) {
    const print = printer(checker, name);
    const declared = exported(checker, probe, `${name}__Declared`);

    out += `\n/** ${name}'s inputs as a program declares them (the input type of its zod schema). */\n`;
    out += `export interface ${name}Declared ${print.object(declared, "")}\n`;

    // Output properties: everything the provider returns, then the declared inputs it carries in state
    // (e.g. adoptId) that its outputs type does not list. The index signature of `Record<string, unknown>` is dropped.
    const all = outputProperties(checker, probe, name);
    for (const p of all) {
      if (RESOURCE_MEMBERS.has(p.name)) throw new Error(`${name}: output property "${p.name}" would shadow pulumi.Resource's own`);
    }
    const lines = all.map((p) => print.property(p, "  "));
    out += `\n/** ${name}'s output properties: its outputs, and the declared inputs it keeps in state. */\n`;
    out += `export interface ${name}Outputs {\n${lines.join("")}}\n`;
    out += `\n/** The keys of ${name}Outputs, for the constructor (Pulumi makes an Output only for a key it is given). */\n`;
    out += `export const ${name[0].toLowerCase()}${name.slice(1)}OutputKeys = [${all.map((p) => JSON.stringify(p.name)).join(", ")}] as const;\n`;
  }
  out += `\n/** Each kind's generated types by kind name (tests/sdkTypes.test.ts checks them against the provider's). */\n`;
  out += `export interface KindTypes {\n${names.map((n) => `  ${n}: { declared: ${n}Declared; outputs: ${n}Outputs };\n`).join("")}}\n`;
  return out;
}

/**
 * A resolved type as data, for the plugin's schema (scripts/generate-schema.js): string, number,
 * boolean, any, `{ array: T }`, `{ map: T }` (an index signature) or `{ object: [property…] }`; optional
 * and nullable parts dropped, literals as their primitive.
 */
function describer(checker, where) {
  const active = new Set();
  function describe(type) {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return "any";
    if (f & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral)) return "string";
    if (f & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return "number";
    if (f & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return "boolean";
    if (f & ts.TypeFlags.Union) {
      const parts = [...new Set(type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null))).map((t) => JSON.stringify(describe(t))))];
      return parts.length === 1 ? JSON.parse(parts[0]) : "any";
    }
    if (f & ts.TypeFlags.Object || (f & ts.TypeFlags.Intersection && type.types.every((t) => t.flags & ts.TypeFlags.Object))) {
      if (checker.isArrayType(type)) return { array: describe(checker.getTypeArguments(type)[0]) };
      if (active.has(type)) throw new Error(`${where}: recursive type ${checker.typeToString(type)}`);
      active.add(type);
      try {
        const props = checker.getPropertiesOfType(type);
        const [index] = checker.getIndexInfosOfType(type);
        if (props.length === 0) return { map: index ? describe(index.type) : "any" };
        return { object: props.map(property) };
      } finally {
        active.delete(type);
      }
    }
    throw new Error(`${where}: cannot describe ${checker.typeToString(type)} (type flags ${f})`);
  }
  function property(prop) {
    const type = checker.getTypeOfSymbol(prop);
    const undefinedAllowed = !!(type.flags & ts.TypeFlags.Union) && type.types.some((t) => t.flags & ts.TypeFlags.Undefined);
    const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0 || undefinedAllowed;
    return { name: prop.name, optional, type: describe(type), doc: docOf(prop, checker) };
  }
  return { describe, property };
}

/**
 * Every kind's declared inputs and output properties as data (names, optional, types, the JSDoc each
 * carries), and the SDK class's own documentation: what scripts/generate-schema.js needs of the types
 * (the zod schemas at run time give it the rest).
 */
function describeKinds() {
  const { names, checker, probe } = analyze();
  return names.map((name) => {
    const d = describer(checker, name);
    const declared = d.describe(exported(checker, probe, `${name}__Declared`));
    return { name, declared: declared.object ?? [], outputs: outputProperties(checker, probe, name).map(d.property), sdk: sdkDocs(name) };
  });
}

/** The JSDoc of the SDK's class for a kind (sdk/<kind>.ts) and of its static `get`. */
function sdkDocs(name) {
  const file = path.join(ROOT, "sdk", `${name[0].toLowerCase()}${name.slice(1)}.ts`);
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const jsDoc = (node) =>
    (node.jsDoc ?? [])
      .map((j) => (typeof j.comment === "string" ? j.comment : (ts.getTextOfJSDocComment(j.comment) ?? "")))
      .join("\n")
      .trim();
  let cls;
  source.forEachChild((n) => {
    if (ts.isClassDeclaration(n) && n.name?.text === name) cls = n;
  });
  if (!cls) throw new Error(`${path.relative(ROOT, file)}: no class ${name}`);
  const get = cls.members.find((m) => ts.isMethodDeclaration(m) && m.name.getText(source) === "get");
  return { description: jsDoc(cls), get: get ? jsDoc(get) : "" };
}

if (require.main === module) {
  fs.writeFileSync(TARGET, generate());
  console.log(`wrote ${path.relative(ROOT, TARGET)}`);
}

module.exports = { generate, describeKinds, TARGET };
