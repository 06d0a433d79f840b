import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { paths } from "../../adapters/firestore/paths";

/**
 * Which composite indexes the deployed code's Firestore queries need, read
 * from the source itself (the functions' Admin SDK chains and the dashboard's
 * modular `query(...)` calls), and which of them firestore.indexes.json lacks.
 * The emulators serve every query without an index, so without this a missing
 * index shows up only in production, as FAILED_PRECONDITION on a live call.
 * Why it is written here rather than taken from a library: docs/decisions.md.
 */

export type Direction = "ASCENDING" | "DESCENDING";
export type QueryScope = "COLLECTION" | "COLLECTION_GROUP";

export interface QueryShape {
  /** "functions/src/adapters/firestore/x.ts:12" */
  where: string;
  collectionGroup: string;
  scope: QueryScope;
  filters: { field: string; op: string }[];
  orderBy: { field: string; direction: Direction }[];
}

export interface IndexField {
  fieldPath: string;
  order?: Direction;
  arrayConfig?: "CONTAINS";
}

export interface IndexesFile {
  indexes?: { collectionGroup: string; queryScope?: QueryScope; fields: IndexField[] }[];
  fieldOverrides?: {
    collectionGroup: string;
    fieldPath: string;
    indexes?: { queryScope?: QueryScope; order?: Direction; arrayConfig?: string }[];
  }[];
}

export interface IndexProblem {
  where: string;
  message: string;
}

const EQUALITY = new Set(["==", "in"]);
const ARRAY = new Set(["array-contains", "array-contains-any"]);
const DOCUMENT_ID = "__name__";

/** Every .ts/.tsx file under `dir`, minus the excluded folder names. */
export function sourceFiles(dir: string, exclude: string[] = []): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!exclude.includes(entry.name)) out.push(...sourceFiles(full, exclude));
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      out.push(full);
    }
  }
  return out.sort();
}

