/**
 * Small Markdown readers for the documentation tests: fenced code blocks, sections,
 * links and GitHub heading anchors. Only what README.md and docs/ use.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** A fenced code block: its info string, its text, the 1-based line of its opening fence, and the line before it. */
export interface CodeBlock {
  readonly lang: string;
  readonly body: string;
  readonly line: number;
  readonly before: string;
}

/** Every fenced (```) code block, in order. */
export function codeBlocks(md: string): CodeBlock[] {
  const lines = md.split("\n");
  const out: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    out.push({ lang: open[1]!, body: body.join("\n"), line: start + 1, before: start > 0 ? lines[start - 1]! : "" });
  }
  return out;
}

/** The text of a `## ` section (up to the next heading of the same or a higher level), or undefined. */
export function section(md: string, heading: string): string | undefined {
  const lines = md.split("\n");
  const level = /^#+/.exec(heading)![0].length;
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && new RegExp(`^#{1,${level}} `).test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
}

/** The text with fenced code blocks and inline code removed (so examples are not read as links). */
export function prose(md: string): string {
  return md.replace(/^```[^\n]*\n[\s\S]*?^```\s*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** Every Markdown link target `[text](target)` outside code. */
export function linkTargets(md: string): string[] {
  return [...prose(md).matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

/** GitHub's anchor for each heading of a document (lower case, punctuation dropped, spaces to hyphens, duplicates numbered). */
export function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(md).split("\n")) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = h[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** README.md and every Markdown file under docs/, as repository-relative paths. */
export function documentationFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return ["README.md", ...walk("docs")];
}

export const read = (file: string): string => readFileSync(join(ROOT, file), "utf8");

/** Where a relative link from `file` lands: the target path (repository-relative) and its fragment. */
export function resolveLink(file: string, target: string): { path: string; fragment: string | undefined; exists: boolean } {
  const [p, fragment] = target.split("#", 2) as [string, string | undefined];
  const abs = p === "" ? join(ROOT, file) : resolve(ROOT, dirname(file), decodeURI(p));
  return { path: relative(ROOT, abs), fragment, exists: existsSync(abs) };
}

/** Splits a shell command line into words: double and single quotes, no expansion. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unclosed quote in: ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? "") + c;
  }
  if (word !== null) words.push(word);
  return words;
}

/**
 * One `veil` invocation shown in a ```console block: `$ veil <args>   # exits N`
 * (no comment: exit 0) followed by what it prints, stdout then stderr.
 */
export interface Session {
  readonly command: string;
  readonly args: string[];
  readonly exitCode: number;
  readonly output: string;
  readonly line: number;
}

/** Every `$ veil …` session of every ```console block. A block with another command is an error. */
export function sessions(md: string): Session[] {
  const out: Session[] = [];
  for (const block of codeBlocks(md).filter((b) => b.lang === "console")) {
    const lines = block.body.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const m = /^\$ (.*?)(?:\s+# exits (\d+))?$/.exec(lines[i]!);
      if (!m) throw new Error(`line ${block.line + 1 + i}: expected a \`$ veil …\` command, got: ${lines[i]}`);
      const line = block.line + 1 + i;
      const words = shellWords(m[1]!);
      if (words[0] !== "veil") throw new Error(`line ${line}: only \`veil\` commands are run, got: ${m[1]}`);
      const output: string[] = [];
      for (; i + 1 < lines.length && !lines[i + 1]!.startsWith("$ "); i++) output.push(lines[i + 1]!);
      out.push({ command: m[1]!, args: words.slice(1), exitCode: Number(m[2] ?? 0), output: output.join("\n"), line });
    }
  }
  return out;
}

/** The CLI's source entry: package.json's `bin.veil` (a dist/ file) mapped back to src/. */
export function cliSource(): string {
  const pkg = JSON.parse(read("package.json")) as { bin?: Record<string, string> };
  const bin = pkg.bin?.["veil"] ?? "./dist/cli/main.js";
  const src = join(ROOT, bin.replace(/^\.?\/?dist\//, "src/").replace(/\.c?js$/, ".ts"));
  if (!existsSync(src)) throw new Error(`package.json bin \`${bin}\` maps to ${relative(ROOT, src)}, which does not exist`);
  return src;
}

/** Runs the CLI from source as `veil <args>` would, in the repository root. */
export function runVeil(args: readonly string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", cliSource(), ...args],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ stdout, stderr, code });
      },
    );
  });
}
