#!/usr/bin/env bash
# Nightly drift for teams that run the Pulumi CLI (or pulumi/actions) directly: the CLI writes its engine
# events to a log, and pulumi-codearts turns the log into the same report and exit code as `drift`.
# Exit 0 = no drift, 2 = drift (report in .pulumi-codearts/), 1 = error or an incomplete log.
set -uo pipefail
: "${PULUMI_STACK:?set PULUMI_STACK}"
npm ci && npm run build || exit 1
log="$(mktemp)"
pulumi refresh --preview-only --stack "$PULUMI_STACK" --non-interactive --event-log "$log" || exit 1
npx pulumi-codearts summarize --event-log "$log" --operation drift --out .pulumi-codearts
