#!/usr/bin/env bash
# Creates or updates, in a Google Cloud project, the log-based metrics in
# metrics/ and the alert policies in policies/ behind docs/slos.md. Run again
# after changing a file: existing metrics and policies (matched by name and
# display name) are updated, not duplicated.
#
#   npm run monitoring:apply -- PROJECT_ID [projects/PROJECT_ID/notificationChannels/ID ...]
#
# Needs the Google Cloud CLI, logged in with rights to Logging and Monitoring.
set -euo pipefail

dir="$(cd "$(dirname "$0")" && pwd)"
if [ $# -lt 1 ] || [[ "$1" == -* ]]; then
  echo "usage: npm run monitoring:apply -- PROJECT_ID [NOTIFICATION_CHANNEL ...]" >&2
  exit 2
fi
project="$1"
shift
channels_json="$(node -e 'console.log(JSON.stringify(process.argv.slice(1)))' "$@")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for file in "$dir"/metrics/*.json; do
  name="$(basename "$file" .json)"
  if gcloud logging metrics describe "$name" --project="$project" >/dev/null 2>&1; then
    echo "metric $name: updating"
    gcloud logging metrics update "$name" --project="$project" --config-from-file="$file"
  else
    echo "metric $name: creating"
    gcloud logging metrics create "$name" --project="$project" --config-from-file="$file"
  fi
done

for file in "$dir"/policies/*.json; do
  policy="$tmp/$(basename "$file")"
  node -e '
    const fs = require("fs");
    const [from, to, channels] = process.argv.slice(1);
    const policy = JSON.parse(fs.readFileSync(from, "utf8"));
    const list = JSON.parse(channels);
    if (list.length) policy.notificationChannels = list;
    fs.writeFileSync(to, JSON.stringify(policy));
  ' "$file" "$policy" "$channels_json"
  display="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).displayName)' "$file")"
  existing="$(gcloud alpha monitoring policies list --project="$project" \
    --filter="displayName=\"$display\"" --format='value(name)' | head -n 1)"
  if [ -n "$existing" ]; then
    echo "policy \"$display\": updating"
    gcloud alpha monitoring policies update "$existing" --project="$project" --policy-from-file="$policy"
  else
    echo "policy \"$display\": creating"
    gcloud alpha monitoring policies create --project="$project" --policy-from-file="$policy"
  fi
done
echo "Applied $(ls "$dir"/metrics/*.json | wc -l | tr -d ' ') metrics and $(ls "$dir"/policies/*.json | wc -l | tr -d ' ') alert policies to $project."
