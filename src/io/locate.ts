import { readFileSync } from "node:fs";
import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { VeilIssue } from "../errors.js";
import { readStdin, STDIN_FILE } from "./stdin.js";

/** Where an issue is in its file: 1-based line and column. */
export interface IssueLocation {
  readonly line: number;
  readonly column: number;
}

/**
 * The line and column of each issue, for `--error-format json` (editors jump to them).
 * A syntax error carries them in its message; any other issue with a file and a JSON
 * path is looked up in that file's YAML/JSON tree. Best effort: undefined when the file
 * cannot be read again or the path is not in it (a merged or normalised value).
 */
export function locateIssues(issues: readonly VeilIssue[], stdin: () => string = readStdin): (IssueLocation | undefined)[] {
  const trees = new Map<string, { root: Node | null; lines: LineCounter } | null>();
  const tree = (file: string) => {
    if (!trees.has(file)) {
      try {
        const text = file === STDIN_FILE ? stdin() : readFileSync(file, "utf8");
        const lines = new LineCounter();
        trees.set(file, { root: parseDocument(text, { lineCounter: lines, uniqueKeys: false }).contents, lines });
      } catch {
        trees.set(file, null);
      }
    }
    return trees.get(file) ?? null;
  };
  return issues.map((i) => {
    const inMessage = /\bat line (\d+), column (\d+)\b/.exec(i.message);
    if (inMessage) return { line: Number(inMessage[1]), column: Number(inMessage[2]) };
    if (i.file === undefined || i.path.length === 0) return undefined;
    const t = tree(i.file);
    if (!t || !t.root) return undefined;
    const node = nodeAt(t.root, i.path);
    if (!node?.range) return undefined;
    const { line, col } = t.lines.linePos(node.range[0]);
    return { line, column: col };
  });
}

/** The node at a bundle path, also in a document that is one policy or a list of policies. */
function nodeAt(root: Node, path: readonly (string | number)[]): Node | undefined {
  const candidates: (readonly (string | number)[])[] = [path];
  // A list of policies, or a single policy, stands for `globalPolicies` (model/documents.ts).
  if (path[0] === "globalPolicies") candidates.push(isSeq(root) ? path.slice(1) : path.slice(2));
  for (const p of candidates) {
    const found = walk(root, p);
    if (found) return found;
  }
  return undefined;
}

function walk(root: Node, path: readonly (string | number)[]): Node | undefined {
  let node: Node | undefined = root;
  for (const [n, key] of path.entries()) {
    if (isSeq(node) && typeof key === "number") node = node.items[key] as Node | undefined;
    else if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) return undefined;
      // The last step lands on the key: where a reader looks, and where an unknown key is.
      node = (n === path.length - 1 ? pair.key : (pair.value ?? pair.key)) as Node | undefined;
    } else return undefined;
    if (!node) return undefined;
  }
  return node;
}
