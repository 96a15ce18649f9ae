/**
 * A route glob as a matcher, without regular expressions: `*` matches within one segment, `**` any
 * number of segments. Matching is dynamic programming over segments and, within a segment, the
 * classic two-pointer wildcard match: linear in the path for each pattern piece, never exponential,
 * whatever the glob (a regex built from `*a*a*a…!` backtracks for ever).
 */
export const MAX_GLOB_LENGTH = 512;
export const MAX_GLOB_STARS = 16;

/** Why a glob is refused, or undefined when it is acceptable. */
export function globProblem(glob: string): string | undefined {
  if (!glob.startsWith("/")) return "path must start with /";
  if (glob.length > MAX_GLOB_LENGTH) return `path must be at most ${MAX_GLOB_LENGTH} characters`;
  const stars = (glob.match(/\*/g) ?? []).length;
  if (stars > MAX_GLOB_STARS) return `path may hold at most ${MAX_GLOB_STARS} wildcards`;
  if (/\*\*\*/.test(glob) || glob.split("/").some((s) => s.includes("**") && s !== "**")) return "** must be a whole segment";
  return undefined;
}

function segmentMatches(pattern: string, text: string): boolean {
  let p = 0,
    t = 0,
    star = -1,
    mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== "*" && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

export function globMatches(glob: string, path: string): boolean {
  const g = glob.split("/");
  const s = path.split("/");
  // ok[j] = the first i pattern segments match the first j path segments
  let ok = new Array<boolean>(s.length + 1).fill(false);
  ok[0] = true;
  for (const piece of g) {
    const next = new Array<boolean>(s.length + 1).fill(false);
    if (piece === "**") {
      let any = false;
      for (let j = 0; j <= s.length; j++) next[j] = any = any || ok[j];
    } else {
      for (let j = 1; j <= s.length; j++) next[j] = ok[j - 1] && segmentMatches(piece, s[j - 1]);
    }
    ok = next;
  }
  return ok[s.length];
}
