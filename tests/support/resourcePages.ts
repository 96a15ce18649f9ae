import * as fs from "fs";
import * as path from "path";

/**
 * What a resource page (docs/resources/<kind>.md) states about its kind, read from the forms every page
 * uses, so that tests can hold the pages to the kinds (tests/resourcePages.test.ts) and to the calls the
 * lifecycle tests measure (`callsAgainstPage`). Each fact is read on its own: a page missing one form
 * fails only the check of that fact.
 */
export const PAGES_DIR = path.resolve(__dirname, "..", "..", "docs", "resources");

/** PipelineGroup → pipeline-group.md */
export const pageName = (kind: string): string => `${kind.replace(/(?<=[a-z])(?=[A-Z])/g, "-").toLowerCase()}.md`;

const SERVICE_CODE = /\b[A-Z]{2,}\.\d{4,}\b/g;
const backquoted = (text: string): string[] => [...text.matchAll(/`([A-Za-z][A-Za-z0-9]*)`/g)].map((m) => m[1]);

/** The body of the `## <heading>` section (up to the next `## `), or an error naming the page. */
function section(file: string, text: string, heading: string): string {
  const found = text.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  if (found === undefined) throw new Error(`${file} has no "## ${heading}" section`);
  return found.slice(heading.length + 1);
}

/** A section's table: the header's cells, then each row's (a `\|` inside a cell is not a column). */
function table(file: string, body: string, heading: string): { header: string[]; rows: string[][] } {
  const lines = body.split("\n").filter((l) => l.startsWith("|"));
  const cells = (l: string) =>
    l
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
  if (lines.length < 2) throw new Error(`${file}: "## ${heading}" has no table`);
  return { header: cells(lines[0]).map((c) => c.toLowerCase()), rows: lines.slice(2).map(cells) };
}

interface Page {
  file: string;
  text: string;
}

function page(kind: string): Page {
  return { file: `docs/resources/${pageName(kind)}`, text: fs.readFileSync(path.join(PAGES_DIR, pageName(kind)), "utf8") };
}

/** "## Inputs" table: every input its first column names, and those whose `change` column starts with "replaces". */
export function pageInputs(kind: string): { inputs: string[]; replaces: string[] } {
  const { file, text } = page(kind);
  const inputs = table(file, section(file, text, "Inputs"), "Inputs");
  const change = inputs.header.indexOf("change");
  if (change < 0) throw new Error(`${file}: the Inputs table has no "change" column`);
  const rows = inputs.rows.map((r) => ({ names: backquoted(r[0]), replaces: r[change].replace(/\*/g, "").startsWith("replaces") }));
  return { inputs: rows.flatMap((r) => r.names), replaces: rows.filter((r) => r.replaces).flatMap((r) => r.names) };
}

/** "## Service-maintained outputs": the outputs each bullet starts with (`a`, `b`: why). */
export function pageServiceMaintained(kind: string): string[] {
  const { file, text } = page(kind);
  return section(file, text, "Service-maintained outputs")
    .split("\n")
    .filter((l) => l.startsWith("- "))
    .flatMap((l) => backquoted(l.includes(":") ? l.slice(0, l.indexOf(":")) : l));
}

/** The page's one "- **Not found**" bullet (it runs on over its indented lines): the service codes it names. */
export function pageNotFoundCodes(kind: string): string[] {
  const { file, text } = page(kind);
  const bullets = text.split(/\n(?=\S)/).filter((b) => b.startsWith("- **Not found**"));
  if (bullets.length !== 1) throw new Error(`${file} must have one "- **Not found**" bullet, has ${bullets.length}`);
  return [...new Set(bullets[0].match(SERVICE_CODE) ?? [])];
}

/** "## API calls per operation" table: operation → calls, a range (6–8) where timing decides. */
export function pageCalls(kind: string): { file: string; calls: Record<string, { min: number; max: number }> } {
  const { file, text } = page(kind);
  const calls: Record<string, { min: number; max: number }> = {};
  for (const [operation, count] of table(file, section(file, text, "API calls per operation"), "API calls per operation").rows) {
    const m = count.match(/^(\d+)(?:[–-](\d+))?$/);
    if (!m) throw new Error(`${file}: "${operation}" costs "${count}", not a number or a range such as 6–8`);
    calls[operation] = { min: Number(m[1]), max: Number(m[2] ?? m[1]) };
  }
  return { file, calls };
}

/** Where the page's calls-per-operation table and what a lifecycle test measured (operation → calls) disagree, both ways. */
export function callsAgainstPage(kind: string, measured: Record<string, number>): string[] {
  const { file, calls: stated } = pageCalls(kind);
  const problems: string[] = [];
  for (const [operation, n] of Object.entries(measured)) {
    const s = stated[operation];
    if (!s) problems.push(`${file} does not state "${operation}" (measured ${n})`);
    else if (n < s.min || n > s.max) problems.push(`${file} states "${operation}" ${s.min === s.max ? s.min : `${s.min}–${s.max}`}, measured ${n}`);
  }
  for (const operation of Object.keys(stated)) if (!(operation in measured)) problems.push(`${file} states "${operation}", which this test does not measure`);
  return problems;
}

/** The facts each look-up's sub-section states, one bullet each: `- **<label>**: …`. */
export const LOOKUP_BULLETS = ["Arguments", "Answers", "None / several", "API calls"] as const;

/**
 * "## Look-up": one `### \`fn\`` sub-section a look-up (none when the page has no such section), each
 * with its bullets by label and, for Arguments, the names it backquotes.
 */
export function pageLookups(kind: string): { file: string; lookups: Record<string, { bullets: Record<string, string>; args: string[] }> } {
  const { file, text } = page(kind);
  const body = text.split(/^## /m).find((s) => s.startsWith("Look-up\n"));
  const lookups: Record<string, { bullets: Record<string, string>; args: string[] }> = {};
  for (const sub of (body ?? "").split(/^### /m).slice(1)) {
    const name = sub.match(/^`([A-Za-z]+)`\n/)?.[1];
    if (!name) throw new Error(`${file}: a "### " under "## Look-up" that is not one look-up's name in backquotes: ${sub.split("\n")[0]}`);
    const bullets = Object.fromEntries(
      sub
        .split("\n")
        .map((l) => l.match(/^- \*\*([^*]+)\*\*: (.+)$/))
        .filter((m): m is RegExpMatchArray => m !== null)
        .map((m) => [m[1], m[2]]),
    );
    lookups[name] = { bullets, args: [...new Set(backquoted(bullets.Arguments ?? ""))] };
  }
  return { file, lookups };
}
