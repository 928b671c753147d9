#!/usr/bin/env node
"use strict";
/* global clearTimeout */
/**
 * npm run report:shot: renders `otc-jobs report --since 30d -o html` against a seeded emulator in
 * headless Chromium (Debian's `chromium`, installed by scripts/ensure-chromium.sh when missing) and
 * saves docs/report.png, the picture the README shows. Usage: node scripts/report-shot.js [out.png]
 */
const { execFileSync, spawn } = require("node:child_process");
const { mkdtempSync, rmSync, statSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join, resolve } = require("node:path");

const root = resolve(__dirname, "..");
const out = resolve(process.argv[2] || join(root, "docs", "report.png"));
const WIDTH = 1200;
const HEIGHT = 1750;

function chromiumPath() {
  return execFileSync("bash", [join(__dirname, "ensure-chromium.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}

/** Runs chromium to completion; its chatter (D-Bus, GPU) is shown only when it fails. */
function screenshot(chromium, url, png, profile) {
  const args = [
    "--headless",
    "--no-sandbox", // root in a container has no user namespace for the sandbox
    "--disable-gpu",
    "--hide-scrollbars",
    "--no-first-run",
    "--force-device-scale-factor=1",
    `--user-data-dir=${profile}`,
    `--window-size=${WIDTH},${HEIGHT}`,
    `--screenshot=${png}`,
    url,
  ];
  return new Promise((done, fail) => {
    const child = spawn(chromium, args, { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", fail);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done();
      else fail(new Error(`chromium exited with ${signal || code}:\n${log}`));
    });
  });
}

async function main() {
  const chromium = chromiumPath();
  const { startEmulator } = require(join(root, "dist", "emulator"));
  const { main: cli } = require(join(root, "dist", "cli", "main"));
  const work = mkdtempSync(join(tmpdir(), "otc-report-shot-"));
  const emu = await startEmulator({ seed: 7, jobs: 120 });
  try {
    const key = emu.accessKeys[0];
    const env = { OTCJOBS_ENDPOINT: emu.gateway, OS_ACCESS_KEY: key.accessKey, OS_SECRET_KEY: key.secretKey, OS_PROJECT_ID: emu.projectId, NO_COLOR: "1" };
    const page = join(work, "report.html");
    const code = await cli(["report", "--since", "30d", "-o", "html", "--out", page], { stdout: process.stdout, stderr: process.stderr, env });
    if (code !== 0) throw new Error(`otc-jobs report exited with ${code}`);
    await screenshot(chromium, `file://${page}`, out, join(work, "profile"));
    console.log(`report:shot: wrote ${out} (${WIDTH}x${HEIGHT}, ${Math.round(statSync(out).size / 1024)} KiB) with ${chromium}`);
  } finally {
    await emu.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`report:shot: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
