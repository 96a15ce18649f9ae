import { OpenSourcePolicy, Rule, RuleSet } from "pulumi-codearts";

// Quality gates and open-source governance reviewed like code: two rules, a rule set using them, an
// open-source policy; then the rule set is disabled (flip `isValid` and open a pull request).
const rule = (name: string, key: string, value: string) =>
  new Rule(key, {
    name,
    type: "Gate",
    layoutContent: "layout_content",
    content: [{ groupName: name, properties: [{ key, name, type: "judge", operator: ">=", valueType: "float", value }] }],
  });

const coverage = rule("Line coverage", "coverage", "0.8");
const passRate = rule("Test pass rate", "pass-rate", "1.0");

export const releaseGate = new RuleSet("release-gate", {
  name: "Release gate",
  rules: [
    { id: coverage.id, isValid: true },
    { id: passRate.id, isValid: true },
  ],
  isValid: false, // disabled: the switch API turns it off after create
}).id;

export const maven = new OpenSourcePolicy("maven", {
  name: "Maven governance",
  content: {
    versionSet: { enable: true, rules: [{ ecosystem: "Maven", packageName: "log4j-core", predicate: "eq", packageVersion: "2.14.1", enable: true }] },
    security: { enable: true, rules: { severity: { enable: true, values: ["Critical", "High"] }, cve: { enable: false, values: [""] } } },
    license: { enable: true, rules: [{ values: ["GPL-3.0"], predicate: "contain" }] },
  },
}).id;
