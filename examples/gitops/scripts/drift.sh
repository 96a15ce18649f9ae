#!/usr/bin/env bash
# Nightly: refresh in preview mode. Exit 0 = no drift, 2 = drift (report in .pulumi-codearts/), 1 = error.
set -uo pipefail
: "${PULUMI_STACK:?set PULUMI_STACK}"
npm ci && npm run build || exit 1
npx pulumi-codearts drift --stack "$PULUMI_STACK" --out .pulumi-codearts
