import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

// A clone is all a user has: no tracked file may point at a folder beside the repository.
const ROOT = path.resolve(__dirname, "..");
// Spelt in pieces so that this file does not name them itself.
const OUTSIDE = [["..", "shared"].join("/"), ["shared", "seeds"].join("/")];

test("no tracked file points at a folder outside the repository", () => {
  const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT }).toString().split("\0");
  const files = tracked.filter((f) => f !== "" && !f.startsWith("node_modules/") && fs.existsSync(path.join(ROOT, f)));
  expect(files.length).toBeGreaterThan(100);
  const pointers = files.flatMap((f) =>
    fs
      .readFileSync(path.join(ROOT, f), "utf8")
      .split("\n")
      .flatMap((line, i) => (OUTSIDE.some((o) => line.includes(o)) ? [`${f}:${i + 1}: ${line.trim().slice(0, 160)}`] : [])),
  );
  expect(pointers).toEqual([]);
});
