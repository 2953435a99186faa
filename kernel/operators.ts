// numpy-style operators on arrays in notebook cells: a type-directed rewrite of the cell's source.
//
//   x * y        (x or y an NDArray)     →  __gradlabOps.np.multiply(x , y)
//   x * y        (x or y typed `any`)    →  __gradlabOps.dyn.multiply(x , y)   (runtime dispatch)
//   w -= g       (w or g an NDArray)     →  w = __gradlabOps.np.subtract(w, g)
//   -x, +x                               →  np.negative(x), np.positive(x)
//   x < y, <=, >, >=                     →  np.less, np.less_equal, np.greater, np.greater_equal
//   while (c), if (c), c ? a : b, !c, c && d, c || d   with c an array  →  __gradlabOps.truth(c)
//
// Why a source rewrite before the real compile: TypeScript types `x * y` as `number` and reports TS2362/TS2363
// when an operand is an object, so a transformer at emit time comes too late (the cell never type-checks, and
// `(x * y).sum()` would not either). Here the cell is type-checked, every operator whose operand types are
// NDArray (or NDArray | number, or `any`) is rewritten to a call of the differentiable np function, innermost
// first, and the check repeats until nothing changes (`const z = x * y; z + 1` only becomes NDArray + number
// after the first rewrite). `number op number` and everything else (strings, booleans, `string * NDArray`)
// is left exactly as written, so TypeScript's own errors stay. Edits only insert text and replace operator
// tokens, never a newline: lines stay, and the offset map (textedit.ts) brings positions back to the user's.
import type * as TSNS from "typescript";
import { type Edit, MapChain, applyEdits } from "./textedit";

type TS = typeof import("typescript");

/** The hidden global the rewritten cells call (kernel/operatorsRuntime.ts; declared in the globals file). */
export const OPS = "__gradlabOps";

/** Binary operators (and their compound forms) → np function names. */
export const BINARY_FUNCTIONS = {
  "+": "add",
  "-": "subtract",
  "*": "multiply",
  "/": "divide",
  "**": "power",
  "%": "mod",
  "<": "less",
  "<=": "less_equal",
  ">": "greater",
  ">=": "greater_equal",
} as const;
export const UNARY_FUNCTIONS = { "-": "negative", "+": "positive" } as const;

/** The ambient declaration of the runtime helper, added to the generated globals file. */
export function operatorsDeclaration(npType: string): string {
  const names = [...new Set([...Object.values(BINARY_FUNCTIONS)])];
  const dyn = [
    ...names.map((n) => `      ${n}(a: any, b: any): any;`),
    "      negative(a: any): any;",
    "      positive(a: any): any;",
  ];
  return [
    "declare global {",
    "  /** The gradlab kernel's operators on arrays (kernel/operators.ts rewrites `x * y` on arrays to these). */",
    `  var ${OPS}: {`,
    `    np: ${npType};`,
    "    dyn: {",
    ...dyn,
    "    };",
    "    truth(value: unknown): boolean;",
    "  };",
    "}",
  ].join("\n");
}

type Kind = "number" | "array" | "any" | "other";

/** A type-checked version of the text: `sourceFile.text` is `prefix + text`, with `offset` = prefix length. */
export interface CheckedText {
  sourceFile: TSNS.SourceFile;
  checker: TSNS.TypeChecker;
  offset: number;
}

export interface RewriteResult {
  text: string;
  map: MapChain;
  /** Type checks made (the last one is of `text`). */
  checks: number;
  /** Operators rewritten. */
  rewrites: number;
}

const NDARRAY_FILE = /[\\/]ndarray\.(d\.)?ts$/;

