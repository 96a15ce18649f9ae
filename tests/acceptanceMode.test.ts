import { accMode, runPrefix, SKIP_LINE } from "./acceptance/support";

// The acceptance suite's switch (docs/acceptance.md); the suite itself runs with `npm run test:acceptance`.
test("CODEARTS_ACC: unset or empty skips, 1 is the cloud, emulator the emulator, anything else is an error naming the allowed values", () => {
  expect(accMode({})).toBe("off");
  expect(accMode({ CODEARTS_ACC: "" })).toBe("off");
  expect(accMode({ CODEARTS_ACC: "1" })).toBe("cloud");
  expect(accMode({ CODEARTS_ACC: "emulator" })).toBe("emulator");
  for (const bad of ["yes", "true", "0", "EMULATOR"]) expect(() => accMode({ CODEARTS_ACC: bad })).toThrow(/CODEARTS_ACC=1 .*CODEARTS_ACC=emulator/);
  expect(SKIP_LINE).toBe("skipped: acceptance tests need CODEARTS_ACC=1 (a Huawei Cloud account, see docs/acceptance.md) or CODEARTS_ACC=emulator");
});

test("the run's prefix is acc-<unix time>-<4 hex>, with an underscore form for names that forbid -", () => {
  const p = runPrefix(1764523200_123);
  expect(p.dashed).toMatch(/^acc-1764523200-[0-9a-f]{4}$/);
  expect(p.underscored).toBe(p.dashed.replace(/-/g, "_"));
  expect(p.underscored).toMatch(/^[A-Za-z0-9_]+$/);
});
