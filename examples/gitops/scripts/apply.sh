#!/usr/bin/env bash
# Merge to main: apply the stack non-interactively; the summary lands in .pulumi-codearts/.
set -euo pipefail
: "${PULUMI_STACK:?set PULUMI_STACK}"
npm ci
npm run build
npx pulumi-codearts up --stack "$PULUMI_STACK" --yes --out .pulumi-codearts