/** The queries in one file; `unreadable` lists queries whose collection or fields are not literal. */
export function queriesIn(
  file: string,
  label: string,
): { queries: QueryShape[]; unreadable: IndexProblem[] } {
  const text = fs.readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const queries: QueryShape[] = [];
  const unreadable: IndexProblem[] = [];
  const at = (node: ts.Node) =>
    `${label}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const chain = adminChain(node);
      if (chain) record(chain.collectionArg, chain.group, chain.steps, node);
      const modular = modularQuery(node);
      if (modular) record(modular.collectionArg, modular.group, modular.steps, node);
    }
    ts.forEachChild(node, visit);
  };

  function record(
    collectionArg: ts.Expression | undefined,
    group: boolean,
    steps: { name: string; args: readonly ts.Expression[] }[],
    node: ts.Node,
  ): void {
    const constraints = steps.filter((s) => s.name === "where" || s.name === "orderBy");
    if (constraints.length === 0) return;
    const collectionGroup = collectionArg && collectionIdOf(collectionArg);
    if (!collectionGroup) {
      unreadable.push({
        where: at(node),
        message:
          "a query whose collection cannot be read from the source (use a string, a template " +
          "ending in the collection name, or paths.*())",
      });
      return;
    }
    const shape: QueryShape = {
      where: at(node),
      collectionGroup,
      scope: group ? "COLLECTION_GROUP" : "COLLECTION",
      filters: [],
      orderBy: [],
    };
    for (const step of constraints) {
      const field = step.args[0] && fieldOf(step.args[0]);
      if (!field) {
        unreadable.push({
          where: at(node),
          message: `a ${step.name}() whose field is not literal`,
        });
        return;
      }
      if (step.name === "where") {
        const op = step.args[1] && ts.isStringLiteral(step.args[1]) ? step.args[1].text : undefined;
        if (!op) {
          unreadable.push({ where: at(node), message: "a where() whose operator is not literal" });
          return;
        }
        shape.filters.push({ field, op });
      } else {
        const dir = step.args[1] && ts.isStringLiteral(step.args[1]) ? step.args[1].text : "asc";
        shape.orderBy.push({ field, direction: dir === "desc" ? "DESCENDING" : "ASCENDING" });
      }
    }
    queries.push(shape);
  }

  visit(source);
  return { queries, unreadable };
}

/** `db.collection(x).where(...).orderBy(...)...`, found from its outermost call. */
function adminChain(node: ts.CallExpression):
  | {
      collectionArg: ts.Expression | undefined;
      group: boolean;
      steps: { name: string; args: readonly ts.Expression[] }[];
    }
  | undefined {
  // Only start at the outermost call of a chain.
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && ts.isCallExpression(parent.parent)) return undefined;
  const steps: { name: string; args: readonly ts.Expression[] }[] = [];
  let current: ts.Expression = node;
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
    const name = current.expression.name.text;
    if (name === "collection" || name === "collectionGroup") {
      if (steps.length === 0) return undefined;
      return { collectionArg: current.arguments[0], group: name === "collectionGroup", steps };
    }
    steps.unshift({ name, args: current.arguments });
    current = current.expression.expression;
  }
  return undefined;
}

/** The dashboard's `query(collection(store, path), where(...), orderBy(...))`. */
function modularQuery(node: ts.CallExpression):
  | {
      collectionArg: ts.Expression | undefined;
      group: boolean;
      steps: { name: string; args: readonly ts.Expression[] }[];
    }
  | undefined {
  if (!ts.isIdentifier(node.expression) || node.expression.text !== "query") return undefined;
  const [first, ...rest] = node.arguments;
  if (!first || !ts.isCallExpression(first) || !ts.isIdentifier(first.expression)) return undefined;
  const kind = first.expression.text;
  if (kind !== "collection" && kind !== "collectionGroup") return undefined;
  const steps = rest.flatMap((arg) =>
    ts.isCallExpression(arg) && ts.isIdentifier(arg.expression)
      ? [{ name: arg.expression.text, args: arg.arguments }]
      : [],
  );
  return {
    collectionArg: first.arguments[1],
    group: kind === "collectionGroup",
    steps,
  };
}

/** The collection id a path expression ends in: its last segment. */
function collectionIdOf(expr: ts.Expression): string | undefined {
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) {
    return lastSegment(expr.text);
  }
  if (ts.isTemplateExpression(expr)) {
    const tail = expr.templateSpans[expr.templateSpans.length - 1].literal.text;
    return tail.includes("/") ? lastSegment(tail) : undefined;
  }
  if (
    ts.isCallExpression(expr) &&
    ts.isPropertyAccessExpression(expr.expression) &&
    ts.isIdentifier(expr.expression.expression) &&
    expr.expression.expression.text === "paths"
  ) {
    const build = (paths as unknown as Record<string, (...args: string[]) => string>)[
      expr.expression.name.text
    ];
    if (!build) return undefined;
    return lastSegment(build(...expr.arguments.map((_, i) => `{arg${i}}`)));
  }
  return undefined;
}

function lastSegment(p: string): string | undefined {
  const segment = p.split("/").filter(Boolean).pop();
  return segment && !segment.startsWith("{") ? segment : undefined;
}

function fieldOf(expr: ts.Expression): string | undefined {
  if (ts.isStringLiteral(expr)) return expr.text;
  // FieldPath.documentId() / documentId()
  if (ts.isCallExpression(expr)) {
    const callee = expr.expression;
    const name = ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : ts.isIdentifier(callee)
        ? callee.text
        : "";
    if (name === "documentId") return DOCUMENT_ID;
  }
  return undefined;
}

/**
 * The composite index a query needs, or undefined when Firestore's automatic
 * single-field indexes serve it: equality filters first (any order), then the
 * sort order, which starts with any inequality field not already sorted on.
 */
export function requiredIndex(q: QueryShape): IndexField[] | undefined {
  const equality = q.filters.filter((f) => EQUALITY.has(f.op)).map((f) => f.field);
  const arrays = q.filters.filter((f) => ARRAY.has(f.op)).map((f) => f.field);
  const ranges = q.filters
    .filter((f) => !EQUALITY.has(f.op) && !ARRAY.has(f.op))
    .map((f) => f.field);
  const order: { field: string; direction: Direction }[] = [];
  for (const field of ranges) {
    if (!q.orderBy.some((o) => o.field === field) && !order.some((o) => o.field === field)) {
      order.push({ field, direction: "ASCENDING" });
    }
  }
  for (const o of q.orderBy) {
    if (!order.some((x) => x.field === o.field)) order.push(o);
  }
  const sorted = order.filter((o) => o.field !== DOCUMENT_ID && !equality.includes(o.field));
  const equalityOnly = [...new Set(equality)].filter((f) => f !== DOCUMENT_ID);
  const needsComposite =
    sorted.length > 1 ||
    (sorted.length === 1 && (equalityOnly.length > 0 || arrays.length > 0)) ||
    (arrays.length > 0 && equalityOnly.length > 0);
  if (!needsComposite) return undefined;
  return [
    ...equalityOnly.map((fieldPath) => ({ fieldPath, order: "ASCENDING" as Direction })),
    ...arrays.map((fieldPath) => ({ fieldPath, arrayConfig: "CONTAINS" as const })),
    ...sorted.map((o) => ({ fieldPath: o.field, order: o.direction })),
  ];
}

/** True when an index in the file serves the query (equality fields may come in any order). */
function covered(q: QueryShape, needed: IndexField[], file: IndexesFile): boolean {
  const prefix = needed.filter(
    (f) => !f.arrayConfig && q.filters.some((x) => x.field === f.fieldPath && EQUALITY.has(x.op)),
  );
  const rest = needed.slice(prefix.length);
  return (file.indexes ?? []).some((index) => {
    if (index.collectionGroup !== q.collectionGroup) return false;
    if ((index.queryScope ?? "COLLECTION") !== q.scope) return false;
    const fields = index.fields.filter((f) => f.fieldPath !== DOCUMENT_ID);
    if (fields.length !== needed.length) return false;
    const head = fields
      .slice(0, prefix.length)
      .map((f) => f.fieldPath)
      .sort();
    if (
      head.join() !==
      prefix
        .map((f) => f.fieldPath)
        .sort()
        .join()
    )
      return false;
    return rest.every((f, i) => {
      const have = fields[prefix.length + i];
      return (
        have.fieldPath === f.fieldPath &&
        (f.arrayConfig ? have.arrayConfig === f.arrayConfig : have.order === f.order)
      );
    });
  });
}

/** A collection-group query on one field needs that field's single-field index at group scope. */
function groupFieldIndexed(q: QueryShape, field: string, file: IndexesFile): boolean {
  return (file.fieldOverrides ?? []).some(
    (o) =>
      o.collectionGroup === q.collectionGroup &&
      o.fieldPath === field &&
      (o.indexes ?? []).some((i) => i.queryScope === "COLLECTION_GROUP"),
  );
}

/** What firestore.indexes.json lacks for these queries, each with the index to add. */
export function missingIndexes(queries: QueryShape[], file: IndexesFile): IndexProblem[] {
  const problems: IndexProblem[] = [];
  for (const q of queries) {
    const needed = requiredIndex(q);
    const describe = describeQuery(q);
    if (needed) {
      if (!covered(q, needed, file)) {
        const entry = { collectionGroup: q.collectionGroup, queryScope: q.scope, fields: needed };
        problems.push({
          where: q.where,
          message: `${describe} needs a composite index firestore.indexes.json lacks; add to "indexes": ${JSON.stringify(entry)}`,
        });
      }
      continue;
    }
    if (q.scope === "COLLECTION_GROUP") {
      const fields = [...new Set([...q.filters, ...q.orderBy].map((f) => f.field))].filter(
        (f) => f !== DOCUMENT_ID,
      );
      for (const field of fields) {
        if (!groupFieldIndexed(q, field, file)) {
          problems.push({
            where: q.where,
            message: `${describe} is a collection-group query: add "fieldOverrides" for ${q.collectionGroup}.${field} with a COLLECTION_GROUP index`,
          });
        }
      }
    }
  }
  return problems;
}

function describeQuery(q: QueryShape): string {
  const parts = [
    ...q.filters.map((f) => `${f.field} ${f.op}`),
    ...q.orderBy.map((o) => `orderBy ${o.field}${o.direction === "DESCENDING" ? " desc" : ""}`),
  ];
  return `the query on ${q.collectionGroup} (${parts.join(", ")})`;
}

/** The deployed code's queries: the functions (minus local tools) and the dashboard. */
export function deployedQueries(root: string): {
  queries: QueryShape[];
  unreadable: IndexProblem[];
} {
  const files = [
    ...sourceFiles(path.join(root, "functions", "src"), ["tools", "shared"]),
    ...sourceFiles(path.join(root, "hosting", "src")),
  ];
  const queries: QueryShape[] = [];
  const unreadable: IndexProblem[] = [];
  for (const file of files) {
    const found = queriesIn(file, path.relative(root, file));
    queries.push(...found.queries);
    unreadable.push(...found.unreadable);
  }
  return { queries, unreadable };
}
