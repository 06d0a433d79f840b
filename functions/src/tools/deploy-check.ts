import * as path from "node:path";
import { findRepoRoot } from "./simulator/local-config";
import { formatReport, runPreflight } from "./deploy/preflight";

/**
 * npm run deploy:check [-- --project ID]: the offline preflight before
 * `npm run deploy` (docs/deployment.md). Exit 0 when every check passes, 1
 * when one fails, 2 on a usage error. Nothing is deployed and Google is not
 * contacted.
 */
const USAGE = `usage: npm run deploy:check [-- --project PROJECT_ID_OR_ALIAS] [--root DIR]
  --project  the project to check (default: .firebaserc's default)
  --root     the repository to check (default: this one)`;

async function main(argv: string[]): Promise<number> {
  let project: string | undefined;
  let root: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === "--project" || arg === "--root") && value && !value.startsWith("--")) {
      if (arg === "--project") project = value;
      else root = path.resolve(value);
      i += 1;
    } else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      return 0;
    } else {
      console.error(`unknown or incomplete option ${arg}\n${USAGE}`);
      return 2;
    }
  }
  root ??= findRepoRoot(process.cwd()) ?? findRepoRoot(__dirname);
  if (!root) {
    console.error("cannot find the repository (a folder holding functions/package.json)");
    return 2;
  }
  const report = await runPreflight({ root, project });
  console.log(formatReport(report));
  return report.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(
        `deploy:check could not run: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(2);
    },
  );
}
