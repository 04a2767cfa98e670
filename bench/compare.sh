#!/usr/bin/env bash
# HEAD against a base commit (default: f8d8920, the last commit before the issue-20 rework began with
# e3df763): checks the base out into a temporary worktree, installs its dependencies there (npm ci),
# runs bench/compare.ts on both side by side and removes the worktree afterwards.
# Usage: bench/compare.sh [<base commit>] [--seconds=S] [--rounds=N]
# About 4 minutes of load (6 rounds) after npm ci and six server starts.
set -euo pipefail
cd "$(dirname "$0")/.."
base="${1:-f8d8920}"
[[ $# -gt 0 ]] && shift
tree="$(mktemp -d /tmp/vbp-base-XXXXXX)"
rmdir "$tree"
cleanup() { git worktree remove --force "$tree" 2>/dev/null || rm -rf "$tree"; git worktree prune; }
trap cleanup EXIT
git worktree add --detach --quiet "$tree" "$base"
echo "base $(git log -1 --format='%h %s' "$base" | cut -c1-100)"
echo "HEAD $(git log -1 --format='%h %s' HEAD | cut -c1-100)$(git diff --quiet HEAD || echo ' (with uncommitted changes)')"
(cd "$tree" && npm ci --no-audit --no-fund --loglevel=error > /dev/null)
npx tsx bench/compare.ts "$tree" "$@"
