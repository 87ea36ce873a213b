import { runCli } from './main.js';

void runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  isTty: Boolean(process.stdout.isTTY),
}).then(
  (code) => {
    // The MCP command keeps running and sets its own exit code.
    if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`northstar: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
