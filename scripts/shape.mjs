#!/usr/bin/env node
// `npm run shape`: every function under worker/ and extension/ that is longer than 60 lines or whose
// cyclomatic complexity exceeds 15, one line each (`path:line name — N lines, complexity C`).
// Prints nothing when the shipped code is in shape. `--all` also lists the folders' totals;
// `--max-lines N` / `--max-complexity N` change the limits; extra arguments narrow the folders.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  args.splice(i, 2);
  return value;
};
const MAX_LINES = flag("--max-lines", 60);
const MAX_COMPLEXITY = flag("--max-complexity", 15);
const showAll = args.includes("--all");
const roots = args.filter((a) => !a.startsWith("--"));
const folders = roots.length > 0 ? roots : ["worker", "extension"];
const root = process.cwd();

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "fixtures" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|tsx)$/.test(name) && !/\.(test|d)\.tsx?$/.test(name)) yield path;
  }
}

/** Decision points that add a path through a function (McCabe): branches, loops, short-circuits. */
function decisions(node) {
  switch (node.kind) {
    case ts.SyntaxKind.IfStatement:
    case ts.SyntaxKind.ConditionalExpression:
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.DoStatement:
    case ts.SyntaxKind.CatchClause:
    case ts.SyntaxKind.CaseClause:
      return 1;
    case ts.SyntaxKind.BinaryExpression: {
      const op = node.operatorToken.kind;
      return op === ts.SyntaxKind.AmpersandAmpersandToken ||
        op === ts.SyntaxKind.BarBarToken ||
        op === ts.SyntaxKind.QuestionQuestionToken ||
        op === ts.SyntaxKind.AmpersandAmpersandEqualsToken ||
        op === ts.SyntaxKind.BarBarEqualsToken ||
        op === ts.SyntaxKind.QuestionQuestionEqualsToken
        ? 1
        : 0;
    }
    default:
      return 0;
  }
}

const isFunction = (node) =>
  ts.isFunctionDeclaration(node) ||
  ts.isFunctionExpression(node) ||
  ts.isArrowFunction(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isConstructorDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ts.isSetAccessorDeclaration(node);

function nameOf(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name && ts.isStringLiteral(node.name)) return node.name.text;
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isCallExpression(parent)) {
    const callee = parent.expression;
    const called = ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : ts.isIdentifier(callee)
        ? callee.text
        : "call";
    return `(callback of ${called})`;
  }
  return "(anonymous)";
}

/** A function's own complexity: nested functions are measured on their own, not counted twice. */
function complexityOf(fn) {
  let total = 1;
  const visit = (node) => {
    if (node !== fn && isFunction(node)) return;
    total += decisions(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  return total;
}

/** Lines of a function, nested functions excluded only when they are long enough to be reported themselves. */
function linesOf(sf, fn) {
  const start = sf.getLineAndCharacterOfPosition(fn.getStart(sf)).line;
  const end = sf.getLineAndCharacterOfPosition(fn.getEnd()).line;
  return end - start + 1;
}

const findings = [];
const totals = new Map();
for (const folder of folders) {
  for (const file of sourceFiles(join(root, folder))) {
    const text = readFileSync(file, "utf8");
    const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
    const rel = relative(root, file);
    const top = rel.split("/").slice(0, 2).join("/");
    const visit = (node) => {
      if (isFunction(node) && node.body) {
        const lines = linesOf(sf, node);
        const complexity = complexityOf(node);
        const t = totals.get(top) ?? { functions: 0, over: 0 };
        t.functions += 1;
        if (lines > MAX_LINES || complexity > MAX_COMPLEXITY) {
          t.over += 1;
          const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
          findings.push(`${rel}:${line} ${nameOf(node)} — ${lines} lines, complexity ${complexity}`);
        }
        totals.set(top, t);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
}

for (const f of findings) console.log(f);
if (showAll) {
  for (const [folder, t] of [...totals.entries()].sort())
    console.log(`# ${folder}: ${t.functions} functions, ${t.over} over the limits`);
}
