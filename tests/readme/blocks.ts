/**
 * The fenced code blocks of a Markdown file, with what the README test should do with each: a block
 * is run unless the line before it says otherwise, in a comment that does not show when rendered:
 *
 *   <!-- readme-test: skip (why) -->           neither compiled nor run
 *   <!-- readme-test: compile-only (why) -->   TypeScript: type-checked, not run
 */
export type BlockMode = "run" | "compile-only" | "skip";

export interface CodeBlock {
  /** The fence's language (`sh`, `ts`, ...), "" when none. */
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  mode: BlockMode;
  reason?: string;
}

const MARKER = /^<!--\s*readme-test:\s*(skip|compile-only)\s*\((.+)\)\s*-->$/;

export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith(fence); i++) body.push(lines[i]!);
    let prev = start - 1;
    while (prev >= 0 && lines[prev]!.trim() === "") prev--;
    const marker = prev >= 0 ? MARKER.exec(lines[prev]!.trim()) : null;
    blocks.push({
      lang: open[2] ?? "",
      code: `${body.join("\n")}\n`,
      line: start + 1,
      mode: marker ? (marker[1] as BlockMode) : "run",
      ...(marker ? { reason: marker[2]! } : {}),
    });
  }
  return blocks;
}

export const isShell = (b: CodeBlock): boolean => ["sh", "bash", "shell", "console"].includes(b.lang);
export const isTypeScript = (b: CodeBlock): boolean => ["ts", "typescript"].includes(b.lang);
