import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../harness/host";

/**
 * The committed SDKs (sdk/python, sdk/go) are what Pulumi's code generators write from schema.json now
 * (scripts/generate-sdks.js, through the codegen tool built from the CLI's pinned module): byte for byte,
 * file for file, so a kind changed without `npm run gen:schema && npm run gen:sdks` fails here.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain script, shared with `npm run gen:sdks`
const { generateSdks, listFiles, LANGUAGES } = require("../../scripts/generate-sdks.js") as {
  generateSdks(dir: string): string;
  listFiles(dir: string): string[];
  LANGUAGES: string[];
};

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "codearts-sdks-"));
  generateSdks(tmp);
}, 300000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.each(LANGUAGES)("sdk/%s equals the generator's output (run `npm run gen:sdks` after changing a kind)", (lang) => {
  const committed = path.join(REPO_ROOT, "sdk", lang);
  const fresh = path.join(tmp, lang);
  expect(listFiles(committed)).toEqual(listFiles(fresh));
  const stale = listFiles(fresh).filter((f) => !fs.readFileSync(path.join(committed, f)).equals(fs.readFileSync(path.join(fresh, f))));
  expect(stale).toEqual([]);
});