/** The edits of one pass over a checked text. */
export function findOperatorEdits(ts: TS, checked: CheckedText): { edits: Edit[]; rewrites: number } {
  const { sourceFile: sf, checker, offset } = checked;
  const S = ts.SyntaxKind;
  const edits: Edit[] = [];
  let rewrites = 0;
  const kinds = new Map<TSNS.Node, Kind>();
  const rewritten = new Set<TSNS.Node>();
  const ndCache = new Map<TSNS.Type, boolean>();
  const text = sf.text;

  const binaryName = (k: TSNS.SyntaxKind): string | undefined => {
    switch (k) {
      case S.PlusToken: case S.PlusEqualsToken: return "add";
      case S.MinusToken: case S.MinusEqualsToken: return "subtract";
      case S.AsteriskToken: case S.AsteriskEqualsToken: return "multiply";
      case S.SlashToken: case S.SlashEqualsToken: return "divide";
      case S.AsteriskAsteriskToken: case S.AsteriskAsteriskEqualsToken: return "power";
      case S.PercentToken: case S.PercentEqualsToken: return "mod";
      case S.LessThanToken: return "less";
      case S.LessThanEqualsToken: return "less_equal";
      case S.GreaterThanToken: return "greater";
      case S.GreaterThanEqualsToken: return "greater_equal";
      default: return undefined;
    }
  };
  const isCompound = (k: TSNS.SyntaxKind) =>
    k === S.PlusEqualsToken || k === S.MinusEqualsToken || k === S.AsteriskEqualsToken || k === S.SlashEqualsToken ||
    k === S.AsteriskAsteriskEqualsToken || k === S.PercentEqualsToken;

  function isNDArray(t: TSNS.Type): boolean {
    const hit = ndCache.get(t);
    if (hit !== undefined) return hit;
    ndCache.set(t, false);
    let yes = false;
    const sym = t.getSymbol();
    if (sym && sym.getName() === "NDArray" && (sym.declarations ?? []).some((d) => NDARRAY_FILE.test(d.getSourceFile().fileName))) {
      yes = true;
    } else if (t.flags & ts.TypeFlags.Object && (t as TSNS.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface) {
      yes = checker.getBaseTypes(t as TSNS.InterfaceType).some(isNDArray);
    }
    ndCache.set(t, yes);
    return yes;
  }

  function classify(t: TSNS.Type): Kind {
    if (t.flags & ts.TypeFlags.Any) return "any";
    if (t.flags & ts.TypeFlags.NumberLike) return "number";
    if (t.flags & ts.TypeFlags.TypeParameter) {
      const c = checker.getBaseConstraintOfType(t);
      return c && c !== t ? classify(c) : "other";
    }
    if (t.isUnion()) {
      let array = false;
      for (const u of t.types) {
        const k = classify(u);
        if (k === "array") array = true;
        else if (k !== "number") return "other";
      }
      return array ? "array" : "number";
    }
    if (t.isIntersection()) return t.types.some(isNDArray) ? "array" : "other";
    return isNDArray(t) ? "array" : "other";
  }

  function kindOf(e: TSNS.Expression): Kind {
    for (;;) {
      const k = kinds.get(e);
      if (k) return k;
      if (ts.isParenthesizedExpression(e)) e = e.expression;
      else break;
    }
    return classify(checker.getTypeAtLocation(e));
  }
  const strip = (e: TSNS.Expression): TSNS.Expression => (ts.isParenthesizedExpression(e) ? strip(e.expression) : e);
  const pos = (p: number) => p - offset;
  const open = (at: number, s: string, depth: number) => edits.push({ pos: pos(at), end: pos(at), text: s, order: depth });
  const close = (at: number, depth: number) => edits.push({ pos: pos(at), end: pos(at), text: ")", order: -1e6 - depth });

  /** A target that can be read and written twice without side effects: `w`, `this.w`, `p.w`, `ws[0]`, `ws[i]`. */
  function isSimpleReference(e: TSNS.Expression): boolean {
    if (ts.isIdentifier(e) || e.kind === S.ThisKeyword) return true;
    if (ts.isPropertyAccessExpression(e)) return !e.questionDotToken && isSimpleReference(e.expression);
    if (ts.isElementAccessExpression(e)) {
      const a = e.argumentExpression;
      return !e.questionDotToken && isSimpleReference(e.expression) &&
        (ts.isIdentifier(a) || ts.isNumericLiteral(a) || ts.isStringLiteral(a));
    }
    return false;
  }

  /** A simple reference's text rebuilt from its tokens (no line breaks or comments from the source). */
  function referenceText(e: TSNS.Expression): string {
    if (ts.isPropertyAccessExpression(e)) return `${referenceText(e.expression)}.${e.name.getText(sf)}`;
    if (ts.isElementAccessExpression(e)) return `${referenceText(e.expression)}[${e.argumentExpression.getText(sf)}]`;
    return e.getText(sf);
  }

  const decide = (a: Kind, b: Kind): "np" | "dyn" | null => {
    if (a === "other" || b === "other") return null;
    if (a === "array" || b === "array") return "np";
    if (a === "any" || b === "any") return "dyn";
    return null;
  };

  /** In a boolean context: an array (or a rewritten operator whose value may be one) goes through truth(). */
  function truth(e: TSNS.Expression | undefined, depth: number): void {
    if (!e) return;
    const k = kindOf(e);
    if (k === "array" || (k === "any" && rewritten.has(strip(e)))) {
      open(e.getStart(sf), `${OPS}.truth(`, depth - 0.5);
      close(e.end, depth - 0.5);
      kinds.set(e, "other");
      rewrites++;
    }
  }

  function handle(node: TSNS.Node, depth: number): void {
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === S.AmpersandAmpersandToken || op === S.BarBarToken) {
        truth(node.left, depth + 1);
        truth(node.right, depth + 1);
        if (kinds.get(node.left) === "other" && kinds.get(node.right) === "other") kinds.set(node, "other");
        return;
      }
      const fn = binaryName(op);
      if (!fn) return;
      const mode = decide(kindOf(node.left), kindOf(node.right));
      if (!mode) return;
      const tok = node.operatorToken;
      if (isCompound(op)) {
        if (!isSimpleReference(node.left)) return;
        const target = referenceText(node.left);
        edits.push({ pos: pos(tok.getStart(sf)), end: pos(tok.end), text: `= ${OPS}.${mode}.${fn}(${target},`, order: 0 });
      } else {
        open(node.left.getStart(sf), `${OPS}.${mode}.${fn}(`, depth);
        edits.push({ pos: pos(tok.getStart(sf)), end: pos(tok.end), text: ",", order: 0 });
      }
      close(node.right.end, depth);
      kinds.set(node, mode === "np" ? "array" : "any");
      rewritten.add(node);
      rewrites++;
      return;
    }
    if (ts.isPrefixUnaryExpression(node)) {
      if (node.operator === S.ExclamationToken) {
        truth(node.operand, depth + 1);
        return;
      }
      const fn = node.operator === S.MinusToken ? "negative" : node.operator === S.PlusToken ? "positive" : undefined;
      if (!fn) return;
      const k = kindOf(node.operand);
      const mode = k === "array" ? "np" : k === "any" ? "dyn" : null;
      if (!mode) return;
      const start = node.getStart(sf);
      edits.push({ pos: pos(start), end: pos(start + 1), text: `${OPS}.${mode}.${fn}(`, order: 0 });
      close(node.end, depth);
      kinds.set(node, mode === "np" ? "array" : "any");
      rewritten.add(node);
      rewrites++;
      return;
    }
    if (ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) truth(node.expression, depth + 1);
    else if (ts.isForStatement(node)) truth(node.condition, depth + 1);
    else if (ts.isConditionalExpression(node)) truth(node.condition, depth + 1);
  }

  function visit(node: TSNS.Node, depth: number): void {
    // Type positions hold no runtime operators; skip them (and their children) entirely.
    if (ts.isTypeNode(node)) return;
    ts.forEachChild(node, (c) => visit(c, depth + 1));
    handle(node, depth);
  }
  for (const st of sf.statements) if (st.getStart(sf) >= offset || st.end > offset) visit(st, 1);
  return { edits, rewrites };
}

