import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { sourceFiles } from "../../src/tools/deploy/index-coverage";

/** logs.ts's named-event functions: logInfo(logger, "event", fields) and its kin. */
export const LOG_CALLS = /^log(Info|Warn|Error)$/;

/**
 * Every log event name the deployed code can emit, read from its source: the
 * event of logInfo/logWarn/logError(logger, "name", ...) (how code outside
 * logs.ts logs), the first argument of logger.info/warn/error inside logs.ts (both branches of a conditional),
 * `(...).call(logger, "name", ...)`, and the `event:` field of a line whose
 * message is free text. Local tools are left out: they are not deployed.
 */
export function emittedLogEvents(srcDir: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (name: string, where: string) => found.set(name, [...(found.get(name) ?? []), where]);
  for (const file of sourceFiles(srcDir, ["tools", "shared"])) {
    const source = ts.createSourceFile(
      file,
      fs.readFileSync(file, "utf8"),
      ts.ScriptTarget.ES2022,
      true,
    );
    const where = (node: ts.Node) =>
      `${path.relative(srcDir, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
    const literals = (expr: ts.Expression | undefined): string[] => {
      if (!expr) return [];
      if (ts.isStringLiteral(expr)) return [expr.text];
      if (ts.isConditionalExpression(expr))
        return [...literals(expr.whenTrue), ...literals(expr.whenFalse)];
      if (ts.isParenthesizedExpression(expr)) return literals(expr.expression);
      return [];
    };
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        LOG_CALLS.test(node.expression.text)
      ) {
        for (const name of literals(node.arguments[1])) add(name, where(node));
      } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const target = node.expression.expression.getText(source);
        let args: readonly ts.Expression[] | undefined;
        if (["info", "warn", "error"].includes(method) && /logger$/i.test(target)) {
          args = node.arguments;
        } else if (method === "call" && /logger$/i.test(node.arguments[0]?.getText(source) ?? "")) {
          args = node.arguments.slice(1);
        }
        if (args) {
          const names = literals(args[0]);
          if (names.length === 0 && args[1] && ts.isObjectLiteralExpression(args[1])) {
            for (const p of args[1].properties) {
              if (ts.isPropertyAssignment(p) && p.name.getText(source) === "event")
                names.push(...literals(p.initializer));
            }
          }
          for (const name of names) add(name, where(node));
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
