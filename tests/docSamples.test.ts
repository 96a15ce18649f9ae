import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

// Every ```ts sample in the README and docs/ is compiled against the package's real types, so the
// docs cannot drift from the API. Samples must be self-contained modules.
const ROOT = path.resolve(__dirname, "..");

function markdownFiles(): string[] {
  const out = [path.join(ROOT, "README.md")];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".md")) out.push(p);
    }
  };
  walk(path.join(ROOT, "docs"));
  return out;
}

function samples(): Array<{ file: string; line: number; code: string }> {
  const out: Array<{ file: string; line: number; code: string }> = [];
  for (const file of markdownFiles()) {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
      const start = i + 1;
      let j = start;
      while (j < lines.length && !lines[j].startsWith("```")) j++;
      out.push({ file: path.relative(ROOT, file), line: start + 1, code: lines.slice(start, j).join("\n") });
      i = j;
    }
  }
  return out;
}

test("every TypeScript sample in the docs type-checks against the package", () => {
  const all = samples();
  expect(all.length).toBeGreaterThan(0);
  const dir = path.join(ROOT, "tests", ".work", "doc-samples");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const names = all.map((s, i) => {
    const name = path.join(dir, `sample${i}.ts`);
    // `export {}` keeps each sample its own module even when it has no import.
    fs.writeFileSync(name, `${s.code}\nexport {};\n`);
    return name;
  });
  const program = ts.createProgram(names, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ["node"],
    baseUrl: ROOT,
    paths: { "pulumi-codearts": ["sdk/index.ts"], "pulumi-codearts/emulator": ["emulator/index.ts"] },
  });
  const problems = ts.getPreEmitDiagnostics(program).map((d) => {
    const i = d.file ? names.indexOf(d.file.fileName) : -1;
    const where = i >= 0 ? `${all[i].file}:${all[i].line + d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line}` : (d.file?.fileName ?? "?");
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  expect(problems).toEqual([]);
  console.log(`${all.length} doc samples type-checked`);
});