/**
 * True when the cell has syntax the rewrite could touch (an arithmetic, comparison or compound operator, unary
 * minus or plus, or a condition). A cell without any skips the type check of the rewrite entirely.
 */
export function hasOperatorCandidates(ts: TS, src: string): boolean {
  if (!/[-+*/%<>?!&|]|\b(if|while|for)\b/.test(src)) return false;
  const S = ts.SyntaxKind;
  const sf = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.ES2022, false);
  const ops = new Set([
    S.PlusToken, S.MinusToken, S.AsteriskToken, S.SlashToken, S.AsteriskAsteriskToken, S.PercentToken,
    S.LessThanToken, S.LessThanEqualsToken, S.GreaterThanToken, S.GreaterThanEqualsToken,
    S.PlusEqualsToken, S.MinusEqualsToken, S.AsteriskEqualsToken, S.SlashEqualsToken, S.AsteriskAsteriskEqualsToken,
    S.PercentEqualsToken, S.AmpersandAmpersandToken, S.BarBarToken,
  ]);
  let found = false;
  const visit = (node: TSNS.Node): void => {
    if (found || ts.isTypeNode(node)) return;
    if (
      (ts.isBinaryExpression(node) && ops.has(node.operatorToken.kind)) ||
      (ts.isPrefixUnaryExpression(node) && !ts.isNumericLiteral(node.operand) &&
        (node.operator === S.MinusToken || node.operator === S.PlusToken || node.operator === S.ExclamationToken)) ||
      ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isConditionalExpression(node) ||
      (ts.isForStatement(node) && node.condition)
    ) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * Rewrites the operators of `src` until a fixpoint. `check(text)` type-checks a version of the cell (the
 * kernel: in tslab's program, with the previous cells' declarations; tests: a standalone program).
 */
export function rewriteOperators(ts: TS, src: string, check: (text: string) => CheckedText, maxPasses = 8): RewriteResult {
  let text = src;
  const map = new MapChain();
  let rewrites = 0;
  if (!hasOperatorCandidates(ts, src)) return { text, map, checks: 0, rewrites };
  for (let pass = 1; ; pass++) {
    const checked = check(text);
    const found = findOperatorEdits(ts, checked);
    if (found.edits.length === 0 || pass > maxPasses) return { text, map, checks: pass, rewrites };
    const r = applyEdits(text, found.edits);
    text = r.text;
    map.push(r.map);
    rewrites += found.rewrites;
  }
}

/**
 * `{ q }` → `{ q: q }`. tslab rewrites references to earlier cells' variables as `exports.q`, which a shorthand
 * property cannot hold (the cell would throw "q is not defined"). Only inserts text on the same line.
 */
export function shorthandEdits(ts: TS, src: string): Edit[] {
  if (!src.includes("{")) return [];
  const sf = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.ES2022, true);
  const edits: Edit[] = [];
  const visit = (node: TSNS.Node): void => {
    if (ts.isShorthandPropertyAssignment(node)) edits.push({ pos: node.name.end, end: node.name.end, text: `: ${node.name.text}`, order: 0 });
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edits;
}
