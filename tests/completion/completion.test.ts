/**
 * Shell completion: the engine against the real program, and each script in its real shell with
 * `otc-jobs` on PATH (bash always; zsh and fish where installed, as on the CI image: apt-get install zsh fish).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { main } from "../../cli/main";
import { OUTPUT_FORMATS } from "../../cli/options";
import { assertBuilt, BIN, cleanEnv } from "../cli/helpers";

async function completions(...words: string[]): Promise<string[]> {
  const stdout = new PassThrough();
  let text = "";
  stdout.on("data", (d: Buffer) => (text += d.toString("utf8")));
  const code = await main(["__complete", ...words], { stdout, stderr: new PassThrough(), env: {} });
  expect(code).toBe(0);
  return text.split("\n").filter(Boolean);
}

const values = (lines: string[]): string[] => lines.map((l) => l.split("\t")[0]!);

describe("otc-jobs __complete", () => {
  it("completes commands with descriptions, never the hidden helper", async () => {
    const top = await completions("");
    expect(values(top)).toEqual(expect.arrayContaining(["list", "get", "wait", "emulator", "report", "completion"]));
    expect(values(top)).not.toContain("__complete");
    expect(top.find((l) => l.startsWith("list\t"))).toMatch(/^list\tlist the jobs/);
    expect(values(await completions("re"))).toEqual(["report"]);
  });

  it("completes arguments and option values from the choices commander knows", async () => {
    expect(values(await completions("list", ""))).toEqual(["ddm", "dds", "drs", "all"]);
    expect(values(await completions("get", ""))).toEqual(["ddm", "dds"]);
    expect(values(await completions("list", "all", "-o", ""))).toEqual([...OUTPUT_FORMATS]);
    expect(values(await completions("list", "all", "--output", "js"))).toEqual(["json", "jsonl"]);
    expect(values(await completions("list", "all", "--output=y"))).toEqual(["--output=yaml"]);
    expect(values(await completions("report", "-o", ""))).toEqual(["html", "json"]);
    expect(values(await completions("--cloud", "h"))).toEqual(["huaweicloud"]);
    expect(values(await completions("wait", "drs", "--db-use-type", ""))).toEqual(["migration", "sync", "cloudDataGuard"]);
    // After the service, a job id: nothing to offer (the shell falls back to nothing or files).
    expect(await completions("get", "ddm", "")).toEqual([]);
  });

  it("completes a command's flags and the global ones, skipping values already given", async () => {
    expect(values(await completions("list", "all", "--all"))).toEqual(["--all-projects"]);
    expect(values(await completions("report", "--region", "eu-de", "--reg"))).toEqual(["--regions", "--region"]);
    expect(values(await completions("--region", "eu-de", "list", ""))).toEqual(["ddm", "dds", "drs", "all"]);
    expect(values(await completions("wait", "ddm", "x", "--hel"))).toEqual(["--help"]);
    expect(values(await completions("list", "-"))).toEqual(expect.arrayContaining(["--since", "-o", "-w", "--region", "-V", "-h"]));
  });

  it("asks for file names for --out; never prints an error, even for nonsense", async () => {
    expect(await completions("report", "--out", "")).toEqual([":files"]);
    expect(await completions("nonsense", "--help", "--version", "")).toEqual([]);
    expect(await completions()).toEqual(expect.arrayContaining(["report\tan ops report of every service's jobs: one self-contained HTML page (or JSON)"]));
  });
});

describe("otc-jobs completion <shell>", () => {
  let dir: string;
  const env = (): NodeJS.ProcessEnv => cleanEnv({ PATH: `${dir}:${process.env.PATH ?? ""}` });
  const has = (shell: string): boolean => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;
  const script = (shell: string): string => {
    const r = spawnSync(process.execPath, [BIN, "completion", shell], { encoding: "utf8" });
    expect(r.status).toBe(0);
    return r.stdout;
  };

  beforeAll(() => {
    assertBuilt();
    // `otc-jobs` on PATH, as after `npm link`.
    dir = mkdtempSync(join(tmpdir(), "otc-completion-"));
    writeFileSync(join(dir, "otc-jobs"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
    for (const shell of ["bash", "zsh", "fish"]) writeFileSync(join(dir, `c.${shell}`), script(shell));
    writeFileSync(join(dir, "report.html"), "");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses an unknown shell", () => {
    const r = spawnSync(process.execPath, [BIN, "completion", "powershell"], { encoding: "utf8" });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/bash, zsh, fish/);
  });

  it("bash: completes through the readline variables bash sets", () => {
    const harness = `
source ${dir}/c.bash
t() { COMP_LINE="$1"; COMP_POINT=\${#1}; read -ra COMP_WORDS <<< "$1"; [[ $1 =~ [[:space:]]$ ]] && COMP_WORDS+=(""); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _otc_jobs; echo "\${COMPREPLY[*]}"; }
complete -p otc-jobs
t "otc-jobs l"; t "otc-jobs list "; t "otc-jobs list all -o "; t "otc-jobs report --all"; t "otc-jobs report --out ${dir}/rep"
`;
    const r = spawnSync("bash", ["-c", harness], { encoding: "utf8", env: env() });
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n")).toEqual([
      "complete -o default -F _otc_jobs otc-jobs",
      "list",
      "ddm dds drs all",
      OUTPUT_FORMATS.join(" "),
      "--all-projects",
      `${dir}/report.html`,
      "",
    ]);
  });

  (has("fish") ? it : it.skip)("fish: complete -C answers from the script", () => {
    const r = spawnSync("fish", ["-c", `source ${dir}/c.fish; complete -C"otc-jobs list "; echo SEP; complete -C"otc-jobs list all --output "; echo SEP; complete -C"otc-jobs re"`], {
      encoding: "utf8",
      env: env(),
    });
    expect(r.stderr).toBe("");
    const [services, formats, commands] = r.stdout.split("SEP\n");
    expect(services!.trim().split("\n").sort()).toEqual(["all", "ddm", "dds", "drs"]);
    expect(formats!.trim().split("\n").sort()).toEqual([...OUTPUT_FORMATS].sort());
    expect(commands!.trim()).toMatch(/^report\tan ops report/);
  });

  (has("zsh") ? it : it.skip)("zsh: parses, registers with compdef, and hands _describe the candidates", () => {
    expect(spawnSync("zsh", ["-n", `${dir}/c.zsh`]).status).toBe(0);
    // _describe/_files/compdef are stubbed to print what they are given: the script's own logic, in zsh.
    const harness = `
compdef() { print -r -- "compdef $*"; }
_describe() { print -rl -- "\${(@P)4}"; }
_files() { print -r -- FILES; }
source ${dir}/c.zsh
t() { words=("$@"); CURRENT=\${#words}; print -r -- "== \${words[-1]}"; _otc_jobs; }
t otc-jobs l
t otc-jobs list ""
t otc-jobs report --out ""
`;
    const r = spawnSync("zsh", ["-f", "-c", harness], { encoding: "utf8", env: env() });
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n")).toEqual([
      "compdef _otc_jobs otc-jobs",
      "== l",
      "list:list the jobs of one service, or of all three merged; the table newest first, json/jsonl/csv/yaml as pages arrive",
      "== ",
      "ddm",
      "dds",
      "drs",
      "all",
      "== ",
      "FILES",
      "",
    ]);
  });
});
