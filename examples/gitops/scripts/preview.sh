#!/usr/bin/env bash
# Pull request: preview the stack and leave the Markdown summary in .pulumi-codearts/summary.md
# (post it as a PR comment from your CI). Exit code: 0 ok, 1 preview failed (e.g. refused changes).
set -euo pipefail
: "${PULUMI_STACK:?set PULUMI_STACK}"
npm ci
npm run build
npx pulumi-codearts doctor
npx pulumi-codearts preview --stack "$PULUMI_STACK" --out .pulumi-codearts
